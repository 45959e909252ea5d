/*
 * turns: a guest for the scheduler's tests.
 *   op=yield steps=N   report a step, give up the CPU, N times
 *   op=spin loops=N    compute for a long while without ever yielding
 */
#include "guest.h"
#include "hypercall.h"

void guest_main(const struct koan_start_info *si)
{
	char op[8], arg[16];

	(void)si;
	if (!guest_arg("op", op, sizeof(op)))
		return;
	if (strcmp(op, "yield") == 0) {
		unsigned steps = guest_arg("steps", arg, sizeof(arg)) ? atou(arg) : 3;
		for (unsigned i = 0; i < steps; i++) {
			result("step=%u", i);
			hc_sched_op(KOAN_SCHED_YIELD, 0);
		}
		result("yield-done");
	} else if (strcmp(op, "spin") == 0) {
		unsigned loops = guest_arg("loops", arg, sizeof(arg)) ? atou(arg) : 50000000;
		volatile unsigned sum = 0; /* volatile: the loop is not optimised away */
		for (unsigned i = 0; i < loops; i++)
			sum = sum + i;
		result("spin-done");
	}
}
