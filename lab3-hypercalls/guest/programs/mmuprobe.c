/*
 * mmuprobe: changes its own page tables through the MMU hypercalls (op=...)
 * and reports what came back.
 *   alias      map one of its pages at a second address, read it there
 *   batch      64 mappings in one mmu_update; an M2P entry of ours set,
 *              read back and restored; requests of no known kind
 *   multicall  three hypercalls in one trap
 *   newspace   build a second page directory, pin it, switch to it and back
 *   attacks    everything a guest must not be allowed, one result each
 *   directory  a directory entry set, used, replaced by another table (the
 *              old one must be free again: nothing leaked) and cleared
 */
#include <koan/pte.h>
#include <public/layout.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"

#define RW (PTE_P | PTE_RW | PTE_US)
#define RO (PTE_P | PTE_US)

static const struct koan_start_info_paging *si;

/* Addresses just past our memory: still covered by our last page table. */
static uint32_t spare_va(unsigned n)
{
	return si->first_va + si->nr_pages * KOAN_PAGE_SIZE + n * KOAN_PAGE_SIZE;
}

static uint32_t directory_mfn(void)
{
	return va_to_mfn(si->pt_base);
}

static void op_alias(void)
{
	uint32_t page = alloc_page(), alias = spare_va(0);
	char token[16];

	if (!guest_arg("token", token, sizeof(token)))
		strlcpy(token, "none", sizeof(token));
	strlcpy((char *)page, token, 16);
	result("map=%d",
	       hc_update_va_mapping(alias, pte_make(va_to_mfn(page), RW), KOAN_UVMF_INVLPG));
	result("alias-reads=%s", (const char *)alias);
	/* Moved to another page without asking for a flush: the hypervisor
	 * flushes anyway, so the old page is never seen through a stale
	 * translation (it was just read, so the TLB holds it). */
	uint32_t other = alloc_page();
	strlcpy((char *)other, "moved", 16);
	result("remap=%d", hc_update_va_mapping(alias, pte_make(va_to_mfn(other), RW), 0));
	result("remap-reads=%s", (const char *)alias);
	result("unmap=%d", hc_update_va_mapping(alias, 0, KOAN_UVMF_INVLPG));
	result("tlb-flush=%d invlpg=%d", hc_mmuext1(KOAN_MMUEXT_TLB_FLUSH, 0),
	       hc_mmuext1(KOAN_MMUEXT_INVLPG, alias));
}

static void op_batch(void)
{
	static struct koan_mmu_update reqs[64];
	uint32_t done = 0, ok = 0;

	for (unsigned i = 0; i < 64; i++) {
		uint32_t page = alloc_page();
		*(volatile uint32_t *)page = 0xC0DE0000u + i;
		reqs[i].ptr = pte_maddr(spare_va(i)) | KOAN_MMU_NORMAL_PT_UPDATE;
		reqs[i].val = pte_make(va_to_mfn(page), RO);
	}
	result("batch=%d", hc_mmu_update(reqs, 64, &done));
	result("done=%u", done);
	for (unsigned i = 0; i < 64; i++)
		ok += *(volatile uint32_t *)spare_va(i) == 0xC0DE0000u + i;
	result("aliases-ok=%u", ok);

	volatile const uint32_t *m2p = (volatile const uint32_t *)KOAN_M2P_START;
	uint32_t mfn = va_to_mfn(si->first_va), pfn = m2p[mfn];
	struct koan_mmu_update req = { (mfn << PTE_SHIFT) | KOAN_MMU_MACHPHYS_UPDATE, 0x7777 };
	int err;
	done = 99;
	err = hc_mmu_update(&req, 1, &done);
	result("m2p-own=%d done=%u", err, done);
	result("m2p-reads=%x", m2p[mfn]);
	req.val = pfn;
	err = hc_mmu_update(&req, 1, 0);
	result("m2p-restore=%d reads=%s", err, m2p[mfn] == pfn ? "ok" : "wrong");
	for (uint32_t kind = 2; kind <= 3; kind++) {
		req = (struct koan_mmu_update){ pte_maddr(spare_va(0)) | kind, 0 };
		done = 99;
		err = hc_mmu_update(&req, 1, &done);
		result("kind-%u=%d done=%u", kind, err, done);
	}
	/* Exactly the most a call may ask for is taken (its first request is
	 * refused, so nothing changes, and done says 0); one more is refused
	 * before anything is read or written. */
	static struct koan_mmu_update bad[32];
	static struct koan_mmuext_op bad_ext[32];
	for (unsigned i = 0; i < 32; i++) {
		bad[i] = (struct koan_mmu_update){ pte_maddr(spare_va(0)) | 3, 0 };
		bad_ext[i] = (struct koan_mmuext_op){ 99, 0 };
	}
	done = 99;
	err = hc_mmu_update(bad, KOAN_MMU_BATCH_MAX, &done);
	result("batch-max=%d done=%u", err, done);
	done = 99;
	err = hc_mmu_update(bad, KOAN_MMU_BATCH_MAX + 1, &done);
	result("batch-max+1=%d done=%u", err, done);
	done = 99;
	err = hc_mmuext_op(bad_ext, KOAN_MMU_BATCH_MAX, &done);
	result("ext-max=%d done=%u", err, done);
	done = 99;
	err = hc_mmuext_op(bad_ext, KOAN_MMU_BATCH_MAX + 1, &done);
	result("ext-max+1=%d done=%u", err, done);
	/* Empty batches do nothing and say so; a batch of several ops runs
	 * them all, each read from its own entry. */
	done = 99;
	err = hc_mmu_update(bad, 0, &done);
	result("batch-empty=%d done=%u", err, done);
	done = 99;
	err = hc_mmuext_op(bad_ext, 0, &done);
	result("ext-empty=%d done=%u", err, done);
	static struct koan_mmuext_op ext_area[8]; /* 4 unknown ops, then 4 flushes */
	for (unsigned i = 0; i < 8; i++)
		ext_area[i] = (struct koan_mmuext_op){ i < 4 ? 99 : KOAN_MMUEXT_TLB_FLUSH, 0 };
	done = 99;
	err = hc_mmuext_op(&ext_area[4], 4, &done);
	result("ext-4=%d done=%u", err, done);
}

