/*
 * Lab 5 in QEMU: the block split driver. dom0 runs the backend (blkback)
 * on the machine's disk; frontends write, read back and check; and the
 * grader reads the disk image from the host afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab3-hypercalls/tests/bystander.h"
#include "lab5-split-drivers/guest/include/blkpattern.h"
#include "disk_image.h"
#include "expect.h"
#include "frames_audit.h"
#include "koan_test.h"

/* Every domain's end left the machine's frame table sound (lab 5's audit
 * of every frame, grants included), and nothing stayed orphaned. */
static void expect_ok(const struct run *r)
{
	expect_no_result_prefix(r, "hv crash");
	expect_no_result_prefix(r, "hv deadlock");
	expect_outcome(r, OUTCOME_DONE);
	expect_frames_sound(r, 0);
}

/* The same, except for the one domain the test crashes on purpose. */
static void expect_ok_but_crashed(const struct run *r, unsigned dom)
{
	char prefix[32];

	for (unsigned d = 0; d < SCENARIO_MAX_MODULES; d++) {
		snprintf(prefix, sizeof(prefix), "hv crash dom=%u ", d);
		if (d != dom)
			expect_no_result_prefix(r, prefix);
	}
	expect_no_result_prefix(r, "hv deadlock");
	expect_outcome(r, OUTCOME_DONE);
	expect_frames_sound(r, 0);
}

/* Run dom0's backend and the frontends given, with a blank disk. */
static void run_disk(struct scenario *sc, struct run *r, const char *hv_args, const char *dom0,
		     const char *dom1, const char *dom2, const char *dom3)
{
	scenario_init(sc);
	disk_attach(sc);
	sc->hv_args = hv_args;
	sc->modules[0] = dom0;
	sc->modules[1] = dom1;
	sc->modules[2] = dom2;
	sc->modules[3] = dom3;
	sc->timeout_ms = 60000;
	scenario_run(sc, r);
}

static void pattern_on_disk(const char *hv_args)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char fe[96], want[96];

	snprintf(fe, sizeof(fe), "blktest.elf mode=pattern seed=%u sectors=1024 chunk=8", seed);
	run_disk(&sc, &r, hv_args, "blkback.elf frontends=1 sectors=4096", fe, NULL, NULL);
	expect_result(&r, "d0 blkback disk sectors=8192");
	expect_result(&r, "d1 blk connect=0 sectors=4096");
	expect_result(&r, "d1 blk pattern sectors=1024 write-errors=0 read-errors=0 bad=0");
	snprintf(
		want, sizeof(want),
		"d0 blkback vbd=1 requests=256 refused=0 bad-grants=0 disk-errors=0 closed=closed");
	expect_result(&r, want);
	expect_result(&r, "d1 blk done bogus=0 broken=0");
	expect_ok(&r);
	const uint8_t *img = disk_read(&sc);
	expect_disk_pattern(&r, img, 0, 1024, seed, 0);
	expect_disk_blank(&r, img, 1024, DISK_SECTORS - 1024);
}

/* 1024 sectors through the ring, 8 a request, many in flight; then the
 * image, from the host: every sector where it belongs, nothing else. */
KTEST(lab5_disk_pattern)
{
	pattern_on_disk(NULL);
}

/* The same under the segments guard: grant mappings in both modes. */
KTEST(lab5_disk_pattern_segments)
{
	pattern_on_disk("guard=segments");
}

/* 10,000 one-sector writes at random sectors, then every sector read back;
 * the grader replays the same choices and checks the image. */
