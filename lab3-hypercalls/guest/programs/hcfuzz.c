/*
 * hcfuzz: thousands of random hypercalls (seed=N count=N on the command
 * line; the seed is printed, so a failure can be replayed). Arguments are
 * drawn from values that matter: our own frames and table entries, other
 * domains' frames, the hypervisor's, the hole, garbage. It only ever
 * changes mappings outside the memory it runs from, so whatever the
 * hypervisor allows, this guest keeps running; whatever it must refuse, it
 * refuses without harm. When the domain ends the hypervisor audits its
 * frame table (hv audit ... bad=0) and gets every frame back.
 */
#include <koan/pte.h>
#include <public/layout.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"

static const struct koan_start_info_paging *si;
static uint32_t state;
static uint32_t pages[16]; /* spare pages of ours, some turned into tables */

static uint32_t next(void)
{
	return xorshift32(&state);
}

static uint32_t pick(uint32_t n)
{
	return next() % n;
}

static uint32_t some_frame(void)
{
	static const uint32_t fixed[] = { 0, 0x100, 0xFFFFF, 0x12345 };
	switch (pick(5)) {
	case 0: return va_to_mfn(si->pt_base);			/* our directory */
	case 1: return va_to_mfn(si->pt_base + KOAN_PAGE_SIZE); /* our first table */
	case 2: return va_to_mfn(pages[pick(16)]);		/* a spare page */
	case 3: return pick((64u << 20) / KOAN_PAGE_SIZE);	/* anyone's */
	default: return fixed[pick(4)];
	}
}

static uint32_t some_entry(void)
{
	static const uint32_t flags[] = {
		0, PTE_P, PTE_P | PTE_US, PTE_P | PTE_RW | PTE_US, PTE_P | PTE_PS | PTE_US, 0xFFF
	};
	return pick(8) == 0 ? next() : pte_make(some_frame(), flags[pick(6)]);
}

/* Not an address inside the memory we run from. */
static uint32_t not_ours(uint32_t va)
{
	uint32_t end = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	return va >= si->first_va && va < end ? end : va;
}

/* A virtual address we do not run from: past our memory, or nonsense. */
static uint32_t some_va(void)
{
	uint32_t spare = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	switch (pick(4)) {
	case 0: return spare + pick(64) * KOAN_PAGE_SIZE;
	case 1: return 0x20000000 + pick(1024) * KOAN_PAGE_SIZE;
	case 2: return KOAN_HV_START + pick(0x100000);
	default: return not_ours(next());
	}
}

/* The machine address of an entry we may change without unmapping
 * ourselves: entries for spare addresses, or unused directory slots. */
static uint32_t some_entry_address(void)
{
	uint32_t dir = va_to_mfn(si->pt_base);
	switch (pick(4)) {
	case 0: return pte_maddr(si->first_va + si->nr_pages * KOAN_PAGE_SIZE + pick(64) * 4096);
	case 1: return (dir << PTE_SHIFT) + (8 + pick(KOAN_GUEST_PDES - 8)) * 4;
	case 2: return (dir << PTE_SHIFT) + (KOAN_GUEST_PDES + pick(1024 - KOAN_GUEST_PDES)) * 4;
	default: {
		/* Any frame but our own tables, whose entries map us. */
		uint32_t f =
			pick(2) ? va_to_mfn(pages[pick(16)]) : pick((64u << 20) / KOAN_PAGE_SIZE);
		return (f << PTE_SHIFT) + pick(1024) * 4 + pick(2);
	}
	}
}

/* One of the page tables that map us (the builder's, after the directory)? */
static int is_our_table(uint32_t mfn)
{
	for (uint32_t k = 1; k < si->nr_pt_frames; k++)
		if (va_to_mfn(si->pt_base + k * KOAN_PAGE_SIZE) == mfn)
			return 1;
	return 0;
}

/* An entry for the machine address `ptr`, except one that would put a page
 * table that maps us in another slot of our directory: through such an
 * alias a later update of "someone else's" address would remap our own
 * pages, and we would stop running (not the hypervisor's fault). */
static uint32_t safe_entry(uint32_t ptr, uint32_t val)
{
	uint32_t dir = va_to_mfn(si->pt_base);
	return (ptr >> PTE_SHIFT) == dir && (val & PTE_P) && is_our_table(pte_mfn(val)) ? 0 : val;
}

/* Where a call may write results (a multicall of up to 100 entries writes
 * 2800 bytes): big enough that nothing else of ours gets overwritten. */
static uint8_t scratch[4096] __attribute__((aligned(4096)));

static uint32_t some_pointer(void)
{
	switch (pick(4)) {
	case 0: return (uint32_t)(uintptr_t)scratch;
	case 1: return KOAN_HV_START + pick(0x1000);
	case 2: return si->pt_base;
	default: return not_ours(next());
	}
}

/* Calls that could change our mappings or end us: not with random arguments. */
static uint32_t harmless(uint32_t nr)
{
	switch (nr) {
	case KOAN_HC_SCHED_OP:
	case KOAN_HC_MMUEXT_OP:
	case KOAN_HC_MMU_UPDATE:
	case KOAN_HC_UPDATE_VA_MAPPING: return KOAN_HC_VERSION;
	default: return nr;
	}
}