static void op_multicall(void)
{
	static const char msg[] = "multicall line\n";
	struct koan_multicall calls[5] = {
		{ KOAN_HC_VERSION, { 0 }, 1 },
		{ KOAN_HC_CONSOLE_IO,
		  { KOAN_CONSOLE_WRITE, sizeof(msg) - 1, (uint32_t)(uintptr_t)msg },
		  1 },
		{ KOAN_HC_MULTICALL, { 0, 0 }, 1 },
		{ KOAN_HC_SCHED_OP, { KOAN_SCHED_YIELD, 0 }, 1 },
		{ KOAN_HC_VERSION, { 0 }, 1 },
	};

	result("multicall=%d", hc_multicall(calls, 5));
	result("results=%d,%d,%d,%d,%d", calls[0].result, calls[1].result, calls[2].result,
	       calls[3].result, calls[4].result);

	/* As many entries as allowed, and one more; an unknown number; an
	 * array the guest may not name. */
	static struct koan_multicall many[KOAN_MULTICALL_MAX + 1];
	for (unsigned i = 0; i <= KOAN_MULTICALL_MAX; i++)
		many[i] = (struct koan_multicall){ KOAN_HC_VERSION, { 0 }, 1 };
	int err = hc_multicall(many, KOAN_MULTICALL_MAX);
	result("multicall-max=%d last=%d", err, many[KOAN_MULTICALL_MAX - 1].result);
	many[0].result = 1;
	err = hc_multicall(many, KOAN_MULTICALL_MAX + 1);
	result("multicall-too-many=%d untouched=%s", err, many[0].result == 1 ? "yes" : "no");
	many[0] = (struct koan_multicall){ 99, { 0 }, 1 };
	err = hc_multicall(many, 1);
	result("multicall-unknown=%d result=%d", err, many[0].result);
	result("multicall-in-hole=%d", hypercall3(KOAN_HC_MULTICALL, KOAN_HV_START, 1, 0));
	/* Entries the guest can read but not write: the call is made, its
	 * result cannot be written back. */
	uint32_t page = alloc_page();
	struct koan_multicall *ro = (struct koan_multicall *)page;
	ro[0] = (struct koan_multicall){ KOAN_HC_VERSION, { 0 }, 1 };
	hc_update_va_mapping(page, pte_make(va_to_mfn(page), RO), KOAN_UVMF_INVLPG);
	err = hc_multicall(ro, 1);
	result("multicall-read-only=%d result=%d", err, ro[0].result);
}

