/*
 * Lab 6, Exercises 1 to 5: the Borrowed Virtual Time policy (hv/bvt.c), on
 * the host. The policy is pure C over struct bvt_dom (koan/bvt.h), so every
 * rule is tried at its edges: the largest parameters and one more, a warp
 * limit one nanosecond short and reached exactly, an unwarp requirement one
 * nanosecond early and met exactly, an allowance at the gap that uses it up.
 * Virtual times are free-running 64-bit counters compared as sequence
 * numbers, so most cases are tried again with virtual times just below 2^64,
 * some of which have wrapped past 0. Last, the policy alone dispatches
 * simulated domains, 1 ms tick by tick, and their shares must be their
 * weights'.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <koan/bvt.h>
#include <public/hypercall.h>
#include <public/sched_ctl.h>

#include "koan_test.h"

#define U(x) ((unsigned long long)(x))
#define US 1000ull    /* ns */
#define MS 1000000ull /* ns */
#define SEC 1000000000ull
#define C_NS ((uint64_t)BVT_CTX_ALLOW_NS)
#define TURN_MAX ((uint64_t)BVT_TURN_MAX_NS)
#define DEF KOAN_BVT_WEIGHT_DEFAULT
#define WMAX KOAN_BVT_WEIGHT_MAX
#define END UINT64_MAX /* the last virtual time before the wrap */

/* A fresh domain of `weight` with avt = evt = `avt`, queued or not. */
static struct bvt_dom dom_of(uint32_t weight, uint64_t avt, bool queued)
{
	struct bvt_dom d;

	memset(&d, 0, sizeof(d));
	bvt_dom_init(&d);
	d.weight = weight;
	d.avt = d.evt = avt;
	d.queued = queued;
	return d;
}

/* Give d a warp (virtual ns), a limit and an unwarp requirement (ns). */
static void give_warp(struct bvt_dom *d, uint64_t warp, uint64_t warpl_ns, uint64_t warpu_ns)
{
	d->warp = warp;
	d->warpl_ns = warpl_ns;
	d->warpu_ns = warpu_ns;
}

/* Put d's warp in effect, as a wake-up would have. */
static void warp_in_effect(struct bvt_dom *d, uint64_t used_ns)
{
	d->warped = true;
	d->warp_used_ns = used_ns;
	d->evt = d->avt - d->warp;
}

/* A small deterministic generator, for turn lengths. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return rng_state >> 33;
}

/* ---- Exercise 1: a domain's parameters ---- */

static void expect_check(uint32_t weight, uint32_t warp, uint32_t warpl, uint32_t warpu, int want)
{
	struct koan_sched_params p = { weight, warp, warpl, warpu };
	int r = bvt_params_check(&p);

	ck_assert_msg(r == want,
		      "weight %u, warp %u us, warp limit %u us, unwarp %u us: %d, expected %d (%s)",
		      weight, warp, warpl, warpu, r, want, want ? "refused" : "accepted");
}

#define ACCEPT(w, a, l, u) expect_check(w, a, l, u, 0)
#define REFUSE(w, a, l, u) expect_check(w, a, l, u, -KOAN_EINVAL)

KTEST(lab6_params_check_weight)
{
	ACCEPT(1, 0, 0, 0);
	ACCEPT(2, 0, 0, 0);
	ACCEPT(DEF, 0, 0, 0);
	ACCEPT(WMAX - 1, 0, 0, 0);
	ACCEPT(WMAX, 0, 0, 0);
	REFUSE(0, 0, 0, 0);
	REFUSE(WMAX + 1, 0, 0, 0);
	REFUSE(2 * WMAX, 0, 0, 0);
	REFUSE(65536 + DEF, 0, 0, 0); /* DEF as a 16-bit number */
	REFUSE(0x80000000u, 0, 0, 0);
	REFUSE(0x80000000u + DEF, 0, 0, 0);
	REFUSE(0xFFFFFFFFu, 0, 0, 0);
	/* A good warp does not save a bad weight. */
	REFUSE(0, 1000, 1000, 1000);
	REFUSE(WMAX + 1, 1000, 1000, 1000);
	ACCEPT(WMAX, 1000, 1000, 1000);
}

KTEST(lab6_params_check_warp)
{
	/* Each at its maximum, and one more. */
	ACCEPT(DEF, KOAN_BVT_WARP_MAX_US, 1, 0);
	REFUSE(DEF, KOAN_BVT_WARP_MAX_US + 1, 1, 0);
	ACCEPT(DEF, 0, KOAN_BVT_WARPL_MAX_US, 0);
	REFUSE(DEF, 0, KOAN_BVT_WARPL_MAX_US + 1, 0);
	ACCEPT(DEF, 1, KOAN_BVT_WARPL_MAX_US, 0);
	REFUSE(DEF, 1, KOAN_BVT_WARPL_MAX_US + 1, 0);
	ACCEPT(DEF, 0, 0, KOAN_BVT_WARPU_MAX_US);
	REFUSE(DEF, 0, 0, KOAN_BVT_WARPU_MAX_US + 1);
	ACCEPT(DEF, 1, 1, KOAN_BVT_WARPU_MAX_US);
	REFUSE(DEF, 1, 1, KOAN_BVT_WARPU_MAX_US + 1);
	/* All at their maxima together. */
	ACCEPT(WMAX, KOAN_BVT_WARP_MAX_US, KOAN_BVT_WARPL_MAX_US, KOAN_BVT_WARPU_MAX_US);
	REFUSE(WMAX, KOAN_BVT_WARP_MAX_US + 1, KOAN_BVT_WARPL_MAX_US, KOAN_BVT_WARPU_MAX_US);
	REFUSE(WMAX, KOAN_BVT_WARP_MAX_US, KOAN_BVT_WARPL_MAX_US + 1, KOAN_BVT_WARPU_MAX_US);
	REFUSE(WMAX, KOAN_BVT_WARP_MAX_US, KOAN_BVT_WARPL_MAX_US, KOAN_BVT_WARPU_MAX_US + 1);
	/* Far above: values whose nanoseconds overflow 32 bits, 2^31, 2^32 - 1. */
	REFUSE(DEF, 4294968, 1, 0);
	REFUSE(DEF, 0, 4294968, 0);
	REFUSE(DEF, 0, 0, 4294968 * 3);
	REFUSE(DEF, 0x80000000u, 1, 0);
	REFUSE(DEF, 0, 0x80000000u, 0);
	REFUSE(DEF, 0, 0, 0x80000000u);
	REFUSE(DEF, 0xFFFFFFFFu, 1, 0);
	REFUSE(DEF, 0, 0xFFFFFFFFu, 0);
	REFUSE(DEF, 0, 0, 0xFFFFFFFFu);
	/* A warp without a limit would never unwarp. */
	REFUSE(DEF, 1, 0, 0);
	REFUSE(DEF, KOAN_BVT_WARP_MAX_US, 0, 0);
	REFUSE(DEF, 1000, 0, KOAN_BVT_WARPU_MAX_US);
	/* A limit or an unwarp requirement without a warp is harmless. */
	ACCEPT(DEF, 0, 0, 0);
	ACCEPT(DEF, 0, 5000, 0);
	ACCEPT(DEF, 0, 5000, 10000);
	ACCEPT(DEF, 0, 0, 10000);
	ACCEPT(DEF, 1, 1, 0);
	ACCEPT(DEF, 2000, 5000, 10000);
}

static void expect_params(const struct bvt_dom *d, struct koan_sched_params want, const char *when)
{
	struct koan_sched_params p;

	memset(&p, 0xA5, sizeof(p));
	bvt_params_get(d, &p);
	ck_assert_msg(p.weight == want.weight && p.warp_us == want.warp_us &&
			      p.warpl_us == want.warpl_us && p.warpu_us == want.warpu_us,
		      "%s: got back weight %u, warp %u us, limit %u us, unwarp %u us; expected "
		      "%u, %u, %u, %u",
		      when, p.weight, p.warp_us, p.warpl_us, p.warpu_us, want.weight, want.warp_us,
		      want.warpl_us, want.warpu_us);
}

static void expect_units(const struct bvt_dom *d, const struct koan_sched_params *p,
			 const char *when)
{
	ck_assert_msg(d->weight == p->weight, "%s: weight %u, expected %u", when, d->weight,
		      p->weight);
	ck_assert_msg(d->warp == p->warp_us * US, "%s: warp of %llu virtual ns, expected %llu",
		      when, U(d->warp), U(p->warp_us * US));
	ck_assert_msg(d->warpl_ns == p->warpl_us * US, "%s: warp limit of %llu ns, expected %llu",
		      when, U(d->warpl_ns), U(p->warpl_us * US));
	ck_assert_msg(d->warpu_ns == p->warpu_us * US,
		      "%s: unwarp requirement of %llu ns, expected %llu", when, U(d->warpu_ns),
		      U(p->warpu_us * US));
}

