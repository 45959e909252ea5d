/* Lab 3 in QEMU: the MMU hypercalls and multicall, their use and abuse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

/* Run mmuprobe with `op` next to a bystander; return the bystander's token. */
static const char *run_mmuprobe(struct run *r, const char *op)
{
	char mod[96];

	snprintf(mod, sizeof(mod), "mmuprobe.elf op=%s token=%s", op, random_token());
	return run_with_bystander(r, mod);
}

KTEST(lab3_update_va_mapping)
{
	struct run r;
	char want[64];
	const char *token = run_mmuprobe(&r, "alias");
	const char *mod = r.sc->modules[0];

	expect_result(&r, "d0 map=0");
	snprintf(want, sizeof(want), "d0 alias-reads=%s", strstr(mod, "token=") + 6);
	expect_result(&r, want);
	expect_result(&r, "d0 remap=0");
	expect_result(&r, "d0 remap-reads=moved");
	expect_result(&r, "d0 unmap=0");
	expect_result(&r, "d0 tlb-flush=0 invlpg=0");
	expect_clean_end(&r, token);
}

KTEST(lab3_mmu_update_batch)
{
	static const char *const lines[] = { "d0 batch=0",
					     "d0 done=64",
					     "d0 aliases-ok=64",
					     "d0 m2p-own=0 done=1",
					     "d0 m2p-reads=7777",
					     "d0 m2p-restore=0 reads=ok",
					     "d0 kind-2=-22 done=0",
					     "d0 kind-3=-22 done=0",
					     "d0 batch-max=-22 done=0",
					     "d0 batch-max+1=-22 done=99",
					     "d0 ext-max=-22 done=0",
					     "d0 ext-max+1=-22 done=99",
					     "d0 batch-empty=0 done=0",
					     "d0 ext-empty=0 done=0",
					     "d0 ext-4=0 done=4",
					     NULL };
	struct run r;
	const char *token = run_mmuprobe(&r, "batch");

	expect_results(&r, lines);
	/* Short batches, and no tick waiting: never stopped to continue. */
	expect_result(&r, "hv continued dom=0 calls=0");
	expect_clean_end(&r, token);
}

KTEST(lab3_multicall)
{
	struct run r;
	const char *token = run_mmuprobe(&r, "multicall");

	expect_result(&r, "d0 multicall=0");
	/* version, a console write of 15 bytes, a nested multicall and a yield
	 * refused, and the last entry still done */
	expect_result(&r, "d0 results=3,15,-22,-22,3");
	expect_result(&r, "d0 multicall-max=0 last=3");
	expect_result(&r, "d0 multicall-too-many=-22 untouched=yes");
	expect_result(&r, "d0 multicall-unknown=0 result=-38");
	expect_result(&r, "d0 multicall-in-hole=-14");
	expect_result(&r, "d0 multicall-read-only=-14 result=1");
	expect_console(&r, "[d0] multicall line");
	/* Short calls, and no tick waiting: never stopped to continue. */
	expect_result(&r, "hv continued dom=0 calls=0");
	expect_clean_end(&r, token);
}

/* Directory entries change too (README, Exercise 4): set one to a new
 * table and use it, replace it with another (the first must be given back:
 * a page that is no table any more can be mapped writable again), clear it;
 * and the audit at the end finds every count right. */
KTEST(lab3_directory_entries)
{
	static const char *const lines[] = {
		"d0 set=0",	"d0 map-through-new-table=0",	     "d0 reads=ok",
		"d0 replace=0", "d0 old-table-writable-again=0",     "d0 new-table-writable=-22",
		"d0 clear=0",	"d0 cleared-table-writable-again=0", NULL,
	};
	struct run r;
	const char *token = run_mmuprobe(&r, "directory");

	expect_results(&r, lines);
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_clean_end(&r, token);
}