KTEST(lab5_random_writes)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed(), state = seed;
	static uint32_t last[1024];
	char fe[96];

	snprintf(fe, sizeof(fe), "blktest.elf mode=random seed=%u count=10000 sectors=1024", seed);
	run_disk(&sc, &r, NULL, "blkback.elf frontends=1 sectors=2048 start=1024", fe, NULL, NULL);
	expect_result_prefix(&r, "d1 blk random writes=10000 distinct=");
	char bad[16], errors[16];
	if (!result_value(&r, "d1 blk random ", "bad", bad, sizeof(bad)) ||
	    !result_value(&r, "d1 blk random ", "errors", errors, sizeof(errors)) ||
	    strcmp(bad, "0") != 0 || strcmp(errors, "0") != 0)
		run_fail(&r, "the frontend read back %s wrong sector(s), with %s failed request(s)",
			 bad, errors);
	expect_ok(&r);
	memset(last, 0, sizeof(last));
	for (uint32_t i = 0; i < 10000; i++)
		last[blkpattern_next(&state) % 1024] = i + 1;
	const uint8_t *img = disk_read(&sc);
	for (uint32_t s = 0; s < 1024; s++) {
		if (!last[s]) {
			expect_disk_blank(&r, img, 1024 + s, 1);
			continue;
		}
		if (!disk_sector_is(img, 1024 + s, blkpattern_write_seed(seed, last[s] - 1), s))
			run_fail(&r,
				 "disk sector %u (the frontend's %u) does not hold the last of the "
				 "writes to it (write number %u)",
				 1024 + s, s, last[s] - 1);
	}
	expect_disk_blank(&r, img, 0, 1024);
	expect_disk_blank(&r, img, 2048, DISK_SECTORS - 2048);
}

/* Two frontends on one backend, each its own region of the disk, with a
 * gap between them: neither writes into the other's, nor into the gap. */
KTEST(lab5_two_frontends)
{
	static struct scenario sc;
	struct run r;
	uint32_t a = random_seed(), b = random_seed() ^ 0x5555u;
	char fa[96], fb[96];

	snprintf(fa, sizeof(fa), "blktest.elf mode=pattern seed=%u sectors=1024 chunk=16", a);
	snprintf(fb, sizeof(fb), "blktest.elf mode=pattern seed=%u sectors=2048 chunk=5", b);
	run_disk(&sc, &r, NULL, "blkback.elf frontends=2 sectors=2048 start=512", fa, fb, NULL);
	expect_result(&r, "d1 blk pattern sectors=1024 write-errors=0 read-errors=0 bad=0");
	expect_result(&r, "d2 blk pattern sectors=2048 write-errors=0 read-errors=0 bad=0");
	expect_ok(&r);
	const uint8_t *img = disk_read(&sc);
	expect_disk_blank(&r, img, 0, 512);
	expect_disk_pattern(&r, img, 512, 1024, a, 0);
	expect_disk_blank(&r, img, 1536, 1024);
	expect_disk_pattern(&r, img, 2560, 2048, b, 0);
	expect_disk_blank(&r, img, 4608, DISK_SECTORS - 4608);
}

/* A frontend is crashed (and so destroyed) with 32 writes in flight, its
 * pages granted: the backend
 * finishes or refuses each, lets go of the ring, and serves the other
 * frontend as before; the dead frontend's frames are freed once the
 * backend unmaps them, and its region holds whole writes or none. */
KTEST(lab5_frontend_dies)
{
	static struct scenario sc;
	struct run r;
	uint32_t a = random_seed(), b = random_seed() ^ 0x7777u;
	char fa[96], fb[96];

	snprintf(fa, sizeof(fa), "blktest.elf mode=die seed=%u sectors=256", a);
	snprintf(fb, sizeof(fb), "blktest.elf mode=pattern seed=%u sectors=1024 chunk=8", b);
	run_disk(&sc, &r, NULL, "blkback.elf frontends=2 sectors=2048", fa, fb, NULL);
	expect_result(&r, "d1 blk die queued=32");
	expect_result_prefix(&r, "d0 blkback vbd=1 ");
	char why[32];
	if (!result_value(&r, "d0 blkback vbd=1 ", "closed", why, sizeof(why)) ||
	    strcmp(why, "frontend-gone") != 0)
		run_fail(&r, "the backend did not see the frontend go (closed=%s)", why);
	expect_result(&r, "d2 blk pattern sectors=1024 write-errors=0 read-errors=0 bad=0");
	expect_result(&r, "d0 blkback done");
	expect_crash(&r, 1, "6", NULL);
	expect_ok_but_crashed(&r, 1);
	const uint8_t *img = disk_read(&sc);
	for (uint32_t s = 0; s < 256; s += 8) {
		int done = disk_sector_is(img, s, a, s), blank = disk_sector_blank(img, s);
		for (uint32_t i = 1; i < 8; i++) {
			done &= disk_sector_is(img, s + i, a, s + i);
			blank &= disk_sector_blank(img, s + i);
		}
		if (!done && !blank)
			run_fail(&r, "the write of sectors %u-%u is neither all there nor absent",
				 s, s + 7);
	}
	expect_disk_blank(&r, img, 256, 2048 - 256);
	expect_disk_pattern(&r, img, 2048, 1024, b, 0);
	expect_disk_blank(&r, img, 3072, DISK_SECTORS - 3072);
}

