/*
 * bystander: a domain that minds its own business while another one
 * misbehaves. It fills its free memory with a pattern drawn from its
 * token, gives up the CPU a number of times (rounds=N) so that the other
 * domain does its worst meanwhile, then checks every word. It reports
 * "intact=1" and its token if nothing was touched.
 *
 * Half way through the rounds it keeps the CPU for a while (watch=MS, 150
 * by default) and watches its own clock: each time the cycle counter jumps,
 * another domain had the CPU in between, and the longest such gap says
 * whether the timer still took the CPU back in time for it. Under QEMU's
 * -icount shift=0 (how the grader runs) the counter advances 1,000,000
 * times per millisecond of guest time.
 */
#include <public/memory.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"

static uint32_t pattern(uint32_t seed, uint32_t i)
{
	uint32_t x = seed ^ (i * 2654435761u);
	x ^= x << 13;
	x ^= x >> 17;
	return x ^ (x << 5);
}

#define CYCLES_PER_MS 1000000u /* under -icount shift=0 */
#define GAP_CYCLES 100000u     /* 0.1 ms without us: someone else ran */

static inline uint64_t cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Keep the CPU for `ms` milliseconds; report how often and for how long at
 * most others had it meanwhile. */
static void watch(unsigned ms)
{
	uint64_t start = cycles(), last = start, end = start + (uint64_t)ms * CYCLES_PER_MS;
	uint64_t gap_max = 0;
	unsigned gaps = 0;

	for (uint64_t now = start; now < end; now = cycles()) {
		if (now - last > GAP_CYCLES) {
			gaps++;
			if (now - last > gap_max)
				gap_max = now - last;
		}
		last = now;
	}
	result("watched ms=%u gaps=%u gap-max-ms=%u", ms, gaps,
	       (unsigned)(gap_max / CYCLES_PER_MS));
}

void guest_main(const struct koan_start_info *base)
{
	const struct koan_start_info_paging *si = paging_info();
	char token[16], arg[16];
	uint32_t seed = 0, bad = 0, rounds;

	(void)base;
	if (!si || !guest_arg("token", token, sizeof(token))) {
		result("bystander needs paging and token=");
		return;
	}
	for (const char *c = token; *c; c++)
		seed = seed * 31 + (uint32_t)*c;
	rounds = guest_arg("rounds", arg, sizeof(arg)) ? atou(arg) : 20;
	uint32_t first = alloc_page(), pages = 0;
	for (uint32_t p = first; p; p = alloc_page())
		pages++;
	uint32_t *words = (uint32_t *)first, n = pages * KOAN_PAGE_SIZE / 4;
	for (uint32_t i = 0; i < n; i++)
		words[i] = pattern(seed, i);
	unsigned watch_ms = guest_arg("watch", arg, sizeof(arg)) ? atou(arg) : 150;
	for (uint32_t r = 0; r < rounds / 2; r++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	watch(watch_ms);
	for (uint32_t r = rounds / 2; r < rounds; r++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	for (uint32_t i = 0; i < n; i++)
		bad += words[i] != pattern(seed, i);
	gprintf("bystander: %u pages checked, %u words changed\n", pages, bad);
	result("intact=%d pages=%u", bad == 0, pages);
	result("token=%s", token);
}
