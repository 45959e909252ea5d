/*
 * Koan public ABI, lab 5: the store, a small key/value tree through which a
 * frontend finds its backend (Xen's XenStore, kept here in the hypervisor
 * instead of a dom0 daemon; the paths and states are Xen's).
 *
 * Paths are absolute, at most KOAN_STORE_PATH_MAX - 1 bytes of letters,
 * digits, '/', '-', '_' and '.', with no empty component and no trailing
 * '/'. Values are at most KOAN_STORE_VALUE_MAX bytes (any bytes).
 *
 * Who may do what:
 *   dom0 reads and writes everywhere;
 *   domain N reads and writes under /local/domain/N/ (its own directory),
 *   and reads what dom0 wrote for it under /local/domain/0/backend/TYPE/N/.
 * A domain other than dom0 holds at most KOAN_STORE_QUOTA nodes. When a
 * domain ends, its directory and its watches go.
 *
 * A watch on a path fires on any write or removal of that path, of a path
 * below it, or of one above it (a directory removed takes what the watch
 * names with it): the watcher's KOAN_VIRQ_STORE is raised and the watch's bit set in
 * what KOAN_STOREOP_WATCH_FIRED returns (and clears). Watches say only
 * that something changed: the watcher reads the nodes again.
 */
#ifndef KOAN_PUBLIC_STORE_H
#define KOAN_PUBLIC_STORE_H

#include <stdint.h>

#include <public/event_channel.h> /* KOAN_ENOSPC, KOAN_DOMID_SELF */
#include <public/hypercall.h>

#define KOAN_HC_STORE_OP 40 /* op: a struct koan_store_op (Koan's own number) */

#define KOAN_VIRQ_STORE 9 /* a watch of this domain's fired */

#define KOAN_STORE_PATH_MAX 64u
#define KOAN_STORE_VALUE_MAX 64u
#define KOAN_STORE_QUOTA 32u	   /* nodes per domain other than dom0 */
#define KOAN_STORE_MAX_WATCHES 16u /* per domain: watch ids 0 .. 15 */

#define KOAN_STOREOP_READ 0	   /* path -> value, value_len */
#define KOAN_STOREOP_WRITE 1	   /* path, value, value_len */
#define KOAN_STOREOP_REMOVE 2	   /* path and everything below it */
#define KOAN_STOREOP_WATCH 3	   /* path -> watch (its id) */
#define KOAN_STOREOP_UNWATCH 4	   /* watch */
#define KOAN_STOREOP_WATCH_FIRED 5 /* -> fired: a bit per watch id, then cleared */

/* Errors (negative, as the other hypercalls'): -KOAN_EINVAL a bad path or
 * length, -KOAN_EPERM not yours to read or write, -KOAN_ENOENT no such node,
 * -KOAN_ENOSPC no room (the store, your quota, your watches). */
#define KOAN_ENOENT 2

struct koan_store_op {
	uint32_t cmd;	   /* IN: KOAN_STOREOP_* */
	uint32_t path_len; /* IN: bytes of path, without a NUL */
	char path[KOAN_STORE_PATH_MAX];
	uint32_t value_len; /* IN (write), OUT (read) */
	char value[KOAN_STORE_VALUE_MAX];
	uint32_t watch; /* IN (unwatch), OUT (watch) */
	uint32_t fired; /* OUT (watch_fired) */
};

_Static_assert(sizeof(struct koan_store_op) == 148, "ABI layout");

/* A device's connection states, as each side writes them to its "state"
 * node (Xen's XenbusState). */
#define KOAN_STATE_UNKNOWN 0
#define KOAN_STATE_INITIALISING 1
#define KOAN_STATE_INIT_WAIT 2
#define KOAN_STATE_INITIALISED 3
#define KOAN_STATE_CONNECTED 4
#define KOAN_STATE_CLOSING 5
#define KOAN_STATE_CLOSED 6

#endif
