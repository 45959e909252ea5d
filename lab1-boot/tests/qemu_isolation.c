/*
 * Lab 1 in QEMU: what a guest must not be able to do to the hypervisor or to
 * the domains after it, however it sets up the CPU. Each attack runs first;
 * a domain after it must still run to its end, with its token.
 */
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "isolation.h"
#include "koan_test.h"

/* Run `attacker`, then hello.elf with a fresh token; expect the hypervisor
 * to end normally and hello to have run after it. */
static void run_then_hello(struct run *r, const char *attacker)
{
	static struct scenario sc;
	static char hello[64];
	char want[64];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(hello, sizeof(hello), "hello.elf token=%s", token);
	sc.modules[0] = attacker;
	sc.modules[1] = hello;
	scenario_run(&sc, r);
	snprintf(want, sizeof(want), "d1 token=%s", token);
	expect_result(r, want);
	expect_no_result_prefix(r, "hv crash dom=1");
	expect_outcome(r, OUTCOME_DONE);
}

/* A ring-1 iret with EFLAGS.VM enters virtual-8086 mode under TCG. The
 * trap that follows comes with CS=0: still the guest's, and its end. */
KTEST(lab1_virtual_8086_crashed)
{
	struct run r;

	run_then_hello(&r, "privop.elf op=vm86");
	expect_result(&r, "d0 before vm86");
	expect_no_result_prefix(&r, "d0 after");
	expect_crash(&r, 0, "14", "virtual-8086");
}

/* The FPU is each domain's own: the one before us set "round toward zero"
 * and filled every register; we find a clean FPU (fninit's control word,
 * every register zero) and round 2.7 to 3. */
KTEST(lab1_fpu_not_shared)
{
	struct scenario sc;
	struct run r;
	char leave[64];

	scenario_init(&sc);
	snprintf(leave, sizeof(leave), "fpu.elf op=leave token=%s", random_token());
	sc.modules[0] = leave;
	sc.modules[1] = "fpu.elf op=check";
	sc.modules[2] = "fpu.elf op=check";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 fpu left cw=0xf7f round=2");
	expect_result(&r, "d1 fpu found cw=0x37f regs=clean round=3");
	expect_result(&r, "d2 fpu found cw=0x37f regs=clean round=3");
	expect_no_result_prefix(&r, "hv crash");
	expect_outcome(&r, OUTCOME_DONE);
}

/*
 * Ring 1 reaches for the hypervisor: reads its first word, writes its code,
 * its IDT, its GDT and the TSS's esp0 (where the CPU would push the next
 * trap frame, at ring 0). Each must fault, on every platform: by the segment
 * limit where the CPU enforces it (KVM, hardware), else because only a
 * read-only trampoline of the hypervisor is mapped (xpti, QEMU's TCG).
 */
static const char *const hole_attacks[] = {
	"segments.elf read-hole", "segments.elf write-hole", "segments.elf write-idt",
	"segments.elf write-gdt", "segments.elf write-tss",
};
#define NR_HOLE_ATTACKS (sizeof(hole_attacks) / sizeof(hole_attacks[0]))

static void expect_hole_attacks_fail(const struct run *r, const char *token)
{
	char want[64];

	for (unsigned d = 0; d < NR_HOLE_ATTACKS; d++)
		expect_hole_fault(r, d);
	snprintf(want, sizeof(want), "d%u token=%s", (unsigned)NR_HOLE_ATTACKS, token);
	expect_result(r, want);
	expect_outcome(r, OUTCOME_DONE);
}

KTEST(lab1_segment_limits_enforced)
{
	struct scenario sc;
	struct run r;
	char hello[64];
	const char *token = random_token();

	scenario_init(&sc);
	for (unsigned d = 0; d < NR_HOLE_ATTACKS; d++)
		sc.modules[d] = hole_attacks[d];
	snprintf(hello, sizeof(hello), "hello.elf token=%s", token);
	sc.modules[NR_HOLE_ATTACKS] = hello;
	scenario_run(&sc, &r);
	expect_result_prefix(&r, "hv guard mode=");
	expect_hole_attacks_fail(&r, token);
	if (run_under_kvm_if_usable(&sc, &r)) /* and the paper's own guard, where it holds */
		expect_hole_attacks_fail(&r, token);
}
