/*
 * Machine memory, as the hypervisor manages it from lab 2 on.
 *
 * The hypervisor keeps lab 1's map of the first 64 MB of machine memory at
 * KOAN_HV_START (hv/boot.S); that is all the memory it can reach, so RAM
 * above 64 MB is reported and left unused. Every frame of it has an entry
 * in the frame table; the free ones are in the allocator. The M2P table
 * lives in the hypervisor's data and is mapped read-only for guests:
 *
 *   0xFFFFFFFF +-------------------------------+
 *              | machine memory 0 - 64 MB      |  supervisor, 4 MB pages
 *              |  (hypervisor image at +1 MB,  |  (directory entries 1008-1023:
 *              |   frame table, M2P, ...)      |   in a domain's, all of them or
 *              |                               |   only the trampoline: guard.c)
 *   0xFC000000 +-------------------------------+  KOAN_HV_START
 *              | M2P, read-only, user          |  entry 1007: one page table
 *   0xFBC00000 +-------------------------------+  KOAN_M2P_START
 *              | the domain's own mappings     |  entries 0-1006
 *   0x00000000 +-------------------------------+
 */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/frame_alloc.h>
#include <koan/guard.h>
#include <koan/kstring.h>
#include <koan/paging.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/pte.h>
#include <koan/x86.h>
#include <public/memory.h>

#define MAX_FRAMES (HV_PHYS_MAPPED / KOAN_PAGE_SIZE) /* 16384 */
#define M2P_FRAMES (MAX_FRAMES * 4 / KOAN_PAGE_SIZE) /* 16 */
#define M2P_PDE (KOAN_M2P_START >> PDE_SHIFT)	     /* 1007 */

static struct page_info pages[MAX_FRAMES];
static uint32_t alloc_bitmap[MAX_FRAMES / 32];
static struct frame_allocator allocator;
static uint32_t m2p[MAX_FRAMES] __attribute__((aligned(KOAN_PAGE_SIZE)));
static uint32_t m2p_l1[ENTRIES_PER_TABLE] __attribute__((aligned(KOAN_PAGE_SIZE)));

extern char _end[]; /* hv/hv.ld */

static uint32_t virt_to_phys(const void *p)
{
	return (uint32_t)(uintptr_t)p - KOAN_HV_START;
}

uint32_t *frame_ptr(uint32_t mfn)
{
	return phys_to_virt(mfn << PTE_SHIFT);
}

/* Entries 1007-1023 of every domain's directory: the M2P, read-only and
 * user-readable; then the hypervisor's, supervisor only: all of it, or only
 * its trampoline (the guard's choice, lab 1's hv/guard.c). */
static void set_hv_slots(uint32_t *l2, bool present)
{
	l2[M2P_PDE] = present ? virt_to_phys(m2p_l1) | PTE_P | PTE_US : 0;
	guard_set_hv_slots(l2, present);
}

struct frame_table frame_table = {
	.pages = pages,
	.table = frame_ptr,
	.set_hv_slots = set_hv_slots,
};

static uint32_t round_up_frame(uint64_t addr)
{
	return (uint32_t)((addr + KOAN_PAGE_SIZE - 1) / KOAN_PAGE_SIZE);
}

/* Below this frame, memory is the hypervisor's: its image and the modules. */
static uint32_t first_free_frame(const struct boot_info *bi)
{
	uint32_t first = round_up_frame(virt_to_phys(_end));

	for (int i = 0; i < bi->nr_modules; i++)
		if (round_up_frame(bi->modules[i].end) > first)
			first = round_up_frame(bi->modules[i].end);
	return first;
}

static void add_usable_memory(const struct boot_info *bi, uint32_t first)
{
	uint64_t unmapped = 0;

	for (int i = 0; i < bi->nr_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		uint64_t start = r->base, end = r->base + r->len;
		if (r->type != MMAP_TYPE_RAM)
			continue;
		if (end > HV_PHYS_MAPPED) {
			unmapped += end - (start > HV_PHYS_MAPPED ? start : HV_PHYS_MAPPED);
			end = HV_PHYS_MAPPED;
		}
		uint32_t lo = round_up_frame(start), hi = (uint32_t)(end / KOAN_PAGE_SIZE);
		if (lo < first)
			lo = first;
		if (lo < hi)
			frame_alloc_add_free(&allocator, lo, hi - lo);
	}
	if (unmapped)
		kprintf("paging: %llu KB of RAM above 64 MB is not mapped by the hypervisor: "
			"not used\n",
			(unsigned long long)(unmapped >> 10));
	report("frames-unmapped kb=%llu", (unsigned long long)(unmapped >> 10));
}

void paging_init(const struct boot_info *bi)
{
	frame_table.nr_frames = MAX_FRAMES;
	frame_alloc_init(&allocator, alloc_bitmap, MAX_FRAMES);
	add_usable_memory(bi, first_free_frame(bi));
	for (uint32_t mfn = 0; mfn < MAX_FRAMES; mfn++) {
		pages[mfn] = (struct page_info){
			.owner = frame_is_free(&allocator, mfn) ? OWNER_FREE : OWNER_HV,
		};
		m2p[mfn] = KOAN_INVALID_PFN;
	}
	for (unsigned i = 0; i < M2P_FRAMES; i++)
		m2p_l1[i] = (virt_to_phys(m2p) + i * KOAN_PAGE_SIZE) | PTE_P | PTE_US;
	kprintf("paging: %u free frames (%u KB) for domains\n", allocator.nr_free,
		allocator.nr_free * 4);
	report("frames total=%u free=%u", MAX_FRAMES, allocator.nr_free);
}

uint32_t domain_frame_alloc(uint16_t owner)
{
	uint32_t mfn = frame_alloc(&allocator);

	if (mfn == FRAME_NONE)
		return FRAME_NONE;
	if (mfn >= MAX_FRAMES || pages[mfn].owner != OWNER_FREE)
		panic("the allocator handed out frame 0x%x, which is not free", mfn);
	pages[mfn] = (struct page_info){ .owner = owner };
	/* Zeroed: no domain ever sees what a previous owner left behind. */
	memset(frame_ptr(mfn), 0, KOAN_PAGE_SIZE);
	return mfn;
}

void domain_frame_free(uint32_t mfn)
{
	struct page_info *pg = &pages[mfn];

	if (pg->ref_count || pg->type_count)
		panic("freeing frame 0x%x, still held (refs %u, type refs %u as %s)", mfn,
		      pg->ref_count, pg->type_count, page_type_name((enum page_type)pg->type));
	*pg = (struct page_info){ .owner = OWNER_FREE };
	m2p[mfn] = KOAN_INVALID_PFN;
	if (!frame_free(&allocator, mfn))
		panic("frame 0x%x was freed twice", mfn);
}

uint32_t frames_free(void)
{
	return allocator.nr_free;
}

void m2p_set(uint32_t mfn, uint32_t pfn)
{
	m2p[mfn] = pfn;
}

void switch_to_idle_address_space(void)
{
	guest_address_space_set(0);
}

void report_pt_error(const struct domain *d, const char *what)
{
	const struct pt_error *e = &frame_table.last_error;

	kprintf("[hv] domain %u: %s refused: ", d->id, what);
	if (e->table_mfn != FRAME_NONE)
		kprintf("entry %u (0x%08x) of frame 0x%x ", e->index, e->entry, e->table_mfn);
	else
		kprintf("frame 0x%x ", e->mfn);
	kprintf("%s\n", pt_problem_text(e->problem));
	report("pt-refused dom=%u problem=%s mfn=0x%x what=%s", d->id, pt_problem_name(e->problem),
	       e->mfn, what);
}
