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

/* Two domains round 2.7 between yields, one toward zero, one to nearest:
 * each must always get its own answer (2 and 3), and a bystander runs too. */
KTEST(lab3_fpu_rounding_own)
{
	struct scenario sc;
	struct run r;
	char bystander[64];
	const char *token = random_token();

	scenario_init(&sc);
	sc.modules[0] = "cpuprobe.elf op=fpu-rounding rc=zero rounds=200";
	sc.modules[1] = "cpuprobe.elf op=fpu-rounding rc=nearest rounds=200";
	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s rounds=100", token);
	sc.modules[2] = bystander;
	sc.timeout_ms = 30000;
	scenario_run(&sc, &r);
	expect_result(&r, "d0 fpu-rounding rc=zero right=200 of 200");
	expect_result(&r, "d1 fpu-rounding rc=nearest right=200 of 200");
	char want[64];
	snprintf(want, sizeof(want), "d2 token=%s", token);
	expect_result(&r, want);
	expect_result_prefix(&r, "d2 intact=1 ");
	expect_no_result_prefix(&r, "hv crash");
	expect_outcome(&r, OUTCOME_DONE);
}

/* fpu_taskswitch: the guest's own TS gives it exactly one #NM per setting,
 * with the FPU already usable; with no handler for #NM, only it ends. */
KTEST(lab3_fpu_taskswitch)
{
	static const char *const lines[] = {
		"d0 traps=0",	 "d0 nm-first-use=0",	"d0 ts-bad=-22",
		"d0 ts-set=0",	 "d0 nm-after-set=1",	"d0 nm-after-yield=1",
		"d0 ts-clear=0", "d0 nm-after-clear=1", NULL,
	};
	struct run r;
	const char *token = run_cpuprobe(&r, "fpu-taskswitch");

	expect_in_order(&r, lines);
	expect_no_result_prefix(&r, "d0 not-reached");
	expect_crash(&r, 0, "7", NULL);
	expect_bystander_intact(&r, token);
}

/*
 * Long hypercalls are preemptible: while one domain asks for as much work
 * as the ABI allows, a bystander that keeps the CPU for 1.5 s never waits
 * longer than a turn (50-60 ms) and one unit of work. Without
 * continuations it would wait for the whole call.
 */
#define PREEMPT_WATCH_MS 1500

static void long_calls(const char *hog, const char *const *lines)
{
	struct run r;
	char mod[96];
	const char *token;

	snprintf(mod, sizeof(mod), "hog.elf %s mem=4096", hog);
	token = run_with_watching_bystander(&r, mod, PREEMPT_WATCH_MS);
	expect_results(&r, lines);
	expect_result(&r, "d0 hog-done");
	expect_clean_end(&r, token);
}

KTEST(lab3_preempt_mmuext)
{
	static const char *const lines[] = { "d0 directory tables=200 read-only=0",
					     "d0 pin-loop=0 done=40 of 40", NULL };
	long_calls("op=pin-loop tables=200 ops=40", lines);
}

KTEST(lab3_preempt_mmu_update)
{
	static const char *const lines[] = { "d0 tables read-only=0",
					     "d0 remap=0 done=8192 of 8192", "d0 clear=0", NULL };
	long_calls("op=remap count=8192", lines);
}

KTEST(lab3_preempt_multicall)
{
	static const char *const batches[] = {
		"d0 multicall=0 entries-complete=4 of 4 beyond=untouched", NULL
	};
	static const char *const writes[] = {
		"d0 console=0 entries-complete=60 of 60 beyond=untouched", NULL
	};
	static const char *const pins[] = {
		"d0 multicall-pins=0 entries-complete=8 of 8 beyond=untouched", NULL
	};

	long_calls("op=multicall tables=200 calls=4 ops=6", batches);
	long_calls("op=console calls=60", writes);
	long_calls("op=multicall-pins tables=200 calls=8", pins);
}

/* TF, then `mov %ss` and `int $0x82`: the single-step trap mov ss held back
 * arrives after the int, in the guest under QEMU's TCG, or in ring 0 at the
 * hypervisor's entry on hardware; the selftest hands the hypervisor that
 * second case. Neither may stop it. */
KTEST(lab3_pop_ss)
{
	static const char *const lines[] = { "d0 traps=0", "d0 pop-ss ret=3", "d0 pop-ss ret=3",
					     "d0 pop-ss ret=3", NULL };
	struct run r;
	const char *token =
		run_with_bystander_hv(&r, "cpuprobe.elf op=pop-ss", "selftest=stray-debug");

	expect_result(&r, "hv selftest stray-debug=survived");
	expect_in_order(&r, lines);
	expect_result_prefix(&r, "d0 pop-ss debug-traps=at-most-one-each");
	expect_result(&r, "d0 survived pop-ss");
	expect_clean_end(&r, token);
}
