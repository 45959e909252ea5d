/*
 * Koan public ABI: the states a domain goes through, as dom0's control
 * operations report them (lab 3's KOAN_CTL_LIST). The hypervisor's own
 * enum domain_state (koan/domain.h) is made from this one list, so the two
 * cannot drift apart; a later lab adds a state at the end.
 *
 *   X(NAME, value, "name as a shell prints it")
 *
 * Stable from ABI version 3 on: values are never reused or renumbered.
 */
#ifndef KOAN_PUBLIC_DOMAIN_STATE_H
#define KOAN_PUBLIC_DOMAIN_STATE_H

#define KOAN_DOMSTATES(X)                                                              \
	X(REFUSED, 0, "refused")   /* its image failed the checks: never started */    \
	X(READY, 1, "ready")	   /* checked, never run yet */                        \
	X(RUNNING, 2, "running")   /* on the CPU now */                                \
	X(RUNNABLE, 3, "runnable") /* has run, waits for its next turn */              \
	X(PAUSED, 4, "paused")	   /* set aside by dom0 */                             \
	X(HALTED, 5, "halted")	   /* ended by itself */                               \
	X(CRASHED, 6, "crashed")   /* ended by the hypervisor, or destroyed by dom0 */ \
	X(BLOCKED, 7, "blocked")   /* waits for an event (lab 4's sched_op block) */

#define KOAN_DOMSTATE_VALUE_(name, value, text) KOAN_DOMSTATE_##name = value,
enum koan_domstate { KOAN_DOMSTATES(KOAN_DOMSTATE_VALUE_) KOAN_DOMSTATE_COUNT };
#undef KOAN_DOMSTATE_VALUE_

#endif
