/*
 * Lab 2 in QEMU: domains built with their own frames and page tables, what
 * they can see, what they must not be able to do, and the frame accounting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfvariant.h"
#include "expect.h"
#include "koan_test.h"
#include "isolation.h"

static unsigned long result_number(const struct run *r, const char *prefix, const char *key)
{
	char value[32];

	if (!result_value(r, prefix, key, value, sizeof(value)))
		run_fail(r, "expected a result line \"%s... %s=N\"", prefix, key);
	return strtoul(value, NULL, 0);
}

/* A domain that must run to its end after the one under test: the
 * hypervisor survived, and so does its neighbour. */
static const char *bystander(char *buf, size_t size, const char **token)
{
	*token = random_token();
	snprintf(buf, size, "hello.elf token=%s", *token);
	return buf;
}

static void expect_bystander(const struct run *r, unsigned dom, const char *token)
{
	char want[64];

	snprintf(want, sizeof(want), "d%u token=%s", dom, token);
	expect_result(r, want);
}

KTEST(lab2_memview)
{
	struct scenario sc;
	struct run r;
	char mod[64], want[64];
	unsigned kb = 1024 + 4 * (unsigned)(getpid() % 1500); /* 1 to 7 MB */

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "memview.elf mem=%u", kb);
	sc.modules[0] = mod;
	scenario_run(&sc, &r);
	expect_console(&r, "memory model: direct paging");
	snprintf(want, sizeof(want), "d0 pages=%u", kb / 4);
	expect_result(&r, want);
	expect_result(&r, "d0 first-va=0x1000000");
	expect_result(&r, "d0 p2m-m2p=ok");
	expect_result(&r, "d0 tables-read-only=ok");
	expect_result(&r, "d0 hv-slots=ok");
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab2_several_address_spaces)
{
	struct scenario sc;
	struct run r;
	char mod0[64], mod1[64], want[64];
	unsigned kb0 = 1024 + 4 * (unsigned)(getpid() % 300), kb1 = kb0 + 404;

	scenario_init(&sc);
	snprintf(mod0, sizeof(mod0), "memview.elf mem=%u", kb0);
	snprintf(mod1, sizeof(mod1), "memview.elf mem=%u", kb1);
	sc.modules[0] = mod0;
	sc.modules[1] = mod1;
	scenario_run(&sc, &r);
	/* Both are built before the first one runs, each with its own directory. */
	unsigned long l2_0 = result_number(&r, "hv build dom=0 ", "l2");
	unsigned long l2_1 = result_number(&r, "hv build dom=1 ", "l2");
	if (l2_0 == l2_1)
		run_fail(&r, "two domains share a page directory (frame 0x%lx)", l2_0);
	if (strstr(r.results, "hv build dom=1 ") > strstr(r.results, "hv start dom=0 "))
		run_fail(&r, "every domain must be built at boot, before the first one runs");
	snprintf(want, sizeof(want), "d0 pages=%u", kb0 / 4);
	expect_result(&r, want);
	snprintf(want, sizeof(want), "d1 pages=%u", kb1 / 4);
	expect_result(&r, want);
	expect_result(&r, "d1 p2m-m2p=ok");
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab2_frames_returned)
{
	struct scenario sc;
	struct run r;
	char mod[64], buf[64];
	const char *token;
	size_t len;
	void *bad = damaged_guest("hello.elf", DAMAGE_MAGIC, &len);
	unsigned kb = 1024 + 4 * (unsigned)(getpid() % 700);

	scenario_init(&sc);
	scenario_write_file(&sc, "bad.elf", bad, len);
	free(bad);
	snprintf(mod, sizeof(mod), "memview.elf mem=%u", kb);
	sc.modules[0] = mod;
	sc.modules[1] = "privop.elf op=div0";
	sc.modules[2] = "bad.elf";
	sc.modules[3] = bystander(buf, sizeof(buf), &token);
	scenario_run(&sc, &r);
	expect_bystander(&r, 3, token);
	expect_outcome(&r, OUTCOME_DONE);
	unsigned long before = result_number(&r, "hv frames ", "free");
	unsigned long built = result_number(&r, "hv build dom=0 ", "pages");
	unsigned long freed = result_number(&r, "hv destroy dom=0 ", "freed");
	char last[32];
	if (!last_result_value(&r, "hv destroy ", "free", last, sizeof(last)))
		run_fail(&r, "no domain was destroyed");
	unsigned long after = strtoul(last, NULL, 0);
	/* Frames a later lab gives a domain besides its pages (lab 4: its
	 * shared-info page) are reported, and must come back too. */
	char value[32];
	unsigned long extra =
		result_value(&r, "hv frames-extra dom=0 ", "count", value, sizeof(value))
			? strtoul(value, NULL, 0)
			: 0;
	if (built != kb / 4 || freed != built + extra)
		run_fail(&r,
			 "domain 0 was built with %lu pages (asked %u) and %lu more, and freed %lu",
			 built, kb / 4, extra, freed);
	if (after != before)
		run_fail(&r,
			 "%lu frames were free before the domains were built, %lu after all "
			 "were destroyed",
			 before, after);
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_result(&r, "hv audit dom=1 bad=0");
	expect_result(&r, "hv audit dom=3 bad=0");
	printf("free frames before: %lu, after create/destroy of 3 domains: %lu\n", before, after);
}

