/*
 * The guest kernel's store client (lab 5, public/store.h): read and write
 * nodes, watch a path, and sleep until a watch fires.
 */
#ifndef KOAN_GUEST_STORE_CLIENT_H
#define KOAN_GUEST_STORE_CLIENT_H

#include <stdint.h>

#include <public/store.h>

int32_t xs_op(struct koan_store_op *op);

/* The value at `path` as a string in buf (NUL-terminated, cut to size):
 * its length, or a negative KOAN_E*. */
int32_t xs_read(const char *path, char *buf, uint32_t size);
int32_t xs_write(const char *path, const char *value);
int32_t xs_remove(const char *path);
/* The value at `path` as a number; `fallback` if there is none (or it is
 * not a number). */
uint32_t xs_read_u32(const char *path, uint32_t fallback);
int32_t xs_write_u32(const char *path, uint32_t value);
/* The same for node `name` of directory `dir` ("dir/name"). */
uint32_t xs_read_node_u32(const char *dir, const char *name, uint32_t fallback);
int32_t xs_write_node_u32(const char *dir, const char *name, uint32_t value);

/* Watch `path` (and below): the watch id, or a negative KOAN_E*. The first
 * watch binds KOAN_VIRQ_STORE (events_init() must have run). */
int32_t xs_watch(const char *path);
/* The watches that fired since the last call (a bit per id), cleared. */
uint32_t xs_fired(void);
/* How many times our watches fired so far (KOAN_VIRQ_STORE events): a
 * loop that sleeps compares it with what it saw last. */
unsigned xs_event_count(void);
/* Sleep until a watch fires or some other event comes (the caller checks
 * what it waits for, then sleeps again). */
void xs_wait(void);

/* Room for a path, NUL included. */
#define STORE_PATH_BYTES KOAN_STORE_PATH_MAX

#endif
