/*
 * Lab 2, Exercise 3: the rules for page-table and directory entries
 * (check_l1e, check_l2e), on a fake machine of 64 frames. Each test names
 * the attack the rule stops: a guest that could map a frame it does not
 * own, or map one of its page tables writable, could write any mapping it
 * liked and reach the hypervisor or another domain.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <public/memory.h>

#include "fake_machine.h"
#include "koan_test.h"

static uint32_t foreign_frame(void)
{
	return FIRST_OTHER + rnd(NR_FRAMES - FIRST_OTHER);
}

/* A random own frame other than those in `avoid` (n of them). */
static uint32_t own_frame_except(const uint32_t *avoid, int n)
{
	for (;;) {
		uint32_t f = rnd(FIRST_OTHER);
		bool clash = false;
		for (int i = 0; i < n; i++)
			clash |= f == avoid[i];
		if (!clash)
			return f;
	}
}

/* A non-present entry with junk in its other bits: it maps nothing, even
 * when its frame bits name one of the domain's frames. */
static uint32_t junk_not_present(void)
{
	uint32_t v = ((uint32_t)rand() << 16) ^ (uint32_t)rand();
	if (rand() % 2)
		v = (v & 0xFFFu) | (uint32_t)(rand() % FIRST_OTHER) << 12;
	return (v | 0x400u) & ~PTE_P;
}

static void expect_error(enum pt_problem problem, uint32_t table_mfn, unsigned index,
			 const char *what)
{
	const struct pt_error *e = &ft.last_error;

	ck_assert_msg(e->problem == problem, "%s: last_error says %s, expected %s", what,
		      pt_problem_text(e->problem), pt_problem_text(problem));
	ck_assert_msg(
		e->table_mfn == table_mfn && e->index == index,
		"%s: last_error points at entry %u of frame %u, expected entry %u of frame %u",
		what, e->index, e->table_mfn, index, table_mfn);
}

KTEST(lab2_l1e_writable)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	memcpy(initial, pages, sizeof(initial));
	uint32_t d = rnd(FIRST_OTHER);
	uint32_t rw = pte_make(d, PTE_P | PTE_RW | PTE_US | (rnd(2) ? PTE_A | PTE_D : 0));
	uint32_t ro = pte_make(d, PTE_P | PTE_US);

	for (int k = 1; k <= 2; k++) {
		ck_assert_msg(check_l1e(&ft, rw, DOM),
			      "a writable mapping of an own frame refused: %s",
			      pt_problem_text(ft.last_error.problem));
		ck_assert_msg(pages[d].ref_count == (uint32_t)k && pages[d].type == PGT_WRITABLE &&
				      pages[d].type_count == (uint32_t)k,
			      "after %d writable mapping(s), the frame has type %s, type_count %u, "
			      "ref_count %u (expected writable, %d, %d)",
			      k, page_type_name(pages[d].type), pages[d].type_count,
			      pages[d].ref_count, k, k);
	}
	/* Mapped writable, the frame can no longer become a page table. */
	ck_assert_msg(!get_page_type(&ft, d, PGT_L1, DOM), "a frame mapped writable became an L1");
	put_l1e(&ft, rw);
	put_l1e(&ft, rw);
	expect_pages(initial, "after put_l1e of both writable mappings");

	ck_assert_msg(check_l1e(&ft, ro, DOM), "a read-only mapping of an own frame refused: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_msg(pages[d].ref_count == 1 && pages[d].type_count == 0,
		      "a read-only mapping: ref_count %u, type_count %u (expected 1, 0)",
		      pages[d].ref_count, pages[d].type_count);
	put_l1e(&ft, ro);
	expect_pages(initial, "after put_l1e of the read-only mapping");

	for (int k = 0; k < 100; k++) {
		uint32_t junk = junk_not_present();
		ck_assert_msg(check_l1e(&ft, junk, DOM), "a non-present entry %#x refused", junk);
	}
	expect_pages(initial, "after non-present entries");
}

