/*
 * Self-tests of the scenario runner. They use the solutions' hypervisor
 * (make check builds them on SOL=all) and the guests that misbehave on
 * purpose: spin (never ends) and flood (never stops printing).
 */
#include <stdlib.h>
#include <unistd.h>

#include "expect.h"
#include "koan_test.h"

KTEST(grader_timeout)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "spin.elf";
	sc.timeout_ms = 3000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_TIMEOUT);
	ck_assert_msg(r.wall_s < 5.0, "the runner took %.1f s to stop a 3 s scenario", r.wall_s);
}

KTEST(grader_output_cap)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "flood.elf";
	sc.timeout_ms = 25000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_OUTPUT_CAP);
}

KTEST(grader_triple_fault)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.hv_args = "selftest=triple-fault";
	sc.modules[0] = "hello.elf";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_TRIPLE_FAULT);
}

KTEST(grader_qemu_missing)
{
	struct scenario sc;
	struct run r;

	setenv("QEMU", "/nonexistent/qemu-system-i386", 1);
	scenario_init(&sc);
	sc.modules[0] = "hello.elf";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_QEMU_ERROR);
	ck_assert_msg(r.qemu_errors[0] != '\0', "QEMU's failure to start was not reported");
}

KTEST(grader_not_run)
{
	koan_not_run("this self-test checks that 'not run' is reported as such");
}

/* Code under test that ends its own process with status 0, in the middle of
 * a test, must not pass it: check alone would take that for a pass. The
 * expected outcome is a failure (tools/check-all). */
KTEST(grader_early_exit)
{
	_exit(0);
}

/* Results that were not made by this run fail the test, however well they
 * read: here the guest echoes a run token of its own choosing (the first
 * runtoken= on its command line wins), as canned results would. The
 * expected outcome is a failure (tools/check-all). */
KTEST(grader_canned_results)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "hello.elf runtoken=00000000 token=canned";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	expect_result(&r, "d0 token=canned");
}
