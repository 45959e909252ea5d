/*
 * The block frontend (guest/include/blkfront.h), in the manner of Mini-OS's
 * blkfront.c: a ring page of our own granted to the backend, an unbound
 * event port for it, both named in the store; then each request's pages
 * granted to the backend, and each grant taken back when the response
 * comes. The backend is not trusted either: a response is matched to a
 * request in flight by its id, and one that matches none is dropped.
 */
#include <koan/exercise.h>

#include "blkfront.h"
#include "events.h"
#include "gnttab.h"
#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "store_client.h"

#define SLOT_BITS 5u /* an id is (sequence << SLOT_BITS) | slot */
_Static_assert(1u << SLOT_BITS == BLKFRONT_RING_SLOTS, "an id's slot bits name every slot");

static volatile bool kicked;
static unsigned store_events_seen;

static void on_event(uint32_t port)
{
	(void)port;
	kicked = true;
}

/* Sleep until an event of ours, a store watch, or 10 ms have passed. */
static void wait_a_little(void)
{
	events_disable();
	bool work = kicked || xs_event_count() != store_events_seen;
	kicked = false;
	store_events_seen = xs_event_count();
	if (!work) {
		uint64_t deadline = system_time_ns() + 10000000u;
		hypercall3(KOAN_HC_SET_TIMER_OP, (uint32_t)deadline, (uint32_t)(deadline >> 32), 0);
		events_block(); /* returns with events on */
	}
	events_enable();
}

/* Wait (at most about 10 s) for the backend's state to reach `state`. A
 * backend whose directory has gone (its domain ended) has closed. */
static bool backend_reaches(struct blkfront *f, uint32_t state)
{
	for (unsigned i = 0; i < 1000; i++) {
		uint32_t now = xs_read_node_u32(f->be_dir, "state", KOAN_STATE_UNKNOWN);
		if (now == state || (now == KOAN_STATE_UNKNOWN && state == KOAN_STATE_CLOSED))
			return true;
		if (now == KOAN_STATE_CLOSED && state != KOAN_STATE_CLOSED)
			return false;
		wait_a_little();
	}
	return false;
}

// BEGIN EXERCISE lab5.13: find the backend and offer the ring (lab5-split-drivers/README.md, Exercise 6)
//   In: a blkfront of zeros, events and the grant table ready. Out: 0 with
//   the device connected: the backend's domain and directory read from our
//   directory (/local/domain/ID/device/vbd: backend-id, backend), a ring
//   page of ours made empty and granted writable to the backend
//   (f->ring_ref), an unbound port for the backend (f->port, on_event its
//   handler), both written to our directory (ring-ref, event-channel) and
//   our state KOAN_STATE_INITIALISED; then, once the backend's state is
//   KOAN_STATE_CONNECTED, f->sectors from its "sectors" node. Waits are
//   bounded (backend_reaches(), and as long for the backend to be named):
//   -KOAN_ENOENT if no backend is named, -KOAN_EIO if it does not connect.
int blkfront_connect(struct blkfront *f)
{
	char path[STORE_PATH_BYTES];
	unsigned me = start_info->domain_id;

	ksnprintf(f->dir, sizeof(f->dir), "/local/domain/%u/device/vbd", me);
	xs_watch(f->dir);
	for (unsigned i = 0; i < 1000; i++) {
		ksnprintf(path, sizeof(path), "%s/backend", f->dir);
		if (xs_read(path, f->be_dir, sizeof(f->be_dir)) > 0)
			break;
		wait_a_little();
	}
	if (!f->be_dir[0])
		return -KOAN_ENOENT;
	f->backend = xs_read_node_u32(f->dir, "backend-id", 0);
	f->ring_va = alloc_page();
	if (!f->ring_va)
		return -KOAN_ENOMEM;
	volatile struct koan_blkif_sring *s =
		(volatile struct koan_blkif_sring *)(uintptr_t)f->ring_va;
	KOAN_SHARED_RING_INIT(s);
	KOAN_FRONT_RING_INIT(&f->ring, s, KOAN_RING_SIZE_OF(koan_blkif, KOAN_PAGE_SIZE));
	int32_t ref = gnttab_grant_access((uint16_t)f->backend, va_to_mfn(f->ring_va), false);
	if (ref < 0)
		return ref;
	f->ring_ref = (uint32_t)ref;
	int32_t port = evtchn_alloc_unbound(f->backend);
	if (port < 0)
		return port;
	f->port = (uint32_t)port;
	events_bind(f->port, on_event);
	xs_watch(f->be_dir);
	xs_write_node_u32(f->dir, "ring-ref", f->ring_ref);
	xs_write_node_u32(f->dir, "event-channel", f->port);
	xs_write_node_u32(f->dir, "state", KOAN_STATE_INITIALISED);
	if (!backend_reaches(f, KOAN_STATE_CONNECTED))
		return -KOAN_EIO;
	f->sectors = xs_read_node_u32(f->be_dir, "sectors", 0);
	f->connected = true;
	return 0;
}
// STUB
//> int blkfront_connect(struct blkfront *f)
//> {
//> 	EXERCISE_TODO("lab5.13", "blkfront_connect() in kernel/blkfront.c finds no backend");
//> 	(void)f, (void)on_event, (void)backend_reaches;
//> 	return -KOAN_ENOENT;
//> }
// END EXERCISE

