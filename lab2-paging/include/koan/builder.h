/*
 * The domain builder's plan: where, in a new domain's virtual address
 * space, each thing the builder makes goes. Pure C, unit-tested on the host.
 *
 *   first_va   PFN 0 (the image's start, rounded down to 4 MB)
 *     ...      the ELF image, up to image_end_va
 *   p2m_va     the P2M array, 4 bytes per page
 *   pt_va      the page directory, then the page tables, nr_pt_frames in all
 *   start_info_va  the start-info page
 *   stack_va   one page of stack (the guest's %esp starts at its end)
 *     ...      free for the guest, up to end_va = first_va + nr_pages * 4 KB
 *
 * The whole range is mapped to the domain's own frames, PFN n at
 * first_va + n * 4 KB; the page-table frames read-only (Xen's rule: a guest
 * may read its page tables but only change them through the hypervisor).
 */
#ifndef KOAN_BUILDER_H
#define KOAN_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

struct build_plan {
	uint32_t nr_pages;
	uint32_t first_va;
	uint32_t image_end_va;
	uint32_t p2m_va;
	uint32_t pt_va;
	uint32_t nr_pt_frames; /* the directory and one table per 4 MB mapped */
	uint32_t start_info_va;
	uint32_t stack_va;
	uint32_t end_va;
};

/* Plan a domain of nr_pages frames around the image [image_lo, image_hi).
 * Returns false if it does not fit in that many frames, or below the M2P. */
bool build_plan(uint32_t image_lo, uint32_t image_hi, uint32_t nr_pages, struct build_plan *p);

static inline uint32_t plan_pfn(const struct build_plan *p, uint32_t va)
{
	return (va - p->first_va) >> 12;
}

/* The page-table entry that maps PFN `pfn` (held in machine frame `mfn`). */
uint32_t builder_l1_entry(const struct build_plan *p, uint32_t pfn, uint32_t mfn);

/* Write the directory and page tables of a planned domain whose PFN n is
 * machine frame p2m[n], through table(mfn) (its entries, zeroed); returns
 * the directory's frame. */
uint32_t builder_page_tables(const struct build_plan *p, const uint32_t *p2m,
			     uint32_t *(*table)(uint32_t mfn));

#endif
