/*
 * hog: hypercalls that ask the hypervisor for as much work as the ABI lets
 * a guest ask, to see that none of them keeps the CPU from the others
 * (op=...):
 *   pin-loop tables=N ops=M   one mmuext_op of M pins and unpins of a
 *                             directory of N full page tables: each pin
 *                             validates N * 1024 entries, each unpin
 *                             gives them all back
 *   multicall tables=N calls=K ops=M   K such mmuext_ops in one multicall
 *   remap count=C             one mmu_update of C requests that swap a
 *                             directory entry between two full tables
 *   console calls=K           a multicall of K console writes of 64 KB
 *                             (of NUL bytes, which print nothing)
 * Then it reports what the calls returned and how much was done.
 */
#include <koan/pte.h>
#include <public/memory.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"

#define MAX_TABLES 400
#define MAX_OPS 2048
#define MAX_REMAPS 8192

static const struct koan_start_info_paging *si;
static struct koan_mmu_update reqs[MAX_TABLES > MAX_REMAPS ? MAX_TABLES : MAX_REMAPS];
static struct koan_mmuext_op ext_ops[MAX_OPS];
static struct koan_multicall calls[KOAN_MULTICALL_MAX];
static uint8_t nothing[KOAN_CONSOLE_IO_MAX];

static unsigned arg_or(const char *key, unsigned dflt, unsigned max)
{
	char buf[16];
	unsigned v = guest_arg(key, buf, sizeof(buf)) ? atou(buf) : dflt;
	return v > max ? max : v;
}

static uint32_t maddr_of(uint32_t va)
{
	return va_to_mfn(va) << PTE_SHIFT;
}

/* A page of ours whose 1024 entries all map `data` read-only. */
static uint32_t full_table(uint32_t data)
{
	uint32_t t = alloc_page();

	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		((uint32_t *)t)[i] = pte_make(va_to_mfn(data), PTE_P | PTE_US);
	return t;
}

/* Make each page read-only in our own mapping, in one batch: only then may
 * it become a page table. */
static int32_t make_read_only(const uint32_t *pages, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		reqs[i] = (struct koan_mmu_update){ pte_maddr(pages[i]),
						    pte_make(va_to_mfn(pages[i]), PTE_P | PTE_US) };
	return hc_mmu_update(reqs, n, 0);
}

/* A directory (not ours in use) whose first n guest slots point at n full
 * tables; its frame, or 0. */
static uint32_t big_directory(unsigned n)
{
	static uint32_t pages[MAX_TABLES + 1];
	uint32_t data = alloc_page(), dir = alloc_page();

	for (unsigned i = 0; i < n; i++) {
		pages[i] = full_table(data);
		((uint32_t *)dir)[KOAN_GUEST_PDE_FIRST + i] =
			pte_make(va_to_mfn(pages[i]), PTE_P | PTE_RW | PTE_US);
	}
	pages[n] = dir;
	int32_t err = make_read_only(pages, n + 1);
	result("directory tables=%u read-only=%d", n, err);
	return err ? 0 : va_to_mfn(dir);
}

static unsigned pin_unpin_ops(uint32_t dir, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ext_ops[i] = (struct koan_mmuext_op){ i % 2 ? KOAN_MMUEXT_UNPIN_TABLE
							    : KOAN_MMUEXT_PIN_L2_TABLE,
						      dir };
	return n;
}

static void op_pin_loop(void)
{
	uint32_t dir = big_directory(arg_or("tables", 300, MAX_TABLES)), done = 0;
	unsigned n = pin_unpin_ops(dir, arg_or("ops", 40, MAX_OPS) & ~1u);

	if (!dir)
		return;
	int32_t err = hc_mmuext_op(ext_ops, n, &done);
	result("pin-loop=%d done=%u of %u", err, done, n);
}