/* A write barrier and a flush succeed, and the data is on the disk. */
KTEST(lab5_barrier_flush)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char fe[64];

	snprintf(fe, sizeof(fe), "blktest.elf mode=barrier seed=%u", seed);
	run_disk(&sc, &r, NULL, "blkback.elf frontends=1 sectors=64", fe, NULL, NULL);
	expect_result(&r, "d1 blk barrier=0 flush=0 read=0 bad=0");
	expect_ok(&r);
	const uint8_t *img = disk_read(&sc);
	expect_disk_pattern(&r, img, 0, 8, seed, 0);
	expect_disk_blank(&r, img, 8, DISK_SECTORS - 8);
}

/* The disk's ports are dom0's: another domain that tries one is crashed
 * for it, and the backend still serves the frontend next to it. */
KTEST(lab5_disk_dom0_only)
{
	static struct scenario sc;
	struct run r;

	run_disk(&sc, &r, NULL, "blkback.elf frontends=2 sectors=2048", "blktest.elf mode=io",
		 "blktest.elf mode=pattern seed=3 sectors=64", NULL);
	expect_result(&r, "d1 blk io trying");
	expect_no_result_prefix(&r, "d1 blk io status=");
	expect_crash(&r, 1, "13", "port 0x1f7");
	expect_result(&r, "d2 blk pattern sectors=64 write-errors=0 read-errors=0 bad=0");
	expect_result_prefix(&r, "d0 blkback vbd=1 requests=0 ");
	expect_no_result_prefix(&r, "hv deadlock");
	expect_outcome(&r, OUTCOME_DONE);
	expect_frames_sound(&r, 0);
}

/* ---- adversarial frontends and backends, next to a bystander (domain 1) ---- */

static const char *run_attack(struct scenario *sc, struct run *r, const char *dom0,
			      const char *attacker, const char *good)
{
	static char bystander[64];
	const char *token = random_token();

	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s", token);
	run_disk(sc, r, NULL, dom0, bystander, attacker, good);
	return token;
}

static void expect_good_frontend(const struct run *r, const struct scenario *sc, uint32_t seed)
{
	expect_result(r, "d3 blk pattern sectors=256 write-errors=0 read-errors=0 bad=0");
	const uint8_t *img = disk_read(sc);
	expect_disk_pattern(r, img, 2048, 256, seed, 0);
	expect_disk_blank(r, img, 2048 + 256, DISK_SECTORS - 2048 - 256);
}

#define BACKEND_2_3 "blkback.elf first=2 frontends=2 sectors=2048"

static void good_frontend(char *buf, size_t size, uint32_t seed)
{
	snprintf(buf, size, "blktest.elf mode=pattern seed=%u sectors=256 chunk=8", seed);
}

/* Every field of a request wrong in turn (and grants that are not the
 * backend's to use): each gets an error response, and the next good
 * request works. */
