/* Checking that ring 1 cannot reach the hypervisor (isolation.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "isolation.h"
#include "koan_test.h"

const char *hole_fault_vector(const struct run *r)
{
	char mode[16], limits[8];

	if (!result_value(r, "hv guard ", "mode", mode, sizeof(mode)) ||
	    !result_value(r, "hv guard ", "limits", limits, sizeof(limits)))
		run_fail(r, "the hypervisor did not report its guard mode (\"hv guard mode=...\")");
	if (strcmp(mode, "xpti") == 0)
		return "14";
	if (strcmp(limits, "1") != 0)
		run_fail(r, "guard mode segments on a CPU that does not enforce segment limits: "
			    "nothing keeps ring 1 out of the hypervisor");
	return "13";
}

void expect_hole_fault(const struct run *r, unsigned dom)
{
	char prefix[32];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "d%u ", dom);

	for (const char *line = r->results; *line;) {
		size_t n = strcspn(line, "\n");
		if (strncmp(line, prefix, plen) == 0 && memmem(line, n, "succeeded", 9))
			run_fail(r, "domain %u reached into the hypervisor's area: \"%.*s\"", dom,
				 (int)n, line);
		line += n + (line[n] == '\n');
	}
	expect_crash(r, dom, hole_fault_vector(r), NULL);
}

/* Does the hypervisor of this build boot under TCG? */
static bool tcg_boots_us(void)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "hello.elf";
	scenario_run(&sc, &r);
	return find_result(&r, "hv boot") != NULL;
}

bool run_under_kvm_if_usable(struct scenario *sc, struct run *r)
{
	if (!kvm_usable())
		return false;
	sc->kvm = true;
	if (sc->timeout_ms < 30000)
		sc->timeout_ms = 30000;
	scenario_run(sc, r);
	sc->kvm = false;
	/* Some nested KVMs reset any 32-bit guest that turns paging on
	 * (PLATFORM-NOTES.md): that is the platform's limit, not a bug here. */
	return find_result(r, "hv boot") != NULL || !tcg_boots_us();
}