// BEGIN EXERCISE lab5.14: submit and complete (lab5-split-drivers/README.md, Exercise 8)
//   blkfront_queue: as guest/include/blkfront.h says. The lowest free
//   slot of f->slots (-KOAN_EBUSY if none, or the ring is full) gets the
//   request (callers count on which: blktest.c gives each slot a buffer):
//   a fresh id naming that slot (SLOT_BITS), one segment per page of buf,
//   each page granted to the backend (read-only when the disk is written
//   from it) and the grants kept in the slot, the request written into the
//   ring's next private slot. If a grant fails, the grants made so far are
//   taken back and nothing is queued.
//   blkfront_take_responses: each response produced and not yet consumed:
//   the slot its id names, if that slot is in flight with exactly that id,
//   gets the status and is done (its grants taken back); any other is
//   counted in f->bogus. A rsp_prod more than the ring's size ahead of
//   what we consumed (the backend lies) takes nothing: f->broken is set.
//   Ends by asking for the next response's event (the final check) so
//   that none is left unseen.
int blkfront_queue(struct blkfront *f, uint8_t operation, uint64_t sector, void *buf,
		   uint32_t nr_sectors, uint64_t *id)
{
	uint32_t va = (uint32_t)(uintptr_t)buf;
	bool flush = operation == KOAN_BLKIF_OP_FLUSH_DISKCACHE;
	uint32_t pages =
		(nr_sectors + KOAN_BLKIF_SECTORS_PER_PAGE - 1) / KOAN_BLKIF_SECTORS_PER_PAGE;

	if (!flush &&
	    (nr_sectors == 0 || pages > KOAN_BLKIF_MAX_SEGMENTS || (va & (KOAN_PAGE_SIZE - 1))))
		return -KOAN_EINVAL;
	if (flush)
		pages = 0;
	unsigned slot = 0;
	while (slot < BLKFRONT_RING_SLOTS && f->slots[slot].used)
		slot++;
	if (slot == BLKFRONT_RING_SLOTS || KOAN_RING_FULL(&f->ring))
		return -KOAN_EBUSY;
	struct blkfront_request *r = &f->slots[slot];
	struct koan_blkif_request *req =
		(struct koan_blkif_request *)KOAN_RING_GET_REQUEST(&f->ring, f->ring.req_prod_pvt);
	bool readonly = operation != KOAN_BLKIF_OP_READ;
	*r = (struct blkfront_request){ .used = true, .operation = operation };
	r->id = ((uint64_t)f->next_seq++ << SLOT_BITS) | slot;
	req->operation = operation;
	req->nr_segments = (uint8_t)pages;
	req->handle = 0;
	req->id = r->id;
	req->sector_number = sector;
	for (uint32_t i = 0; i < pages; i++) {
		int32_t ref = gnttab_grant_access((uint16_t)f->backend,
						  va_to_mfn(va + i * KOAN_PAGE_SIZE), readonly);
		if (ref < 0) {
			while (i-- > 0)
				gnttab_end_access(r->grefs[i]);
			r->used = false;
			return -KOAN_ENOSPC;
		}
		uint32_t left = nr_sectors - i * KOAN_BLKIF_SECTORS_PER_PAGE;
		r->grefs[i] = (uint32_t)ref;
		req->seg[i].gref = (uint32_t)ref;
		req->seg[i].first_sect = 0;
		req->seg[i].last_sect = (uint8_t)((left < KOAN_BLKIF_SECTORS_PER_PAGE
							   ? left
							   : KOAN_BLKIF_SECTORS_PER_PAGE) -
						  1);
	}
	r->nr_grants = (uint8_t)pages;
	f->ring.req_prod_pvt++;
	f->in_flight++;
	*id = r->id;
	return 0;
}

