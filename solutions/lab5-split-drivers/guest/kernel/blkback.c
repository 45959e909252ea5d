/*
 * The block backend (guest/include/blkback.h), in dom0: for each frontend
 * domain, publish a device in the store, wait for the frontend to offer a
 * ring, map the ring, bind the event channel, and serve requests: each
 * checked (kernel/blkback_check.c), its pages mapped by grant, moved to or
 * from the disk (kernel/ata.c), unmapped, answered. Xen 2.0's blkback did
 * the same, with the disk driver of dom0's Linux under it.
 *
 * The frontend is never trusted: its ring indices are checked before any
 * slot is read, each request is copied out of the shared page once, and a
 * frontend that breaks the ring's protocol is cut off (its device closed)
 * while the others go on.
 */
#include <koan/exercise.h>

#include "ata.h"
#include "blkback.h"
#include "events.h"
#include "gnttab.h"
#include "guest.h"
#include "store_client.h"

struct vbd {
	struct blkback_vbd_config cfg;
	uint32_t state; /* ours, as the store shows it (KOAN_STATE_*) */
	bool done;
	uint32_t port, ring_va, ring_handle;
	struct koan_blkif_back_ring ring;
	char fe_dir[STORE_PATH_BYTES], be_dir[STORE_PATH_BYTES];
	unsigned requests, refused, bad_grants, disk_errors;
	const char *why_closed;
};

static struct vbd vbds[BLKBACK_MAX_VBDS];
static unsigned nr_vbds;
/* Where a request's segments are mapped, one page each. */
static uint32_t seg_va[KOAN_BLKIF_MAX_SEGMENTS];
static volatile bool kicked;
static unsigned store_events_seen;

static void on_event(uint32_t port)
{
	(void)port;
	kicked = true;
}

static void node(char *buf, const char *dir, const char *name)
{
	ksnprintf(buf, STORE_PATH_BYTES, "%s/%s", dir, name);
}

static void set_state(struct vbd *v, uint32_t state)
{
	v->state = state;
	xs_write_node_u32(v->be_dir, "state", state);
}

/* The frontend's state: KOAN_STATE_UNKNOWN if its directory is gone. */
static uint32_t frontend_state(const struct vbd *v)
{
	return xs_read_node_u32(v->fe_dir, "state", KOAN_STATE_UNKNOWN);
}

