/*
 * Lab 3: the benchmark. The figures are reported, not held to bounds: the
 * test checks that every path works and that each comparison comes out the
 * way the paper argues (the paravirtual path cheaper), with -icount so the
 * result does not depend on the host's load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "koan_test.h"

static unsigned long field(const struct run *r, const char *prefix, const char *key)
{
	char value[32];

	if (!result_value(r, prefix, key, value, sizeof(value)))
		run_fail(r, "no \"%s\" figure in the line starting \"%s\"", key, prefix);
	return strtoul(value, NULL, 10);
}

KTEST(lab3_bench_ordering)
{
	static const struct {
		const char *name, *slow, *fast;
	} pairs[] = {
		{ "console", "emulated-per-byte", "hypercall-per-byte" },
		{ "pt-update", "one-per-hypercall", "batched" },
		{ "null", "trap-and-emulate", "hypercall" },
		{ "syscall", "bounced", "fast-gate" },
	};
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "bench.elf";
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_result(&r, "d0 bench-done");
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char prefix[48];
		snprintf(prefix, sizeof(prefix), "d0 bench %s ", pairs[i].name);
		unsigned long slow = field(&r, prefix, pairs[i].slow);
		unsigned long fast = field(&r, prefix, pairs[i].fast);
		printf("%-10s %s %lu, %s %lu cycles/op\n", pairs[i].name, pairs[i].slow, slow,
		       pairs[i].fast, fast);
		if (fast == 0 || fast >= slow)
			run_fail(&r,
				 "%s: the %s path (%lu cycles/op) should be cheaper than %s (%lu)",
				 pairs[i].name, pairs[i].fast, fast, pairs[i].slow, slow);
	}
	expect_outcome(&r, OUTCOME_DONE);
}
