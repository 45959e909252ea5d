/*
 * Lab 5 inside the hypervisor: grant mappings and the rules they follow
 * (hv/grant_rules.c, pure C, tested on the host), and what the hypercall
 * keeps per domain (hv/grant_table.c).
 *
 * A mapping holds two things on the granted frame (lab 2's frame table):
 *  - a pin, one general reference, taken at map and dropped at unmap: it
 *    keeps the frame from being freed while the mapping exists, whatever
 *    happens to the page-table entry or to the granter;
 *  - the page-table entry's own references, taken by lab 2's check_l1e()
 *    with the granter as the owner, dropped by whoever removes the entry
 *    (unmap, or the mapper rewriting or dropping its page table).
 */
#ifndef KOAN_GRANT_H
#define KOAN_GRANT_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/frametab.h>
#include <public/grant_table.h>

/* The owner of a frame whose granter ended while another domain had it
 * mapped: nobody's, freed at the last unmap. */
#define OWNER_ORPHAN 0xFFFDu

/* One mapping a domain holds; its handle is its index. */
struct grant_map {
	bool used;
	bool writable;
	bool granter_gone; /* the granter ended: its table is gone, the frame orphaned */
	uint16_t granter;
	uint32_t ref;
	uint32_t frame;
	uint32_t host_addr;
	uint32_t pte;	   /* the entry written, */
	uint32_t l1_mfn;   /* into this page table, */
	uint32_t l1_index; /* at this index */
};

struct grant_maps {
	struct grant_map map[KOAN_GNTTAB_MAX_MAPS];
};

/* May `mapper` map (or copy with) this entry, writing if want_write?
 * KOAN_GNTST_OKAY, or the status that says why not. */
int grant_check_entry(const struct koan_grant_entry *e, uint16_t mapper, bool want_write);

/* The page-table entry a mapping of `frame` writes. */
uint32_t grant_pte(uint32_t frame, bool writable);

/* Take a mapping's references on `frame` of `granter`: the pin, and the
 * entry's own (check_l1e of grant_pte(), with the granter as owner).
 * KOAN_GNTST_OKAY with both held, or KOAN_GNTST_BAD_PAGE with nothing. */
int grant_take_frame(struct frame_table *ft, uint16_t granter, uint32_t frame, bool writable);

/* Give them back: the entry's references if the entry is still in place
 * (entry_live), then the pin. True if nothing holds the frame any more. */
bool grant_release_frame(struct frame_table *ft, uint32_t frame, bool writable, bool entry_live);

/* A free handle of `m`, or -1 when all are in use. */
int grant_map_alloc(const struct grant_maps *m);
/* The mapping `handle` of m made at host_addr, or NULL. */
struct grant_map *grant_map_find(struct grant_maps *m, uint32_t handle, uint32_t host_addr);

/* The granter's entry flags while a mapping exists (mapped) or after the
 * last goes: GTF_reading, and GTF_writing for a writable one, set or cleared. */
uint16_t grant_flags_mapped(uint16_t flags, bool mapped, bool writable);

/* grant_table.c: the grant table frame of domain `dom` (FRAME_NONE if none),
 * and its number of live mappings held by others, for the GDB helpers and
 * the audit. */
uint32_t grant_table_frame(unsigned dom);

#endif