KTEST(lab2_l1e_not_owner)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	memcpy(initial, pages, sizeof(initial));
	uint32_t own = rnd(FIRST_OTHER);
	ck_assert_msg(check_l1e(&ft, pte_make(own, PTE_P | PTE_US), DOM),
		      "a mapping of an own frame refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_l1e(&ft, pte_make(own, PTE_P | PTE_US));

	/* Another domain's frame, the hypervisor's, a free one; read-only or not. */
	uint32_t victims[] = { FIRST_OTHER + rnd(8), FIRST_HV + rnd(8), FIRST_FREE + rnd(8) };
	for (int v = 0; v < 3; v++) {
		for (int w = 0; w < 2; w++) {
			uint32_t e = pte_make(victims[v], PTE_P | PTE_US | (w ? PTE_RW : 0));
			ck_assert_msg(!check_l1e(&ft, e, DOM),
				      "domain %u mapped frame %u, owned by %#x (entry %#x)", DOM,
				      victims[v], pages[victims[v]].owner, e);
			ck_assert_msg(ft.last_error.problem == PT_NOT_OWNER,
				      "frame %u of owner %#x: expected PT_NOT_OWNER, got %s",
				      victims[v], pages[victims[v]].owner,
				      pt_problem_text(ft.last_error.problem));
			expect_pages(initial, "after a refused entry");
		}
	}

	/* The same in a table: the good entries before it are given back. */
	uint32_t l1 = rnd(FIRST_OTHER);
	for (int k = 0; k < 20; k++) {
		unsigned i = free_index(l1, 512);
		mem[l1][i] =
			pte_make(own_frame_except(&l1, 1), PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
	}
	uint32_t hv = FIRST_HV + rnd(8);
	unsigned bad = 512 + rnd(512);
	mem[l1][bad] = pte_make(hv, PTE_P | PTE_US);
	ck_assert_msg(!get_page_type(&ft, l1, PGT_L1, DOM),
		      "an L1 mapping the hypervisor's frame %u was accepted", hv);
	expect_error(PT_NOT_OWNER, l1, bad, "an L1 mapping a hypervisor frame");
	ck_assert_uint_eq(ft.last_error.mfn, hv);
	expect_pages(initial, "after a refused L1");
}

KTEST(lab2_l1e_bad_frame)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	memcpy(initial, pages, sizeof(initial));
	uint32_t own = rnd(FIRST_OTHER);
	ck_assert_msg(check_l1e(&ft, pte_make(own, PTE_P | PTE_RW | PTE_US), DOM),
		      "a mapping of an own frame refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_l1e(&ft, pte_make(own, PTE_P | PTE_RW | PTE_US));

	uint32_t beyond[] = { NR_FRAMES, NR_FRAMES + 1 + rnd(10000), 0xFFFFFu };
	for (int k = 0; k < 3; k++) {
		for (int w = 0; w < 2; w++) {
			uint32_t e = pte_make(beyond[k], PTE_P | PTE_US | (w ? PTE_RW : 0));
			ck_assert_msg(!check_l1e(&ft, e, DOM),
				      "entry %#x maps frame %u; the machine has %u frames", e,
				      beyond[k], NR_FRAMES);
			/* README, Exercise 3: beyond the table is PT_BAD_FRAME. */
			ck_assert_msg(ft.last_error.problem == PT_BAD_FRAME,
				      "a frame beyond the table: expected PT_BAD_FRAME, got %s",
				      pt_problem_text(ft.last_error.problem));
			expect_pages(initial, "after a refused entry");
		}
	}
	uint32_t l1 = rnd(FIRST_OTHER);
	unsigned i = rnd(ENTRIES_PER_TABLE);
	mem[l1][i] = pte_make(NR_FRAMES + rnd(100), PTE_P | PTE_US);
	ck_assert_msg(!get_page_type(&ft, l1, PGT_L1, DOM),
		      "an L1 mapping a frame beyond the table was accepted");
	ck_assert_msg(ft.last_error.table_mfn == l1 && ft.last_error.index == i,
		      "last_error points at entry %u of frame %u, expected entry %u of frame %u",
		      ft.last_error.index, ft.last_error.table_mfn, i, l1);
	expect_pages(initial, "after a refused L1");
}

KTEST(lab2_l1_self_writable)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l1 = rnd(FIRST_OTHER);
	for (int k = 0; k < 20; k++) {
		unsigned i = free_index(l1, 512);
		mem[l1][i] =
			pte_make(own_frame_except(&l1, 1), PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
	}
	memcpy(initial, pages, sizeof(initial));
	ck_assert_msg(get_page_type(&ft, l1, PGT_L1, DOM), "a valid L1 refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_page_type(&ft, l1);
	expect_pages(initial, "after validating and dropping a valid L1");

	/* The table maps itself writable: the guest could then write any PTE. */
	unsigned self = 512 + rnd(512);
	mem[l1][self] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	ck_assert_msg(!get_page_type(&ft, l1, PGT_L1, DOM),
		      "an L1 that maps itself writable was accepted");
	expect_error(PT_TYPE_CONFLICT, l1, self, "an L1 mapping itself writable");
	ck_assert_uint_eq(ft.last_error.entry, mem[l1][self]);
	ck_assert_uint_eq(ft.last_error.mfn, l1);
	expect_pages(initial, "after refusing an L1 that maps itself writable");
}

KTEST(lab2_l1_self_readonly)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l1 = rnd(FIRST_OTHER);
	unsigned self = rnd(ENTRIES_PER_TABLE);
	mem[l1][self] = pte_make(l1, PTE_P | PTE_US);
	memcpy(initial, pages, sizeof(initial));

	ck_assert_msg(
		get_page_type(&ft, l1, PGT_L1, DOM),
		"an L1 that maps itself read-only was refused: %s (the guest may read its tables)",
		pt_problem_text(ft.last_error.problem));
	ck_assert_msg(pages[l1].type == PGT_L1 && pages[l1].type_count == 1 &&
			      pages[l1].ref_count == 1,
		      "the L1 has type %s, type_count %u, ref_count %u (expected L1, 1, 1)",
		      page_type_name(pages[l1].type), pages[l1].type_count, pages[l1].ref_count);
	put_page_type(&ft, l1);
	expect_pages(initial, "after dropping the L1");
}

KTEST(lab2_l2_l1_maps_l2_writable)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l2 = rnd(FIRST_OTHER);
	uint32_t l1 = own_frame_except(&l2, 1);
	unsigned i = rnd_pde(), j = rnd(ENTRIES_PER_TABLE);
	mem[l2][i] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	mem[l1][j] = pte_make(l2, PTE_P | PTE_US);
	memcpy(initial, pages, sizeof(initial));

	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM),
		      "a directory whose L1 maps it read-only was refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_page_type(&ft, l2);
	expect_pages(initial, "after validating and dropping the directory");

	mem[l1][j] |= PTE_RW;
	ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
		      "a directory whose L1 maps the directory writable was accepted");
	expect_error(PT_TYPE_CONFLICT, l1, j, "an L1 mapping its directory writable");
	ck_assert_uint_eq(ft.last_error.mfn, l2);
	expect_pages(initial, "after refusing the directory");
}

