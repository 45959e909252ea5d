/* Lab 1 in QEMU: booting through GRUB2 from an ISO, as on a real machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expect.h"
#include "koan_test.h"

static void copy_build_file(const char *rel, const char *dest)
{
	size_t len;
	void *data = read_build_file(rel, &len);
	FILE *f = fopen(dest, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		ck_abort_msg("cannot write %s", dest);
	free(data);
}

/* grub-mkrescue, quietly; its output is shown only if it fails. */
static void make_iso(const char *staging, const char *iso)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "grub-mkrescue -o '%s' '%s' >'%s.log' 2>&1", iso, staging, iso);
	int status = system(cmd);
	if (status != 0) {
		snprintf(cmd, sizeof(cmd), "cat '%s.log'", iso);
		if (system(cmd) != 0)
			printf("(no log)\n");
		ck_abort_msg("grub-mkrescue failed (is grub-pc-bin installed? run make doctor)");
	}
}

KTEST(lab1_iso_grub)
{
	struct scenario sc;
	struct run r;
	char staging[512], path[700], iso[600], want[64];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(staging, sizeof(staging), "%s/isoroot", sc.dir);
	snprintf(path, sizeof(path), "%s/boot/grub", staging);
	if (mkdir(staging, 0777) != 0 || mkdir(strcat(strcpy(iso, staging), "/boot"), 0777) != 0 ||
	    mkdir(path, 0777) != 0)
		ck_abort_msg("cannot make %s", path);
	snprintf(path, sizeof(path), "%s/boot/koan.elf", staging);
	copy_build_file("koan.elf", path);
	snprintf(path, sizeof(path), "%s/boot/hello.elf", staging);
	copy_build_file("guests/hello.elf", path);
	snprintf(path, sizeof(path), "%s/boot/grub/grub.cfg", staging);
	FILE *cfg = fopen(path, "w");
	ck_assert_msg(cfg != NULL, "cannot write grub.cfg");
	fprintf(cfg, "serial --unit=0 --speed=115200\nterminal_input serial\nterminal_output serial\n"
		     "set timeout=0\n"
		     "menuentry \"Koan\" {\n"
		     "  multiboot /boot/koan.elf from=grub\n"
		     "  module /boot/hello.elf hello.elf token=%s\n"
		     "}\n", token);
	fclose(cfg);
	snprintf(iso, sizeof(iso), "%s/koan.iso", sc.dir);
	make_iso(staging, iso);

	sc.iso = iso;
	sc.timeout_ms = 20000;
	scenario_run(&sc, &r);
	expect_console(&r, "Koan hypervisor");
	expect_result(&r, "d0 ring=1");
	snprintf(want, sizeof(want), "d0 token=%s", token);
	expect_result(&r, want);
	expect_outcome(&r, OUTCOME_DONE);
	printf("booted through GRUB in %.2f s\n", r.wall_s);
}