KTEST(lab6_params_set_get)
{
	struct bvt_dom d;
	static const struct koan_sched_params cases[] = {
		{ 250, 3000, 7000, 11000 },
		{ WMAX, KOAN_BVT_WARP_MAX_US, KOAN_BVT_WARPL_MAX_US, KOAN_BVT_WARPU_MAX_US },
		{ 1, 0, 0, 0 },
		{ 7, 1, 1, 1 },
		{ DEF, 0, 4999, 9999999 },
	};
	char when[96];

	bvt_dom_init(&d);
	expect_params(&d, (struct koan_sched_params){ DEF, 0, 0, 0 }, "a new domain");
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct koan_sched_params *p = &cases[i];

		snprintf(when, sizeof(when), "set weight %u, warp %u us, limit %u us, unwarp %u us",
			 p->weight, p->warp_us, p->warpl_us, p->warpu_us);
		d = dom_of(DEF, 123456789, true);
		d.cpu_ns = 5 * SEC;
		bvt_params_set(&d, p);
		expect_units(&d, p, when);
		expect_params(&d, *p, when);
		ck_assert_msg(d.avt == 123456789 && d.evt == 123456789,
			      "%s (not warped): avt %llu, evt %llu, expected both unchanged at "
			      "123456789",
			      when, U(d.avt), U(d.evt));
		ck_assert_msg(d.queued && !d.warped && d.cpu_ns == 5 * SEC,
			      "%s: the queue, the warp or the CPU of the domain changed", when);
	}
	/* Set twice: the second wins. */
	bvt_params_set(&d, &cases[0]);
	bvt_params_set(&d, &cases[3]);
	expect_params(&d, cases[3], "set twice");
}

