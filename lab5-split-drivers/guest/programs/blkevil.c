/*
 * blkevil: a frontend, or a backend, that breaks the rules (lab 5). Each
 * attack reports what came back; the real backend (blkback, dom0) and the
 * hypervisor must answer each with an error or cut the attacker off, and
 * go on serving everyone else.
 *   mode=bad-requests  requests with each field wrong, written straight
 *                      into the ring, then a good one
 *   mode=overflow ahead=N  req_prod moved N past the responses (2^31, or
 *                      just one more than the ring holds)
 *   mode=flood count=N  N events with no request, then a good request
 *   mode=revoke        a request whose grants are taken back (by force)
 *                      before the backend gets to it
 *   mode=backend fe=F  as dom0: a backend for domain F that answers each
 *                      request also under an id never used, twice, and
 *                      then makes its response index run far ahead
 */
#include "blkfront.h"
#include "events.h"
#include "gnttab.h"
#include "guest.h"
#include "mm.h"
#include "store_client.h"

static uint8_t page[KOAN_PAGE_SIZE] __attribute__((aligned(KOAN_PAGE_SIZE)));
static uint8_t ro_page[KOAN_PAGE_SIZE] __attribute__((aligned(KOAN_PAGE_SIZE)));
static struct blkfront dev;

static unsigned arg(const char *key, unsigned fallback)
{
	char buf[16];

	return guest_arg(key, buf, sizeof(buf)) ? atou(buf) : fallback;
}

/* Write a request straight into the ring (no check of ours), push it, and
 * wait (bounded) for the one response it gets: its status, or 99. */
