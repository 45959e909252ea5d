/*
 * The block frontend (lab 5): a guest's virtual disk, served by a backend
 * in another domain through a ring (public/blkif.h), found through the
 * store.
 */
#ifndef KOAN_GUEST_BLKFRONT_H
#define KOAN_GUEST_BLKFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include <public/blkif.h>
#include <public/store.h>

#define BLKFRONT_RING_SLOTS 32u /* KOAN_RING_SIZE_OF(koan_blkif, 4096) */

/* A request in flight: its id and the grants of its pages. */
struct blkfront_request {
	bool used, done;
	uint64_t id;
	uint8_t operation;
	uint8_t nr_grants;
	int16_t status; /* the response's, once done */
	uint32_t grefs[KOAN_BLKIF_MAX_SEGMENTS];
};

struct blkfront {
	unsigned backend; /* its domain */
	uint64_t sectors; /* the device's size */
	uint32_t ring_ref, port, ring_va;
	struct koan_blkif_front_ring ring;
	char dir[KOAN_STORE_PATH_MAX], be_dir[KOAN_STORE_PATH_MAX];
	struct blkfront_request slots[BLKFRONT_RING_SLOTS];
	uint32_t next_seq;
	unsigned in_flight, completed, bogus, notifies;
	bool connected;
	bool broken; /* the backend broke the ring's protocol: nothing more is taken */
};

/* The handshake (README, "Finding each other"): the ring offered, the
 * backend connected. 0, or a negative KOAN_E* (-KOAN_ENOENT: no backend
 * was named for us in time). */
int blkfront_connect(struct blkfront *f);

/* Queue one request: `nr_sectors` (1 .. 88) sectors from `sector` on, to
 * or from `buf` (page-aligned, our own memory); a flush has no buffer. Its
 * id in *id. 0, -KOAN_EBUSY when the ring is full (take responses first),
 * -KOAN_EINVAL for a bad buffer or size, -KOAN_ENOSPC with no grant left.
 * The backend hears of it when blkfront_push() is called. */
int blkfront_queue(struct blkfront *f, uint8_t operation, uint64_t sector, void *buf,
		   uint32_t nr_sectors, uint64_t *id);
/* Publish what was queued, and notify the backend if it waits for it. */
void blkfront_push(struct blkfront *f);
/* Take the responses that have come: each marks its request done (a
 * response whose id is no request in flight is counted in f->bogus and
 * dropped; a backend whose rsp_prod runs more than the ring's size ahead
 * sets f->broken). Returns how many were taken. */
unsigned blkfront_take_responses(struct blkfront *f);
/* Wait until request `id` is done: its status (KOAN_BLKIF_RSP_*), and the
 * slot freed. -KOAN_ESRCH for an id not in flight. */
int blkfront_wait(struct blkfront *f, uint64_t id);
/* Queue, push and wait: the status. */
int blkfront_io(struct blkfront *f, uint8_t operation, uint64_t sector, void *buf,
		uint32_t nr_sectors);

/* Close the device (README, "Closing"): the backend lets go of the ring,
 * then we take our grants back. */
void blkfront_disconnect(struct blkfront *f);

#endif
