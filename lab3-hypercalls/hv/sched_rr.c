/*
 * Lab 3's scheduling policy: round robin. Domains take turns on one CPU; a
 * domain gives up its turn when it yields or blocks (sched_op), ends, or
 * when its turn is over (50 ms, measured by hv/timer.c). This file is only
 * the policy (which domain next, how long a turn); the mechanism (save,
 * enter, end a turn: lab 1's domain.c, the timer) stays when lab 6
 * replaces it with Borrowed Virtual Time.
 */
#include <koan/domain.h>
#include <koan/x86.h>

static unsigned next_first; /* where the next search starts: after the last to run */

static bool may_run(const struct domain *d)
{
	return d->state == DOM_READY || d->state == DOM_RUNNABLE;
}

/* The first domain that may run, starting after the last one to run (and
 * coming back round to it): domain 0 first at boot. */
static void run_round_robin(void) __attribute__((noreturn));
static void run_round_robin(void)
{
	do {
		unsigned n = domain_count();
		for (unsigned k = 0; k < n; k++) {
			unsigned i = (next_first + k) % n;
			struct domain *d = domain_at(i);
			if (may_run(d)) {
				next_first = (i + 1) % n;
				domain_enter(d);
			}
		}
	} while (domains_idle()); /* all blocked (lab 4): wait for a wake-up */
	domains_finish();
}

static const struct scheduler round_robin = {
	.id = { "round robin (lab 3)", 3 },
	/* Guests run with interrupts on, so that the timer can take the CPU
	 * back; they cannot turn them off (IOPL 0: cli traps and only clears
	 * their virtual flag). */
	.guest_eflags = EFLAGS_IF,
	.turn_ns = 50000000, /* 50 ms */
	.run = run_round_robin,
};
SCHEDULER(round_robin);
