/*
 * Machine memory from lab 2 on: the frame allocator, the frame table and
 * the M2P, set up at boot (hv/paging.c), and what the memory model and the
 * %cr3 emulation need of them.
 */
#ifndef KOAN_PAGING_H
#define KOAN_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/frametab.h>
#include <koan/multiboot.h>

struct domain;

extern struct frame_table frame_table;

void paging_init(const struct boot_info *bi);

/* A zeroed frame for domain `owner`, or FRAME_NONE. */
uint32_t domain_frame_alloc(uint16_t owner);
/* Give a frame back; it must hold no references. */
void domain_frame_free(uint32_t mfn);
uint32_t frames_free(void);

/* The frame's contents, through the hypervisor's map of machine memory. */
uint32_t *frame_ptr(uint32_t mfn);

/* The M2P, writable (guests see it read-only at KOAN_M2P_START). */
void m2p_set(uint32_t mfn, uint32_t pfn);

/* The hypervisor's own page directory, used when no domain runs. */
void switch_to_idle_address_space(void);

/* Make `mfn` the current domain's page directory (emulated mov to %cr3).
 * Returns false with frame_table.last_error set if it may not be. */
bool paging_switch_base(struct domain *d, uint32_t mfn);

/* The directory in the domain's %cr3 now (FRAME_NONE before it first runs). */
uint32_t paging_current_base(const struct domain *d);

/* Say what a refused page table was and why, on both channels. */
void report_pt_error(const struct domain *d, const char *what);

#endif
