/*
 * A fake machine for lab 2's unit tests: 64 frames whose contents are plain
 * arrays. Frames 0..39 belong to the domain under test (DOM), 40..47 to
 * another domain, 48..55 to the hypervisor, 56..63 are free. Its
 * set_hv_slots() writes a recognisable entry into slots 1007..1023 (or
 * clears them) and counts the calls.
 */
#ifndef KOAN_FAKE_MACHINE_H
#define KOAN_FAKE_MACHINE_H

#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <public/memory.h>

#define NR_FRAMES 64u
#define DOM 1
#define OTHER 2
#define FIRST_OTHER 40u
#define FIRST_HV 48u
#define FIRST_FREE 56u
#define HV_FRAME FIRST_HV
#define HV_SLOT_ENTRY pte_make(HV_FRAME, PTE_P | PTE_RW | 0xE00u)

extern struct page_info pages[NR_FRAMES];
extern uint32_t mem[NR_FRAMES][ENTRIES_PER_TABLE];
extern struct frame_table ft;
extern int hv_fills, hv_clears;

/* Every frame back to its first owner, no references, zeroed contents. */
void machine_init(void);
/* Fail unless every frame's owner, type and counts are as in `want`. */
void expect_pages(const struct page_info *want, const char *when);
/* A random number below n. */
uint32_t rnd(uint32_t n);
/* A random empty entry of `table` below `limit`. */
unsigned free_index(uint32_t table, unsigned limit);
/* A random directory slot a guest may use (public/memory.h); and an empty
 * one of directory `l2`. */
unsigned rnd_pde(void);
unsigned free_pde(uint32_t l2);

#endif
