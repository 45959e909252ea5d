/* Lab 3 in QEMU: the virtual IDT, bounced exceptions, ring 3 and its system calls. */
#include <stdio.h>
#include <string.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

static const char *run_usertask(struct run *r, const char *args)
{
	char mod[96];

	snprintf(mod, sizeof(mod), "usertask.elf %s", args);
	return run_with_bystander(r, mod);
}

KTEST(lab3_kernel_faults_bounced)
{
	struct run r;
	const char *token = run_usertask(&r, "run");

	expect_result(&r, "d0 traps=0");
	expect_result(&r, "d0 kernel-faults-handled=2"); /* a #DE and a #UD, in ring 1 */
	expect_clean_end(&r, token);
}

KTEST(lab3_fast_syscall)
{
	struct run r;
	const char *token = run_usertask(&r, "run");

	expect_result(&r, "d0 task-directory=ok");
	expect_result(&r, "d0 user-ring=3");
	expect_console(&r, "[d0] hello from ring 3");
	expect_result(&r, "d0 user-exit=42");
	expect_result(&r, "d0 task-address-space=own");
	expect_clean_end(&r, token);
}

KTEST(lab3_slow_syscall)
{
	struct run r;
	const char *token = run_usertask(&r, "run");

	expect_result(&r, "d0 slow-syscall=0");
	expect_clean_end(&r, token);
}

/* int $0x82 from ring 3 meets a gate of DPL 1: #GP with the gate in the
 * error code (0x82 * 8 + 2), delivered to the guest kernel, not a hypercall. */
KTEST(lab3_ring3_hypercall_refused)
{
	struct run r;
	const char *token = run_usertask(&r, "run");

	expect_result(&r, "d0 gp-from-ring3=2 error=0x412 cs=0x2b");
	expect_no_result_prefix(&r, "d0 user-hypercall-returned=3");
	expect_result_prefix(&r, "d0 user-hypercall-returned=");
	expect_clean_end(&r, token);
}

KTEST(lab3_page_fault_bounced)
{
	struct run r;
	const char *token = run_usertask(&r, "run mem=2048");

	/* 2048 KB from 16 MB, then three pages: the task's first touch there.
	 * Error 0x6: a write, from user mode, to a page not present. */
	expect_result(&r, "d0 page-faults=1 cr2=0x1203000 error=0x6");
	expect_result(&r, "d0 demand-page=ok");
	expect_clean_end(&r, token);
}

KTEST(lab3_bad_trap_table)
{
	static const char *const lines[] = { "d0 ring0-selector=-1",
					     "d0 handler-in-hole=-22",
					     "d0 ring3-selector=-1",
					     "d0 table-in-hole=-14",
					     "d0 timer-vector=-22",
					     "d0 hypercall-vector=-22",
					     "d0 vector-31=0",
					     "d0 vector-0x30=-22",
					     "d0 handler-below-m2p=0",
					     "d0 handler-at-m2p=-22",
					     "d0 table-257=0",
					     "d0 survived",
					     NULL };
	struct run r;
	const char *token = run_usertask(&r, "op=bad-tables");

	expect_results(&r, lines);
	expect_clean_end(&r, token);
}

/* set_trap_table(0) forgets every handler, the first vector's too. */
KTEST(lab3_trap_table_cleared)
{
	struct run r;
	const char *token = run_usertask(&r, "op=cleared-then-fault");

	expect_result(&r, "d0 handled=1");
	expect_result(&r, "d0 clear=0");
	expect_no_result_prefix(&r, "d0 still-handled");
	expect_crash(&r, 0, "0", NULL);
	expect_bystander_intact(&r, token);
}

KTEST(lab3_bad_stack_switch)
{
	struct run r;
	/* The whole frame the CPU pushes below esp must be the guest's: an
	 * esp near 0 would wrap round into the hypervisor's area. */
	static const char *const lines[] = {
		"d0 stack-ring0=-22",	 "d0 stack-in-hole=-22",
		"d0 stack-zero=-22",	 "d0 stack-27=-22",
		"d0 stack-28=0",	 "d0 stack-m2p-edge=0",
		"d0 stack-past-m2p=-22", NULL,
	};
	const char *token = run_usertask(&r, "op=bad-tables");

	expect_results(&r, lines);
	expect_clean_end(&r, token);
}

/* What only the guest kernel may do, its ring-3 task may not: a system call
 * through an entry of DPL 1 and a mov to %cr3 are each a #GP for the
 * kernel (error 0x40a: IDT entry 0x81; then 0), never carried out. */
KTEST(lab3_ring3_privileged)
{
	struct run r;
	const char *token = run_usertask(&r, "op=ring3-privileged");

	expect_result(&r, "d0 slow-dpl1=0");
	expect_result(&r, "d0 still-own-address-space");
	expect_result(&r, "d0 user-exit=7");
	expect_result(&r, "d0 gp-from-ring3=2 first=0x40a last=0x0 cs=0x2b");
	expect_clean_end(&r, token);
}
