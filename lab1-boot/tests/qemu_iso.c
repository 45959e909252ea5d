/* Lab 1 in QEMU: booting through GRUB2 from an ISO, as on a real machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "koan_test.h"

/* tools/mkiso, the script behind `make iso`; its output is shown only if it fails. */
static void make_iso(const char *iso, const char *modules, const char *hvargs)
{
	char cmd[1500];

	snprintf(cmd, sizeof(cmd), "tools/mkiso '%s' '%s/koan.elf' '%s/guests' '%s' '%s' 2>&1", iso,
		 build_dir(), build_dir(), modules, hvargs);
	if (system(cmd) != 0)
		ck_abort_msg("tools/mkiso failed (is grub-pc-bin installed? run make doctor)");
}

KTEST(lab1_iso_grub)
{
	struct scenario sc;
	struct run r;
	char modules[128], iso[300], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(modules, sizeof(modules), "hello.elf token=%s,segments.elf", token);
	snprintf(iso, sizeof(iso), "%s/koan.iso", sc.dir);
	make_iso(iso, modules, "from=grub");

	sc.iso = iso;
	sc.timeout_ms = 20000;
	sc.real_time = true; /* GRUB's own waiting is slow under -icount */
	scenario_run(&sc, &r);
	expect_console(&r, "Koan hypervisor");
	expect_result(&r, "d0 ring=1");
	snprintf(want, sizeof(want), "d0 token=%s", token);
	expect_result(&r, want);
	expect_result(&r, "d1 limit cs=0xfbffffff");
	expect_console(&r, "command line: \"from=grub\"");
	expect_outcome(&r, OUTCOME_DONE);
	printf("booted through GRUB in %.2f s\n", r.wall_s);
}