static int raw(const struct koan_blkif_request *r)
{
	volatile struct koan_blkif_sring *s = dev.ring.sring;
	uint32_t before = s->rsp_prod;

	*(struct koan_blkif_request *)KOAN_RING_GET_REQUEST(&dev.ring, dev.ring.req_prod_pvt) = *r;
	dev.ring.req_prod_pvt++;
	blkfront_push(&dev);
	for (unsigned i = 0; i < 5000 && s->rsp_prod == before; i++)
		sleep_ns(1000000);
	if (s->rsp_prod == before)
		return 99;
	struct koan_blkif_response rsp =
		*(struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(&dev.ring, dev.ring.rsp_cons);
	dev.ring.rsp_cons = s->rsp_prod;
	return rsp.id == r->id ? rsp.status : 98;
}

static struct koan_blkif_request one(uint8_t op, uint64_t sector, uint32_t gref)
{
	struct koan_blkif_request r = { .operation = op,
					.nr_segments = 1,
					.sector_number = sector };

	r.id = 1000 + sector;
	r.seg[0] = (struct koan_blkif_segment){ .gref = gref, .first_sect = 0, .last_sect = 7 };
	return r;
}

static void bad_requests(void)
{
	uint16_t be = (uint16_t)dev.backend;
	uint32_t good =
		(uint32_t)gnttab_grant_access(be, va_to_mfn((uint32_t)(uintptr_t)page), false);
	uint32_t ro =
		(uint32_t)gnttab_grant_access(be, va_to_mfn((uint32_t)(uintptr_t)ro_page), true);
	uint32_t other =
		(uint32_t)gnttab_grant_access(1, va_to_mfn((uint32_t)(uintptr_t)page), false);
	uint32_t foreign = (uint32_t)gnttab_grant_access(be, foreign_frame(), false);
	struct koan_blkif_request r[16];
	const char *names[16];
	unsigned n = 0;

#define CASE(name, init)                                 \
	do {                                             \
		r[n] = one(KOAN_BLKIF_OP_READ, 0, good); \
		init;                                    \
		r[n].id = 2000 + n;                      \
		names[n++] = name;                       \
	} while (0)
	CASE("operation", r[n].operation = 7);
	CASE("handle", r[n].handle = 3);
	CASE("no-segments", r[n].nr_segments = 0);
	CASE("flush-with-segments", r[n].operation = KOAN_BLKIF_OP_FLUSH_DISKCACHE);
	CASE("12-segments", r[n].nr_segments = 12);
	CASE("first-after-last", (r[n].seg[0].first_sect = 3, r[n].seg[0].last_sect = 2));
	CASE("sector-8", r[n].seg[0].last_sect = 8);
	CASE("past-end", r[n].sector_number = dev.sectors - 4);
	CASE("wraps", r[n].sector_number = ~0ull - 3);
	CASE("gref-past-table", r[n].seg[0].gref = 999);
	CASE("gref-free", r[n].seg[0].gref = 400);
	CASE("gref-other-domain", r[n].seg[0].gref = other);
	CASE("read-into-read-only", r[n].seg[0].gref = ro);
	CASE("frame-not-ours", r[n].seg[0].gref = foreign);
#undef CASE
	unsigned errors = 0;
	char line[160] = "";
	for (unsigned i = 0; i < n; i++) {
		int st = raw(&r[i]);
		errors += st == KOAN_BLKIF_RSP_ERROR;
		if (st != KOAN_BLKIF_RSP_ERROR) {
			uint32_t len = (uint32_t)strlen(line);
			ksnprintf(line + len, sizeof(line) - len, " %s=%d", names[i], st);
		}
	}
	struct koan_blkif_request ok = one(KOAN_BLKIF_OP_READ, 8, good);
	int good_st = raw(&ok);
	result("blkevil bad-requests refused=%u of=%u good-after=%d%s", errors, n, good_st,
	       line[0] ? line : "");
}

static void overflow(void)
{
	uint32_t ahead = arg("ahead", 1u << 31);
	volatile struct koan_blkif_sring *s = dev.ring.sring;

	s->req_prod = s->rsp_prod + ahead;
	evtchn_send(dev.port);
	uint32_t state = 0;
	char path[STORE_PATH_BYTES];
	ksnprintf(path, sizeof(path), "%s/state", dev.be_dir);
	for (unsigned i = 0; i < 5000; i++) {
		state = xs_read_u32(path, KOAN_STATE_CLOSED);
		if (state == KOAN_STATE_CLOSED)
			break;
		sleep_ns(1000000);
	}
	result("blkevil overflow ahead=%u backend-state=%u", ahead, state);
	dev.connected = false; /* the backend has let go: nothing to close */
}

static void flood(void)
{
	unsigned count = arg("count", 20000);

	for (unsigned i = 0; i < count; i++)
		evtchn_send(dev.port);
	int w = blkfront_io(&dev, KOAN_BLKIF_OP_WRITE, 0, page, 8);
	int r = blkfront_io(&dev, KOAN_BLKIF_OP_READ, 0, ro_page, 8);
	result("blkevil flood events=%u write=%d read=%d", count, w, r);
}

static void revoke(void)
{
	uint64_t id;
	int q = blkfront_queue(&dev, KOAN_BLKIF_OP_WRITE, 0, page, 8, &id);

	if (q == 0) {
		/* Not a hypercall in between: the backend has not run yet. */
		gnttab_table[dev.slots[id & (BLKFRONT_RING_SLOTS - 1)].grefs[0]].flags = 0;
		blkfront_push(&dev);
	}
	int st = q ? q : blkfront_wait(&dev, id);
	int after = blkfront_io(&dev, KOAN_BLKIF_OP_WRITE, 0, page, 8);
	result("blkevil revoke queued=%d status=%d then=%d", q, st, after);
}

/* ---- a lying backend, as dom0 ---- */

static void evil_backend(void)
{
	unsigned fe = arg("fe", 1);
	char dir[STORE_PATH_BYTES], be[STORE_PATH_BYTES], path[STORE_PATH_BYTES];
	struct koan_blkif_back_ring ring;
	uint32_t va = gnttab_map_page(), handle;

	ksnprintf(dir, sizeof(dir), "/local/domain/%u/device/vbd", fe);
	ksnprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%u", fe);
	ksnprintf(path, sizeof(path), "%s/sectors", be);
	xs_write_u32(path, 64);
	ksnprintf(path, sizeof(path), "%s/backend-id", dir);
	xs_write_u32(path, 0);
	ksnprintf(path, sizeof(path), "%s/backend", dir);
	xs_write(path, be);
	ksnprintf(path, sizeof(path), "%s/state", dir);
	for (unsigned i = 0; i < 5000 && xs_read_u32(path, 0) != KOAN_STATE_INITIALISED; i++)
		sleep_ns(1000000);
	ksnprintf(path, sizeof(path), "%s/ring-ref", dir);
	int m = gnttab_map((uint16_t)fe, xs_read_u32(path, 0), va, false, &handle);
	ksnprintf(path, sizeof(path), "%s/event-channel", dir);
	int32_t port = evtchn_bind_interdomain(fe, xs_read_u32(path, 0));
	KOAN_BACK_RING_INIT(&ring, (volatile struct koan_blkif_sring *)(uintptr_t)va,
			    KOAN_RING_SIZE_OF(koan_blkif, KOAN_PAGE_SIZE));
	ksnprintf(path, sizeof(path), "%s/state", be);
	xs_write_u32(path, KOAN_STATE_CONNECTED);
	unsigned answered = 0;
	for (unsigned i = 0; i < 5000 && answered < 2; i++) {
		while (ring.sring->req_prod != ring.req_cons && answered < 2) {
			struct koan_blkif_request r =
				*(struct koan_blkif_request *)KOAN_RING_GET_REQUEST(&ring,
										    ring.req_cons);
			ring.req_cons++;
			struct koan_blkif_response *rsp;
			rsp = (struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(
				&ring, ring.rsp_prod_pvt++);
			*rsp = (struct koan_blkif_response){ .id = r.id + 12345,
							     .operation = r.operation };
			rsp = (struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(
				&ring, ring.rsp_prod_pvt++);
			*rsp = (struct koan_blkif_response){ .id = r.id, .operation = r.operation };
			rsp = (struct koan_blkif_response *)KOAN_RING_GET_RESPONSE(
				&ring, ring.rsp_prod_pvt++);
			*rsp = (struct koan_blkif_response){ .id = r.id, .operation = r.operation };
			ring.sring->rsp_prod = ring.rsp_prod_pvt;
			evtchn_send((uint32_t)port);
			answered++;
		}
		sleep_ns(1000000);
	}
	/* Then a response index far ahead of anything produced. */
	ring.sring->rsp_prod += 1u << 30;
	evtchn_send((uint32_t)port);
	ksnprintf(path, sizeof(path), "%s/state", dir);
	for (unsigned i = 0; i < 5000 && xs_read_u32(path, KOAN_STATE_CLOSED) < KOAN_STATE_CLOSING;
	     i++)
		sleep_ns(1000000);
	gnttab_unmap(va, handle);
	ksnprintf(path, sizeof(path), "%s/state", be);
	xs_write_u32(path, KOAN_STATE_CLOSED);
	result("blkevil backend map=%d port=%d answered=%u", m, port > 0, answered);
}

void guest_main(const struct koan_start_info *si)
{
	char mode[16] = "";
	int err;

	(void)si;
	guest_arg("mode", mode, sizeof(mode));
	if ((err = events_init()) || (err = gnttab_init())) {
		result("blkevil init=%d", err);
		return;
	}
	events_enable();
	if (strcmp(mode, "backend") == 0) {
		evil_backend();
		return;
	}
	err = blkfront_connect(&dev);
	result("blkevil connect=%d", err);
	if (err)
		return;
	if (strcmp(mode, "bad-requests") == 0)
		bad_requests();
	else if (strcmp(mode, "overflow") == 0)
		overflow();
	else if (strcmp(mode, "flood") == 0)
		flood();
	else if (strcmp(mode, "revoke") == 0)
		revoke();
	blkfront_disconnect(&dev);
	result("blkevil done");
}
