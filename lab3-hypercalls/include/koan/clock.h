/*
 * The hypervisor's clock: nanoseconds since boot, from the CPU's cycle
 * counter (rdtsc), its rate measured at boot against the PIT, whose input
 * runs at a known 1,193,182 Hz (hv/clock.c). Ticks can be lost while the
 * hypervisor works with interrupts off (one is kept waiting, the rest are
 * not counted), so whatever must last a given time (a domain's turn) is
 * measured with this clock, not by counting ticks. Under QEMU's -icount the
 * cycle counter and the PIT both follow the instructions executed.
 */
#ifndef KOAN_CLOCK_H
#define KOAN_CLOCK_H

#include <stdint.h>

/* Measure the cycle counter's rate; the PIT must be counting (hv/timer.c). */
void clock_calibrate(uint16_t (*pit_count)(void), uint16_t pit_period);

uint64_t clock_ns(void);
uint32_t clock_cycles_per_ms(void);

#endif
