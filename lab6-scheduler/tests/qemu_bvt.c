/*
 * Lab 6 in QEMU, under -icount (the clock follows the instructions, so
 * every figure here is the same in every run, whatever the host's load).
 * Shares are measured twice: by the hypervisor's accounting, which dom0's
 * schedctl samples, and by the work each worker got done, counted by
 * itself (a scheduler whose accounting lied would pass the first only).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab3-hypercalls/tests/bystander.h"
#include "expect.h"
#include "koan_test.h"

#define MAX_WORKERS 8

static double value_of(const struct run *r, const char *prefix, const char *key)
{
	char buf[32];

	if (!result_value(r, prefix, key, buf, sizeof(buf)))
		run_fail(r, "no result line \"%s ... %s=\"", prefix, key);
	return strtod(buf, 0);
}

/* Domain d's figures: the work it counted, the CPU dom0 sampled. */
static double work_of(const struct run *r, unsigned d)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "d%u worker", d);
	return value_of(r, prefix, "iterations");
}

static double cpu_of(const struct run *r, unsigned d)
{
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "d0 cpu dom=%u ", d);
	return value_of(r, prefix, "us");
}

/* Workers 1..n with these weights, counting from 300 ms for `ms`. */
static void run_shares(struct run *r, const unsigned *weights, unsigned n, unsigned ms)
{
	static char mods[MAX_WORKERS + 1][96];
	struct scenario sc;
	char list[64] = "";

	scenario_init(&sc);
	for (unsigned i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%u", i ? ":" : "",
			 weights[i]);
	snprintf(mods[0], sizeof(mods[0]), "schedctl.elf weights=%s from_ms=300 until_ms=%u", list,
		 300 + ms);
	sc.modules[0] = mods[0];
	for (unsigned i = 1; i <= n; i++) {
		snprintf(mods[i], sizeof(mods[i]), "worker.elf from_ms=300 until_ms=%u end_ms=%u",
			 300 + ms, 400 + ms);
		sc.modules[i] = mods[i];
	}
	sc.timeout_ms = 240000;
	scenario_run(&sc, r);
	expect_outcome(r, OUTCOME_DONE);
	for (unsigned i = 1; i <= n; i++) {
		char line[48];
		snprintf(line, sizeof(line), "d0 set dom=%u weight=%u err=0", i, weights[i - 1]);
		expect_result(r, line);
	}
}

/* Each worker's share, by both measures, within `tolerance` (relative) of
 * its weight's. */
static void expect_shares(const struct run *r, const unsigned *weights, unsigned n,
			  double tolerance)
{
	double wsum = 0, work = 0, cpu = 0;

	for (unsigned i = 1; i <= n; i++) {
		wsum += weights[i - 1];
		work += work_of(r, i);
		cpu += cpu_of(r, i);
	}
	for (unsigned i = 1; i <= n; i++) {
		double want = weights[i - 1] / wsum;
		double by_work = work_of(r, i) / work, by_cpu = cpu_of(r, i) / cpu;
		printf("  domain %u weight %u: share %.4f by its work, %.4f by the accounting, "
		       "want %.4f\n",
		       i, weights[i - 1], by_work, by_cpu, want);
		if (fabs(by_work - want) > tolerance * want)
			run_fail(r,
				 "domain %u (weight %u of %.0f) did %.2f %% of the work, want "
				 "%.2f %% within %.0f %%",
				 i, weights[i - 1], wsum, 100 * by_work, 100 * want,
				 100 * tolerance);
		if (fabs(by_cpu - want) > tolerance * want)
			run_fail(r,
				 "the hypervisor accounted domain %u (weight %u) %.2f %% of the "
				 "CPU, want %.2f %% within %.0f %%",
				 i, weights[i - 1], 100 * by_cpu, 100 * want, 100 * tolerance);
	}
}

KTEST(lab6_shares_1_2_3)
{
	static const unsigned w[] = { 10, 20, 30 };
	struct run r;

	run_shares(&r, w, 3, 1000);
	expect_shares(&r, w, 3, 0.03);
}