static void op_newspace(void)
{
	uint32_t page = alloc_page(), old = directory_mfn(), mfn = va_to_mfn(page);
	const uint32_t *dir = (const uint32_t *)si->pt_base;
	uint32_t *copy = (uint32_t *)page;

	for (unsigned i = 0; i < KOAN_GUEST_PDES; i++)
		copy[i] = dir[i];
	result("pin-while-writable=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L2_TABLE, mfn));
	result("remap-read-only=%d",
	       hc_update_va_mapping(page, pte_make(mfn, RO), KOAN_UVMF_INVLPG));
	result("pin=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L2_TABLE, mfn));
	result("pin-again=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L2_TABLE, mfn));
	result("switch=%d", hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, mfn));
	result("running-on-copy");
	result("switch-back=%d", hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, old));
	result("unpin=%d", hc_mmuext1(KOAN_MMUEXT_UNPIN_TABLE, mfn));
	result("unpin-again=%d", hc_mmuext1(KOAN_MMUEXT_UNPIN_TABLE, mfn));

	/* A page pinned as an L1 is a page table: a directory entry may name
	 * it, and it stays one until unpinned. */
	uint32_t l1 = alloc_page(), l1_mfn = va_to_mfn(l1);
	struct koan_mmu_update req = { (old << PTE_SHIFT) + 1001 * 4, pte_make(l1_mfn, RW) };
	result("remap-l1-read-only=%d",
	       hc_update_va_mapping(l1, pte_make(l1_mfn, RO), KOAN_UVMF_INVLPG));
	result("pin-l1=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L1_TABLE, l1_mfn));
	result("l1-in-directory=%d", hc_mmu_update(&req, 1, 0));
	req.val = 0;
	result("l1-out-of-directory=%d", hc_mmu_update(&req, 1, 0));
	result("unpin-l1=%d", hc_mmuext1(KOAN_MMUEXT_UNPIN_TABLE, l1_mfn));
	result("invlpg=%d invlpg-m2p=%d", hc_mmuext1(KOAN_MMUEXT_INVLPG, l1),
	       hc_mmuext1(KOAN_MMUEXT_INVLPG, KOAN_M2P_START));
}

/* Make one of our pages a page table: empty, and no longer mapped writable. */
static uint32_t empty_table(void)
{
	uint32_t page = alloc_page();

	for (unsigned i = 0; i < KOAN_PAGE_SIZE / 4; i++)
		((volatile uint32_t *)page)[i] = 0;
	hc_update_va_mapping(page, pte_make(va_to_mfn(page), RO), KOAN_UVMF_INVLPG);
	return page;
}

static void op_directory(void)
{
	uint32_t dir = directory_mfn(), a = empty_table(), b = empty_table(), data = alloc_page();
	uint32_t va = 0x20000000u; /* directory entry 128: empty in every guest */
	uint32_t slot = (dir << PTE_SHIFT) + (va >> 22) * 4;
	struct koan_mmu_update req;

	*(volatile uint32_t *)data = 0x5EED0000u | (va >> 22);
	req = (struct koan_mmu_update){ slot, pte_make(va_to_mfn(a), RW) };
	result("set=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ va_to_mfn(a) << PTE_SHIFT, pte_make(va_to_mfn(data), RO) };
	result("map-through-new-table=%d", hc_mmu_update(&req, 1, 0));
	result("reads=%s", *(volatile uint32_t *)va == (0x5EED0000u | (va >> 22)) ? "ok" : "wrong");
	/* Another table in the same entry: the first one is released. */
	req = (struct koan_mmu_update){ slot, pte_make(va_to_mfn(b), RW) };
	result("replace=%d", hc_mmu_update(&req, 1, 0));
	result("old-table-writable-again=%d",
	       hc_update_va_mapping(a, pte_make(va_to_mfn(a), RW), KOAN_UVMF_INVLPG));
	result("new-table-writable=%d",
	       hc_update_va_mapping(b, pte_make(va_to_mfn(b), RW), KOAN_UVMF_INVLPG));
	req = (struct koan_mmu_update){ slot, 0 };
	result("clear=%d", hc_mmu_update(&req, 1, 0));
	result("cleared-table-writable-again=%d",
	       hc_update_va_mapping(b, pte_make(va_to_mfn(b), RW), KOAN_UVMF_INVLPG));
}

static void op_attacks(void)
{
	uint32_t dir = directory_mfn(), foreign = foreign_frame(), data = alloc_page();
	struct koan_mmu_update req;
	uint32_t done;

	if (!foreign) {
		result("no-other-domain");
		return;
	}
	/* Page-table entries a guest must not get. */
	result("map-foreign=%d", hc_update_va_mapping(spare_va(0), pte_make(foreign, RO), 0));
	result("map-directory-writable=%d",
	       hc_update_va_mapping(spare_va(0), pte_make(dir, RW), 0));
	result("map-directory-read-only=%d",
	       hc_update_va_mapping(spare_va(0), pte_make(dir, RO), 0));
	result("map-hypervisor-frame=%d",
	       hc_update_va_mapping(spare_va(1), pte_make(0x100, RO), 0));
	req = (struct koan_mmu_update){ (dir << PTE_SHIFT) + 1008 * 4, pte_make(dir, RW) };
	result("directory-hv-slot=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ (dir << PTE_SHIFT) + 1008 * 4, 0 };
	result("directory-hv-slot-clear=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ (dir << PTE_SHIFT) + KOAN_GUEST_PDES * 4, 0 };
	result("directory-m2p-slot-clear=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ 0xFFFFF000u, 0 };
	result("update-past-frames=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ (va_to_mfn(data) << PTE_SHIFT), pte_make(dir, RO) };
	result("update-non-table=%d", hc_mmu_update(&req, 1, 0));
	req = (struct koan_mmu_update){ (foreign << PTE_SHIFT) | KOAN_MMU_MACHPHYS_UPDATE, 7 };
	result("m2p-foreign=%d", hc_mmu_update(&req, 1, 0));
	result("update-va-hole=%d", hc_update_va_mapping(KOAN_HV_START, pte_make(dir, RO), 0));
	result("update-va-bad-flags=%d",
	       hc_update_va_mapping(spare_va(0), pte_make(va_to_mfn(data), RO), 4));
	/* A directory entry that is not present, though its frame bits name
	 * one of our tables: nothing is mapped there, so nothing to update. */
	uint32_t table = pte_maddr(spare_va(5)) >> PTE_SHIFT, before = pte_read(spare_va(5));
	req = (struct koan_mmu_update){ (dir << PTE_SHIFT) + 1000 * 4,
					(table << PTE_SHIFT) | PTE_RW | PTE_US };
	result("directory-not-present=%d", hc_mmu_update(&req, 1, 0));
	uint32_t va = (1000u << PDE_SHIFT) | (spare_va(5) & 0x3FF000u);
	result("update-va-not-present=%d",
	       hc_update_va_mapping(va, pte_make(va_to_mfn(data), RO), 0));
	result("table-unchanged=%s", pte_read(spare_va(5)) == before ? "yes" : "no");
	req.val = 0;
	hc_mmu_update(&req, 1, 0);
	/* Tables a guest must not make. */
	result("pin-writable-page=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L1_TABLE, va_to_mfn(data)));
	result("pin-foreign=%d", hc_mmuext1(KOAN_MMUEXT_PIN_L2_TABLE, foreign));
	result("newbase-foreign=%d", hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, foreign));
	result("unpin-not-pinned=%d", hc_mmuext1(KOAN_MMUEXT_UNPIN_TABLE, va_to_mfn(data)));
	result("bad-command=%d", hc_mmuext1(99, 0));
	result("mmuext-huge-count=%d",
	       hypercall3(KOAN_HC_MMUEXT_OP, (uint32_t)(uintptr_t)&req, 0x7FFFFFFF, 0));
	/* Bad pointers and counts. */
	result("reqs-in-hole=%d", hypercall3(KOAN_HC_MMU_UPDATE, KOAN_HV_START, 1, 0));
	result("huge-count=%d",
	       hypercall3(KOAN_HC_MMU_UPDATE, (uint32_t)(uintptr_t)&req, 0x7FFFFFFF, 0));
	req = (struct koan_mmu_update){ pte_maddr(spare_va(2)), 0 };
	result("done-in-hole=%d",
	       hypercall3(KOAN_HC_MMU_UPDATE, (uint32_t)(uintptr_t)&req, 1, KOAN_HV_START));
	result("done-partial=%d",
	       (hc_mmu_update((struct koan_mmu_update[]){ req, { 1, 0 } }, 2, &done), (int)done));
	result("survived");
}

void guest_main(const struct koan_start_info *base)
{
	char op[16];

	(void)base;
	/* Let the bystander (the next domain) set itself up first. */
	hc_sched_op(KOAN_SCHED_YIELD, 0);
	si = paging_info();
	if (!si || !guest_arg("op", op, sizeof(op))) {
		gprintf("usage: mmuprobe op=NAME (needs lab 2's paging)\n");
		return;
	}
	if (strcmp(op, "alias") == 0)
		op_alias();
	else if (strcmp(op, "batch") == 0)
		op_batch();
	else if (strcmp(op, "multicall") == 0)
		op_multicall();
	else if (strcmp(op, "newspace") == 0)
		op_newspace();
	else if (strcmp(op, "attacks") == 0)
		op_attacks();
	else if (strcmp(op, "directory") == 0)
		op_directory();
	else
		result("unknown-op");
}
