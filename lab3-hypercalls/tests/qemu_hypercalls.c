/* Lab 3 in QEMU: the hypercalls so far, in normal use and under attack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/hypercall.h>

#include "bystander.h"
#include "expect.h"
#include "koan_test.h"

static void run_probe(struct run *r, const char *op, const char **token)
{
	char mod[96];

	snprintf(mod, sizeof(mod), "hcprobe.elf op=%s", op);
	*token = run_with_bystander(r, mod);
}

KTEST(lab3_console_hypercall)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[80];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "hcprobe.elf op=console token=%s", token);
	sc.modules[0] = mod;
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "[d0] console hypercall says %s", token);
	expect_console(&r, want);
	snprintf(want, sizeof(want), "d0 write=%d of %d", (int)strlen(want) - 5 + 1,
		 (int)strlen(want) - 5 + 1);
	expect_result(&r, want);
	expect_outcome(&r, OUTCOME_DONE);
}

/* Line n as hcprobe's console-sizes writes it (without its newline). */
static void expected_line(char *out, char marker, const char *token, unsigned n)
{
	int len = sprintf(out, "%c%s%05u", marker, token, n);

	for (int i = len; i < 31; i++)
		out[i] = (char)('a' + (n + (unsigned)i) % 26);
	out[31] = '\0';
}

/* The console's lines of domain 0 that start with `marker` and this run's
 * token, in order, must be exactly lines 0..count-1: no byte lost, doubled
 * or stray at a chunk's edge. */
static void expect_lines(const struct run *r, char marker, const char *token, unsigned count)
{
	char want[40], prefix[16];
	unsigned n = 0;

	snprintf(prefix, sizeof(prefix), "[d0] %c%s", marker, token);
	for (const char *line = r->console; line && *line;) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		if (len >= strlen(prefix) && strncmp(line, prefix, strlen(prefix)) == 0) {
			expected_line(want, marker, token, n);
			if (n >= count || len != 5 + strlen(want) ||
			    strncmp(line + 5, want, len - 5) != 0)
				run_fail(r,
					 "console line %u of the %c-buffer is \"%.*s\", expected "
					 "\"%s\"",
					 n, marker, (int)len, line,
					 n < count ? want : "(no more lines)");
			n++;
		}
		line = eol ? eol + 1 : line + len;
	}
	if (n != count)
		run_fail(r, "the console shows %u lines of the %c-buffer, expected %u", n, marker,
			 count);
}

/* A write of exactly KOAN_CONSOLE_IO_MAX bytes is whole, one byte more is
 * refused before anything is printed, and an odd length from an odd address
 * comes out byte for byte (README, Exercise 3). */
KTEST(lab3_console_sizes)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[48];
	const char *token = random_token();

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "hcprobe.elf op=console-sizes token=%s", token);
	sc.modules[0] = mod;
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_outcome(&r, OUTCOME_DONE);
	expect_result(&r, "d0 max-plus-one=-22");
	snprintf(want, sizeof(want), "d0 max=%u", KOAN_CONSOLE_IO_MAX);
	expect_result(&r, want);
	expect_result(&r, "d0 odd=389");
	expect_lines(&r, 'X', token, 0);
	expect_lines(&r, 's', token, KOAN_CONSOLE_IO_MAX / 32);
	expect_lines(&r, 'u', token, 12);
	expect_console(&r, "[d0] tail");
}

static void bad_pointers(const char *const *names, const char *value)
{
	struct run r;
	const char *token;
	char want[64];

	run_probe(&r, "bad-pointers", &token);
	expect_result(&r, "d0 good=5");
	for (const char *const *n = names; *n; n++) {
		snprintf(want, sizeof(want), "d0 %s=%s", *n, value);
		expect_result(&r, want);
	}
	expect_result(&r, "d0 survived");
	expect_bystander_intact(&r, token);
}

KTEST(lab3_bad_pointer_hypervisor)
{
	static const char *const names[] = { "hole", "hv-image", NULL };
	bad_pointers(names, "-14");
}

KTEST(lab3_bad_pointer_unmapped)
{
	static const char *const names[] = { "null", "unmapped", "straddle", NULL };
	bad_pointers(names, "-14");
}

KTEST(lab3_bad_pointer_wrap)
{
	static const char *const names[] = { "wrap", NULL };
	bad_pointers(names, "-14");
}

KTEST(lab3_huge_counts)
{
	static const char *const names[] = { "huge", "negative", NULL };
	bad_pointers(names, "-22");
}

KTEST(lab3_unknown_hypercall)
{
	struct run r;
	const char *token;

	run_probe(&r, "unknown", &token);
	expect_result(&r, "d0 nr99=-38");
	expect_result(&r, "d0 nr-max=-38");
	expect_result(&r, "d0 console-cmd=-38");
	expect_result(&r, "d0 sched-cmd=-38");
	expect_result(&r, "d0 shutdown-reason=-22");
	expect_result(&r, "d0 survived");
	expect_bystander_intact(&r, token);
}

KTEST(lab3_console_read_dom0_only)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "hcprobe.elf op=read";
	sc.modules[1] = "hcprobe.elf op=read";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 read=0");	       /* dom0: nothing typed, nothing read */
	expect_result(&r, "d0 read-hole=-14"); /* even so, the buffer is checked */
	expect_result(&r, "d1 read=-1");       /* not dom0: not allowed */
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab3_shutdown_reason)
{
	struct run r;
	const char *token;

	run_probe(&r, "shutdown reason=3", &token);
	expect_result(&r, "d0 shutting down");
	expect_result(&r, "hv shutdown dom=0 reason=crash");
	expect_no_result_prefix(&r, "d0 still here");
	expect_bystander_intact(&r, token);
}

KTEST(lab3_version)
{
	struct run r;
	const char *token;

	run_probe(&r, "version", &token);
	expect_result(&r, "d0 version=3");
	expect_bystander_intact(&r, token);
}

/* A guest leaves a console line unfinished, others write, then it goes on
 * with "[hv] domain 1 crashed: ...": that text must land behind its own tag,
 * never at the start of a line, where it would pass for the hypervisor's. */
KTEST(lab3_console_lines_tagged)
{
	struct run r;
	char mod[64], want[96];
	const char *t = random_token(), *token;

	snprintf(mod, sizeof(mod), "hcprobe.elf op=forge token=%s", t);
	token = run_with_bystander(&r, mod);
	expect_result_prefix(&r, "d0 forge=");
	expect_console(&r, "[d0] half a line\n");
	snprintf(want, sizeof(want), "[d0] [hv] domain 1 crashed: forged-%s", t);
	expect_console(&r, want);
	expect_no_console_line(&r, "[hv] domain 1 crashed: forged");
	expect_bystander_intact(&r, token);
}
