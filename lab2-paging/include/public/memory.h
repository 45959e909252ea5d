/*
 * Koan public ABI, lab 2: direct paging.
 *
 * As in Xen (the paper, sections 2.1.1 and 3.3.4), a guest sees *machine* frame numbers
 * (MFNs) and builds its page tables from them; it keeps its own table from
 * its pseudo-physical frame numbers (PFNs, 0 .. nr_pages - 1) to MFNs, the
 * P2M. The hypervisor publishes the reverse table, machine to physical
 * (M2P), read-only in every address space at KOAN_M2P_START:
 * m2p[mfn] is the PFN that frame has in its owner, or KOAN_INVALID_PFN.
 *
 * A domain's page directory may use entries KOAN_GUEST_PDE_FIRST ..
 * KOAN_GUEST_PDES - 1 only. Entry 0 (the first 4 MB) stays empty: a NULL
 * pointer always faults, and so does virtual-8086 mode, whose addresses all
 * lie below 1 MB + 64 KB (a guest can reach that mode under QEMU's TCG, and
 * nothing may run there). Entry 1007 maps the M2P and entries 1008 .. 1023
 * the hypervisor; those are the hypervisor's to fill. Entries outside the
 * guest's range must be empty in a directory a guest hands over.
 *
 * Stable from ABI version 2 on.
 */
#ifndef KOAN_PUBLIC_MEMORY_H
#define KOAN_PUBLIC_MEMORY_H

#include <stdint.h>

#include <public/start_info.h>

#define KOAN_PAGE_SIZE 4096u
#define KOAN_M2P_START 0xFBC00000u /* 4 MB below KOAN_HV_START */
#define KOAN_GUEST_PDE_FIRST 1u	   /* the first page-directory entry a guest may use */
#define KOAN_GUEST_PDES 1007u	   /* ... and one past the last */
#define KOAN_INVALID_PFN 0xFFFFFFFFu

#define KOAN_START_INFO_VERSION_PAGING 2u

/*
 * From lab 2 on, the start info continues with these fields (version 2).
 * The domain's memory is mapped contiguously from first_va: PFN n at
 * first_va + n * 4096. In that range, in this order: the ELF image, the P2M
 * array, the page tables (directory first), the start info, the stack.
 */
struct koan_start_info_paging {
	struct koan_start_info base; /* version = KOAN_START_INFO_VERSION_PAGING */
	uint32_t nr_pages;	     /* OUT: frames the domain owns */
	uint32_t first_va;	     /* OUT: virtual address of PFN 0 */
	uint32_t mfn_list;	     /* OUT: virtual address of the P2M: mfn_list[pfn] = mfn */
	uint32_t pt_base;	     /* OUT: virtual address of the page directory */
	uint32_t nr_pt_frames;	     /* OUT: page-table frames, the directory included */
};

_Static_assert(sizeof(struct koan_start_info_paging) == sizeof(struct koan_start_info) + 20,
	       "start_info layout is ABI: fields only added at the end");

#endif
