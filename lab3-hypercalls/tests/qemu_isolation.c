/*
 * Lab 3 in QEMU: CPU state a guest must not get away with, each attack next
 * to a bystander that checks its memory afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

static const char *run_cpuprobe(struct run *r, const char *op)
{
	char mod[64];

	snprintf(mod, sizeof(mod), "cpuprobe.elf op=%s", op);
	return run_with_bystander(r, mod);
}

/* Its faults in virtual-8086 mode are never bounced to the guest's
 * handlers (which would run with IOPL 3): the domain is crashed. */
KTEST(lab3_vm86_not_bounced)
{
	struct run r;
	const char *token = run_cpuprobe(&r, "vm86-bounce");

	expect_result(&r, "d0 traps=0");
	expect_result(&r, "d0 entering-vm86");
	expect_no_result_prefix(&r, "d0 handler-ran");
	expect_crash(&r, 0, "14", "virtual-8086");
	expect_bystander_intact(&r, token);
}

/* Nothing can be mapped where virtual-8086 code would run, so `cli; jmp .`
 * with IOPL 3 never runs and the CPU is never kept. */
KTEST(lab3_vm86_cannot_run)
{
	struct run r;
	const char *token = run_cpuprobe(&r, "vm86-hang");

	expect_result(&r, "d0 table-read-only=0");
	expect_result(&r, "d0 map-low=-22");
	expect_crash(&r, 0, "14", "virtual-8086");
	expect_bystander_intact(&r, token);
}

/* DF set across a hypercall that gives up the CPU: the hypervisor copies
 * the domain's registers with string instructions, which must go up. */
KTEST(lab3_direction_flag)
{
	struct run r;
	const char *token = run_cpuprobe(&r, "df-yield");

	expect_result(&r, "d0 df-yield ret=0 regs=kept df=1");
	expect_result(&r, "d0 survived df-yield");
	expect_clean_end(&r, token);
}
