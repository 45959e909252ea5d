/* Lab 1 in QEMU: damaged guest images are refused, and the next one runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfvariant.h"
#include "expect.h"
#include "koan_test.h"

static void refused_then_next_runs(enum elf_damage damage, const char *reason)
{
	struct scenario sc;
	struct run r;
	size_t len;
	char mod[64], want[96];
	const char *token = random_token();
	void *image = damaged_guest("hello.elf", damage, &len);

	scenario_init(&sc);
	scenario_write_file(&sc, "damaged.elf", image, len);
	free(image);
	sc.modules[0] = "damaged.elf";
	snprintf(mod, sizeof(mod), "hello.elf token=%s", token);
	sc.modules[1] = mod;
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "hv refused dom=0 reason=%s", reason);
	expect_result(&r, want);
	expect_no_result_prefix(&r, "hv start dom=0");
	snprintf(want, sizeof(want), "d1 token=%s", token);
	expect_result(&r, want);
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab1_qemu_elf_bad_magic)
{
	refused_then_next_runs(DAMAGE_MAGIC, "bad-magic");
}

KTEST(lab1_qemu_elf_bad_machine)
{
	refused_then_next_runs(DAMAGE_MACHINE, "bad-machine");
}

KTEST(lab1_qemu_elf_in_hypervisor)
{
	refused_then_next_runs(DAMAGE_SEGMENT_IN_HV, "segment-in-hypervisor");
}

KTEST(lab1_qemu_elf_entry_outside)
{
	refused_then_next_runs(DAMAGE_ENTRY_OUTSIDE, "entry-outside");
}
