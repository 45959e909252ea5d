/* Giving up the CPU (hv/sched_rr.c). */
#ifndef KOAN_SCHED_H
#define KOAN_SCHED_H

#include <koan/trap.h>

/* End the current domain's turn; it resumes later from `tf`. */
void yield_current(const struct trap_frame *tf) __attribute__((noreturn));

#endif
