/* Running a guest next to a bystander (bystander.h). */
#include <stdio.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

const char *run_with_bystander(struct run *r, const char *module)
{
	static struct scenario sc;
	static char mod[128], bystander[64];
	const char *token = random_token();

	snprintf(mod, sizeof(mod), "%s", module);
	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s", token);
	scenario_init(&sc);
	sc.modules[0] = mod;
	sc.modules[1] = bystander;
	scenario_run(&sc, r);
	return token;
}

void expect_bystander_intact(const struct run *r, const char *token)
{
	char want[64];

	snprintf(want, sizeof(want), "d1 token=%s", token);
	expect_result(r, want);
	expect_result_prefix(r, "d1 intact=1 ");
	expect_no_result_prefix(r, "hv crash dom=1");
	expect_outcome(r, OUTCOME_DONE);
}

void expect_clean_end(const struct run *r, const char *token)
{
	expect_no_result_prefix(r, "hv crash");
	expect_result(r, "hv audit dom=0 bad=0");
	expect_bystander_intact(r, token);
}