KTEST(lab6_shares_1_to_8)
{
	static const unsigned w[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct run r;

	run_shares(&r, w, 8, 3000);
	expect_shares(&r, w, 8, 0.04);
}

/* Three workers and a waker woken by its timer every 5 ms; the waker's
 * longest dispatch latency (the hypervisor's, wake-up to dispatch) in us. */
static double run_waker(struct run *r, const char *warp, double *worker_share_spread)
{
	struct scenario sc;
	static char ctl[96];

	scenario_init(&sc);
	snprintf(ctl, sizeof(ctl), "schedctl.elf %s from_ms=200 until_ms=1200 doms=5", warp);
	sc.modules[0] = ctl;
	sc.modules[1] = "worker.elf from_ms=200 until_ms=1200 end_ms=1400";
	sc.modules[2] = "worker.elf from_ms=200 until_ms=1200 end_ms=1400";
	sc.modules[3] = "worker.elf from_ms=200 until_ms=1200 end_ms=1400";
	sc.modules[4] = "waker.elf count=200 period_us=5000 work_us=50";
	sc.timeout_ms = 120000;
	scenario_run(&sc, r);
	expect_outcome(r, OUTCOME_DONE);
	expect_result_prefix(r, "d4 waker wakeups=200 late-max-us=");
	double lo = 1e30, hi = 0;
	for (unsigned i = 1; i <= 3; i++) {
		double w = work_of(r, i);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	*worker_share_spread = (hi - lo) / lo;
	return value_of(r, "hv sched dom=4 ", "latency-max-ns") / 1000;
}

KTEST(lab6_warp_latency)
{
	struct run r;
	double spread;

	/* Warp 5 ms of virtual time: more than the allowance (1 ms at the
	 * default weight), so a waking waker always preempts a worker. */
	double lat = run_waker(&r, "warp=4:5000:1000:0", &spread);
	expect_result(&r, "d0 set dom=4 warp=5000 warpl=1000 warpu=0 err=0");
	printf("  warped waker: dispatch latency at most %.1f us; workers' work within %.2f %%\n",
	       lat, 100 * spread);
	if (lat > 100)
		run_fail(&r,
			 "a warped domain woke and waited up to %.0f us to run, more than the "
			 "100 us the warp's bound allows",
			 lat);
	if (spread > 0.03)
		run_fail(&r,
			 "the three workers' work differs by %.1f %%: they no longer share "
			 "equally while a warped domain runs",
			 100 * spread);
}

KTEST(lab6_warp_matters)
{
	struct run warped, plain;
	double s1, s2;

	double with = run_waker(&warped, "warp=4:5000:1000:0", &s1);
	double without = run_waker(&plain, "", &s2);
	printf("  dispatch latency at most %.1f us with warp, %.1f us without\n", with, without);
	if (without < 500)
		run_fail(&plain,
			 "without warp, the waker was dispatched within %.0f us: the "
			 "test expected a turn's worth of waiting",
			 without);
	if (with * 5 > without)
		run_fail(&warped,
			 "warp made the latency %.0f us against %.0f us without: "
			 "not measurably better",
			 with, without);
}

/* A domain with a warp that never blocks: its warp limit ends the warp, and
 * it gets its share, no more (what it borrows it pays back). */
KTEST(lab6_warp_limit)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "schedctl.elf warp=1:20000:2000:10000 from_ms=200 until_ms=1200 doms=3";
	sc.modules[1] = "worker.elf from_ms=200 until_ms=1200 end_ms=1400";
	sc.modules[2] = "worker.elf from_ms=200 until_ms=1200 end_ms=1400";
	sc.timeout_ms = 120000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	expect_result(&r, "d0 set dom=1 warp=20000 warpl=2000 warpu=10000 err=0");
	double a = work_of(&r, 1), b = work_of(&r, 2);
	printf("  warped worker %.0f, plain worker %.0f iterations\n", a, b);
	if (fabs(a - b) > 0.03 * b)
		run_fail(&r,
			 "a domain that warps and never blocks did %.0f against %.0f: "
			 "warping must not change shares",
			 a, b);
}

/* Sleeping earns no credit: a worker that slept 500 ms while another ran
 * gets half the CPU afterwards, not all of it until it has caught up. */
KTEST(lab6_sleep_no_credit)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "worker.elf from_ms=600 until_ms=1100 end_ms=1200";
	sc.modules[1] = "worker.elf sleep_ms=500 from_ms=600 until_ms=1100 end_ms=1200";
	sc.timeout_ms = 120000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	double a = work_of(&r, 0), b = work_of(&r, 1);
	printf("  after the sleep: %.0f and %.0f iterations\n", a, b);
	if (fabs(a - b) > 0.03 * a)
		run_fail(&r,
			 "after domain 1 slept, the two did %.0f and %.0f: its sleep must "
			 "not be credited (the wake-up rule)",
			 a, b);
}

/* Yielding in a tight loop gains nothing: the yielder gets at most half. */
KTEST(lab6_yield_gains_nothing)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "schedctl.elf from_ms=200 until_ms=700 doms=3";
	sc.modules[1] = "worker.elf yield=yes from_ms=200 until_ms=700 end_ms=800";
	sc.modules[2] = "worker.elf from_ms=200 until_ms=700 end_ms=800";
	sc.timeout_ms = 120000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	double y = cpu_of(&r, 1), w = cpu_of(&r, 2);
	printf("  the yielder had %.0f us of CPU, the worker %.0f us\n", y, w);
	if (y > 1.03 * w)
		run_fail(&r,
			 "a domain yielding in a loop had %.0f us against %.0f us: yielding "
			 "must gain nothing",
			 y, w);
	if (w < 0.45 * 500000)
		run_fail(&r, "the worker beside a yielder had only %.0f us of 500,000", w);
}