KTEST(lab2_l2_self_reference)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l2 = rnd(FIRST_OTHER);
	uint32_t l1 = own_frame_except(&l2, 1);
	unsigned i = rnd_pde();
	mem[l2][i] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	memcpy(initial, pages, sizeof(initial));
	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM), "a valid directory refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_page_type(&ft, l2);
	expect_pages(initial, "after validating and dropping a valid directory");

	/* The directory as its own page table: its entries would be PTEs, and
	 * the one that maps it would let the guest write them. */
	for (int w = 0; w < 2; w++) {
		mem[l2][i] = pte_make(l2, PTE_P | PTE_US | (w ? PTE_RW : 0));
		ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
			      "a directory used as its own page table was accepted");
		expect_error(PT_TYPE_CONFLICT, l2, i, "a directory pointing at itself");
		expect_pages(initial, "after refusing a self-referencing directory");
	}
}

KTEST(lab2_l2e_hv_slot)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l2 = rnd(FIRST_OTHER);
	uint32_t l1 = own_frame_except(&l2, 1);
	mem[l2][KOAN_GUEST_PDES - 1] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	memcpy(initial, pages, sizeof(initial));
	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM), "a directory using entry %u refused: %s",
		      KOAN_GUEST_PDES - 1, pt_problem_text(ft.last_error.problem));
	put_page_type(&ft, l2);
	expect_pages(initial, "after validating and dropping the directory");

	/* Entries 1007.. are the M2P and the hypervisor: a guest entry there
	 * would map its own table over them. Entry 0 (the first 4 MB) stays
	 * empty: nothing may run in virtual-8086 mode's addresses. */
	unsigned slots[] = { 0, KOAN_GUEST_PDES, ENTRIES_PER_TABLE - 1,
			     KOAN_GUEST_PDES + rnd(ENTRIES_PER_TABLE - KOAN_GUEST_PDES) };
	for (int s = 0; s < 4; s++) {
		uint32_t other_l1 = own_frame_except((uint32_t[]){ l2, l1 }, 2);
		uint32_t e = pte_make(other_l1, PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
		ck_assert_msg(!check_l2e(&ft, slots[s], e, DOM), "check_l2e accepted entry %u",
			      slots[s]);
		ck_assert_msg(ft.last_error.problem == PT_HV_SLOT,
			      "entry %u: expected PT_HV_SLOT, got %s", slots[s],
			      pt_problem_text(ft.last_error.problem));
		ck_assert_msg(check_l2e(&ft, slots[s], 0, DOM), "an empty entry %u was refused",
			      slots[s]);
		expect_pages(initial, "after check_l2e in a hypervisor slot");

		mem[l2][slots[s]] = e;
		ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
			      "a directory with a present entry %u was accepted", slots[s]);
		expect_error(PT_HV_SLOT, l2, slots[s], "a present hypervisor slot");
		expect_pages(initial, "after refusing the directory");
		mem[l2][slots[s]] = 0;
	}
}

