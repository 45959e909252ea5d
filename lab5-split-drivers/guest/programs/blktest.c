/*
 * blktest: a frontend that writes, reads back and checks (lab 5). The
 * grader checks the disk image from the host afterwards with the same
 * patterns (guest/include/blkpattern.h).
 *   mode=pattern seed=S sectors=N chunk=K  write sectors 0 .. N-1 with
 *                    pattern S, K sectors a request, several in flight;
 *                    then read them all back and compare
 *   mode=random seed=S count=C sectors=N  C one-sector writes at sectors
 *                    drawn from S (each its own pattern), then read back
 *                    every sector written and compare with its last write
 *   mode=barrier seed=S  a WRITE_BARRIER of 8 sectors and a flush
 *   mode=die seed=S sectors=N  queue writes of N sectors, push them, and
 *                    crash at once (ud2), leaving them in flight
 *   mode=bench count=N chunk=K  read N sectors, K a request, and time it
 *   mode=io          try the disk's ports directly (a non-dom0 domain
 *                    must be crashed for it)
 */
#include <koan/x86.h>
#include <public/disk_ports.h>

#include "blkfront.h"
#include "blkpattern.h"
#include "events.h"
#include "gnttab.h"
#include "guest.h"

#define CHUNK_MAX 16u /* two pages a request (the ABI allows 11) */
#define MAX_SECTORS 8192u

/* One buffer per slot of the ring, so that 32 requests can be in flight. */
static uint8_t buffers[BLKFRONT_RING_SLOTS][CHUNK_MAX * 512] __attribute__((aligned(4096)));
static uint8_t check[CHUNK_MAX * 512] __attribute__((aligned(4096)));
static uint16_t last_write[MAX_SECTORS]; /* random mode: 1 + the last write's index */
static struct blkfront dev;

static unsigned arg(const char *key, unsigned fallback)
{
	char buf[16];

	return guest_arg(key, buf, sizeof(buf)) ? atou(buf) : fallback;
}

static void fill(uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		blkpattern_fill((uint32_t *)(void *)(buf + i * 512), seed, first + i);
}

/* Sectors of buf that differ from the pattern. */
static unsigned compare(const uint8_t *buf, uint32_t seed, uint32_t first, uint32_t n)
{
	uint32_t want[BLKPATTERN_SECTOR_WORDS];
	unsigned bad = 0;

	for (uint32_t i = 0; i < n; i++) {
		blkpattern_fill(want, seed, first + i);
		bad += memcmp(buf + i * 512, want, 512) != 0;
	}
	return bad;
}

/* Which buffer a request in flight uses: its slot (the id's low bits). */
static unsigned slot_of(uint64_t id)
{
	return (unsigned)(id & (BLKFRONT_RING_SLOTS - 1));
}

/* A request of stream() done: note its result. */
static void collect(unsigned s, uint8_t op, uint64_t id, uint32_t seed, uint32_t first,
		    uint32_t count, unsigned *failed, unsigned *bad)
{
	int status = blkfront_wait(&dev, id);

	if (status != KOAN_BLKIF_RSP_OKAY)
		(*failed)++;
	else if (op == KOAN_BLKIF_OP_READ && bad)
		*bad += compare(buffers[s], seed, first, count);
}

/* Write (or read, to check) sectors 0 .. n-1, chunk at a time, with as
 * many requests in flight as the ring holds. Returns the failed requests
 * (and, reading, counts bad sectors in *bad). */
static unsigned stream(uint8_t op, uint32_t seed, uint32_t n, uint32_t chunk, unsigned *bad)
{
	uint64_t ids[BLKFRONT_RING_SLOTS];
	uint32_t firsts[BLKFRONT_RING_SLOTS], counts[BLKFRONT_RING_SLOTS];
	bool busy[BLKFRONT_RING_SLOTS] = { false };
	unsigned failed = 0, in_flight = 0;
	uint32_t next = 0;

	while (next < n || in_flight) {
		bool queued = false;
		while (next < n) {
			uint32_t count = n - next < chunk ? n - next : chunk;
			uint64_t id;
			unsigned s = 0;
			/* The frontend takes its lowest free slot: use that slot's buffer. */
			while (s < BLKFRONT_RING_SLOTS && busy[s])
				s++;
			if (s == BLKFRONT_RING_SLOTS)
				break;
			if (op == KOAN_BLKIF_OP_WRITE)
				fill(buffers[s], seed, next, count);
			if (blkfront_queue(&dev, op, next, buffers[s], count, &id))
				break;
			if (slot_of(id) != s) {
				result("blk slot-mismatch");
				return failed + 1;
			}
			busy[s] = true, ids[s] = id, firsts[s] = next, counts[s] = count;
			next += count;
			in_flight++;
			queued = true;
		}
		if (queued)
			blkfront_push(&dev);
		blkfront_take_responses(&dev);
		unsigned collected = 0, oldest = BLKFRONT_RING_SLOTS;
		for (unsigned s = 0; s < BLKFRONT_RING_SLOTS; s++) {
			if (!busy[s])
				continue;
			if (!dev.slots[s].done) {
				if (oldest == BLKFRONT_RING_SLOTS || firsts[s] < firsts[oldest])
					oldest = s;
				continue;
			}
			collect(s, op, ids[s], seed, firsts[s], counts[s], &failed, bad);
			busy[s] = false, in_flight--, collected++;
		}
		/* Nothing came back yet and nothing more fits: wait for the oldest. */
		if (!collected && oldest < BLKFRONT_RING_SLOTS && (next >= n || !queued)) {
			collect(oldest, op, ids[oldest], seed, firsts[oldest], counts[oldest],
				&failed, bad);
			busy[oldest] = false, in_flight--;
		}
	}
	return failed;
}

