/*
 * bench: the paper's first measurement, in miniature. Each comparison runs
 * the same work two ways and prints cycles per operation (rdtsc) and the
 * ratio:
 *   console      one byte by trap-and-emulate (lab 1's UART) vs by hypercall
 *   pt-update    one page-table update per hypercall vs 64 in one batch
 *   null         a null hypercall vs a null trap-and-emulate (an `in`)
 *   syscall      a ring-3 system call through the fast gate vs bounced
 *                through the hypervisor
 * Under QEMU with -icount, the cycle counter advances with instructions
 * executed, so the figures do not depend on the host's load.
 */
#include <koan/pte.h>
#include <public/layout.h>
#include <koan/x86.h>
#include <public/ports.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "traps.h"

#define BYTES 512
#define UPDATES 64
#define CALLS 1000

static inline uint64_t cycles(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void report_pair(const char *what, const char *a, uint64_t ca, const char *b, uint64_t cb,
			unsigned n)
{
	unsigned pa = (unsigned)(ca / n), pb = (unsigned)(cb / n);
	unsigned ratio10 = pb ? (unsigned)(ca * 10 / cb) : 0;

	gprintf("%-10s %-22s %7u cycles/op   %-22s %7u cycles/op   ratio %u.%u\n", what, a, pa, b,
		pb, ratio10 / 10, ratio10 % 10);
	result("bench %s %s=%u %s=%u ratio10=%u", what, a, pa, b, pb, ratio10);
}

static void bench_console(void)
{
	static char line[BYTES];
	uint64_t t0, t1, t2;

	for (unsigned i = 0; i < BYTES; i++)
		line[i] = i % 64 == 63 ? '\n' : '.';
	t0 = cycles();
	uart_write(line, BYTES);
	t1 = cycles();
	hc_console_write(line, BYTES);
	t2 = cycles();
	report_pair("console", "emulated-per-byte", t1 - t0, "hypercall-per-byte", t2 - t1, BYTES);
}

static void bench_pt_update(void)
{
	static struct koan_mmu_update reqs[UPDATES];
	const struct koan_start_info_paging *si = paging_info();
	uint32_t spare = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	uint32_t frame_a = va_to_mfn(alloc_page()), frame_b = va_to_mfn(alloc_page());
	uint64_t t0, t1, t2;

	/* The same work both ways: map 64 pages, then map them elsewhere. */
	for (unsigned i = 0; i < UPDATES; i++) {
		reqs[i].ptr = pte_maddr(spare + i * KOAN_PAGE_SIZE) | KOAN_MMU_NORMAL_PT_UPDATE;
		reqs[i].val = pte_make(frame_b, PTE_P | PTE_US);
	}
	t0 = cycles();
	for (unsigned i = 0; i < UPDATES; i++)
		hc_update_va_mapping(spare + i * KOAN_PAGE_SIZE, pte_make(frame_a, PTE_P | PTE_US),
				     0);
	t1 = cycles();
	hc_mmu_update(reqs, UPDATES, 0);
	t2 = cycles();
	report_pair("pt-update", "one-per-hypercall", t1 - t0, "batched", t2 - t1, UPDATES);
}

static void bench_null(void)
{
	uint64_t t0, t1, t2;

	t0 = cycles();
	for (unsigned i = 0; i < CALLS; i++)
		(void)inb(KOAN_PORT_CONSOLE + KOAN_UART_LSR);
	t1 = cycles();
	for (unsigned i = 0; i < CALLS; i++)
		hc_version();
	t2 = cycles();
	report_pair("null", "trap-and-emulate", t1 - t0, "hypercall", t2 - t1, CALLS);
}

static uint64_t fast_cycles, slow_cycles;
static uint8_t user_stack[8192] __attribute__((aligned(16)));

static void user_bench(void)
{
	uint64_t t0 = cycles();
	for (unsigned i = 0; i < CALLS; i++)
		usys(SYS_NULL, 0, 0);
	uint64_t t1 = cycles();
	for (unsigned i = 0; i < CALLS; i++)
		usys_slow(SYS_NULL, 0, 0);
	uint64_t t2 = cycles();
	fast_cycles = t1 - t0;
	slow_cycles = t2 - t1;
	usys(SYS_EXIT, 0, 0);
}

static void bench_syscall(void)
{
	enter_user(user_bench, (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack)));
	report_pair("syscall", "bounced", slow_cycles, "fast-gate", fast_cycles, CALLS);
}

void guest_main(const struct koan_start_info *base)
{
	(void)base;
	if (!paging_info() || guest_traps_init() != 0) {
		result("bench-cannot-run");
		return;
	}
	gprintf("Koan bench (cycles per operation; ratio = first / second)\n");
	bench_console();
	bench_pt_update();
	bench_null();
	bench_syscall();
	result("bench-done");
}