/* A directory entry naming a frame beyond the frame table: PT_BAD_FRAME,
 * and nothing taken. */
KTEST(lab2_l2e_bad_frame)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	memcpy(initial, pages, sizeof(initial));
	uint32_t beyond[] = { NR_FRAMES, NR_FRAMES + 1 + rnd(10000), 0xFFFFFu };
	for (int k = 0; k < 3; k++) {
		unsigned index = 1 + rnd(KOAN_GUEST_PDES - 1);
		uint32_t e = pte_make(beyond[k], PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
		ck_assert_msg(!check_l2e(&ft, index, e, DOM),
			      "directory entry %u names frame %u; the machine has %u frames", index,
			      beyond[k], NR_FRAMES);
		ck_assert_msg(ft.last_error.problem == PT_BAD_FRAME,
			      "a directory entry beyond the table: expected PT_BAD_FRAME, got %s",
			      pt_problem_text(ft.last_error.problem));
		expect_pages(initial, "after refusing a directory entry beyond the table");
	}
}

KTEST(lab2_l2e_large_page)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l2 = rnd(FIRST_OTHER);
	uint32_t l1 = own_frame_except(&l2, 1);
	unsigned i = rnd_pde();
	mem[l2][i] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	memcpy(initial, pages, sizeof(initial));
	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM), "a valid directory refused: %s",
		      pt_problem_text(ft.last_error.problem));
	put_page_type(&ft, l2);

	/* A 4 MB page from frame 0 would map 1024 frames, most not the guest's. */
	uint32_t e = pte_make(0, PTE_P | PTE_RW | PTE_US | PTE_PS);
	ck_assert_msg(!check_l2e(&ft, i, e, DOM), "check_l2e accepted a 4 MB page");
	ck_assert_msg(ft.last_error.problem == PT_LARGE_PAGE, "expected PT_LARGE_PAGE, got %s",
		      pt_problem_text(ft.last_error.problem));
	expect_pages(initial, "after check_l2e of a 4 MB page");

	unsigned j;
	do
		j = rnd_pde();
	while (j == i);
	mem[l2][j] = pte_make(l1, PTE_P | PTE_US | PTE_PS);
	ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
		      "a directory with a 4 MB page was accepted");
	expect_error(PT_LARGE_PAGE, l2, j, "a 4 MB page");
	expect_pages(initial, "after refusing the directory");
}

