/*
 * bystander: a domain that minds its own business while another one
 * misbehaves. It fills its free memory with a pattern drawn from its
 * token, gives up the CPU a number of times (rounds=N) so that the other
 * domain does its worst meanwhile, then checks every word. It reports
 * "intact=1" and its token if nothing was touched.
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
	for (uint32_t r = 0; r < rounds; r++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	for (uint32_t i = 0; i < n; i++)
		bad += words[i] != pattern(seed, i);
	gprintf("bystander: %u pages checked, %u words changed\n", pages, bad);
	result("intact=%d pages=%u", bad == 0, pages);
	result("token=%s", token);
}
