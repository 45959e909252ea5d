/* The hypervisor's clock (koan/clock.h). */
#include <koan/clock.h>
#include <koan/console.h>
#include <koan/x86.h>

#define PIT_HZ 1193182u
#define CALIBRATE_COUNTS (PIT_HZ / 50) /* 20 ms of the PIT */

static uint64_t boot_cycles;
static uint32_t cycles_per_ms;

/*
 * Count PIT input cycles (counting down from pit_period, then again) while
 * the cycle counter runs, for 20 ms; read often enough that no period goes
 * by unseen.
 */
void clock_calibrate(uint16_t (*pit_count)(void), uint16_t pit_period)
{
	uint32_t counted = 0;
	uint16_t prev = pit_count();
	uint64_t start = rdtsc();

	while (counted < CALIBRATE_COUNTS) {
		uint16_t now = pit_count();
		counted += now <= prev ? prev - now : prev + pit_period - now;
		prev = now;
	}
	uint64_t cycles = rdtsc() - start;
	cycles_per_ms = (uint32_t)(cycles * PIT_HZ / ((uint64_t)counted * 1000u));
	if (cycles_per_ms == 0)
		cycles_per_ms = 1;
	boot_cycles = start;
	kprintf("clock: the cycle counter runs at %u.%03u MHz\n", cycles_per_ms / 1000,
		cycles_per_ms % 1000);
	report("clock cycles_per_ms=%u", cycles_per_ms);
}

uint64_t clock_ns(void)
{
	uint64_t c = rdtsc() - boot_cycles;

	/* In two parts, so that c * 1,000,000 never overflows. */
	return c / cycles_per_ms * 1000000u + c % cycles_per_ms * 1000000u / cycles_per_ms;
}

uint32_t clock_cycles_per_ms(void)
{
	return cycles_per_ms;
}