KTEST(lab2_l2e_writable_frame)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l2 = rnd(FIRST_OTHER);
	uint32_t l1 = own_frame_except(&l2, 1);
	unsigned i = rnd_pde();
	mem[l2][i] = pte_make(l1, PTE_P | PTE_RW | PTE_US);

	/* Somewhere the frame is mapped writable: it must not become a table. */
	ck_assert_msg(get_page_type(&ft, l1, PGT_WRITABLE, DOM),
		      "get_page_type(writable) refused: %s",
		      pt_problem_text(ft.last_error.problem));
	memcpy(initial, pages, sizeof(initial));
	ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
		      "a directory entry pointing at a frame mapped writable was accepted");
	expect_error(PT_TYPE_CONFLICT, l2, i, "a directory entry to a writable frame");
	expect_pages(initial, "after refusing the directory");

	put_page_type(&ft, l1);
	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM),
		      "once no longer writable, the frame should validate as an L1: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_uint_eq(pages[l1].type, PGT_L1);
}

KTEST(lab2_shared_l1)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t a = rnd(FIRST_OTHER);
	uint32_t b = own_frame_except(&a, 1);
	uint32_t l1 = own_frame_except((uint32_t[]){ a, b }, 2);
	uint32_t d = own_frame_except((uint32_t[]){ a, b, l1 }, 3);
	unsigned j = rnd(ENTRIES_PER_TABLE);
	mem[a][rnd_pde()] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	mem[b][rnd_pde()] = pte_make(l1, PTE_P | PTE_RW | PTE_US);
	mem[l1][j] = pte_make(d, PTE_P | PTE_RW | PTE_US);
	memcpy(initial, pages, sizeof(initial));

	ck_assert_msg(get_page_type(&ft, a, PGT_L2, DOM), "the first directory refused: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_msg(get_page_type(&ft, b, PGT_L2, DOM),
		      "a second directory sharing the L1 refused: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_msg(pages[l1].type == PGT_L1 && pages[l1].type_count == 2 &&
			      pages[l1].ref_count == 2,
		      "the shared L1 has type %s, type_count %u, ref_count %u (expected L1, 2, 2)",
		      page_type_name(pages[l1].type), pages[l1].type_count, pages[l1].ref_count);
	ck_assert_msg(
		pages[d].type_count == 1 && pages[d].ref_count == 1,
		"the frame the shared L1 maps has type_count %u, ref_count %u: the L1 must be "
		"validated once (expected 1, 1)",
		pages[d].type_count, pages[d].ref_count);
	put_page_type(&ft, a);
	ck_assert_msg(
		pages[l1].type_count == 1 && pages[d].type_count == 1 && pages[d].ref_count == 1,
		"one directory dropped: the L1 (type_count %u) must stay validated for the other",
		pages[l1].type_count);
	put_page_type(&ft, b);
	expect_pages(initial, "after dropping both directories");
}

/* ---- Random address spaces: a directory, a few L1s, data frames. */
#define MAX_L1 5

struct layout {
	uint32_t l2;
	uint32_t l1[MAX_L1];
	unsigned nl1;
	uint32_t data[FIRST_OTHER];
	unsigned ndata;
};

