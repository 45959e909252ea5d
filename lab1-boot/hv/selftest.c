/*
 * Self-tests the grader asks for on the hypervisor's command line:
 *   selftest=panic          panic from two calls deep, to check the backtrace;
 *   selftest=triple-fault   make the CPU reset, to check that the grader notices;
 *   selftest=stray-debug    hand trap_entry() the frame of a debug trap taken in
 *                           ring 0 at an entry stub, as a guest's `mov %ss; int`
 *                           would on hardware (QEMU's TCG never delivers it there),
 *                           and go on booting if the hypervisor survives it.
 */
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/gdt.h>
#include <koan/kstring.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/trap.h>
#include <koan/x86.h>

/* Not inlined, cloned or analysed across: each keeps its own frame, and
 * its own name, for the backtrace. (noipa is GCC's; clang, which editors
 * run on this file, knows only noinline.) */
#if defined(__clang__)
#define KEEP_FRAME __attribute__((noinline))
#else
#define KEEP_FRAME __attribute__((noipa))
#endif

static void KEEP_FRAME selftest_panic_inner(int depth)
{
	panic("deliberate panic requested on the command line (depth %d)", depth);
}

static void KEEP_FRAME selftest_panic_outer(void)
{
	selftest_panic_inner(2);
	__asm__ volatile(""); /* not a tail call */
}

/* With an empty IDT, no exception can be delivered: the breakpoint becomes a
 * double fault, then a triple fault, and the CPU resets. */
static void __attribute__((noinline)) selftest_triple_fault(void)
{
	static const struct pseudo_desc empty_idt = { 0, 0 };

	lidt(&empty_idt);
	__asm__ volatile("int3");
}

static void selftest_stray_debug(void)
{
	extern char trap_vector_1[]; /* any entry stub will do (hv/trapentry.S) */
	struct trap_frame tf = { .vector = T_DB,
				 .eip = (uint32_t)(uintptr_t)trap_vector_1,
				 .cs = HV_CS,
				 .eflags = EFLAGS_RESERVED1 };

	trap_entry(&tf);
	report("selftest stray-debug=survived");
}

HV_OPTION(selftest, "panic, triple-fault or stray-debug: a self-test for the grader");

void selftest(const char *cmdline)
{
	char what[16];

	if (!cmdline_get(cmdline, "selftest", what, sizeof(what)))
		return;
	if (strcmp(what, "panic") == 0)
		selftest_panic_outer();
	else if (strcmp(what, "triple-fault") == 0)
		selftest_triple_fault();
	else if (strcmp(what, "stray-debug") == 0)
		selftest_stray_debug();
	else
		kprintf("[hv] selftest=%s: not a self-test (panic, triple-fault, stray-debug): "
			"ignored\n",
			what);
}