KTEST(lab2_cr3_reload)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "ptprobe.elf op=cr3-reload";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 survived cr3-reload");
	expect_result(&r, "hv halt dom=0 vif=0");
	/* Loading the directory already in %cr3 changes no count. */
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_outcome(&r, OUTCOME_DONE);
}

/* mov to %cr3 from each general register the instruction can name (%esp
 * aside), each time the directory the domain runs on; then one through a
 * register that holds a frame number past the machine's: refused, as is the
 * first frame number past the frame table; and a read of %cr3, which only
 * looks like the instruction: not emulated. */
KTEST(lab2_cr3_registers)
{
	struct scenario sc;
	struct run r;
	char buf[64];
	const char *token;

	scenario_init(&sc);
	sc.modules[0] = "ptprobe.elf op=cr3-registers";
	sc.modules[1] = "ptprobe.elf op=cr3-bad-frame";
	sc.modules[2] = "ptprobe.elf op=cr3-read";
	sc.modules[3] = "ptprobe.elf op=cr3-frame frame=16384";
	sc.modules[4] = bystander(buf, sizeof(buf), &token);
	scenario_run(&sc, &r);
	expect_result(&r, "d0 survived cr3-registers");
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_result(&r, "d1 before cr3-bad-frame");
	expect_no_result_prefix(&r, "d1 survived");
	expect_crash(&r, 1, "13", NULL);
	expect_result_prefix(&r, "hv pt-refused dom=1 problem=bad-frame ");
	expect_result(&r, "d2 before cr3-read");
	expect_no_result_prefix(&r, "d2 read ");
	expect_crash(&r, 2, "13", NULL);
	expect_no_result_prefix(&r, "hv pt-refused dom=2 ");
	if (result_number(&r, "hv frames ", "total") != 16384)
		run_fail(&r, "the frame table does not have the 16384 frames this test assumes");
	expect_crash(&r, 3, "13", NULL);
	expect_result_prefix(&r, "hv pt-refused dom=3 problem=bad-frame ");
	expect_bystander(&r, 4, token);
	expect_outcome(&r, OUTCOME_DONE);
}

static void probe_crashes(const char *op, const char *vector, const char *problem)
{
	struct scenario sc;
	struct run r;
	char mod[64], buf[64], want[96];
	const char *token;

	scenario_init(&sc);
	snprintf(mod, sizeof(mod), "ptprobe.elf op=%s", op);
	sc.modules[0] = mod;
	sc.modules[1] = bystander(buf, sizeof(buf), &token);
	scenario_run(&sc, &r);
	snprintf(want, sizeof(want), "d0 before %s", op);
	expect_result(&r, want);
	snprintf(want, sizeof(want), "d0 survived %s", op);
	expect_no_result_prefix(&r, want);
	expect_crash(&r, 0, vector, NULL);
	if (problem) {
		snprintf(want, sizeof(want), "hv pt-refused dom=0 problem=%s ", problem);
		expect_result_prefix(&r, want);
	}
	expect_bystander(&r, 1, token);
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab2_write_own_directory)
{
	probe_crashes("write-directory", "14", NULL);
}