static void random_layout(struct layout *lo)
{
	uint32_t f[FIRST_OTHER];

	for (uint32_t i = 0; i < FIRST_OTHER; i++)
		f[i] = i;
	for (uint32_t i = FIRST_OTHER - 1; i > 0; i--) {
		uint32_t k = rnd(i + 1), t = f[i];
		f[i] = f[k];
		f[k] = t;
	}
	lo->l2 = f[0];
	lo->nl1 = 1 + rnd(MAX_L1);
	for (unsigned k = 0; k < lo->nl1; k++)
		lo->l1[k] = f[1 + k];
	lo->ndata = FIRST_OTHER - 1 - lo->nl1;
	for (unsigned k = 0; k < lo->ndata; k++)
		lo->data[k] = f[1 + lo->nl1 + k];

	/* Directory entries: every L1 at least once, some twice. */
	unsigned nent = lo->nl1 + rnd(4);
	for (unsigned k = 0; k < nent; k++) {
		uint32_t target = k < lo->nl1 ? lo->l1[k] : lo->l1[rnd(lo->nl1)];
		mem[lo->l2][free_pde(lo->l2)] =
			pte_make(target, PTE_P | (rnd(4) ? PTE_RW : 0) | (rnd(4) ? PTE_US : 0) |
						 (rnd(2) ? PTE_A : 0));
	}
	for (unsigned k = rnd(4); k > 0; k--)
		mem[lo->l2][free_pde(lo->l2)] = junk_not_present();

	/* Page tables: data frames mapped any way, tables read-only. */
	for (unsigned t = 0; t < lo->nl1; t++) {
		uint32_t l1 = lo->l1[t];
		for (unsigned k = rnd(25); k > 0; k--) {
			uint32_t e;
			if (rnd(10) < 7) {
				e = pte_make(lo->data[rnd(lo->ndata)],
					     PTE_P | (rnd(2) ? PTE_RW : 0) | (rnd(4) ? PTE_US : 0) |
						     (rnd(2) ? PTE_A | PTE_D : 0));
			} else {
				uint32_t table =
					rnd(lo->nl1 + 1) == 0 ? lo->l2 : lo->l1[rnd(lo->nl1)];
				e = pte_make(table,
					     PTE_P | (rnd(4) ? PTE_US : 0) | (rnd(2) ? PTE_A : 0));
			}
			mem[l1][free_index(l1, ENTRIES_PER_TABLE)] = e;
		}
		for (unsigned k = rnd(4); k > 0; k--)
			mem[l1][free_index(l1, ENTRIES_PER_TABLE)] = junk_not_present();
	}
}

/* What the counts must be once the directory is validated, computed from
 * the entries: each present entry is one reference on its frame, each
 * writable one a writable type reference, each directory entry an L1
 * type reference; an L1 listed twice is validated once. */
static void expected_counts(const struct layout *lo, struct page_info *exp)
{
	bool seen[NR_FRAMES] = { false };

	memcpy(exp, pages, sizeof(pages));
	exp[lo->l2].type = PGT_L2;
	exp[lo->l2].type_count = 1;
	for (unsigned i = 0; i < KOAN_GUEST_PDES; i++) {
		uint32_t e = mem[lo->l2][i];
		if (!(e & PTE_P))
			continue;
		uint32_t l1 = pte_mfn(e);
		exp[l1].ref_count++;
		exp[l1].type = PGT_L1;
		exp[l1].type_count++;
		if (seen[l1])
			continue;
		seen[l1] = true;
		for (unsigned j = 0; j < ENTRIES_PER_TABLE; j++) {
			uint32_t x = mem[l1][j];
			if (!(x & PTE_P))
				continue;
			exp[pte_mfn(x)].ref_count++;
			if (x & PTE_RW) {
				exp[pte_mfn(x)].type = PGT_WRITABLE;
				exp[pte_mfn(x)].type_count++;
			}
		}
	}
}

KTEST(lab2_validate_counts)
{
	static uint32_t saved[NR_FRAMES][ENTRIES_PER_TABLE];
	struct page_info exp[NR_FRAMES];
	struct layout lo;

	srand((unsigned)getpid());
	for (int round = 0; round < 100; round++) {
		machine_init();
		random_layout(&lo);
		expected_counts(&lo, exp);
		memcpy(saved, mem, sizeof(mem));
		ck_assert_msg(get_page_type(&ft, lo.l2, PGT_L2, DOM),
			      "round %d: a valid directory was refused: %s (entry %u of frame %u)",
			      round, pt_problem_text(ft.last_error.problem), ft.last_error.index,
			      ft.last_error.table_mfn);
		expect_pages(exp, "after validating a directory");
		ck_assert_msg(hv_fills == 1, "set_hv_slots(l2, true) called %d times", hv_fills);
		for (unsigned i = KOAN_GUEST_PDES; i < ENTRIES_PER_TABLE; i++)
			ck_assert_msg(mem[lo.l2][i] == HV_SLOT_ENTRY,
				      "entry %u of the validated directory is not the hypervisor's",
				      i);
		for (uint32_t f = 0; f < NR_FRAMES; f++)
			ck_assert_msg(memcmp(saved[f], mem[f],
					     (f == lo.l2 ? KOAN_GUEST_PDES : ENTRIES_PER_TABLE) *
						     sizeof(uint32_t)) == 0,
				      "validation changed the entries of frame %u", f);
	}
}

