/* The guest kernel's memory helpers (mm.h). */
#include <koan/pte.h>

#include "guest.h"
#include "mm.h"

static const uint32_t *const m2p = (const uint32_t *)KOAN_M2P_START;
static uint32_t next_free;

const struct koan_start_info_paging *paging_info(void)
{
	if (start_info->version < KOAN_START_INFO_VERSION_PAGING)
		return 0;
	return (const struct koan_start_info_paging *)start_info;
}

uint32_t va_to_mfn(uint32_t va)
{
	const struct koan_start_info_paging *si = paging_info();
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;

	return p2m[(va - si->first_va) / KOAN_PAGE_SIZE];
}

uint32_t pfn_to_va(uint32_t pfn)
{
	return paging_info()->first_va + pfn * KOAN_PAGE_SIZE;
}

/* Our current directory, from %cr3... which we may not read: from the P2M
 * of the directory the builder made. (Lab 3 guests that switch directories
 * keep track of their own.) */
static const uint32_t *directory(void)
{
	return (const uint32_t *)paging_info()->pt_base;
}

uint32_t pte_maddr(uint32_t va)
{
	uint32_t pde = directory()[pde_index(va)];

	if (!(pde & PTE_P) || (pde & PTE_PS))
		return 0;
	return (pde & PTE_FRAME_MASK) + pte_index(va) * 4;
}

uint32_t pte_read(uint32_t va)
{
	uint32_t maddr = pte_maddr(va);

	if (!maddr)
		return 0;
	/* The page table is one of our frames: find where we map it. */
	const uint32_t *table = (const uint32_t *)pfn_to_va(m2p[maddr >> PTE_SHIFT]);
	return table[pte_index(va)];
}

uint32_t alloc_page(void)
{
	const struct koan_start_info_paging *si = paging_info();
	uint32_t end = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	/* The builder's stack page is the one after the start info. */
	uint32_t first = (uint32_t)(uintptr_t)si + 2 * KOAN_PAGE_SIZE;

	if (next_free == 0)
		next_free = first;
	if (next_free >= end)
		return 0;
	next_free += KOAN_PAGE_SIZE;
	return next_free - KOAN_PAGE_SIZE;
}

uint32_t foreign_frame(void)
{
	const struct koan_start_info_paging *si = paging_info();
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;

	for (uint32_t mfn = 0; mfn < (64u << 20) / KOAN_PAGE_SIZE; mfn++) {
		uint32_t pfn = m2p[mfn];
		if (pfn != KOAN_INVALID_PFN && (pfn >= si->nr_pages || p2m[pfn] != mfn))
			return mfn;
	}
	return 0;
}
