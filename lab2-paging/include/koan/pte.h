/* x86-32 page-table entries without PAE (Intel SDM Vol. 3A, 4.3). */
#ifndef KOAN_PTE_H
#define KOAN_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/memory.h>

#define PTE_P 0x001u  /* present */
#define PTE_RW 0x002u /* writable */
#define PTE_US 0x004u /* user (ring 3) may access */
#define PTE_A 0x020u  /* accessed (set by the CPU) */
#define PTE_D 0x040u  /* dirty (set by the CPU) */
#define PTE_PS 0x080u /* in a directory entry: a 4 MB page */
#define PTE_FRAME_MASK 0xFFFFF000u

#define ENTRIES_PER_TABLE 1024u
#define PDE_SHIFT 22
#define PTE_SHIFT 12

static inline uint32_t pte_mfn(uint32_t pte)
{
	return pte >> PTE_SHIFT;
}

static inline uint32_t pte_make(uint32_t mfn, uint32_t flags)
{
	return (mfn << PTE_SHIFT) | flags;
}

static inline unsigned pde_index(uint32_t va)
{
	return va >> PDE_SHIFT;
}

static inline unsigned pte_index(uint32_t va)
{
	return (va >> PTE_SHIFT) & (ENTRIES_PER_TABLE - 1);
}

/* May a guest's directory use entry `index` (public/memory.h)? */
static inline bool guest_pde(unsigned index)
{
	return index >= KOAN_GUEST_PDE_FIRST && index < KOAN_GUEST_PDES;
}

#endif