KTEST(lab3_new_directory)
{
	static const char *const lines[] = {
		"d0 pin-while-writable=-22",
		"d0 remap-read-only=0",
		"d0 pin=0",
		"d0 pin-again=-22",
		"d0 switch=0",
		"d0 running-on-copy",
		"d0 switch-back=0",
		"d0 unpin=0",
		"d0 unpin-again=-22",
		"d0 remap-l1-read-only=0",
		"d0 pin-l1=0",
		"d0 l1-in-directory=0",
		"d0 l1-out-of-directory=0",
		"d0 unpin-l1=0",
		"d0 invlpg=0 invlpg-m2p=-22",
		NULL,
	};
	struct run r;
	const char *token = run_mmuprobe(&r, "newspace");

	expect_results(&r, lines);
	expect_clean_end(&r, token);
}

static void attacks(const char *const *lines)
{
	struct run r;
	const char *token = run_mmuprobe(&r, "attacks");

	expect_result(&r, "d0 survived");
	expect_results(&r, lines);
	expect_clean_end(&r, token);
}

KTEST(lab3_map_foreign_frame)
{
	static const char *const lines[] = { "d0 map-foreign=-22", "d0 map-hypervisor-frame=-22",
					     "d0 m2p-foreign=-22", NULL };
	attacks(lines);
}

KTEST(lab3_map_table_writable)
{
	static const char *const lines[] = { "d0 map-directory-writable=-22",
					     "d0 map-directory-read-only=0", NULL };
	attacks(lines);
}

KTEST(lab3_directory_hv_slot)
{
	static const char *const lines[] = {
		"d0 directory-hv-slot=-22",   "d0 directory-hv-slot-clear=-22",
		"d0 update-va-hole=-22",      "d0 update-va-bad-flags=-22",
		"d0 directory-not-present=0", "d0 update-va-not-present=-22",
		"d0 table-unchanged=yes",     "d0 directory-m2p-slot-clear=-22",
		"d0 update-past-frames=-22",  NULL
	};
	attacks(lines);
}

KTEST(lab3_pin_refused)
{
	static const char *const lines[] = { "d0 pin-writable-page=-22", "d0 pin-foreign=-22",
					     "d0 unpin-not-pinned=-22", NULL };
	attacks(lines);
}

KTEST(lab3_base_and_commands_refused)
{
	static const char *const lines[] = { "d0 newbase-foreign=-22", "d0 update-non-table=-22",
					     "d0 bad-command=-22", "d0 mmuext-huge-count=-22",
					     NULL };
	attacks(lines);
}

KTEST(lab3_mmu_bad_pointers)
{
	static const char *const lines[] = { "d0 reqs-in-hole=-14", "d0 huge-count=-22",
					     "d0 done-in-hole=-14", "d0 done-partial=1", NULL };
	attacks(lines);
}

KTEST(lab3_random_hypercalls)
{
	struct scenario sc;
	struct run r;
	char mod[64], bystander[64], want[64];
	const char *token = random_token();
	unsigned seed = (unsigned)getpid() * 2654435761u | 1;

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "hcfuzz.elf seed=%u count=10000", seed);
	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s", token);
	sc.modules[0] = mod;
	sc.modules[1] = bystander;
	sc.timeout_ms = 45000;
	printf("seed %u (replay: make qemu LAB=3 SOL=all MODULES=\"%s\")\n", seed, mod);
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "d0 seed=%u count=10000", seed);
	expect_result(&r, want);
	expect_result_prefix(&r, "d0 fuzz-done calls=10000 ");
	expect_result(&r, "hv audit dom=0 bad=0");
	/* Its long multicalls were stopped and continued, and came to an end. */
	expect_no_result_prefix(&r, "hv continued dom=0 calls=0");
	expect_result_prefix(&r, "hv continued dom=0 calls=");
	unsigned long before = 0, after = 0;
	char value[32];
	if (result_value(&r, "hv frames ", "free", value, sizeof(value)))
		before = strtoul(value, NULL, 0);
	if (last_result_value(&r, "hv destroy ", "free", value, sizeof(value)))
		after = strtoul(value, NULL, 0);
	if (!before || before != after)
		run_fail(&r, "%lu frames were free at boot, %lu after both domains ended", before,
			 after);
	snprintf(want, sizeof(want), "d1 token=%s", token);
	expect_result(&r, want);
	expect_result_prefix(&r, "d1 intact=1 ");
	expect_outcome(&r, OUTCOME_DONE);
}
