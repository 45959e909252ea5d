/*
 * Self-tests the grader asks for on the hypervisor's command line:
 *   selftest=panic          panic from two calls deep, to check the backtrace;
 *   selftest=triple-fault   make the CPU reset, to check that the grader notices.
 */
#include <koan/cmdline.h>
#include <koan/kstring.h>
#include <koan/panic.h>
#include <koan/x86.h>

/* noipa: each keeps its own frame, and its own name, for the backtrace. */
static void __attribute__((noipa)) selftest_panic_inner(int depth)
{
	panic("deliberate panic requested on the command line (depth %d)", depth);
}

static void __attribute__((noipa)) selftest_panic_outer(void)
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

void selftest(const char *cmdline)
{
	char what[16];

	if (!cmdline_get(cmdline, "selftest", what, sizeof(what)))
		return;
	if (strcmp(what, "panic") == 0)
		selftest_panic_outer();
	if (strcmp(what, "triple-fault") == 0)
		selftest_triple_fault();
}