static void op_multicall(void)
{
	uint32_t dir = big_directory(arg_or("tables", 300, MAX_TABLES));
	unsigned k = arg_or("calls", 4, KOAN_MULTICALL_MAX);
	unsigned n = pin_unpin_ops(dir, arg_or("ops", 10, MAX_OPS) & ~1u);
	static uint32_t done[KOAN_MULTICALL_MAX];

	if (!dir)
		return;
	for (unsigned i = 0; i < k; i++)
		calls[i] = (struct koan_multicall){ KOAN_HC_MMUEXT_OP,
						    { (uint32_t)(uintptr_t)ext_ops, n,
						      (uint32_t)(uintptr_t)&done[i] },
						    1 };
	/* The entry after the last: a multicall that continues must not run it. */
	if (k < KOAN_MULTICALL_MAX)
		calls[k] = (struct koan_multicall){ KOAN_HC_VERSION, { 0 }, 12345 };
	int32_t err = hc_multicall(calls, k);
	unsigned right = 0;
	for (unsigned i = 0; i < k; i++)
		right += calls[i].result == 0 && done[i] == n;
	result("multicall=%d entries-complete=%u of %u beyond=%s", err, right, k,
	       k < KOAN_MULTICALL_MAX && calls[k].result != 12345 ? "run" : "untouched");
}

/* Entries of one pin or one unpin each: the tick that comes during a pin
 * (which does not stop inside) is seen between two entries. */
static void op_multicall_pins(void)
{
	uint32_t dir = big_directory(arg_or("tables", 200, MAX_TABLES));
	unsigned k = arg_or("calls", 8, KOAN_MULTICALL_MAX - 1) & ~1u, right = 0;
	static uint32_t done[KOAN_MULTICALL_MAX];

	if (!dir)
		return;
	pin_unpin_ops(dir, 2);
	for (unsigned i = 0; i < k; i++)
		calls[i] = (struct koan_multicall){ KOAN_HC_MMUEXT_OP,
						    { (uint32_t)(uintptr_t)&ext_ops[i % 2], 1,
						      (uint32_t)(uintptr_t)&done[i] },
						    1 };
	calls[k] = (struct koan_multicall){ KOAN_HC_VERSION, { 0 }, 12345 };
	int32_t err = hc_multicall(calls, k);
	for (unsigned i = 0; i < k; i++)
		right += calls[i].result == 0 && done[i] == 1;
	result("multicall-pins=%d entries-complete=%u of %u beyond=%s", err, right, k,
	       calls[k].result != 12345 ? "run" : "untouched");
}

static void op_remap(void)
{
	uint32_t data = alloc_page(), t[2] = { full_table(data), full_table(data) };
	unsigned count = arg_or("count", 4096, MAX_REMAPS), slot = 0x300; /* 3 GB: unused */
	uint32_t done = 0;

	result("tables read-only=%d", make_read_only(t, 2));
	for (unsigned i = 0; i < count; i++)
		reqs[i] = (struct koan_mmu_update){ maddr_of(si->pt_base) + slot * 4,
						    pte_make(va_to_mfn(t[i % 2]),
							     PTE_P | PTE_RW | PTE_US) };
	int32_t err = hc_mmu_update(reqs, count, &done);
	result("remap=%d done=%u of %u", err, done, count);
	struct koan_mmu_update clear = { maddr_of(si->pt_base) + slot * 4, 0 };
	result("clear=%d", hc_mmu_update(&clear, 1, 0));
}

static void op_console(void)
{
	unsigned k = arg_or("calls", 16, KOAN_MULTICALL_MAX), right = 0;

	for (unsigned i = 0; i < k; i++)
		calls[i] = (struct koan_multicall){ KOAN_HC_CONSOLE_IO,
						    { KOAN_CONSOLE_WRITE, sizeof(nothing),
						      (uint32_t)(uintptr_t)nothing },
						    1 };
	if (k < KOAN_MULTICALL_MAX)
		calls[k] = (struct koan_multicall){ KOAN_HC_VERSION, { 0 }, 12345 };
	int32_t err = hc_multicall(calls, k);
	for (unsigned i = 0; i < k; i++)
		right += calls[i].result == (int32_t)sizeof(nothing);
	result("console=%d entries-complete=%u of %u beyond=%s", err, right, k,
	       k < KOAN_MULTICALL_MAX && calls[k].result != 12345 ? "run" : "untouched");
}

static const struct guest_op ops[] = {
	{ "pin-loop", op_pin_loop },
	{ "multicall", op_multicall },
	{ "multicall-pins", op_multicall_pins },
	{ "remap", op_remap },
	{ "console", op_console },
};

void guest_main(const struct koan_start_info *base)
{
	const struct guest_op *op = guest_find_op(ops, sizeof(ops) / sizeof(ops[0]));

	(void)base;
	si = paging_info();
	if (!si || !op) {
		result("usage: hog op=NAME (needs paging)");
		return;
	}
	hc_sched_op(KOAN_SCHED_YIELD, 0); /* let the bystander start first */
	op->run();
	result("hog-done");
}