static void respond(struct vbd *v, uint64_t id, uint8_t op, int16_t status)
{
	struct koan_blkif_response *rsp = (struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(
		&v->ring, v->ring.rsp_prod_pvt);

	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	v->ring.rsp_prod_pvt++;
}

// BEGIN EXERCISE lab5.10: connect and disconnect (lab5-split-drivers/README.md, Exercise 6)
//   connect: in, a vbd in KOAN_STATE_INIT_WAIT whose frontend has written
//   ring-ref and event-channel in its directory and set its state to
//   KOAN_STATE_INITIALISED. Out: true with the frontend's ring page mapped
//   writable at v->ring_va (v->ring_handle), an event channel bound to the
//   frontend's port (v->port, with on_event as its handler), v->ring
//   attached to the shared page, and our state KOAN_STATE_CONNECTED; or
//   false with nothing held (what was mapped or bound is undone).
//   disconnect: whatever connect holds is given back (the ring unmapped,
//   the port closed), our state KOAN_STATE_CLOSED, v->done, and `why`
//   kept for the report. Safe on a vbd that never connected.
static bool connect(struct vbd *v)
{
	uint32_t ring_ref = xs_read_node_u32(v->fe_dir, "ring-ref", 0);
	uint32_t fe_port = xs_read_node_u32(v->fe_dir, "event-channel", 0);
	uint16_t fe = (uint16_t)v->cfg.domain;

	if (gnttab_map(fe, ring_ref, v->ring_va, false, &v->ring_handle) != KOAN_GNTST_OKAY)
		return false;
	int32_t port = evtchn_bind_interdomain(fe, fe_port);
	if (port <= 0) {
		gnttab_unmap(v->ring_va, v->ring_handle);
		return false;
	}
	v->port = (uint32_t)port;
	events_bind(v->port, on_event);
	KOAN_BACK_RING_INIT(&v->ring, (volatile struct koan_blkif_sring *)(uintptr_t)v->ring_va,
			    KOAN_RING_SIZE_OF(koan_blkif, KOAN_PAGE_SIZE));
	set_state(v, KOAN_STATE_CONNECTED);
	return true;
}

static void disconnect(struct vbd *v, const char *why)
{
	if (v->state == KOAN_STATE_CONNECTED) {
		gnttab_unmap(v->ring_va, v->ring_handle);
		evtchn_close(v->port);
	}
	set_state(v, KOAN_STATE_CLOSED);
	v->done = true;
	v->why_closed = why;
}
// STUB
//> static bool connect(struct vbd *v)
//> {
//> 	EXERCISE_TODO("lab5.10", "connect() in guest/kernel/blkback.c connects no frontend yet");
//> 	(void)v, (void)on_event;
//> 	return false;
//> }
//>
//> static void disconnect(struct vbd *v, const char *why)
//> {
//> 	v->done = true;
//> 	v->why_closed = why;
//> }
// END EXERCISE

// BEGIN EXERCISE lab5.11: carry out one request (lab5-split-drivers/README.md, Exercise 7)
//   In: a copy of a request of v's frontend. Out: its response status.
//   A request blkback_check_request() refuses: KOAN_BLKIF_RSP_ERROR
//   (v->refused counts it). Otherwise each segment's page is mapped by
//   grant at seg_va[i] (read-only when the disk is written from it), its
//   sectors moved between the page and the disk in order from
//   *disk_sector on, and every mapping undone before returning, whatever
//   happened. A grant that does not map: KOAN_BLKIF_RSP_ERROR
//   (v->bad_grants), nothing transferred. A disk error: KOAN_BLKIF_RSP_ERROR
//   (v->disk_errors). WRITE_BARRIER flushes the disk's cache before and
//   after its write; FLUSH_DISKCACHE only flushes (public/blkif.h).
static void unmap_segments(unsigned n, const uint32_t *handles)
{
	for (unsigned i = 0; i < n; i++)
		gnttab_unmap(seg_va[i], handles[i]);
}

static int16_t do_request(struct vbd *v, const struct koan_blkif_request *req)
{
	uint32_t handles[KOAN_BLKIF_MAX_SEGMENTS], nr_sectors;
	uint64_t sector;
	enum blk_problem problem = blkback_check_request(req, &v->cfg.region, &sector, &nr_sectors);

	if (problem != BLK_OK) {
		v->refused++;
		return KOAN_BLKIF_RSP_ERROR;
	}
	bool to_disk = req->operation != KOAN_BLKIF_OP_READ;
	if (req->operation != KOAN_BLKIF_OP_READ && req->operation != KOAN_BLKIF_OP_WRITE &&
	    ata_flush()) {
		v->disk_errors++;
		return KOAN_BLKIF_RSP_ERROR;
	}
	if (req->operation == KOAN_BLKIF_OP_FLUSH_DISKCACHE)
		return KOAN_BLKIF_RSP_OKAY;
	for (unsigned i = 0; i < req->nr_segments; i++) {
		if (gnttab_map((uint16_t)v->cfg.domain, req->seg[i].gref, seg_va[i], to_disk,
			       &handles[i]) != KOAN_GNTST_OKAY) {
			unmap_segments(i, handles);
			v->bad_grants++;
			return KOAN_BLKIF_RSP_ERROR;
		}
	}
	int failed = 0;
	for (unsigned i = 0; i < req->nr_segments && !failed; i++) {
		const struct koan_blkif_segment *s = &req->seg[i];
		uint32_t count = s->last_sect - s->first_sect + 1u;
		uint8_t *page = (uint8_t *)(uintptr_t)seg_va[i] + s->first_sect * ATA_SECTOR_BYTES;
		failed = to_disk ? ata_write((uint32_t)sector, count, page)
				 : ata_read((uint32_t)sector, count, page);
		sector += count;
	}
	unmap_segments(req->nr_segments, handles);
	if (!failed && req->operation == KOAN_BLKIF_OP_WRITE_BARRIER)
		failed = ata_flush();
	if (failed) {
		v->disk_errors++;
		return KOAN_BLKIF_RSP_ERROR;
	}
	return KOAN_BLKIF_RSP_OKAY;
}
// STUB
//> static int16_t do_request(struct vbd *v, const struct koan_blkif_request *req)
//> {
//> 	EXERCISE_TODO("lab5.11", "do_request() in kernel/blkback.c carries out no request yet");
//> 	(void)v, (void)req, (void)seg_va;
//> 	return KOAN_BLKIF_RSP_ERROR;
//> }
// END EXERCISE

/* At most this many requests per visit, so that one busy frontend cannot
 * keep the others waiting. */
#define REQUESTS_PER_VISIT 64u

// BEGIN EXERCISE lab5.12: serve a ring (lab5-split-drivers/README.md, Exercise 7)
//   In: a connected vbd. Takes the requests its frontend has produced, at
//   most REQUESTS_PER_VISIT (if more wait, leaves `kicked` set so that the
//   caller comes back before sleeping), each copied out of its slot once
//   and answered with do_request()'s status; pushes the responses and
//   notifies the frontend only when the hold-off says it waits for them.
//   Before it sleeps it asks for the next request's event (the final
//   check). A req_prod more than the ring's size ahead (the frontend lies)
//   disconnects the vbd ("ring-overflow") without reading a slot.
static void serve(struct vbd *v)
{
	unsigned done = 0;
	bool more = true, notify;

	while (more) {
		if (KOAN_RING_REQUEST_OVERFLOW(&v->ring)) {
			disconnect(v, "ring-overflow");
			return;
		}
		while (KOAN_RING_HAS_UNCONSUMED_REQUESTS(&v->ring) && done < REQUESTS_PER_VISIT) {
			struct koan_blkif_request req =
				*(struct koan_blkif_request *)KOAN_RING_GET_REQUEST(
					&v->ring, v->ring.req_cons);
			v->ring.req_cons++;
			v->requests++;
			done++;
			respond(v, req.id, req.operation, do_request(v, &req));
		}
		KOAN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->ring, notify);
		if (notify)
			evtchn_send(v->port);
		if (done >= REQUESTS_PER_VISIT) {
			kicked = true;
			return;
		}
		KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&v->ring, more);
	}
}
// STUB
//> static void serve(struct vbd *v)
//> {
//> 	EXERCISE_TODO("lab5.12", "serve() in kernel/blkback.c takes no request off the ring");
//> 	(void)v, (void)respond, (void)do_request;
//> }
// END EXERCISE