KTEST(lab6_params_set_warp)
{
	struct bvt_dom d;
	struct koan_sched_params p;
	const uint64_t avt = 50 * MS;

	/* Warped by 2 ms of virtual time, 3 ms of its 10 ms limit used. */
#define WARPED()                                         \
	do {                                             \
		d = dom_of(DEF, avt, true);              \
		give_warp(&d, 2 * MS, 10 * MS, 20 * MS); \
		warp_in_effect(&d, 3 * MS);              \
	} while (0)

	WARPED();
	p = (struct koan_sched_params){ DEF, 0, 10000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(!d.warped, "a warped domain whose warp is set to 0 is still warped");
	ck_assert_msg(d.evt == avt, "a warp set to 0: evt %llu, expected its avt %llu", U(d.evt),
		      U(avt));

	WARPED();
	p = (struct koan_sched_params){ DEF, 0, 0, 0 };
	bvt_params_set(&d, &p);
	ck_assert_msg(
		!d.warped && d.evt == avt,
		"all warp parameters set to 0: warped %d, evt %llu, expected unwarped at %llu",
		d.warped, U(d.evt), U(avt));

	WARPED();
	p = (struct koan_sched_params){ DEF, 5000, 10000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(d.warped, "a warp changed from 2 ms to 5 ms ended the warp in effect");
	ck_assert_msg(d.evt == avt - 5 * MS,
		      "a warp changed from 2 ms to 5 ms: evt %llu, expected avt - 5 ms = %llu",
		      U(d.evt), U(avt - 5 * MS));

	/* A new limit it has already used: the warp ends; a little more: not. */
	WARPED();
	p = (struct koan_sched_params){ DEF, 2000, 3000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(!d.warped && d.evt == avt,
		      "a warp limit set to the 3 ms already used: warped %d, evt %llu, expected "
		      "unwarped at %llu",
		      d.warped, U(d.evt), U(avt));
	WARPED();
	p = (struct koan_sched_params){ DEF, 2000, 2000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(!d.warped && d.evt == avt,
		      "a warp limit set below the 3 ms already used: warped %d, evt %llu", d.warped,
		      U(d.evt));
	WARPED();
	p = (struct koan_sched_params){ DEF, 2000, 3001, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(d.warped && d.evt == avt - 2 * MS,
		      "a warp limit set to 3.001 ms, 3 ms used: warped %d, evt %llu, expected "
		      "warped at %llu",
		      d.warped, U(d.evt), U(avt - 2 * MS));

	/* The weight changes under a warp: the warp stays. */
	WARPED();
	p = (struct koan_sched_params){ 400, 2000, 10000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(d.weight == 400 && d.warped && d.evt == avt - 2 * MS,
		      "a new weight for a warped domain: weight %u, warped %d, evt %llu", d.weight,
		      d.warped, U(d.evt));

	/* Not warped: a new warp waits for a wake-up. */
	d = dom_of(DEF, avt, true);
	p = (struct koan_sched_params){ DEF, 2000, 10000, 20000 };
	bvt_params_set(&d, &p);
	ck_assert_msg(!d.warped && d.evt == avt,
		      "a warp given to a domain not warped put it in effect at once (warped %d, "
		      "evt %llu)",
		      d.warped, U(d.evt));
#undef WARPED
}

/* ---- Exercise 2: what a turn costs ---- */

static void expect_vt(uint32_t weight, uint64_t ran, uint32_t carry_in)
{
	unsigned __int128 scaled = (unsigned __int128)ran * DEF + carry_in;
	uint64_t want = (uint64_t)(scaled / weight);
	uint32_t want_carry = (uint32_t)(scaled % weight);
	uint32_t carry = carry_in;
	uint64_t got = bvt_vt_for(weight, ran, &carry);

	ck_assert_msg(got == want && carry == want_carry,
		      "%llu ns at weight %u, carry %u coming in: %llu virtual ns, carry %u; "
		      "expected %llu, carry %u",
		      U(ran), weight, carry_in, U(got), carry, U(want), want_carry);
}

KTEST(lab6_vt_for)
{
	const uint64_t longest = ((uint64_t)1 << 50) - 1;

	expect_vt(DEF, 0, 0);
	expect_vt(DEF, 1, 0);
	expect_vt(DEF, MS, 0);
	expect_vt(DEF, 20 * MS, 0);
	expect_vt(1, 1, 0);
	expect_vt(1, MS, 0);
	expect_vt(2, 1, 0);
	expect_vt(3, 1, 0);
	expect_vt(3, 1, 2);
	expect_vt(7, 1, 6);
	expect_vt(7, 0, 5);
	expect_vt(99, 1, 98);
	expect_vt(101, 1, 0);
	expect_vt(200, 3, 0);
	expect_vt(200, 3, 100);
	expect_vt(300, 1, 299);
	expect_vt(WMAX, 1, 0);
	expect_vt(WMAX, 99, 9900);
	expect_vt(WMAX, 100, 0);
	expect_vt(WMAX, 1, WMAX - 1);
	expect_vt(WMAX, MS, 0);
	expect_vt(WMAX - 1, 1234567, WMAX - 2);
	/* The longest turn: no overflow on the way. */
	expect_vt(1, longest, 0);
	expect_vt(DEF, longest, 0);
	expect_vt(3, longest, 2);
	expect_vt(WMAX - 1, longest, WMAX - 2);
	expect_vt(WMAX, longest, WMAX - 1);
	/* 100 one-ns turns at the largest weight: one virtual ns in all. */
	uint32_t carry = 0;
	uint64_t sum = 0;
	for (unsigned i = 0; i < 100; i++) {
		sum += bvt_vt_for(WMAX, 1, &carry);
		ck_assert_msg(sum == (i == 99), "%u one-ns turns at weight %u: %llu virtual ns",
			      i + 1, WMAX, U(sum));
	}
	ck_assert_msg(carry == 0, "100 one-ns turns at weight %u leave carry %u, expected 0", WMAX,
		      carry);
}

KTEST(lab6_vt_for_carry)
{
	static const uint32_t weights[] = { 1, 2, 3, 7, 99, 100, 101, 333, 4097, 9999, WMAX };

	rng_state = 42;
	for (unsigned k = 0; k < sizeof(weights) / sizeof(weights[0]); k++) {
		uint32_t w = weights[k], carry = 0, long_carry = 0;
		uint64_t sum = 0, total = 0;

		for (unsigned i = 0; i < 3000; i++) {
			uint64_t ran = i % 4 == 0 ? rnd() % 8 : 1 + rnd() % (3 * MS);

			sum += bvt_vt_for(w, ran, &carry);
			total += ran;
			ck_assert_msg(carry < w,
				      "weight %u, turn %u: carry %u, not below the weight", w, i,
				      carry);
			ck_assert_msg(
				sum * w + carry == total * DEF,
				"weight %u: after %u short turns of %llu ns in all, %llu "
				"virtual ns and carry %u; one turn as long costs %llu, carry %llu",
				w, i + 1, U(total), U(sum), carry, U(total * DEF / w),
				U(total * DEF % w));
		}
		uint64_t once = bvt_vt_for(w, total, &long_carry);
		ck_assert_msg(
			once == sum && long_carry == carry,
			"weight %u: 3000 short turns cost %llu (carry %u), one long turn %llu "
			"(carry %u)",
			w, U(sum), carry, U(once), long_carry);
	}
}

KTEST(lab6_account)
{
	struct bvt_dom d = dom_of(DEF, 1000, true);

	bvt_account(&d, 5 * MS, 10 * MS);
	ck_assert_msg(d.cpu_ns == 5 * MS, "5 ms run: CPU %llu ns", U(d.cpu_ns));
	ck_assert_msg(d.avt == 1000 + 5 * MS && d.evt == d.avt,
		      "5 ms at the default weight from avt 1000: avt %llu, evt %llu, expected %llu",
		      U(d.avt), U(d.evt), U(1000 + 5 * MS));
	bvt_account(&d, 3 * MS, 13 * MS);
	ck_assert_msg(d.cpu_ns == 8 * MS && d.avt == 1000 + 8 * MS && d.evt == d.avt,
		      "then 3 ms more: CPU %llu, avt %llu, evt %llu", U(d.cpu_ns), U(d.avt),
		      U(d.evt));

	/* Its own weight and its own carry. */
	d = dom_of(400, 0, true);
	for (unsigned i = 1; i <= 8; i++) {
		bvt_account(&d, 1, i);
		ck_assert_msg(d.avt == i / 4 && d.evt == d.avt && d.cpu_ns == i,
			      "%u one-ns turns at weight 400: avt %llu, evt %llu, CPU %llu", i,
			      U(d.avt), U(d.evt), U(d.cpu_ns));
	}
	d = dom_of(1, 0, true);
	bvt_account(&d, 7, 7);
	ck_assert_msg(d.avt == 700, "7 ns at weight 1: avt %llu, expected 700", U(d.avt));

	/* Many turns across the wrap at 2^64: exactly one long turn's cost. */
	rng_state = 7;
	static const uint32_t weights[] = { 3, 101, 9999 };
	for (unsigned k = 0; k < 3; k++) {
		uint32_t w = weights[k];
		const uint64_t start = END - 12345;
		uint64_t total = 0, now = 0;

		d = dom_of(w, start, true);
		for (unsigned i = 0; i < 2000; i++) {
			uint64_t ran = 1 + rnd() % (2 * MS);
			total += ran;
			now += ran + 17;
			bvt_account(&d, ran, now);
		}
		uint64_t want = start + total * DEF / w;
		ck_assert_msg(d.avt == want && d.vt_carry == total * DEF % w && d.evt == d.avt &&
				      d.cpu_ns == total,
			      "2000 turns (%llu ns) at weight %u from avt 2^64 - 12346: avt %llu, "
			      "carry %u, evt %llu, CPU %llu; expected avt %llu, carry %llu",
			      U(total), w, U(d.avt), d.vt_carry, U(d.evt), U(d.cpu_ns), U(want),
			      U(total * DEF % w));
	}

	/* Warped: the avt advances all the same, the evt stays the warp below. */
	d = dom_of(DEF, 40 * MS, true);
	give_warp(&d, 2 * MS, 10 * MS, 20 * MS);
	warp_in_effect(&d, 0);
	bvt_account(&d, 3 * MS, 100 * MS);
	ck_assert_msg(d.avt == 43 * MS && d.cpu_ns == 3 * MS,
		      "3 ms warped: avt %llu, CPU %llu, expected avt %llu", U(d.avt), U(d.cpu_ns),
		      U(43 * MS));
	ck_assert_msg(d.warped && d.warp_used_ns == 3 * MS,
		      "3 ms warped of a 10 ms limit: warped %d, %llu ns counted as warped",
		      d.warped, U(d.warp_used_ns));
	ck_assert_msg(d.evt == 41 * MS, "3 ms warped: evt %llu, expected avt - warp = %llu",
		      U(d.evt), U(41 * MS));
	/* A warp below 0: the evt wraps. */
	d = dom_of(DEF, 1000, true);
	give_warp(&d, 2 * MS, 10 * MS, 0);
	warp_in_effect(&d, 0);
	bvt_account(&d, 500, 1);
	ck_assert_msg(d.evt == (uint64_t)(1500 - 2 * MS),
		      "avt 1500 warped by 2 ms: evt %llu, expected %llu (wrapped)", U(d.evt),
		      U((uint64_t)(1500 - 2 * MS)));
	/* Not warped: nothing of the warp changes. */
	d = dom_of(DEF, 0, true);
	give_warp(&d, 2 * MS, 1 * MS, 20 * MS);
	d.unwarp_until_ns = 1234;
	bvt_account(&d, 5 * MS, 6 * MS);
	ck_assert_msg(!d.warped && d.unwarp_until_ns == 1234 && d.evt == d.avt,
		      "a turn of a domain not warped (past its warp limit's length) changed its "
		      "warp: warped %d, no warp before %llu (was 1234), evt %llu, avt %llu",
		      d.warped, U(d.unwarp_until_ns), U(d.evt), U(d.avt));
}

KTEST(lab6_account_warp_limit)
{
	struct bvt_dom d;
	const uint64_t t = 100 * MS;

	/* One ns short of the 5 ms limit, then the last ns. */
	d = dom_of(DEF, 10 * MS, true);
	give_warp(&d, 2 * MS, 5 * MS, 7 * MS);
	warp_in_effect(&d, 0);
	bvt_account(&d, 5 * MS - 1, t);
	ck_assert_msg(d.warped, "5 ms - 1 ns warped of a 5 ms limit: the warp ended");
	ck_assert_msg(d.evt == d.avt - 2 * MS,
		      "5 ms - 1 ns warped: evt %llu, expected avt - warp = %llu", U(d.evt),
		      U(d.avt - 2 * MS));
	bvt_account(&d, 1, t + 1);
	ck_assert_msg(!d.warped, "the 5 ms limit reached (the last ns): still warped");
	ck_assert_msg(d.evt == d.avt, "unwarped at its limit: evt %llu, expected its avt %llu",
		      U(d.evt), U(d.avt));
	ck_assert_msg(d.unwarp_until_ns == t + 1 + 7 * MS,
		      "unwarped at time %llu with an unwarp requirement of 7 ms: no warp before "
		      "%llu, expected %llu",
		      U(t + 1), U(d.unwarp_until_ns), U(t + 1 + 7 * MS));
	ck_assert_msg(d.avt == 15 * MS, "avt %llu after 5 ms run warped from 10 ms, expected %llu",
		      U(d.avt), U(15 * MS));

	/* Exactly the limit in one turn. */
	d = dom_of(DEF, 10 * MS, true);
	give_warp(&d, 2 * MS, 5 * MS, 7 * MS);
	warp_in_effect(&d, 0);
	bvt_account(&d, 5 * MS, t);
	ck_assert_msg(!d.warped && d.evt == d.avt && d.unwarp_until_ns == t + 7 * MS,
		      "exactly the 5 ms limit in one turn ending at %llu: warped %d, evt %llu "
		      "(avt %llu), no warp before %llu",
		      U(t), d.warped, U(d.evt), U(d.avt), U(d.unwarp_until_ns));

	/* Past it, in three turns: the warped CPU adds up. */
	d = dom_of(DEF, 10 * MS, true);
	give_warp(&d, 2 * MS, 5 * MS, 7 * MS);
	warp_in_effect(&d, 0);
	bvt_account(&d, 2 * MS, t);
	bvt_account(&d, 2 * MS, t + 3 * MS);
	ck_assert_msg(d.warped && d.warp_used_ns == 4 * MS,
		      "4 ms warped in two turns of a 5 ms limit: warped %d, %llu ns counted",
		      d.warped, U(d.warp_used_ns));
	bvt_account(&d, 3 * MS, t + 9 * MS);
	ck_assert_msg(!d.warped && d.evt == d.avt && d.unwarp_until_ns == t + 16 * MS,
		      "7 ms warped in three turns of a 5 ms limit, the last ending at %llu: warped "
		      "%d, evt %llu (avt %llu), no warp before %llu",
		      U(t + 9 * MS), d.warped, U(d.evt), U(d.avt), U(d.unwarp_until_ns));

	/* No unwarp requirement: it may warp again at once. */
	d = dom_of(DEF, 0, true);
	give_warp(&d, 2 * MS, 1 * MS, 0);
	warp_in_effect(&d, 0);
	d.unwarp_until_ns = 5;
	bvt_account(&d, 1 * MS, t);
	ck_assert_msg(!d.warped && d.unwarp_until_ns == t,
		      "a limit reached at %llu with no unwarp requirement: warped %d, no warp "
		      "before %llu",
		      U(t), d.warped, U(d.unwarp_until_ns));

	/* The largest warp limit and unwarp requirement. */
	d = dom_of(WMAX, 0, true);
	give_warp(&d, KOAN_BVT_WARP_MAX_US * US, KOAN_BVT_WARPL_MAX_US * US,
		  KOAN_BVT_WARPU_MAX_US * US);
	warp_in_effect(&d, 0);
	bvt_account(&d, KOAN_BVT_WARPL_MAX_US * US - 1, 3 * SEC);
	ck_assert_msg(d.warped, "1 s - 1 ns warped of a 1 s limit: the warp ended");
	bvt_account(&d, 1, 3 * SEC + 1);
	ck_assert_msg(!d.warped && d.unwarp_until_ns == 3 * SEC + 1 + 10 * SEC,
		      "the 1 s limit reached at %llu, unwarp 10 s: warped %d, no warp before %llu",
		      U(3 * SEC + 1), d.warped, U(d.unwarp_until_ns));
}

/* ---- Exercise 3: waking up ---- */

static void expect_wake_avt(uint64_t svt, uint64_t avt, uint64_t want, const char *what)
{
	struct bvt_sys sys = { .svt = svt };
	struct bvt_dom d = dom_of(DEF, avt, false);

	d.cpu_ns = 77;
	bvt_wake(&sys, &d, 5 * SEC, false);
	ck_assert_msg(d.avt == want && d.evt == want,
		      "%s: avt %llu woken with the system's virtual time at %llu: avt %llu, evt "
		      "%llu; expected both %llu",
		      what, U(avt), U(svt), U(d.avt), U(d.evt), U(want));
	ck_assert_msg(d.queued, "%s: a woken domain is not queued", what);
	ck_assert_msg(!d.warped, "%s: a domain without a warp woke warped", what);
	ck_assert_msg(sys.svt == svt, "%s: a wake-up changed the system's virtual time", what);
	ck_assert_msg(d.weight == DEF && d.cpu_ns == 77,
		      "%s: a wake-up changed the weight or the CPU", what);
	ck_assert_msg(d.wakeups == 0 && !d.wake_pending,
		      "%s: an uncounted wake-up was counted (%u wake-ups)", what, d.wakeups);
}

KTEST(lab6_wake_rule)
{
	expect_wake_avt(50 * MS, 10 * MS, 50 * MS, "behind: raised");
	expect_wake_avt(50 * MS, 50 * MS - 1, 50 * MS, "1 behind: raised");
	expect_wake_avt(50 * MS, 0, 50 * MS, "at 0: raised");
	expect_wake_avt(50 * MS, 80 * MS, 80 * MS, "ahead: kept");
	expect_wake_avt(50 * MS, 50 * MS + 1, 50 * MS + 1, "1 ahead: kept");
	expect_wake_avt(50 * MS, 50 * MS, 50 * MS, "equal: kept");
	expect_wake_avt(0, 0, 0, "all 0");
	/* Across the wrap. */
	expect_wake_avt(5, END - 10, 5, "behind, the system's wrapped past 0: raised");
	expect_wake_avt(1000, END, 1000, "at 2^64 - 1, the system's at 1000: raised");
	expect_wake_avt(END - 10, 5, 5, "wrapped past 0, the system's not yet: kept");
	expect_wake_avt(END - 1000, END - 2000, END - 1000, "both near 2^64: raised");
	expect_wake_avt(END - 2000, END - 1000, END - 1000, "both near 2^64: kept");
	expect_wake_avt(END, 0, 0, "0, just past the system's 2^64 - 1: kept");
	expect_wake_avt(0, END, 0, "2^64 - 1, just behind the system's 0: raised");
}

KTEST(lab6_wake_warp)
{
	struct bvt_sys sys = { .svt = 50 * MS };
	struct bvt_dom d;
	const uint64_t warp = 3 * MS;

	/* Warped as it wakes, from the raised avt, with the warped CPU from 0. */
	d = dom_of(DEF, 10 * MS, false);
	give_warp(&d, warp, 5 * MS, 10 * MS);
	d.warp_used_ns = 4 * MS;
	bvt_wake(&sys, &d, SEC, false);
	ck_assert_msg(d.warped, "a domain with a warp (and no unwarp requirement) woke unwarped");
	ck_assert_msg(d.avt == 50 * MS && d.evt == 50 * MS - warp,
		      "woken warped, avt 10 ms behind the system's 50 ms: avt %llu, evt %llu; "
		      "expected %llu and %llu",
		      U(d.avt), U(d.evt), U(50 * MS), U(50 * MS - warp));
	ck_assert_msg(d.warp_used_ns == 0,
		      "a warp begins with %llu ns already counted (4 ms left from the last)",
		      U(d.warp_used_ns));
	ck_assert_msg(d.queued, "a woken domain is not queued");

	/* No warp: never warped. */
	d = dom_of(DEF, 60 * MS, false);
	give_warp(&d, 0, 5 * MS, 10 * MS);
	bvt_wake(&sys, &d, SEC, false);
	ck_assert_msg(!d.warped && d.evt == 60 * MS,
		      "a domain without a warp (but a limit) woke warped %d, evt %llu", d.warped,
		      U(d.evt));

	/* A warp that wraps below 0. */
	struct bvt_sys zero = { .svt = 1000 };
	d = dom_of(DEF, 0, false);
	give_warp(&d, warp, 5 * MS, 0);
	bvt_wake(&zero, &d, SEC, false);
	ck_assert_msg(d.warped && d.avt == 1000 && d.evt == (uint64_t)(1000 - warp),
		      "woken at avt 1000 with a 3 ms warp: warped %d, avt %llu, evt %llu, "
		      "expected %llu",
		      d.warped, U(d.avt), U(d.evt), U((uint64_t)(1000 - warp)));

	/* The unwarp requirement: not one ns early; at its end exactly, yes. */
	d = dom_of(DEF, 60 * MS, false);
	give_warp(&d, warp, 5 * MS, 10 * MS);
	d.unwarp_until_ns = 200 * MS;
	bvt_wake(&sys, &d, 200 * MS - 1, false);
	ck_assert_msg(!d.warped && d.evt == 60 * MS,
		      "woken 1 ns before its unwarp requirement ends: warped %d, evt %llu",
		      d.warped, U(d.evt));
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, 200 * MS, false);
	ck_assert_msg(d.warped && d.evt == 60 * MS - warp,
		      "woken as its unwarp requirement ends: warped %d, evt %llu, expected %llu",
		      d.warped, U(d.evt), U(60 * MS - warp));

	/* All along: warp, run to the limit, wait out the requirement, warp again. */
	const uint64_t t0 = 2 * SEC, t1 = t0 + 6 * MS, until = t1 + 10 * MS;
	d = dom_of(DEF, 0, false);
	give_warp(&d, warp, 5 * MS, 10 * MS);
	bvt_wake(&sys, &d, t0, false);
	ck_assert_msg(d.warped, "the first wake-up at %llu: not warped", U(t0));
	bvt_account(&d, 5 * MS, t1);
	ck_assert_msg(!d.warped && d.unwarp_until_ns == until,
		      "5 ms run warped of a 5 ms limit ending at %llu: warped %d, no warp before "
		      "%llu, expected %llu",
		      U(t1), d.warped, U(d.unwarp_until_ns), U(until));
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, until - 1, false);
	ck_assert_msg(!d.warped, "woken 1 ns before the end of its unwarp requirement: warped");
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, until, false);
	ck_assert_msg(d.warped && d.warp_used_ns == 0 && d.evt == d.avt - warp,
		      "woken as its unwarp requirement ends: warped %d, %llu ns used, evt %llu "
		      "(avt %llu)",
		      d.warped, U(d.warp_used_ns), U(d.evt), U(d.avt));
	bvt_account(&d, 5 * MS - 1, until + 5 * MS);
	ck_assert_msg(d.warped, "the second warp ended before its full limit");
}

KTEST(lab6_wake_dequeue)
{
	struct bvt_sys sys = { .svt = 0 };
	struct bvt_dom d = dom_of(DEF, 30 * MS, false);

	/* Counted: counted, and its time kept. */
	bvt_wake(&sys, &d, 12345, true);
	ck_assert_msg(d.queued && d.wakeups == 1 && d.wake_pending && d.woken_ns == 12345,
		      "a counted wake-up at 12345: queued %d, %u wake-ups, pending %d, at %llu",
		      d.queued, d.wakeups, d.wake_pending, U(d.woken_ns));
	/* Dequeued: out, and the latency not measured is forgotten. */
	bvt_dequeue(&d);
	ck_assert_msg(!d.queued, "a dequeued domain is still queued");
	ck_assert_msg(!d.wake_pending, "a dequeued domain still waits for its dispatch latency");
	ck_assert_msg(d.wakeups == 1 && d.avt == 30 * MS && d.evt == 30 * MS,
		      "a dequeue changed the wake-ups (%u) or the virtual times (avt %llu, evt "
		      "%llu)",
		      d.wakeups, U(d.avt), U(d.evt));
	/* Not counted: not counted. */
	bvt_wake(&sys, &d, 20000, false);
	ck_assert_msg(d.queued && d.wakeups == 1 && !d.wake_pending,
		      "an uncounted wake-up: queued %d, %u wake-ups (expected 1), pending %d",
		      d.queued, d.wakeups, d.wake_pending);
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, 30000, true);
	ck_assert_msg(d.wakeups == 2 && d.wake_pending && d.woken_ns == 30000,
		      "a second counted wake-up at 30000: %u wake-ups, pending %d, at %llu",
		      d.wakeups, d.wake_pending, U(d.woken_ns));

	/* Dequeued warped: unwarped, with no unwarp requirement. */
	d = dom_of(DEF, 30 * MS, false);
	give_warp(&d, 2 * MS, 5 * MS, 10 * MS);
	bvt_wake(&sys, &d, SEC, false);
	bvt_account(&d, 1 * MS, SEC + 1 * MS);
	ck_assert_msg(d.warped, "warped, 1 ms used of 5 ms: the warp ended");
	bvt_dequeue(&d);
	ck_assert_msg(!d.queued && !d.warped && d.evt == d.avt,
		      "a warped domain dequeued: queued %d, warped %d, evt %llu (avt %llu)",
		      d.queued, d.warped, U(d.evt), U(d.avt));
	ck_assert_msg(d.unwarp_until_ns <= SEC + 1 * MS,
		      "a domain dequeued warped may not warp before %llu: a dequeue has no unwarp "
		      "requirement",
		      U(d.unwarp_until_ns));
	bvt_wake(&sys, &d, SEC + 1 * MS, false);
	ck_assert_msg(d.warped && d.warp_used_ns == 0,
		      "woken again at once after a dequeue: warped %d, %llu ns used", d.warped,
		      U(d.warp_used_ns));
}

/* ---- Exercise 4: the dispatch decision ---- */

/*
 * n domains of the default weight, avt = evt = vts[i], queued where q[i] is
 * 'q' (and not where it is '-').
 */
static void line_up(struct bvt_dom *d, struct bvt_dom **doms, unsigned n, const uint64_t *vts,
		    const char *q)
{
	for (unsigned i = 0; i < n; i++) {
		d[i] = dom_of(DEF, vts[i], q[i] == 'q');
		doms[i] = &d[i];
	}
}

static void expect_svt(const uint64_t *vts, const char *q, unsigned n, uint64_t before,
		       uint64_t want, const char *what)
{
	struct bvt_dom d[8];
	struct bvt_dom *doms[8] = { 0 };
	struct bvt_sys sys = { .svt = before };

	line_up(d, doms, n, vts, q);
	bvt_update_svt(&sys, doms, n);
	ck_assert_msg(sys.svt == want,
		      "%s (queued: %s): the system's virtual time %llu, expected %llu", what, q,
		      U(sys.svt), U(want));
}

KTEST(lab6_svt)
{
	const uint64_t a[] = { 30, 10, 20, 5 };
	const uint64_t b[] = { 0, 40, 25, 90 };
	const uint64_t c[] = { 7 * MS, 3 * MS, 5 * MS };

	expect_svt(a, "qqqq", 4, 0, 5, "all queued");
	expect_svt(a, "qqq-", 4, 0, 10, "the lowest not queued");
	expect_svt(a, "-qq-", 4, 0, 10, "two not queued");
	expect_svt(a, "q---", 4, 0, 30, "only the first queued");
	expect_svt(a, "---q", 4, 0, 5, "only the last queued");
	expect_svt(b, "-qqq", 4, 0, 25, "the first not queued, at 0");
	expect_svt(b, "-q-q", 4, 0, 40, "the first not queued, at 0");
	/* It follows the queue, back as well as forward. */
	expect_svt(a, "qqq-", 4, 100, 10, "the last one 100");
	expect_svt(c, "qqq", 3, 4 * MS, 3 * MS, "the last one 4 ms");
	expect_svt(c, "q-q", 3, 4 * MS, 5 * MS, "the last one 4 ms");
	/* None queued: unchanged. */
	expect_svt(a, "----", 4, 777, 777, "none queued");
	expect_svt(a, "----", 4, END - 3, END - 3, "none queued");
	expect_svt(a, "qqqq", 0, 777, 777, "no domains");

	/* The avt, not the evt of a warped domain. */
	struct bvt_dom d[2] = { dom_of(DEF, 10 * MS, true), dom_of(DEF, 12 * MS, true) };
	struct bvt_dom *doms[2] = { &d[0], &d[1] };
	struct bvt_sys sys = { .svt = 0 };
	give_warp(&d[1], 5 * MS, 5 * MS, 0);
	warp_in_effect(&d[1], 0);
	bvt_update_svt(&sys, doms, 2);
	ck_assert_msg(sys.svt == 10 * MS,
		      "avts 10 ms and 12 ms (warped to an evt of 7 ms): the system's virtual time "
		      "%llu, expected %llu",
		      U(sys.svt), U(10 * MS));
	/* And nothing of the domains changes. */
	ck_assert_msg(d[0].avt == 10 * MS && d[1].avt == 12 * MS && d[1].evt == 7 * MS &&
			      d[0].queued && d[1].queued,
		      "taking the system's virtual time changed a domain");
}

KTEST(lab6_svt_wrap)
{
	const uint64_t a[] = { END - 100, 50, END - 5, 3 };
	const uint64_t b[] = { 3, 50, END - 5, END - 100 };
	const uint64_t c[] = { 0, END, 1 };
	const uint64_t e[] = { END - 1000, 10, END - 100, 20 };

	expect_svt(a, "qqqq", 4, 0, END - 100, "2^64 - 101, 50, 2^64 - 6, 3");
	expect_svt(b, "qqqq", 4, 0, END - 100, "3, 50, 2^64 - 6, 2^64 - 101");
	expect_svt(b, "qqq-", 4, 0, END - 5, "3, 50, 2^64 - 6 (2^64 - 101 not queued)");
	expect_svt(b, "qq--", 4, END - 100, 3, "3, 50 past 0");
	expect_svt(c, "qqq", 3, 0, END, "0, 2^64 - 1, 1");
	expect_svt(c, "q-q", 3, END, 0, "0, 1");
	expect_svt(e, "-qqq", 4, 0, END - 100, "2^64 - 101 with 10 and 20 past 0");
	expect_svt(e, "-q-q", 4, END - 1000, 10, "10 and 20 past 0");
}

static uint64_t allowance(uint32_t weight, uint64_t run_evt, uint64_t other_evt)
{
	struct bvt_dom d = dom_of(weight, run_evt + 777777, true);

	return bvt_allowance_ns(&d, run_evt, other_evt);
}

static void expect_allowance(uint32_t weight, uint64_t run_evt, uint64_t other_evt, uint64_t want)
{
	uint64_t got = allowance(weight, run_evt, other_evt);

	ck_assert_msg(got == want,
		      "running at weight %u, evt %llu, against evt %llu (a gap of %lld virtual "
		      "ns): an allowance of %llu ns, expected %llu",
		      weight, U(run_evt), U(other_evt), (long long)(other_evt - run_evt), U(got),
		      U(want));
}

KTEST(lab6_allowance)
{
	static const uint32_t weights[] = { 1, 50, DEF, 200, 400, 1000, WMAX };
	const uint64_t e = 30 * MS;

	/* No gap: the context-switch allowance, at any weight. */
	for (unsigned i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		expect_allowance(weights[i], e, e, C_NS);
	/* Behind the other: the gap in its own CPU time, plus the allowance. */
	expect_allowance(DEF, e, e + 5000, C_NS + 5000);
	expect_allowance(200, e, e + 5000, C_NS + 10000);
	expect_allowance(50, e, e + 5000, C_NS + 2500);
	expect_allowance(1, e, e + 5000, C_NS + 50);
	expect_allowance(WMAX, e, e + 5000, C_NS + 500000);
	expect_allowance(DEF, e, e + 19 * MS, TURN_MAX);
	expect_allowance(DEF, e, e + 100 * SEC, C_NS + 100 * SEC);
	expect_allowance(WMAX, e, e + 100 * SEC, C_NS + 100 * 100 * SEC);
	expect_allowance(1, e, e + 100 * SEC, C_NS + SEC);
	/* Ahead of it: less, down to 0 at the gap that uses the allowance up,
	 * C * DEF / weight virtual ns; and positive one virtual ns before. */
	expect_allowance(DEF, e + 5000, e, C_NS - 5000);
	expect_allowance(200, e + 5000, e, C_NS - 10000);
	expect_allowance(WMAX, e + 5000, e, C_NS - 500000);
	for (unsigned i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
		uint32_t w = weights[i];
		uint64_t used_up = C_NS * DEF / w;

		expect_allowance(w, e + used_up, e, 0);
		expect_allowance(w, e + used_up + 1, e, 0);
		expect_allowance(w, e + used_up + 12345, e, 0);
		expect_allowance(w, e + 20 * used_up, e, 0);
		if (w >= DEF)
			expect_allowance(w, e + used_up - 1, e, w / DEF);
		else
			expect_allowance(w, e + used_up - DEF / w, e, 1);
	}
	/* Its own weight; run_evt as given, not the domain's own evt. */
	struct bvt_dom d = dom_of(400, 0, true);
	d.evt = 99 * MS;
	uint64_t got = bvt_allowance_ns(&d, e, e + 1000);
	ck_assert_msg(got == C_NS + 4000,
		      "weight 400, evt given as 30 ms (its own says 99 ms), 1000 virtual ns "
		      "behind: %llu ns, expected %llu",
		      U(got), U(C_NS + 4000));
	/* Across the wrap at 2^64. */
	expect_allowance(DEF, END - 999, 1000, C_NS + 2000);
	expect_allowance(DEF, 1000, END - 999, C_NS - 2000);
	expect_allowance(200, END - 499, 500, C_NS + 2000);
	expect_allowance(DEF, END, 0, C_NS + 1);
	expect_allowance(DEF, 0, END, C_NS - 1);
	expect_allowance(DEF, 500000, END - 499999, 0);
	expect_allowance(DEF, 499999, END - 499999, 1);
	expect_allowance(WMAX, END - 5000, 5000, C_NS + 1000100);
}

KTEST(lab6_allowance_huge_gap)
{
	static const uint32_t weights[] = { 1, 3, DEF, 9999, WMAX };
	static const uint64_t starts[] = { 0, 30 * MS, END - 5, (uint64_t)1 << 63 };
	static const uint64_t ahead[] = {
		(uint64_t)1 << 45, (uint64_t)1 << 50,		(uint64_t)1 << 56,
		(uint64_t)1 << 62, ((uint64_t)1 << 62) + 12345, ((uint64_t)1 << 63) - 1,
	};

	for (unsigned i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		for (unsigned s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
			for (unsigned g = 0; g < sizeof(ahead) / sizeof(ahead[0]); g++) {
				uint32_t w = weights[i];
				uint64_t e = starts[s];
				uint64_t behind = allowance(w, e, e + ahead[g]);
				uint64_t fair = allowance(w, e, e + 10 * SEC);
				uint64_t beyond = allowance(w, e + ahead[g], e);

				ck_assert_msg(behind >= TURN_MAX && behind >= fair,
					      "weight %u, evt %llu, %llu virtual ns behind the "
					      "other: %llu ns, fewer than 10 s behind gives (%llu)",
					      w, U(e), U(ahead[g]), U(behind), U(fair));
				ck_assert_msg(beyond == 0,
					      "weight %u, evt %llu, %llu virtual ns ahead of the "
					      "other: %llu ns, expected 0",
					      w, U(e), U(ahead[g]), U(beyond));
			}
	/* 2^63 exactly, the most negative gap. */
	for (unsigned i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
		uint64_t got = allowance(weights[i], 1000, 1000 + ((uint64_t)1 << 63));
		ck_assert_msg(got == 0, "weight %u, a gap of -2^63 virtual ns: %llu ns, expected 0",
			      weights[i], U(got));
	}
}

KTEST(lab6_evt_now)
{
	struct bvt_dom d, copy;
	uint64_t got;

	d = dom_of(DEF, 5 * MS, true);
	memcpy(&copy, &d, sizeof(d));
	got = bvt_evt_now(&d, 0);
	ck_assert_msg(got == 5 * MS, "avt 5 ms, 0 ns run: evt %llu, expected %llu", U(got),
		      U(5 * MS));
	got = bvt_evt_now(&d, 1 * MS);
	ck_assert_msg(got == 6 * MS,
		      "avt 5 ms, 1 ms run at the default weight: evt %llu, "
		      "expected %llu",
		      U(got), U(6 * MS));
	ck_assert_msg(memcmp(&d, &copy, sizeof(d)) == 0, "bvt_evt_now changed the domain");

	/* Its own weight and carry. */
	d = dom_of(300, 1000, true);
	d.vt_carry = 299;
	memcpy(&copy, &d, sizeof(d));
	static const uint64_t ran[] = { 1, 2, 3, 5, 6, 1000 };
	static const uint64_t adds[] = { 1, 1, 1, 2, 2, 334 };
	for (unsigned i = 0; i < 6; i++) {
		got = bvt_evt_now(&d, ran[i]);
		ck_assert_msg(
			got == 1000 + adds[i],
			"avt 1000, weight 300, carry 299, %llu ns run: evt %llu, expected %llu",
			U(ran[i]), U(got), U(1000 + adds[i]));
	}
	ck_assert_msg(memcmp(&d, &copy, sizeof(d)) == 0, "bvt_evt_now changed the domain");

	/* Warped. */
	d = dom_of(DEF, 5 * MS, true);
	give_warp(&d, 2 * MS, 10 * MS, 0);
	warp_in_effect(&d, 1 * MS);
	memcpy(&copy, &d, sizeof(d));
	got = bvt_evt_now(&d, 1 * MS);
	ck_assert_msg(got == 4 * MS, "avt 5 ms warped by 2 ms, 1 ms run: evt %llu, expected %llu",
		      U(got), U(4 * MS));
	ck_assert_msg(memcmp(&d, &copy, sizeof(d)) == 0, "bvt_evt_now changed a warped domain");

	/* Across the wrap. */
	d = dom_of(DEF, END - 10, true);
	got = bvt_evt_now(&d, 100);
	ck_assert_msg(got == 89, "avt 2^64 - 11, 100 ns run: evt %llu, expected 89", U(got));

	/* What the accounting would make it. */
	static const uint32_t weights[] = { 1, 7, DEF, 333, WMAX };
	rng_state = 99;
	for (unsigned i = 0; i < 5; i++) {
		d = dom_of(weights[i], END - 3 * MS, true);
		give_warp(&d, 1 * MS, 10 * SEC, 0);
		if (i % 2)
			warp_in_effect(&d, 0);
		for (unsigned k = 0; k < 50; k++) {
			uint64_t r = rnd() % (2 * MS);
			got = bvt_evt_now(&d, r);
			memcpy(&copy, &d, sizeof(d));
			bvt_account(&copy, r, k);
			ck_assert_msg(got == copy.evt,
				      "weight %u%s, avt %llu, carry %u, %llu ns run: evt now %llu, "
				      "but accounting that turn gives %llu",
				      weights[i], d.warped ? " warped" : "", U(d.avt), d.vt_carry,
				      U(r), U(got), U(copy.evt));
			bvt_account(&d, r / 3, k);
		}
	}
}

static void expect_pick(struct bvt_dom **doms, unsigned n, int want, uint64_t want_turn,
			const char *what)
{
	uint64_t turn = 0xDEADBEEF;
	int got = bvt_pick(doms, n, &turn);

	ck_assert_msg(got == want, "%s: picked %d, expected %d", what, got, want);
	if (want >= 0)
		ck_assert_msg(turn == want_turn, "%s: a turn of %llu ns, expected %llu", what,
			      U(turn), U(want_turn));
}

/* Line up n domains of the default weight and pick. */
static void pick_of(const uint64_t *vts, const char *q, unsigned n, int want, uint64_t want_turn)
{
	struct bvt_dom d[8];
	struct bvt_dom *doms[8] = { 0 };
	char what[160];
	int len = snprintf(what, sizeof(what), "evts");

	for (unsigned i = 0; i < n && len < (int)sizeof(what) - 40; i++)
		len += snprintf(what + len, sizeof(what) - len, " %llu%s", U(vts[i]),
				q[i] == 'q' ? "" : " (not queued)");
	line_up(d, doms, n, vts, q);
	expect_pick(doms, n, want, want_turn, what);
}

KTEST(lab6_pick)
{
	const uint64_t m = 100 * MS;

	/* None queued. */
	const uint64_t none[] = { 1, 2, 3 };
	pick_of(none, "---", 3, -1, 0);
	pick_of(none, "qqq", 0, -1, 0);
	/* Lowest, against the second lowest (not the next index, not the first). */
	const uint64_t a[] = { m + 50000, m + 30000, m + 40000 };
	pick_of(a, "qqq", 3, 1, C_NS + 10000);
	const uint64_t b[] = { m + 30000, m + 50000, m + 40000 };
	pick_of(b, "qqq", 3, 0, C_NS + 10000);
	const uint64_t c[] = { m + 50000, m + 30000 };
	pick_of(c, "qq", 2, 1, C_NS + 20000);
	const uint64_t c2[] = { m + 90000, m + 70000, m + 50000, m + 30000, m + 60000 };
	pick_of(c2, "qqqqq", 5, 3, C_NS + 20000);
	const uint64_t c3[] = { m + 30000, m + 90000, m + 40000, m + 35000 };
	pick_of(c3, "qqqq", 4, 0, C_NS + 5000);
	/* Domains out of the queue count for neither. */
	const uint64_t d1[] = { m + 40000, m + 10000, m + 60000 };
	pick_of(d1, "q-q", 3, 0, C_NS + 20000);
	const uint64_t d2[] = { m + 10000, m + 40000, m + 20000, m + 60000 };
	pick_of(d2, "-q-q", 4, 1, C_NS + 20000);
	/* Ties: the lowest index; no gap, so the context-switch allowance. */
	const uint64_t t1[] = { m, m, m };
	pick_of(t1, "qqq", 3, 0, C_NS);
	const uint64_t t2[] = { m - 1, m + 30, m + 20, m + 20 };
	pick_of(t2, "-qqq", 4, 2, C_NS);
	pick_of(t2, "-qq-", 4, 2, C_NS + 10);
	/* Alone: the longest turn, wherever it is. */
	pick_of(t2, "---q", 4, 3, TURN_MAX);
	pick_of(t2, "q---", 4, 0, TURN_MAX);
	pick_of(t2, "-q--", 4, 1, TURN_MAX);
	/* At most the longest turn: at the edge, one below, far beyond. */
	const uint64_t e1[] = { m, m + 19 * MS };
	pick_of(e1, "qq", 2, 0, TURN_MAX);
	const uint64_t e2[] = { m, m + 19 * MS - 1 };
	pick_of(e2, "qq", 2, 0, TURN_MAX - 1);
	const uint64_t e3[] = { m + 19 * MS + 1, m };
	pick_of(e3, "qq", 2, 1, TURN_MAX);
	const uint64_t e4[] = { m, m + 100 * SEC };
	pick_of(e4, "qq", 2, 0, TURN_MAX);

	/* The evt, not the avt; the picked one's weight for its turn. */
	struct bvt_dom d[3] = { dom_of(DEF, m, true), dom_of(200, m + 2 * MS, true),
				dom_of(DEF, m + 5 * MS, true) };
	struct bvt_dom *doms[3] = { &d[0], &d[1], &d[2] };
	give_warp(&d[1], 3 * MS, 5 * MS, 0);
	warp_in_effect(&d[1], 0);
	expect_pick(doms, 3, 1, C_NS + 2 * MS,
		    "avts 100, 102 (warped to an evt of 99, weight 200) and 105 ms");
	d[1].weight = 2000;
	expect_pick(doms, 3, 1, TURN_MAX,
		    "avts 100, 102 (warped to an evt of 99, weight 2000) and 105 ms");
	d[1].weight = 10;
	expect_pick(doms, 3, 1, C_NS + 100000,
		    "avts 100, 102 (warped to an evt of 99, weight 10) and 105 ms");
}

KTEST(lab6_pick_wrap)
{
	const uint64_t a[] = { 5, END - 100, END - 3000, 2000 };
	pick_of(a, "qqqq", 4, 2, C_NS + 2900);
	pick_of(a, "qq-q", 4, 1, C_NS + 106);
	pick_of(a, "q--q", 4, 0, C_NS + 1995);
	const uint64_t b[] = { 10, END - 5 };
	pick_of(b, "qq", 2, 1, C_NS + 16);
	const uint64_t c[] = { 0, END };
	pick_of(c, "qq", 2, 1, C_NS + 1);
	const uint64_t e[] = { 300000, END - 700000 };
	pick_of(e, "qq", 2, 1, C_NS + 1000001);
	const uint64_t f[] = { END - 1000, END - 2000, 3000, END - 500 };
	pick_of(f, "qqqq", 4, 1, C_NS + 1000);

	/* A warp that takes an evt below 0. */
	struct bvt_dom d[2] = { dom_of(DEF, 500, true), dom_of(DEF, 1000, true) };
	struct bvt_dom *doms[2] = { &d[0], &d[1] };
	give_warp(&d[1], 1 * MS, 5 * MS, 0);
	warp_in_effect(&d[1], 0);
	expect_pick(doms, 2, 1, 2 * MS - 500,
		    "avts 500 and 1000 (warped by 1 ms to an evt of 2^64 - 999000)");
}

/* ---- Exercise 5: yielding, and the latency of a dispatch ---- */

static void expect_yield(const uint64_t *vts, const char *q, unsigned n, unsigned who,
			 uint64_t want, const char *what)
{
	struct bvt_dom d[8];
	struct bvt_dom *doms[8] = { 0 };

	line_up(d, doms, n, vts, q);
	bvt_yield(&d[who], doms, n);
	ck_assert_msg(d[who].avt == want && d[who].evt == want,
		      "%s: domain %u (avt %llu) yields: avt %llu, evt %llu; expected both %llu",
		      what, who, U(vts[who]), U(d[who].avt), U(d[who].evt), U(want));
	for (unsigned i = 0; i < n; i++)
		ck_assert_msg(i == who || (d[i].avt == vts[i] && d[i].evt == vts[i] &&
					   d[i].queued == (q[i] == 'q')),
			      "%s: a yield changed domain %u, not the one yielding", what, i);
	ck_assert_msg(d[who].queued, "%s: the yielding domain left the queue", what);
}

KTEST(lab6_yield)
{
	const uint64_t a[] = { 100, 500, 900, 300 };
	expect_yield(a, "qq-q", 4, 0, 501, "behind the highest queued, 500 (900 not queued)");
	expect_yield(a, "qqqq", 4, 0, 901, "behind the highest queued, 900");
	expect_yield(a, "qqqq", 4, 3, 901, "the last yields, behind 900");
	expect_yield(a, "qq-q", 4, 3, 501, "the last yields, behind 500");
	expect_yield(a, "qq--", 4, 1, 500, "already the highest");
	/* Equal to the highest: not beyond it. */
	const uint64_t b[] = { 500, 500, 200 };
	expect_yield(b, "qqq", 3, 0, 501, "level with the highest");
	expect_yield(b, "qqq", 3, 1, 501, "level with the highest");
	/* Never moves back. */
	const uint64_t c[] = { 1000, 500, 300 };
	expect_yield(c, "qqq", 3, 0, 1000, "ahead of all");
	expect_yield(c, "qqq", 3, 2, 1001, "behind all");
	expect_yield(c, "q-q", 3, 2, 1001, "behind all");
	/* Alone, or others out of the queue: it keeps its avt. */
	expect_yield(a, "q---", 4, 0, 100, "alone (others not queued)");
	expect_yield(a, "---q", 4, 3, 300, "alone (others not queued)");
	expect_yield(a, "q", 1, 0, 100, "the only domain");
	/* Across the wrap. */
	const uint64_t w[] = { END - 500, END - 10, 20, END - 900 };
	expect_yield(w, "qqqq", 4, 0, 21, "behind 2^64 - 11 and 20 (past 0)");
	expect_yield(w, "qq-q", 4, 0, END - 9, "behind 2^64 - 11");
	expect_yield(w, "qq-q", 4, 3, END - 9, "behind 2^64 - 11");
	const uint64_t w2[] = { 5, END - 10, END - 900 };
	expect_yield(w2, "qqq", 3, 0, 5, "at 5, past 0, ahead of 2^64 - 11");
	const uint64_t w3[] = { END - 5, END };
	expect_yield(w3, "qq", 2, 0, 0, "behind 2^64 - 1");

	/* The avt of the others, not their evt; its own warp ends. */
	struct bvt_dom d[3] = { dom_of(DEF, 10 * MS, true), dom_of(DEF, 30 * MS, true),
				dom_of(DEF, 20 * MS, true) };
	struct bvt_dom *doms[3] = { &d[0], &d[1], &d[2] };
	give_warp(&d[1], 25 * MS, 100 * MS, 0);
	warp_in_effect(&d[1], 0);
	give_warp(&d[0], 5 * MS, 100 * MS, 50 * MS);
	warp_in_effect(&d[0], 1 * MS);
	d[0].unwarp_until_ns = 7;
	bvt_yield(&d[0], doms, 3);
	ck_assert_msg(d[0].avt == 30 * MS + 1,
		      "avt 10 ms yields behind avts 20 ms and 30 ms (warped to an evt of 5 ms): "
		      "avt %llu, expected %llu",
		      U(d[0].avt), U(30 * MS + 1));
	ck_assert_msg(!d[0].warped && d[0].evt == d[0].avt,
		      "a warped domain yields: warped %d, evt %llu (avt %llu)", d[0].warped,
		      U(d[0].evt), U(d[0].avt));
	ck_assert_msg(d[0].unwarp_until_ns == 7,
		      "a yield gave an unwarp requirement (no warp before %llu)",
		      U(d[0].unwarp_until_ns));
	ck_assert_msg(d[1].warped && d[1].evt == 5 * MS, "a yield changed another's warp");
	/* Warped and alone: the warp ends all the same. */
	d[1].queued = d[2].queued = false;
	d[0].avt = 40 * MS;
	warp_in_effect(&d[0], 0);
	bvt_yield(&d[0], doms, 3);
	ck_assert_msg(d[0].avt == 40 * MS && !d[0].warped && d[0].evt == 40 * MS,
		      "a warped domain yields alone: avt %llu, warped %d, evt %llu", U(d[0].avt),
		      d[0].warped, U(d[0].evt));
}

static void expect_latency(const struct bvt_dom *d, uint32_t dispatches, uint32_t last,
			   uint32_t max, uint64_t sum, const char *when)
{
	ck_assert_msg(d->dispatches == dispatches && d->latency_last_ns == last &&
			      d->latency_max_ns == max && d->latency_sum_ns == sum,
		      "%s: %u dispatches, latency last %u ns, longest %u, sum %llu; expected %u, "
		      "%u, %u, %llu",
		      when, d->dispatches, d->latency_last_ns, d->latency_max_ns,
		      U(d->latency_sum_ns), dispatches, last, max, U(sum));
}

KTEST(lab6_dispatch_latency)
{
	struct bvt_sys sys = { .svt = 0 };
	struct bvt_dom d = dom_of(DEF, 0, false);
	const uint64_t t = 1 * SEC;

	bvt_wake(&sys, &d, t, true);
	bvt_dispatched(&d, t + 5000);
	expect_latency(&d, 1, 5000, 5000, 5000, "woken (counted), dispatched 5000 ns later");
	bvt_dispatched(&d, t + 9 * MS);
	expect_latency(&d, 2, 5000, 5000, 5000, "dispatched again, with no wake-up since");
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 20 * MS, true);
	bvt_dispatched(&d, t + 20 * MS + 2000);
	expect_latency(&d, 3, 2000, 5000, 7000, "woken again, dispatched 2000 ns later");
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 30 * MS, true);
	bvt_dispatched(&d, t + 30 * MS + 9000);
	expect_latency(&d, 4, 9000, 9000, 16000, "woken again, dispatched 9000 ns later");
	/* Not counted: not measured. */
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 40 * MS, false);
	bvt_dispatched(&d, t + 40 * MS + 100000);
	expect_latency(&d, 5, 9000, 9000, 16000, "an uncounted wake-up, then a dispatch");
	/* Dequeued before its dispatch: forgotten. */
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 50 * MS, true);
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 60 * MS, false);
	bvt_dispatched(&d, t + 70 * MS);
	expect_latency(&d, 6, 9000, 9000, 16000,
		       "a counted wake-up dequeued before its dispatch, then an uncounted one");
	/* At once: a latency of 0. */
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, t + 80 * MS, true);
	bvt_dispatched(&d, t + 80 * MS);
	expect_latency(&d, 7, 0, 9000, 16000, "woken and dispatched at the same time");
	/* Longer than 32 bits of ns: at most 2^32 - 1. */
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, 10 * SEC, true);
	bvt_dispatched(&d, 15 * SEC);
	expect_latency(&d, 8, UINT32_MAX, UINT32_MAX, 16000 + (uint64_t)UINT32_MAX,
		       "dispatched 5 s after its wake-up");
	bvt_dequeue(&d);
	bvt_wake(&sys, &d, 20 * SEC, true);
	bvt_dispatched(&d, 20 * SEC + 100);
	expect_latency(&d, 9, 100, UINT32_MAX, 16100 + (uint64_t)UINT32_MAX,
		       "then dispatched 100 ns after its wake-up");
	ck_assert_msg(d.wakeups == 7, "7 counted wake-ups (and 2 not), %u counted", d.wakeups);
}

