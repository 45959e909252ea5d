/* The fake machine of lab 2's unit tests (fake_machine.h). */
#include <stdlib.h>
#include <string.h>

#include "fake_machine.h"
#include "koan_test.h"

struct page_info pages[NR_FRAMES];
uint32_t mem[NR_FRAMES][ENTRIES_PER_TABLE];
struct frame_table ft;
int hv_fills, hv_clears;

static uint32_t *fake_table(uint32_t mfn)
{
	ck_assert_msg(mfn < NR_FRAMES, "ft->table(%u): the machine has only %u frames", mfn,
		      NR_FRAMES);
	return mem[mfn];
}

static void fake_set_hv_slots(uint32_t *l2, bool present)
{
	for (unsigned i = KOAN_GUEST_PDES; i < ENTRIES_PER_TABLE; i++)
		l2[i] = present ? HV_SLOT_ENTRY : 0;
	if (present)
		hv_fills++;
	else
		hv_clears++;
}

static uint16_t initial_owner(uint32_t mfn)
{
	if (mfn < FIRST_OTHER)
		return DOM;
	if (mfn < FIRST_HV)
		return OTHER;
	if (mfn < FIRST_FREE)
		return OWNER_HV;
	return OWNER_FREE;
}

void machine_init(void)
{
	memset(mem, 0, sizeof(mem));
	for (uint32_t f = 0; f < NR_FRAMES; f++)
		pages[f] = (struct page_info){ .owner = initial_owner(f) };
	ft = (struct frame_table){ .pages = pages,
				   .nr_frames = NR_FRAMES,
				   .table = fake_table,
				   .set_hv_slots = fake_set_hv_slots };
	ft.last_error.table_mfn = FRAME_NONE;
	hv_fills = hv_clears = 0;
}

void expect_pages(const struct page_info *want, const char *when)
{
	for (uint32_t f = 0; f < NR_FRAMES; f++) {
		const struct page_info *w = &want[f], *g = &pages[f];
		ck_assert_msg(w->owner == g->owner && w->type == g->type &&
				      w->type_count == g->type_count &&
				      w->ref_count == g->ref_count,
			      "%s: frame %u is (type %s, type_count %u, ref_count %u), expected "
			      "(type %s, type_count %u, ref_count %u)",
			      when, f, page_type_name(g->type), g->type_count, g->ref_count,
			      page_type_name(w->type), w->type_count, w->ref_count);
	}
}

uint32_t rnd(uint32_t n)
{
	return (uint32_t)rand() % n;
}

unsigned free_index(uint32_t table, unsigned limit)
{
	unsigned i;

	do
		i = rnd(limit);
	while (mem[table][i] != 0);
	return i;
}

unsigned rnd_pde(void)
{
	return KOAN_GUEST_PDE_FIRST + rnd(KOAN_GUEST_PDES - KOAN_GUEST_PDE_FIRST);
}

unsigned free_pde(uint32_t l2)
{
	unsigned i;

	do
		i = rnd_pde();
	while (mem[l2][i] != 0);
	return i;
}