KTEST(lab5_bad_requests)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char good[96];

	good_frontend(good, sizeof(good), seed);
	const char *token = run_attack(&sc, &r, BACKEND_2_3, "blkevil.elf mode=bad-requests", good);
	expect_result(&r, "d2 blkevil bad-requests refused=14 of=14 good-after=0");
	expect_result_prefix(&r, "d0 blkback vbd=2 requests=15 refused=9 bad-grants=5 ");
	expect_good_frontend(&r, &sc, seed);
	expect_bystander_intact(&r, token);
	expect_ok(&r);
	expect_disk_blank(&r, disk_read(&sc), 0, 2048);
}

static void overflow(uint32_t ahead)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char good[96], attack[64], want[64];

	good_frontend(good, sizeof(good), seed);
	snprintf(attack, sizeof(attack), "blkevil.elf mode=overflow ahead=%u", ahead);
	const char *token = run_attack(&sc, &r, BACKEND_2_3, attack, good);
	snprintf(want, sizeof(want), "d2 blkevil overflow ahead=%u backend-state=6", ahead);
	expect_result(&r, want);
	expect_result(&r, "d0 blkback vbd=2 requests=0 refused=0 bad-grants=0 disk-errors=0 "
			  "closed=ring-overflow");
	expect_good_frontend(&r, &sc, seed);
	expect_bystander_intact(&r, token);
	expect_ok(&r);
}

/* A producer index 2^31 ahead: the frontend is cut off, no slot read. */
KTEST(lab5_ring_overflow)
{
	overflow(1u << 31);
}

/* One request more than the ring holds: cut off just the same. */
KTEST(lab5_ring_overflow_by_one)
{
	overflow(33);
}

/* 20,000 events with no request behind them: the backend and everyone
 * else carry on, and the flooder's own requests still work. */
KTEST(lab5_event_flood)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char good[96];

	good_frontend(good, sizeof(good), seed);
	const char *token =
		run_attack(&sc, &r, BACKEND_2_3, "blkevil.elf mode=flood count=20000", good);
	expect_result(&r, "d2 blkevil flood events=20000 write=0 read=0");
	expect_good_frontend(&r, &sc, seed);
	expect_bystander_intact(&r, token);
	expect_ok(&r);
}

/* A frontend takes its grant back by force while its request waits: the
 * backend's mapping fails, the request gets an error, nothing is written. */
KTEST(lab5_revoke_in_flight)
{
	static struct scenario sc;
	struct run r;
	uint32_t seed = random_seed();
	char good[96];

	good_frontend(good, sizeof(good), seed);
	const char *token = run_attack(&sc, &r, BACKEND_2_3, "blkevil.elf mode=revoke", good);
	expect_result(&r, "d2 blkevil revoke queued=0 status=-1 then=0");
	expect_result_prefix(&r, "d0 blkback vbd=2 requests=2 refused=0 bad-grants=1 ");
	expect_good_frontend(&r, &sc, seed);
	expect_bystander_intact(&r, token);
	expect_ok(&r);
}

/* A backend that answers with ids never used, answers twice, then moves
 * its response index far ahead: the frontend counts the bogus answers,
 * gives up on the liar, and nothing else is harmed. */
KTEST(lab5_bogus_responses)
{
	static struct scenario sc;
	struct run r;
	static char bystander[64];
	const char *token = random_token();

	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s", token);
	run_disk(&sc, &r, NULL, "blkevil.elf mode=backend fe=2", bystander,
		 "blktest.elf mode=pattern seed=5 sectors=16 chunk=8", NULL);
	expect_result(&r, "d0 blkevil backend map=0 port=1 answered=2");
	expect_result(&r, "d2 blk connect=0 sectors=64");
	char bogus[16], broken[16];
	if (!result_value(&r, "d2 blk done ", "bogus", bogus, sizeof(bogus)) ||
	    !result_value(&r, "d2 blk done ", "broken", broken, sizeof(broken)))
		run_fail(&r, "the frontend did not finish (d2 blk done ...)");
	if (atoi(bogus) < 2 || strcmp(broken, "1") != 0)
		run_fail(&r,
			 "the frontend took %s bogus response(s) (at least 2 expected) and saw the "
			 "backend as broken=%s (1 expected)",
			 bogus, broken);
	expect_bystander_intact(&r, token);
	expect_ok(&r);
}