KTEST(lab2_put_restores)
{
	static uint32_t saved[NR_FRAMES][ENTRIES_PER_TABLE];
	struct page_info initial[NR_FRAMES], exp[NR_FRAMES];
	struct layout lo;

	srand((unsigned)getpid());
	for (int round = 0; round < 100; round++) {
		machine_init();
		random_layout(&lo);
		/* Someone else holds every frame too (a pin, %cr3, another
		 * table): a reference given back twice shows, not clamped at 0. */
		for (uint32_t f = 0; f < FIRST_OTHER; f++)
			ck_assert(get_page(&ft, f, DOM));
		for (unsigned k = 0; k < lo.ndata; k++)
			ck_assert(get_page_type(&ft, lo.data[k], PGT_WRITABLE, DOM));
		/* A data frame right after a table starts with what looks like an
		 * entry: a table has 1024 entries, not one more. */
		for (unsigned k = 0; k < lo.ndata; k++) {
			uint32_t f = lo.data[k];
			bool after_table = f > 0 && f - 1 == lo.l2;
			for (unsigned t = 0; t < lo.nl1; t++)
				after_table = after_table || (f > 0 && f - 1 == lo.l1[t]);
			if (after_table)
				mem[f][0] =
					pte_make(lo.data[rnd(lo.ndata)], PTE_P | PTE_RW | PTE_US);
		}
		memcpy(initial, pages, sizeof(initial));
		memcpy(saved, mem, sizeof(mem));
		expected_counts(&lo, exp);
		for (int again = 0; again < 2; again++) {
			ck_assert_msg(get_page_type(&ft, lo.l2, PGT_L2, DOM),
				      "round %d: a valid directory was refused (time %d): %s",
				      round, again + 1, pt_problem_text(ft.last_error.problem));
			expect_pages(exp, "after validating a directory");
			put_page_type(&ft, lo.l2);
			expect_pages(initial, "after put_page_type of the directory");
			ck_assert_msg(hv_clears == again + 1,
				      "set_hv_slots(l2, false) called %d times", hv_clears);
			ck_assert_msg(
				memcmp(saved, mem, sizeof(mem)) == 0,
				"after put_page_type, the tables differ from before validation "
				"(are the hypervisor slots cleared?)");
		}
	}
}

enum bad_kind {
	BAD_FOREIGN,   /* an L1 maps someone else's frame */
	BAD_BEYOND,    /* an L1 maps a frame that does not exist */
	BAD_L2_RW,     /* an L1 maps the directory writable */
	BAD_SELF_RW,   /* an L1 maps itself writable */
	BAD_L1_RW,     /* an L1 maps an L1 writable */
	BAD_LARGE,     /* a 4 MB directory entry */
	BAD_HV_SLOT,   /* a directory entry in the hypervisor's slots */
	BAD_DATA_L1,   /* a directory entry to a frame also mapped writable */
	BAD_L2E_OTHER, /* a directory entry to someone else's frame */
	BAD_KINDS
};

