/* Lab 3 in QEMU: domains side by side, and dom0's control of the others. */
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "koan_test.h"

KTEST(lab3_yield_round_robin)
{
	static const char *const order[] = { "d0 step=0", "d1 step=0", "d0 step=1", "d1 step=1",
					     "d0 step=2", "d1 step=2", NULL };
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "turns.elf op=yield steps=3";
	sc.modules[1] = "turns.elf op=yield steps=3";
	scenario_run(&sc, &r);
	expect_in_order(&r, order);
	expect_outcome(&r, OUTCOME_DONE);
}

/* A domain that never yields does not keep the others from running. */
KTEST(lab3_timer_preemption)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	sc.modules[0] = "turns.elf op=spin loops=60000000";
	snprintf(mod, sizeof(mod), "hello.elf token=%s", token);
	sc.modules[1] = mod;
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "d1 token=%s", token);
	const char *const order[] = { want, "d0 spin-done", NULL };
	expect_in_order(&r, order);
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab3_control_not_dom0)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "turns.elf op=yield steps=20";
	sc.modules[1] = "hcprobe.elf op=control";
	scenario_run(&sc, &r);
	expect_result(&r, "d1 control-list=-1");
	expect_result(&r, "d1 control-destroy=-1");
	expect_result(&r, "d1 control-create=-1");
	expect_result(&r, "d1 survived");
	expect_result(&r, "d0 yield-done"); /* domain 0 was not destroyed */
	expect_outcome(&r, OUTCOME_DONE);
}

/* KOAN_CTL_LIST fills exactly what it says it filled; each refusal of a
 * control operation has its own error. */
KTEST(lab3_control_list)
{
	static const char *const lines[] = {
		"d0 list2=0 count=2 untouched=1",
		"d0 entry id=0 alive=1 pages=512 program=hcprobe.elf",
		"d0 entry id=1 alive=1 pages=256 program=turns.elf",
		"d0 list4=0 count=3",
		"d0 unpause-running=-22",
		"d0 pause=0",
		"d0 pause-again=-22",
		"d0 unpause=0",
		"d0 unpause-none=-3",
		"d0 unknown-cmd=-38",
		"d0 entries-in-hole=-14",
		"d0 op-in-hole=-14",
		"d0 op-read-only=-14",
		NULL,
	};
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "hcprobe.elf op=list";
	sc.modules[1] = "turns.elf op=yield steps=2 mem=1024";
	sc.modules[2] = "hello.elf";
	scenario_run(&sc, &r);
	expect_in_order(&r, lines);
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab3_dom0_shell)
{
	struct scenario sc;
	struct run r;
	char late[64], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	sc.modules[0] = "dom0shell.elf";
	sc.modules[1] = "turns.elf op=yield steps=1000000";
	snprintf(late, sizeof(late), "hello.elf autostart=no token=%s", token);
	sc.modules[2] = late;
	/* A first empty line: a byte typed before the hypervisor sets up the
	 * UART may be lost, as on a real machine. */
	/* Numbers that do not fit, trailing words: refused, never wrapped
	 * (4294967297 is 1 modulo 2^32) or ignored. */
	sc.console_input =
		"\nlist\npause 4294967297\ncreate 99999999999999\ndestroy 1 2\n"
		"list now\npause 1x\npause 1\nlist\nunpause 1\nunpause 1\npause 1\npause 1\n"
		"unpause 1\ncreate 2\ndestroy 1\n"
		"destroy 0\npause 9\nbogus\npause\nquit\n";
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "d2 token=%s", token);
	const char *const order[] = {
		"d0 list id=0 state=running pages=512",
		"d0 pause bad-number",
		"d0 create bad-number",
		"d0 destroy usage",
		"d0 list usage",
		"d0 pause bad-number",
		"d0 pause 1 ok",
		"d0 list id=1 state=paused pages=512",
		"d0 unpause 1 ok",
		"d0 unpause 1 error=-22", /* not paused */
		"d0 pause 1 ok",
		"d0 pause 1 error=-22", /* paused already */
		"d0 unpause 1 ok",
		"d0 create 2 domain=2",
		"d0 destroy 1 ok",
		"d0 destroy 0 error=-3",
		"d0 pause 9 error=-3",
		"d0 unknown-command",
		"d0 pause usage",
		"d0 shell-quit",
		NULL,
	};
	expect_in_order(&r, order);
	expect_result(&r, want);
	expect_result(&r, "hv destroyed dom=1");
	expect_no_result_prefix(&r, "d1 yield-done");
	expect_console(&r, "koan> ");
	expect_outcome(&r, OUTCOME_DONE);
}