/* A domain that never blocks cannot keep a bystander from the CPU. */
KTEST(lab6_never_blocks)
{
	struct run r;

	const char *token = run_with_watching_bystander(&r, "worker.elf until_ms=2000", 400);
	expect_bystander_timely(&r, 30);
	expect_bystander_intact(&r, token);
	/* It watched while the worker computed, not after. */
	const char *watched = find_result(&r, "d1 watched "), *done = find_result(&r, "d0 worker ");
	if (!watched || !done || watched > done)
		run_fail(&r, "the bystander watched only after the worker had finished: the "
			     "worker kept the CPU for its whole run");
}

KTEST(lab6_refuse_absurd)
{
	static const char *const lines[] = {
		"d0 refuse weight-0 err=-22",
		"d0 refuse weight-max+1 err=-22",
		"d0 refuse weight-2^31 err=-22",
		"d0 refuse warp-max+1 err=-22",
		"d0 refuse warpl-max+1 err=-22",
		"d0 refuse warpu-max+1 err=-22",
		"d0 refuse warp-no-limit err=-22",
		"d0 after weight=100 warp=0 warpl=0 warpu=0",
		"d0 refuse most err=0",
		"d0 refuse no-domain err=-3",
		"d0 refuse bad-cmd err=-38",
		"d0 refuse bad-addr err=-14",
		"d0 refuse idle err=0",
		NULL,
	};
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "schedctl.elf op=refuse";
	sc.modules[1] = "worker.elf until_ms=300";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	expect_in_order(&r, lines);
}

/* Another domain's attempt on the scheduler's parameters: refused, and the
 * domain it aimed at (dom0, a worker) keeps its weight and its half. */
KTEST(lab6_not_dom0)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "worker.elf from_ms=100 until_ms=400";
	sc.modules[1] = "schedctl.elf op=probe";
	sc.modules[2] = "worker.elf from_ms=100 until_ms=400";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	expect_result(&r, "d1 probe get=-1");
	expect_result(&r, "d1 probe set-self=-1");
	expect_result(&r, "d1 probe set-dom0=-1");
	expect_result_prefix(&r, "hv sched dom=0 weight=100 ");
	double a = work_of(&r, 0), b = work_of(&r, 2);
	if (fabs(a - b) > 0.03 * b)
		run_fail(&r,
			 "after domain 1's attempt, dom0 did %.0f and domain 2 %.0f: "
			 "their shares changed",
			 a, b);
}

/* dom0's shell: weight, warp and sched, and an absurd value refused. */
KTEST(lab6_shell_commands)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "dom0shell.elf";
	sc.modules[1] = "worker.elf until_ms=30000";
	sc.console_input =
		"\nweight 1 300\nwarp 1 2000 1000 5000\nsched 1\nweight 1 0\n"
		"weight 1 20000\nwarp 1 2000 0 0\nsched 1\nsched 32767\ndestroy 1\nquit\n";
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_result(&r, "d0 weight 1 ok");
	expect_result(&r, "d0 warp 1 ok");
	expect_result_prefix(&r, "d0 sched 1 weight=300 warp=2000 warpl=1000 warpu=5000 cpu-us=");
	expect_result(&r, "d0 weight 1 error=-22");
	expect_result(&r, "d0 warp 1 error=-22");
	expect_result_prefix(&r, "d0 sched 32767 weight=0 warp=0 warpl=0 warpu=0 cpu-us=");
	expect_result(&r, "d0 destroy 1 ok");
}

/* When every domain sleeps, the idle domain has the CPU: its time is
 * accounted, and the run goes on to its end. */
KTEST(lab6_idle_domain)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "schedctl.elf from_ms=100 until_ms=600 doms=2";
	sc.modules[1] = "waker.elf count=20 period_us=30000 work_us=100";
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	double idle = value_of(&r, "d0 cpu dom=idle ", "us");
	printf("  idle %.0f us of 500,000\n", idle);
	if (idle < 450000)
		run_fail(&r,
			 "the idle domain was accounted %.0f us of the 500,000 in which "
			 "every domain slept but 2,000 us",
			 idle);
}

/* The paper's scalability figure in small: 1, 2, 4, 8 workers share the
 * CPU; the work all of them get done falls by at most a few percent. */
KTEST(lab6_scalability)
{
	static const unsigned w[] = { 100, 100, 100, 100, 100, 100, 100, 100 };
	double one = 0;

	for (unsigned n = 1; n <= 8; n *= 2) {
		struct run r;
		run_shares(&r, w, n, 500);
		double total = 0;
		for (unsigned i = 1; i <= n; i++)
			total += work_of(&r, i);
		if (n == 1)
			one = total;
		printf("  %u worker(s): %.0f iterations in all, %.2f %% of one alone's\n", n, total,
		       100 * total / one);
		if (total < 0.97 * one)
			run_fail(&r,
				 "%u workers together did %.1f %% of what one alone did: "
				 "switching costs more than 3 %%",
				 n, 100 * total / one);
	}
}
