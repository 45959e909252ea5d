/* Lab 3, Exercise 2: which guest ranges a hypercall may touch. */
#include <stdlib.h>
#include <unistd.h>

#include <koan/hypercall.h>
#include <public/layout.h>
#include <public/memory.h>

#include "koan_test.h"

/* The same rule, computed in 64 bits where nothing can overflow. */
static bool reference(uint32_t va, uint32_t len, bool write)
{
	uint64_t limit = write ? KOAN_M2P_START : KOAN_HV_START;
	return len == 0 || (uint64_t)va + len <= limit;
}

static void check(uint32_t va, uint32_t len, bool write)
{
	bool want = reference(va, len, write);
	ck_assert_msg(guest_range_ok(va, len, write) == want,
		      "guest_range_ok(0x%08x, 0x%x, %s) should be %s", va, len,
		      write ? "write" : "read", want ? "true" : "false");
}

KTEST(lab3_guest_range_boundaries)
{
	for (int w = 0; w < 2; w++) {
		uint32_t limit = w ? KOAN_M2P_START : KOAN_HV_START;
		check(0x01000000, 4096, w);
		check(limit - 1, 1, w);	  /* the last byte allowed */
		check(limit - 16, 17, w); /* one byte too far */
		check(limit, 1, w);
		check(0, limit, w);
		check(0, limit + 1, w);
	}
	ck_assert(guest_range_ok(KOAN_M2P_START, 4096, false));	    /* the M2P may be read */
	ck_assert(!guest_range_ok(KOAN_M2P_START, 4096, true));	    /* but not written */
	ck_assert(guest_range_ok(KOAN_HV_START + 0x1000, 0, true)); /* empty: touches nothing */
}

KTEST(lab3_guest_range_overflow)
{
	/* Sums that wrap around 4 GB must not look small. */
	check(0xFFFFFFF0u, 0x20, false);
	check(0xFFFFFFFFu, 1, false);
	check(0x00001000, 0xFFFFF000u, false);
	check(0x00001000, 0xFFFFFFFFu, true);
	check(0x80000000u, 0x80000001u, false);
	srand((unsigned)getpid());
	for (int i = 0; i < 20000; i++) {
		uint32_t va = (uint32_t)rand() * 2654435761u, len = (uint32_t)rand() * 40503u;
		if (i % 3 == 0)
			len %= 0x10000; /* small lengths too */
		check(va, len, i & 1);
	}
}
