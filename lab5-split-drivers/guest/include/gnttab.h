/*
 * The guest kernel's grant tables (lab 5): granting our frames to another
 * domain, ending that, and mapping or copying what others grant us
 * (public/grant_table.h).
 */
#ifndef KOAN_GUEST_GNTTAB_H
#define KOAN_GUEST_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <public/grant_table.h>

/* Our grant table, once gnttab_init() has mapped it. */
extern volatile struct koan_grant_entry *gnttab_table;

/* Set up and map our table. 0 or a negative error (or a KOAN_GNTST_*). */
int gnttab_init(void);

/* Let `dom` use our frame `frame` (read-only or not): a new grant
 * reference (1 .. 511), or -KOAN_ENOSPC when the table is full. */
int32_t gnttab_grant_access(uint16_t dom, uint32_t frame, bool readonly);
/* Take the grant back if nobody maps it now: true; false (and nothing
 * changed) while it is mapped. */
bool gnttab_end_access(uint32_t ref);

/* The hypercall: `count` operations of command `cmd` at `ops`. */
int32_t gnttab_op(uint32_t cmd, void *ops, uint32_t count);

/* Map grant `ref` of `dom` at `va` (a page of gnttab_map_page()):
 * a KOAN_GNTST_*; the handle in *handle. */
int gnttab_map(uint16_t dom, uint32_t ref, uint32_t va, bool readonly, uint32_t *handle);
int gnttab_unmap(uint32_t va, uint32_t handle);

/* A virtual address to map grants at: a page of our memory whose own
 * mapping we have removed (a page table covers it, its entry empty); 0
 * when our memory is used up. */
uint32_t gnttab_map_page(void);

#endif