unsigned blkfront_take_responses(struct blkfront *f)
{
	unsigned taken = 0;
	int more = 1;

	while (more) {
		if (KOAN_RING_HAS_UNCONSUMED_RESPONSES(&f->ring) > f->ring.nr_ents) {
			f->broken = true;
			return taken;
		}
		while (KOAN_RING_HAS_UNCONSUMED_RESPONSES(&f->ring)) {
			struct koan_blkif_response rsp =
				*(struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(
					&f->ring, f->ring.rsp_cons);
			f->ring.rsp_cons++;
			taken++;
			struct blkfront_request *r = &f->slots[rsp.id & (BLKFRONT_RING_SLOTS - 1)];
			if (!r->used || r->done || r->id != rsp.id) {
				f->bogus++;
				continue;
			}
			for (unsigned i = 0; i < r->nr_grants; i++)
				gnttab_end_access(r->grefs[i]);
			r->status = rsp.status;
			r->done = true;
			f->in_flight--;
			f->completed++;
		}
		KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&f->ring, more);
	}
	return taken;
}
// STUB
//> int blkfront_queue(struct blkfront *f, uint8_t operation, uint64_t sector, void *buf,
//> 		   uint32_t nr_sectors, uint64_t *id)
//> {
//> 	EXERCISE_TODO("lab5.14", "blkfront_queue() in guest/kernel/blkfront.c queues nothing yet");
//> 	(void)f, (void)operation, (void)sector, (void)buf, (void)nr_sectors, (void)id;
//> 	return -KOAN_EINVAL;
//> }
//>
//> unsigned blkfront_take_responses(struct blkfront *f)
//> {
//> 	(void)f;
//> 	return 0;
//> }
// END EXERCISE

void blkfront_push(struct blkfront *f)
{
	bool notify;

	KOAN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f->ring, notify);
	if (notify) {
		f->notifies++;
		evtchn_send(f->port);
	}
}

int blkfront_wait(struct blkfront *f, uint64_t id)
{
	struct blkfront_request *r = &f->slots[id & (BLKFRONT_RING_SLOTS - 1)];

	if (!r->used || r->id != id)
		return -KOAN_ESRCH;
	for (unsigned i = 0; !r->done; i++) {
		/* About 20 s without an answer, or a backend that lies: give up. */
		if (i >= 2000 || f->broken)
			return -KOAN_EIO;
		blkfront_take_responses(f);
		if (!r->done)
			wait_a_little();
	}
	r->used = false;
	return r->status;
}

int blkfront_io(struct blkfront *f, uint8_t operation, uint64_t sector, void *buf,
		uint32_t nr_sectors)
{
	uint64_t id;
	int err = blkfront_queue(f, operation, sector, buf, nr_sectors, &id);

	if (err)
		return err;
	blkfront_push(f);
	return blkfront_wait(f, id);
}

void blkfront_disconnect(struct blkfront *f)
{
	if (!f->connected)
		return;
	xs_write_node_u32(f->dir, "state", KOAN_STATE_CLOSING);
	backend_reaches(f, KOAN_STATE_CLOSED);
	blkfront_take_responses(f);
	gnttab_end_access(f->ring_ref);
	evtchn_close(f->port);
	xs_write_node_u32(f->dir, "state", KOAN_STATE_CLOSED);
	f->connected = false;
}
