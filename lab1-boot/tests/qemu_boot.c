/* Lab 1 in QEMU: booting, the memory map, the modules, panics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "koan_test.h"

KTEST(lab1_boot_banner)
{
	struct scenario sc;
	struct run r;
	char hvargs[64], mod0[64], mod1[64], want[128], value[32];
	const char *t0 = random_token(), *t1 = random_token();
	unsigned mem_mb = 48 + (unsigned)(getpid() % 9) * 16; /* 48 to 176 MB */

	scenario_init(&sc);
	snprintf(hvargs, sizeof(hvargs), "boot=%s", random_token());
	snprintf(mod0, sizeof(mod0), "hello.elf token=%s", t0);
	snprintf(mod1, sizeof(mod1), "segments.elf id=%s", t1);
	sc.hv_args = hvargs;
	sc.modules[0] = mod0;
	sc.modules[1] = mod1;
	sc.mem_mb = mem_mb;
	scenario_run(&sc, &r);

	expect_outcome(&r, OUTCOME_DONE);
	expect_console(&r, "Koan hypervisor");
	expect_console(&r, hvargs);
	/* boot= is no option of the hypervisor's: it says so, and goes on. */
	snprintf(want, sizeof(want), "hv option-unknown word=%s", hvargs);
	expect_result(&r, want);
	/* The memory map: QEMU's -m, less what the firmware keeps (under 2 MB). */
	if (!result_value(&r, "hv mem-total", "usable_kb", value, sizeof(value)))
		run_fail(&r, "no usable memory reported (hv mem-total): is the memory map read?");
	unsigned long kb = strtoul(value, NULL, 10);
	if (kb > mem_mb * 1024ul || kb + 2048 < mem_mb * 1024ul)
		run_fail(&r, "QEMU had %u MB, but the hypervisor found %lu KB usable", mem_mb, kb);
	expect_result_prefix(&r, "hv mem base=0x100000 ");
	/* The modules, in order, with their command lines. */
	snprintf(want, sizeof(want), "hv module idx=0 ");
	expect_result_prefix(&r, want);
	if (!strstr(find_result(&r, "hv module idx=0 "), t0) ||
	    !find_result(&r, "hv module idx=1 ") ||
	    !strstr(find_result(&r, "hv module idx=1 "), t1))
		run_fail(&r, "the modules' command lines are not listed in order");
	printf("usable memory found: %lu KB of %u MB\n", kb, mem_mb);
}

KTEST(lab1_panic_backtrace)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.hv_args = "selftest=panic";
	sc.modules[0] = "hello.elf";
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_PANIC);
	expect_console(&r, "PANIC");
	/* The names come only from the symbol table: a backtrace that cannot
	 * look up symbols prints "??" instead. */
	expect_console(&r, "selftest_panic_inner");
	expect_console(&r, "selftest_panic_outer+0x");
	expect_console(&r, "kmain+0x");
}
