/* Lab 1 in QEMU: guests in ring 1, trap-and-emulate, and what must crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "koan_test.h"

static void run_modules(struct run *r, struct scenario *sc)
{
	scenario_run(sc, r);
}

KTEST(lab1_guest_ring1)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "hello.elf token=%s", token);
	sc.modules[0] = mod;
	sc.real_time = true; /* its time to the first line is reported in make check */
	run_modules(&r, &sc);
	expect_result(&r, "hv start dom=0 ring=1");
	expect_result(&r, "d0 ring=1");
	snprintf(want, sizeof(want), "d0 token=%s", token);
	expect_result(&r, want);
	expect_result(&r, "d0 bye");
	expect_result(&r, "hv halt dom=0 vif=0");
	expect_outcome(&r, OUTCOME_DONE);
	if (r.first_guest_line_s >= 0)
		printf("first guest line after %.3f s (TCG)\n", r.first_guest_line_s);
}

KTEST(lab1_guest_console)
{
	struct scenario sc;
	struct run r;
	char mod0[64], mod1[64], want[96];
	const char *t0 = random_token(), *t1 = random_token();

	scenario_init(&sc);
	snprintf(mod0, sizeof(mod0), "hello.elf token=%s", t0);
	snprintf(mod1, sizeof(mod1), "hello.elf token=%s", t1);
	sc.modules[0] = mod0;
	sc.modules[1] = mod1;
	run_modules(&r, &sc);
	expect_outcome(&r, OUTCOME_DONE);
	/* Each guest line on the console carries its domain's prefix. */
	expect_console(&r, "[d0] hello from domain 0, running in ring 1");
	expect_console(&r, "[d1] hello from domain 1, running in ring 1");
	snprintf(want, sizeof(want), "[d1] my command line is \"hello.elf token=%s runtoken=%s\"",
		 t1, r.run_tokens[1]);
	expect_console(&r, want);
	snprintf(want, sizeof(want), "d1 token=%s", t1);
	expect_result(&r, want);
}

KTEST(lab1_segment_limits_lsl)
{
	struct scenario sc;
	struct run r;
	static const char *const names[] = { "cs", "ds", "ss", "user-cs", "user-ds" };

	scenario_init(&sc);
	sc.modules[0] = "segments.elf";
	run_modules(&r, &sc);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char want[64];
		snprintf(want, sizeof(want), "d0 limit %s=0xfbffffff", names[i]);
		expect_result(&r, want);
	}
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab1_emulate_cli_sti)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "privop.elf op=sti-hlt";
	sc.modules[1] = "privop.elf op=cli-hlt";
	run_modules(&r, &sc);
	expect_result(&r, "d0 before sti-hlt");
	expect_result(&r, "hv halt dom=0 vif=1");
	expect_result(&r, "hv halt dom=1 vif=0");
	expect_no_result_prefix(&r, "hv crash");
	expect_outcome(&r, OUTCOME_DONE);
}

/* The virtual UARTs register by register, as README Exercise 7 lists them:
 * line status "ready", the others 0, only as much of %eax as the access is
 * wide, writes to other registers ignored, a wide out sending its low byte. */
KTEST(lab1_emulate_ports)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "privop.elf op=uart-registers";
	sc.modules[1] = "privop.elf op=port-past-console";
	sc.modules[2] = "privop.elf op=port-past-results";
	sc.modules[3] = "hello.elf";
	run_modules(&r, &sc);
	expect_result(&r, "d0 uart lsr1=0x12345660 lsr2=0xcafe0060 ier=0xaabb0000 msr=0x0 "
			  "rbr=0x11111100 scr=0x22222200");
	expect_console(&r, "[d0] *");
	expect_result(&r, "d0 after uart-registers");
	expect_no_result_prefix(&r, "hv crash dom=0");
	/* Eight registers each, no more. */
	expect_crash(&r, 1, "13", "0x400");
	expect_crash(&r, 2, "13", "0x300");
	expect_result(&r, "hv start dom=3 ring=1");
	expect_outcome(&r, OUTCOME_DONE);
}

/* A one-byte cli on the last byte of the guest's memory is still emulated:
 * eip moves past it, onto the first unmapped byte, where the fetch faults. */
KTEST(lab1_emulate_last_byte)
{
	struct scenario sc;
	struct run r;
	char eip[32] = "none", at[32] = "none", want[32];

	scenario_init(&sc);
	sc.modules[0] = "privop.elf op=cli-at-end";
	sc.modules[1] = "hello.elf";
	run_modules(&r, &sc);
	expect_crash(&r, 0, "14", NULL);
	if (!result_value(&r, "d0 cli-at=", "cli-at", at, sizeof(at)))
		run_fail(&r, "the guest did not say where its last byte is");
	snprintf(want, sizeof(want), "0x%lx", strtoul(at, NULL, 16) + 1);
	if (!result_value(&r, "hv crash dom=0 ", "eip", eip, sizeof(eip)) || strcmp(eip, want) != 0)
		run_fail(&r,
			 "the cli on the guest's last byte (%s) was not emulated: the crash came "
			 "at eip %s, expected %s (one past it)",
			 at, eip, want);
	expect_result(&r, "hv start dom=1 ring=1");
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab1_unsupported_privileged)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	sc.modules[0] = "privop.elf op=mov-cr3";
	sc.modules[1] = "privop.elf op=wbinvd";
	sc.modules[2] = "privop.elf op=lgdt";
	snprintf(mod, sizeof(mod), "hello.elf token=%s", token);
	sc.modules[3] = mod;
	run_modules(&r, &sc);
	expect_crash(&r, 0, "13", NULL);
	expect_crash(&r, 1, "13", NULL);
	expect_crash(&r, 2, "13", NULL);
	expect_crash_code(&r, 0, "0f.20"); /* mov %cr3, %eax */
	expect_crash_code(&r, 1, "0f.09"); /* wbinvd */
	expect_crash_code(&r, 2, "0f.01"); /* lgdt */
	expect_no_result_prefix(&r, "d0 after");
	snprintf(want, sizeof(want), "d3 token=%s", token);
	expect_result(&r, want);
	expect_result(&r, "hv done domains=4 halted=1 crashed=3 refused=0");
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab1_ports_refused)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	/* A guest writing to the exit device would end the whole machine. */
	sc.modules[0] = "privop.elf op=exit-port";
	sc.modules[1] = "privop.elf op=port80";
	sc.modules[2] = "hello.elf";
	run_modules(&r, &sc);
	expect_crash(&r, 0, "13", "port 0xf4");
	expect_crash(&r, 1, "13", "port 0x80");
	expect_result(&r, "d2 bye");
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab1_guest_faults)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "privop.elf op=div0";
	sc.modules[1] = "privop.elf op=ud2";
	sc.modules[2] = "privop.elf op=page-fault";
	sc.modules[3] = "privop.elf op=int3";
	sc.modules[4] = "privop.elf op=poke-hypervisor";
	sc.modules[5] = "hello.elf";
	run_modules(&r, &sc);
	expect_crash(&r, 0, "0", NULL);
	expect_crash(&r, 1, "6", NULL);
	expect_crash(&r, 2, "14", NULL);
	expect_crash(&r, 3, "13", NULL); /* int3 through a DPL-0 gate: #GP */
	expect_crash(&r, 4, "14", NULL); /* the hypervisor's image is not mapped for guests */
	expect_console(&r, "faulting address (cr2) 0x08000000");
	expect_console(&r, "faulting address (cr2) 0x00100000");
	expect_result(&r, "d5 bye");
	expect_outcome(&r, OUTCOME_DONE);
}
