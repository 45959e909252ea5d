/*
 * Instructor-only: eight modules, good and damaged, in an order drawn at
 * random. Every damaged one is refused with its own reason, every good one
 * runs and echoes its own token, whatever came before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "elfvariant.h"
#include "expect.h"
#include "koan_test.h"

#define NR_MODULES 8

static const struct {
	enum elf_damage damage;
	const char *reason;
} damages[] = {
	{ DAMAGE_MAGIC, "bad-magic" },
	{ DAMAGE_CLASS, "bad-class" },
	{ DAMAGE_MACHINE, "bad-machine" },
	{ DAMAGE_SEGMENT_IN_HV, "segment-in-hypervisor" },
	{ DAMAGE_SEGMENT_LOW, "segment-outside" },
	{ DAMAGE_ENTRY_OUTSIDE, "entry-outside" },
	{ DAMAGE_TRUNCATED, "bad-segment" },
};
#define NR_DAMAGES (int)(sizeof(damages) / sizeof(damages[0]))

KTEST(lab1_hidden_mixed_modules)
{
	struct scenario sc;
	struct run r;
	static char mods[NR_MODULES][64];
	int kind[NR_MODULES]; /* -1: good, else an index into damages */
	char want[96];

	srand((unsigned)getpid());
	scenario_init(&sc);
	for (int i = 0; i < NR_MODULES; i++) {
		kind[i] = rand() % 2 ? -1 : rand() % NR_DAMAGES;
		if (kind[i] < 0) {
			snprintf(mods[i], sizeof(mods[i]), "hello.elf token=%s", random_token());
		} else {
			size_t len;
			char name[32];
			void *image = damaged_guest("hello.elf", damages[kind[i]].damage, &len);
			snprintf(name, sizeof(name), "bad%d.elf", i);
			scenario_write_file(&sc, name, image, len);
			free(image);
			snprintf(mods[i], sizeof(mods[i]), "%s", name);
		}
		sc.modules[i] = mods[i];
	}
	scenario_run(&sc, &r);
	for (int i = 0; i < NR_MODULES; i++) {
		if (kind[i] < 0) {
			snprintf(want, sizeof(want), "d%d token=%s", i,
				 mods[i] + sizeof("hello.elf token=") - 1);
			expect_result(&r, want);
		} else {
			snprintf(want, sizeof(want), "hv refused dom=%d reason=%s", i,
				 damages[kind[i]].reason);
			expect_result(&r, want);
		}
	}
	expect_outcome(&r, OUTCOME_DONE);
}