/* Console writes of this print nothing (NUL bytes), however long. */
static const uint8_t quiet[4096];

/* A multicall of up to 64 long, quiet console writes: long enough that the
 * hypervisor often stops and continues it. */
static int32_t long_multicall(void)
{
	static struct koan_multicall calls[KOAN_MULTICALL_MAX];
	uint32_t n = 1 + pick(KOAN_MULTICALL_MAX);

	for (uint32_t i = 0; i < n; i++)
		calls[i] = (struct koan_multicall){ KOAN_HC_CONSOLE_IO,
						    { KOAN_CONSOLE_WRITE, sizeof(quiet),
						      (uint32_t)(uintptr_t)quiet },
						    0 };
	return hc_multicall(calls, n);
}

/* A batch call with the argument a continuation uses (%esi: the work done
 * before) set to anything: the hypervisor must take it as the guest's word. */
static int32_t continued_call(const struct koan_mmu_update *req, const struct koan_mmuext_op *op)
{
	switch (pick(3)) {
	case 0:
		return hypercall5(KOAN_HC_MMU_UPDATE, (uint32_t)(uintptr_t)req, 1, some_pointer(),
				  next(), 0);
	case 1:
		return hypercall5(KOAN_HC_MMUEXT_OP, (uint32_t)(uintptr_t)op, 1, some_pointer(),
				  next(), 0);
	default:
		return hypercall5(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_WRITE, pick(64),
				  (uint32_t)(uintptr_t)quiet, next(), 0);
	}
}

static int verbose;

static int32_t one_call(void)
{
	uint32_t ptr = some_entry_address();
	struct koan_mmu_update req = { ptr, safe_entry(ptr & ~3u, some_entry()) };
	struct koan_mmuext_op op = { pick(9), pick(2) ? some_frame() : some_va() };
	struct koan_multicall calls[2] = {
		{ KOAN_HC_VERSION, { 0 }, 0 },
		{ pick(30), { next(), next(), next(), next(), next() }, 0 },
	};

	uint32_t which = pick(12);
	if (verbose)
		gprintf("  case %u req %x/%x op %u/%x mc %u\n", which, req.ptr, req.val, op.cmd,
			op.arg, calls[1].op);
	switch (which) {
	case 0: return hc_mmu_update(&req, 1, pick(2) ? 0 : (uint32_t *)(uintptr_t)some_pointer());
	case 1:
		return hypercall3(KOAN_HC_MMU_UPDATE, some_pointer(), pick(3) ? pick(4) : next(),
				  0);
	case 2: return hc_update_va_mapping(some_va(), some_entry(), pick(4));
	case 3:
		/* Never load a directory other than our own: we would stop running. */
		if (op.cmd == KOAN_MMUEXT_NEW_BASEPTR)
			op.arg = va_to_mfn(si->pt_base);
		return hc_mmuext_op(&op, 1, 0);
	case 4:
		return hypercall3(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_WRITE,
				  pick(3) ? pick(8) : next(), some_pointer());
	case 5: calls[1].op = harmless(calls[1].op); return hc_multicall(calls, 2);
	case 6: return hypercall3(KOAN_HC_MULTICALL, some_pointer(), pick(100), 0);
	case 7:
		return hypercall5(harmless(pick(2) ? next() : pick(40)), next(), next(), next(),
				  next(), next());
	case 8: return hypercall3(KOAN_HC_FPU_TASKSWITCH, pick(2) ? pick(3) : next(), 0, 0);
	case 9:
		if (op.cmd == KOAN_MMUEXT_NEW_BASEPTR)
			op.arg = va_to_mfn(si->pt_base);
		return continued_call(&req, &op);
	case 10: return pick(8) ? hc_version() : long_multicall();
	default: return hc_sched_op(KOAN_SCHED_YIELD, 0);
	}
}

void guest_main(const struct koan_start_info *base)
{
	char arg[16];
	uint32_t count = 10000, ok = 0, refused = 0;

	(void)base;
	/* Let the bystander (the next domain) set itself up first. */
	hc_sched_op(KOAN_SCHED_YIELD, 0);
	si = paging_info();
	state = guest_arg("seed", arg, sizeof(arg)) ? (uint32_t)atou(arg) : 1;
	if (state == 0)
		state = 1;
	if (guest_arg("count", arg, sizeof(arg)))
		count = (uint32_t)atou(arg);
	result("seed=%u count=%u", state, count);
	for (unsigned i = 0; i < 16; i++)
		pages[i] = alloc_page();
	verbose = guest_arg("verbose", arg, sizeof(arg)) != 0;
	for (uint32_t i = 0; i < count; i++) {
		if (verbose)
			gprintf("call %u state %u\n", i, state);
		if (one_call() < 0)
			refused++;
		else
			ok++;
	}
	result("fuzz-done calls=%u ok=%u refused=%u", count, ok, refused);
}
