/* Running a guest next to a bystander (bystander.h). */
#include <stdio.h>
#include <stdlib.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

static const char *run_next_to(struct run *r, const char *module, const char *bystander_args,
			       const char *hv_args, unsigned timeout_ms)
{
	static struct scenario sc;
	static char mod[128], bystander[96];
	const char *token = random_token();

	snprintf(mod, sizeof(mod), "%s", module);
	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s%s", token, bystander_args);
	scenario_init(&sc);
	sc.modules[0] = mod;
	sc.modules[1] = bystander;
	sc.timeout_ms = timeout_ms;
	sc.hv_args = hv_args;
	scenario_run(&sc, r);
	return token;
}

const char *run_with_bystander(struct run *r, const char *module)
{
	return run_next_to(r, module, "", NULL, 0);
}

const char *run_with_bystander_hv(struct run *r, const char *module, const char *hv_args)
{
	return run_next_to(r, module, "", hv_args, 0);
}

const char *run_with_watching_bystander(struct run *r, const char *module, unsigned watch_ms)
{
	char args[32];

	snprintf(args, sizeof(args), " watch=%u rounds=0", watch_ms);
	return run_next_to(r, module, args, NULL, 30000);
}

void expect_bystander_timely(const struct run *r, unsigned max_gap_ms)
{
	char value[32];

	if (!result_value(r, "d1 watched ", "gap-max-ms", value, sizeof(value)))
		run_fail(r, "the bystander did not report what it watched");
	unsigned long gap = strtoul(value, NULL, 10);
	if (gap > max_gap_ms)
		run_fail(r,
			 "another domain kept the CPU for %lu ms in one go (at most %u ms: a turn "
			 "and a unit of work)",
			 gap, max_gap_ms);
}

void expect_bystander_intact(const struct run *r, const char *token)
{
	char want[64];

	snprintf(want, sizeof(want), "d1 token=%s", token);
	expect_result(r, want);
	expect_result_prefix(r, "d1 intact=1 ");
	expect_bystander_timely(r, BYSTANDER_MAX_GAP_MS);
	expect_no_result_prefix(r, "hv crash dom=1");
	expect_outcome(r, OUTCOME_DONE);
}

void expect_clean_end(const struct run *r, const char *token)
{
	expect_no_result_prefix(r, "hv crash");
	expect_result(r, "hv audit dom=0 bad=0");
	expect_bystander_intact(r, token);
}
