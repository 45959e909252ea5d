/*
 * Self-tests the grader asks for on the hypervisor's command line:
 *   selftest=panic   panic from two calls deep, to check the backtrace.
 */
#include <koan/cmdline.h>
#include <koan/kstring.h>
#include <koan/panic.h>

/* noinline: each must keep its own frame for the backtrace to show. */
static void __attribute__((noinline)) selftest_panic_inner(int depth)
{
	panic("deliberate panic requested on the command line (depth %d)", depth);
}

static void __attribute__((noinline)) selftest_panic_outer(void)
{
	selftest_panic_inner(2);
	__asm__ volatile(""); /* not a tail call */
}

void selftest(const char *cmdline)
{
	char what[16];

	if (!cmdline_get(cmdline, "selftest", what, sizeof(what)))
		return;
	if (strcmp(what, "panic") == 0)
		selftest_panic_outer();
}