/* ---- The policy alone: proportional shares ---- */

#define TICK MS

/*
 * n domains of `weights`, always queued, from avt `start`: the policy picks,
 * the chosen one runs its turn rounded up to a whole tick and is accounted,
 * for `total_ns`; each must get its weight's share of the CPU, within
 * `tol_percent` per cent of that share.
 */
static void simulate(const uint32_t *weights, unsigned n, uint64_t start, uint64_t total_ns,
		     unsigned tol_percent, const char *what)
{
	struct bvt_dom d[8];
	struct bvt_dom *doms[8] = { 0 };
	struct bvt_sys sys = { .svt = start };
	uint64_t ran[8] = { 0 }, now = 0, wsum = 0;
	unsigned turns = 0;

	for (unsigned i = 0; i < n; i++) {
		d[i] = dom_of(weights[i], start, true);
		doms[i] = &d[i];
		wsum += weights[i];
	}
	while (now < total_ns) {
		uint64_t turn = 0;
		bvt_update_svt(&sys, doms, n);
		int k = bvt_pick(doms, n, &turn);
		ck_assert_msg(k >= 0 && k < (int)n, "%s: turn %u at %llu ns: picked %d", what,
			      turns, U(now), k);
		ck_assert_msg(turn > 0 && turn <= TURN_MAX,
			      "%s: turn %u at %llu ns: domain %d may run %llu ns", what, turns,
			      U(now), k, U(turn));
		uint64_t t = (turn + TICK - 1) / TICK * TICK;
		now += t;
		ran[k] += t;
		bvt_account(doms[k], t, now);
		turns++;
	}
	for (unsigned i = 0; i < n; i++) {
		double got = (double)ran[i] / (double)now;
		double want = (double)weights[i] / (double)wsum;
		double off = (got > want ? got - want : want - got) / want;

		ck_assert_msg(
			off * 100 <= tol_percent,
			"%s: after %llu ms in %u turns, the domain of weight %u ran %llu ms, "
			"%.3f %% of the CPU; its share is %.3f %%, %.2f %% off (at most %u %%)",
			what, U(now / MS), turns, weights[i], U(ran[i] / MS), got * 100, want * 100,
			off * 100, tol_percent);
	}
}

KTEST(lab6_policy_shares_1_2_3)
{
	static const uint32_t w[] = { 1, 2, 3 };
	static const uint32_t w2[] = { 300, 100, 200 };

	simulate(w, 3, 0, 2 * SEC, 1, "weights 1:2:3");
	simulate(w2, 3, 0, 2 * SEC, 1, "weights 300:100:200");
}

KTEST(lab6_policy_shares_1_to_8)
{
	static const uint32_t w[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint32_t w2[] = { 800, 100, 700, 200, 600, 300, 500, 400 };

	/* Virtual times from 5 s of the default weight's before 2^64: past it
	 * within the first simulated second. */
	simulate(w, 8, END - 5 * SEC, 4 * SEC, 2, "weights 1 to 8, across 2^64");
	simulate(w2, 8, 0, 4 * SEC, 2, "weights 800, 100, 700, ... 400");
}