/* Add one bad entry to a valid layout; the L1 it is in, or the directory. */
static uint32_t add_bad(const struct layout *lo, enum bad_kind kind, unsigned *index)
{
	uint32_t l1 = lo->l1[rnd(lo->nl1)];
	uint32_t table = l1, e;

	switch (kind) {
	case BAD_FOREIGN:
		e = pte_make(foreign_frame(), PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
		break;
	case BAD_BEYOND:
		e = pte_make(NR_FRAMES + rnd(0x1000), PTE_P | PTE_US | (rnd(2) ? PTE_RW : 0));
		break;
	case BAD_L2_RW: e = pte_make(lo->l2, PTE_P | PTE_RW | PTE_US); break;
	case BAD_SELF_RW: e = pte_make(l1, PTE_P | PTE_RW | PTE_US); break;
	case BAD_L1_RW: e = pte_make(lo->l1[rnd(lo->nl1)], PTE_P | PTE_RW | PTE_US); break;
	case BAD_LARGE:
		table = lo->l2;
		e = pte_make(lo->data[rnd(lo->ndata)], PTE_P | PTE_RW | PTE_US | PTE_PS);
		break;
	case BAD_HV_SLOT:
		*index = rnd(4) ? KOAN_GUEST_PDES + rnd(ENTRIES_PER_TABLE - KOAN_GUEST_PDES) : 0;
		mem[lo->l2][*index] = pte_make(lo->l1[rnd(lo->nl1)], PTE_P | PTE_RW | PTE_US);
		return lo->l2;
	case BAD_DATA_L1: {
		uint32_t d = lo->data[rnd(lo->ndata)];
		mem[l1][free_index(l1, ENTRIES_PER_TABLE)] = pte_make(d, PTE_P | PTE_RW | PTE_US);
		table = lo->l2;
		e = pte_make(d, PTE_P | PTE_RW | PTE_US);
		break;
	}
	default:
		table = lo->l2;
		e = pte_make(foreign_frame(), PTE_P | PTE_RW | PTE_US);
		break;
	}
	*index = table == lo->l2 ? free_pde(table) : free_index(table, ENTRIES_PER_TABLE);
	mem[table][*index] = e;
	return table;
}

KTEST(lab2_failed_validation_unchanged)
{
	static uint32_t saved[NR_FRAMES][ENTRIES_PER_TABLE];
	struct page_info initial[NR_FRAMES];
	struct layout lo;

	srand((unsigned)getpid());
	for (int round = 0; round < 300; round++) {
		machine_init();
		random_layout(&lo);
		memcpy(initial, pages, sizeof(initial));
		ck_assert_msg(get_page_type(&ft, lo.l2, PGT_L2, DOM),
			      "round %d: a valid directory refused: %s", round,
			      pt_problem_text(ft.last_error.problem));
		put_page_type(&ft, lo.l2);
		expect_pages(initial, "after validating and dropping a valid directory");

		enum bad_kind kind = (enum bad_kind)(round % BAD_KINDS);
		unsigned index;
		add_bad(&lo, kind, &index);
		memcpy(saved, mem, sizeof(mem));
		ck_assert_msg(!get_page_type(&ft, lo.l2, PGT_L2, DOM),
			      "round %d: a directory with a bad entry (kind %d) was accepted",
			      round, kind);
		ck_assert_msg(ft.last_error.problem != PT_OK && ft.last_error.problem != PT_TODO,
			      "round %d: refused, but last_error says %s", round,
			      pt_problem_text(ft.last_error.problem));
		expect_pages(initial,
			     "after a failed validation (the references taken before the bad "
			     "entry must be given back)");
		ck_assert_msg(memcmp(saved, mem, sizeof(mem)) == 0,
			      "a failed validation changed the tables");
	}
}

KTEST(lab2_nested_error_location)
{
	struct page_info initial[NR_FRAMES];
	struct layout lo;
	static const enum bad_kind kinds[] = { BAD_FOREIGN, BAD_L2_RW, BAD_SELF_RW };
	static const enum pt_problem problems[] = { PT_NOT_OWNER, PT_TYPE_CONFLICT,
						    PT_TYPE_CONFLICT };

	srand((unsigned)getpid());
	for (int round = 0; round < 60; round++) {
		machine_init();
		random_layout(&lo);
		memcpy(initial, pages, sizeof(initial));
		ck_assert_msg(get_page_type(&ft, lo.l2, PGT_L2, DOM),
			      "round %d: a valid directory refused: %s", round,
			      pt_problem_text(ft.last_error.problem));
		put_page_type(&ft, lo.l2);
		expect_pages(initial, "after validating and dropping a valid directory");
		unsigned index;
		int k = round % 3;
		uint32_t table = add_bad(&lo, kinds[k], &index);
		ck_assert_msg(!get_page_type(&ft, lo.l2, PGT_L2, DOM),
			      "round %d: a directory with a bad entry in an L1 was accepted",
			      round);
		/* Not the directory's entry that led there: the L1's own entry. */
		expect_error(problems[k], table, index, "a bad entry in an L1 under the directory");
		ck_assert_uint_eq(ft.last_error.entry, mem[table][index]);
		ck_assert_uint_eq(ft.last_error.mfn, pte_mfn(mem[table][index]));
		expect_pages(initial, "after the failed validation");
	}
}