/* One look at a vbd: where its handshake is, and its requests. */
static void step(struct vbd *v)
{
	uint32_t fe = frontend_state(v);

	if (v->done)
		return;
	/* The node we wrote in its directory at setup goes with its domain. */
	if (xs_read_node_u32(v->fe_dir, "backend-id", ~0u) == ~0u) {
		disconnect(v, "frontend-gone");
		return;
	}
	if (v->state == KOAN_STATE_INIT_WAIT && fe == KOAN_STATE_INITIALISED) {
		if (!connect(v))
			disconnect(v, "bad-offer");
	} else if (v->state == KOAN_STATE_CONNECTED) {
		if (fe == KOAN_STATE_CLOSING || fe == KOAN_STATE_CLOSED)
			disconnect(v, "closed");
		else
			serve(v);
	}
}

static bool setup(struct vbd *v, const struct blkback_vbd_config *cfg, uint32_t disk_sectors)
{
	char path[STORE_PATH_BYTES];

	*v = (struct vbd){ .cfg = *cfg, .state = KOAN_STATE_INITIALISING };
	ksnprintf(v->fe_dir, sizeof(v->fe_dir), "/local/domain/%u/device/vbd", cfg->domain);
	ksnprintf(v->be_dir, sizeof(v->be_dir), "/local/domain/0/backend/vbd/%u", cfg->domain);
	if (cfg->region.start > disk_sectors ||
	    cfg->region.sectors > disk_sectors - cfg->region.start) {
		result("blkback vbd=%u refused: its region is not on the disk (%u sectors)",
		       cfg->domain, disk_sectors);
		return false;
	}
	v->ring_va = gnttab_map_page();
	if (!v->ring_va)
		return false;
	xs_write_node_u32(v->be_dir, "sectors", (uint32_t)cfg->region.sectors);
	xs_write_node_u32(v->fe_dir, "backend-id", 0);
	node(path, v->fe_dir, "backend");
	xs_write(path, v->be_dir);
	set_state(v, KOAN_STATE_INIT_WAIT);
	return xs_watch(v->fe_dir) >= 0;
}

static void report(const struct vbd *v)
{
	result("blkback vbd=%u requests=%u refused=%u bad-grants=%u disk-errors=%u closed=%s",
	       v->cfg.domain, v->requests, v->refused, v->bad_grants, v->disk_errors,
	       v->why_closed ? v->why_closed : "no");
}

void blkback_run(const struct blkback_vbd_config *cfgs, unsigned n, uint32_t disk_sectors)
{
	nr_vbds = n < BLKBACK_MAX_VBDS ? n : BLKBACK_MAX_VBDS;
	for (unsigned i = 0; i < KOAN_BLKIF_MAX_SEGMENTS; i++)
		if (!(seg_va[i] = gnttab_map_page())) {
			result("blkback no-memory");
			return;
		}
	for (unsigned i = 0; i < nr_vbds; i++)
		if (!setup(&vbds[i], &cfgs[i], disk_sectors))
			vbds[i].done = true;
	events_enable();
	for (;;) {
		bool all_done = true;
		for (unsigned i = 0; i < nr_vbds; i++) {
			step(&vbds[i]);
			all_done &= vbds[i].done;
		}
		if (all_done)
			break;
		events_disable();
		bool work = kicked || xs_event_count() != store_events_seen;
		kicked = false;
		store_events_seen = xs_event_count();
		if (!work)
			events_block(); /* returns with events on */
		events_enable();
	}
	for (unsigned i = 0; i < nr_vbds; i++)
		report(&vbds[i]);
	result("blkback disk-cycles=%u", (unsigned)ata_busy_cycles());
}
