/*
 * The guest kernel's view of its memory from lab 2 on: it knows its frames
 * (the P2M and the M2P) and reads its page tables, which are mapped
 * read-only. Lab 3 lets it change them, through the MMU hypercalls.
 */
#ifndef KOAN_GUEST_MM_H
#define KOAN_GUEST_MM_H

#include <stdint.h>

#include <public/memory.h>

/* The start info, as lab 2 extended it (NULL before lab 2). */
const struct koan_start_info_paging *paging_info(void);

/* Our machine frame behind `va` (in our own range). */
uint32_t va_to_mfn(uint32_t va);

/* Our pseudo-physical frame `pfn`'s virtual address. */
uint32_t pfn_to_va(uint32_t pfn);

/* The machine address of the page-table entry that maps `va` in our
 * current directory, or 0 if no page table covers it. */
uint32_t pte_maddr(uint32_t va);

/* The entry that maps `va` now (0 if none). */
uint32_t pte_read(uint32_t va);

/* A page of our own memory nobody uses (after the stack), or 0. */
uint32_t alloc_page(void);

/* A frame some other domain owns: in the M2P, but not one of ours; 0 if
 * there is none (the tests' way of reaching for another domain). */
uint32_t foreign_frame(void);

#endif