static void pattern(void)
{
	uint32_t seed = arg("seed", 1), n = arg("sectors", 256), chunk = arg("chunk", 8);
	unsigned bad = 0;

	if (chunk == 0 || chunk > CHUNK_MAX)
		chunk = 8;
	if (n > dev.sectors)
		n = (uint32_t)dev.sectors;
	unsigned wfail = stream(KOAN_BLKIF_OP_WRITE, seed, n, chunk, 0);
	unsigned rfail = stream(KOAN_BLKIF_OP_READ, seed, n, chunk, &bad);
	result("blk pattern sectors=%u write-errors=%u read-errors=%u bad=%u", n, wfail, rfail,
	       bad);
}

static void random_writes(void)
{
	uint32_t seed = arg("seed", 1), count = arg("count", 1000), n = arg("sectors", 1024);
	uint32_t state = seed ? seed : 1;
	unsigned failed = 0, bad = 0, distinct = 0;

	if (n > dev.sectors)
		n = (uint32_t)dev.sectors;
	if (n > MAX_SECTORS)
		n = MAX_SECTORS;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t s = blkpattern_next(&state) % n;
		fill(buffers[0], blkpattern_write_seed(seed, i), s, 1);
		failed += blkfront_io(&dev, KOAN_BLKIF_OP_WRITE, s, buffers[0], 1) != 0;
		last_write[s] = (uint16_t)(i + 1);
	}
	for (uint32_t s = 0; s < n; s++) {
		if (!last_write[s])
			continue;
		distinct++;
		failed += blkfront_io(&dev, KOAN_BLKIF_OP_READ, s, check, 1) != 0;
		bad += compare(check, blkpattern_write_seed(seed, last_write[s] - 1u), s, 1);
	}
	result("blk random writes=%u distinct=%u errors=%u bad=%u", count, distinct, failed, bad);
}

static void barrier(void)
{
	uint32_t seed = arg("seed", 1);

	fill(buffers[0], seed, 0, 8);
	int w = blkfront_io(&dev, KOAN_BLKIF_OP_WRITE_BARRIER, 0, buffers[0], 8);
	int f = blkfront_io(&dev, KOAN_BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0);
	int r = blkfront_io(&dev, KOAN_BLKIF_OP_READ, 0, check, 8);
	result("blk barrier=%d flush=%d read=%d bad=%u", w, f, r, compare(check, seed, 0, 8));
}

static void die(void)
{
	uint32_t seed = arg("seed", 1), n = arg("sectors", 64);
	uint64_t id;
	unsigned queued = 0;

	for (uint32_t s = 0; s + 8 <= n && queued < BLKFRONT_RING_SLOTS; s += 8, queued++) {
		fill(buffers[queued], seed, s, 8);
		if (blkfront_queue(&dev, KOAN_BLKIF_OP_WRITE, s, buffers[queued], 8, &id))
			break;
	}
	blkfront_push(&dev);
	result("blk die queued=%u", queued);
	/* An invalid instruction: the hypervisor crashes and destroys us, with
	 * the requests in flight and their pages granted. */
	__asm__ volatile("ud2");
}

static void bench(void)
{
	uint32_t n = arg("count", 4096), chunk = arg("chunk", CHUNK_MAX);
	uint64_t t0, t1;

	if (chunk == 0 || chunk > CHUNK_MAX)
		chunk = CHUNK_MAX;
	if (n > dev.sectors)
		n = (uint32_t)dev.sectors;
	__asm__ volatile("rdtsc" : "=A"(t0));
	unsigned failed = stream(KOAN_BLKIF_OP_READ, 0, n, chunk, 0);
	__asm__ volatile("rdtsc" : "=A"(t1));
	result("blk bench sectors=%u failed=%u cycles=%u cycles-per-sector=%u notifies=%u", n,
	       failed, (unsigned)(t1 - t0), (unsigned)((t1 - t0) / (n ? n : 1)), dev.notifies);
}

void guest_main(const struct koan_start_info *si)
{
	char mode[16] = "pattern";
	int err;

	(void)si;
	guest_arg("mode", mode, sizeof(mode));
	if (strcmp(mode, "io") == 0) {
		result("blk io trying");
		result("blk io status=0x%x", inb(ATA_PRIMARY_BASE + 7)); /* must not be reached */
		return;
	}
	if ((err = events_init()) || (err = gnttab_init())) {
		result("blk init=%d", err);
		return;
	}
	events_enable();
	err = blkfront_connect(&dev);
	result("blk connect=%d sectors=%u", err, (unsigned)dev.sectors);
	if (err)
		return;
	if (strcmp(mode, "pattern") == 0)
		pattern();
	else if (strcmp(mode, "random") == 0)
		random_writes();
	else if (strcmp(mode, "barrier") == 0)
		barrier();
	else if (strcmp(mode, "die") == 0)
		die();
	else if (strcmp(mode, "bench") == 0)
		bench();
	blkfront_disconnect(&dev);
	result("blk done bogus=%u broken=%d", dev.bogus, dev.broken);
}
