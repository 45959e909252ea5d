/* Giving up the CPU (hv/sched_rr.c). */
#ifndef KOAN_SCHED_H
#define KOAN_SCHED_H

#include <stdbool.h>

#include <koan/trap.h>

/* Has a timer tick arrived that the CPU has not taken yet? The hypervisor
 * runs with interrupts off, so a tick waits in the PIC until a guest runs:
 * long hypercalls ask, to stop in time (hv/timer.c). */
bool timer_tick_pending(void);

/* End the current domain's turn; it resumes later from `tf`. */
void yield_current(const struct trap_frame *tf) __attribute__((noreturn));

#endif
