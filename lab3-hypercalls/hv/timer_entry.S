/* IRQ 0, the timer (hv/timer.c): an entry like every trap's, in the
 * trampoline (lab 1's hv/guard.c). */
#include <koan/timer.h>

	.section .entry.text, "ax"
	.globl timer_entry
timer_entry:
	pushl $0
	pushl $TIMER_VECTOR
	jmp trap_common
