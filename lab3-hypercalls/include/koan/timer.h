/* The timer that ends a domain's turn (hv/timer.c, hv/timer_entry.S). */
#ifndef KOAN_TIMER_H
#define KOAN_TIMER_H

/* IRQ 0, the PIT, where the PIC's vectors start (moved past the CPU's). */
#define TIMER_VECTOR 0x20

#ifndef __ASSEMBLER__
#include <stdbool.h>

/* Has a timer tick arrived that the CPU has not taken yet? The hypervisor
 * runs with interrupts off, so a tick waits in the PIC until a guest runs:
 * long hypercalls ask, to stop in time. */
bool timer_tick_pending(void);
/* The end of an interrupt the hypervisor took itself (lab 6's idle halt),
 * so that the PIC sends the next. */
void timer_irq_done(void);
#endif

#endif