KTEST(lab2_write_m2p)
{
	probe_crashes("write-m2p", "14", NULL);
}

KTEST(lab2_cr3_writable_page)
{
	probe_crashes("cr3-writable", "13", "type-conflict");
}

KTEST(lab2_cr3_other_domain)
{
	probe_crashes("cr3-other", "13", "not-owner");
}

KTEST(lab2_unmapped_memory)
{
	struct scenario sc;
	struct run r;
	char buf[64];
	const char *token;

	scenario_init(&sc);
	sc.modules[0] = "ptprobe.elf op=read-beyond mem=2048";
	sc.modules[1] = "ptprobe.elf op=read-low";
	sc.modules[2] = bystander(buf, sizeof(buf), &token);
	scenario_run(&sc, &r);
	expect_crash(&r, 0, "14", NULL);
	expect_crash(&r, 1, "14", NULL);
	/* 2048 KB from 16 MB: the first byte past them. */
	expect_console(&r, "faulting address (cr2) 0x01200000");
	expect_console(&r, "faulting address (cr2) 0x00100000");
	expect_bystander(&r, 2, token);
	expect_outcome(&r, OUTCOME_DONE);
}

KTEST(lab2_mem_refused)
{
	struct scenario sc;
	struct run r;
	char buf[64];
	const char *token;

	scenario_init(&sc);
	sc.modules[0] = "memview.elf mem=8";	       /* no room for its own image */
	sc.modules[1] = "memview.elf mem=1000000";     /* more than the machine has */
	sc.modules[2] = "memview.elf mem=abc";	       /* not a number */
	sc.modules[3] = "memview.elf mem=99999999999"; /* does not fit in 32 bits */
	sc.modules[4] = "memview.elf mem=4294967295";  /* fits, but no address space holds it */
	sc.modules[5] = bystander(buf, sizeof(buf), &token);
	scenario_run(&sc, &r);
	expect_result(&r, "hv refused dom=0 reason=mem-too-small");
	expect_result(&r, "hv refused dom=1 reason=out-of-memory");
	expect_result(&r, "hv refused dom=2 reason=mem-not-a-number");
	expect_result(&r, "hv refused dom=3 reason=mem-not-a-number");
	expect_result(&r, "hv refused dom=4 reason=mem-too-large");
	expect_bystander(&r, 5, token);
	expect_outcome(&r, OUTCOME_DONE);
	/* Module 1 took every free frame before it ran out: all of them must
	 * have gone back, so the bystander leaves exactly its own pages used. */
	unsigned long before = result_number(&r, "hv frames ", "free");
	unsigned long pages = result_number(&r, "hv build dom=5 ", "pages");
	unsigned long left = result_number(&r, "hv build dom=5 ", "free");
	if (left != before - pages)
		run_fail(&r,
			 "%lu frames were free at boot; after the refusals and the bystander's "
			 "%lu pages, %lu are free, not %lu: a refused domain kept frames",
			 before, pages, left, before - pages);
}

/*
 * The hypervisor's slots are in every directory, yet ring 1 reaches nothing
 * through them: not the hypervisor (a read), not another domain's frames
 * where the hypervisor maps all machine memory (a read and a write). By the
 * segment limit where the CPU enforces it, else because a guest's directory
 * maps only the trampoline there (xpti).
 */
KTEST(lab2_hole_read_enforced)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "segments.elf read-hole";
	sc.modules[1] = "ptprobe.elf op=read-foreign-direct";
	sc.modules[2] = "ptprobe.elf op=write-foreign-direct";
	sc.modules[3] = "memview.elf";
	scenario_run(&sc, &r);
	for (unsigned d = 0; d < 3; d++)
		expect_hole_fault(&r, d);
	expect_result_prefix(&r, "d1 other-frame=");
	expect_result_prefix(&r, "d2 other-frame=");
	expect_result(&r, "d3 hv-slots=ok");
	expect_outcome(&r, OUTCOME_DONE);
	if (run_under_kvm_if_usable(&sc, &r)) {
		for (unsigned d = 0; d < 3; d++)
			expect_hole_fault(&r, d);
		expect_result(&r, "d3 hv-slots=ok");
	}
}
