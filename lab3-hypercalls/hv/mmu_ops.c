/*
 * The MMU hypercalls: mmu_update (a batch of page-table writes),
 * update_va_mapping (one entry, found by virtual address) and mmuext_op
 * (pin, unpin, new base pointer, TLB flushes). Each request goes through the
 * same checks as lab 2's validation; a batch stops at the first refusal and
 * says how far it got.
 */
#include <koan/domain.h>
#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/hypercall.h>
#include <koan/mmu.h>
#include <koan/paging.h>
#include <koan/pte.h>
#include <koan/x86.h>
#include <public/memory.h>

/*
 * After entries change, flush the whole TLB: a stale writable translation
 * of a frame that has just become a page table would let the guest write
 * it behind the validation's back.
 */
static void flush_tlb(void)
{
	write_cr3(read_cr3());
}

static int report_done(uint32_t done_va, uint32_t done)
{
	return done_va ? copy_to_guest(done_va, &done, sizeof(done)) : 0;
}

static int machphys_update(const struct domain *d, uint32_t mfn, uint32_t pfn)
{
	if (mfn >= frame_table.nr_frames || frame_table.pages[mfn].owner != d->id)
		return -KOAN_EINVAL;
	m2p_set(mfn, pfn);
	return 0;
}

static int one_mmu_update(const struct domain *d, const struct koan_mmu_update *req)
{
	switch (req->ptr & 3) {
	case KOAN_MMU_NORMAL_PT_UPDATE: return pt_entry_update(d, req->ptr & ~3u, req->val);
	case KOAN_MMU_MACHPHYS_UPDATE: return machphys_update(d, req->ptr >> PTE_SHIFT, req->val);
	default: return -KOAN_EINVAL;
	}
}

/* Requests are copied in this many at a time: one walk of the guest's page
 * tables serves many requests, part of what batching saves. */
#define REQS_PER_COPY 32

/*
 * A batch's continuation (koan/hypercall.h): the requests not done yet,
 * from the one after the last done, and in a4 how many were done before,
 * so that `done` counts the whole batch. A guest calls with a4 = 0.
 */
static int32_t continue_batch(uint32_t items_va, uint32_t item_size, uint32_t count,
			      uint32_t done_va, uint32_t before, uint32_t done)
{
	struct hypercall_args rest = { { items_va + done * item_size, count - done, done_va,
					 before + done, 0 } };
	return hypercall_continue(&rest);
}

static int32_t do_mmu_update(const struct hypercall_args *a)
{
	uint32_t reqs_va = a->arg[0];
	uint32_t count = a->arg[1];
	uint32_t done_va = a->arg[2];
	uint32_t before = a->arg[3];
	const struct domain *d = current_domain();
	struct koan_mmu_update reqs[REQS_PER_COPY];
	uint32_t done = 0;
	int err = 0;

	if (count > KOAN_MMU_BATCH_MAX)
		return -KOAN_EINVAL;
	while (done < count && !err) {
		if (done && hypercall_preempt_check()) {
			flush_tlb();
			return continue_batch(reqs_va, sizeof(reqs[0]), count, done_va, before,
					      done);
		}
		uint32_t n = count - done < REQS_PER_COPY ? count - done : REQS_PER_COPY;
		err = copy_from_guest(reqs, reqs_va + done * sizeof(reqs[0]), n * sizeof(reqs[0]));
		for (uint32_t i = 0; i < n && !err; i++) {
			err = one_mmu_update(d, &reqs[i]);
			if (!err)
				done++;
		}
	}
	if (done)
		flush_tlb();
	int derr = report_done(done_va, before + done);
	return err ? err : derr;
}

HYPERCALL(KOAN_HC_MMU_UPDATE, do_mmu_update);

static int32_t do_update_va_mapping(const struct hypercall_args *a)
{
	uint32_t va = a->arg[0];
	uint32_t val = a->arg[1];
	uint32_t flags = a->arg[2];
	const struct domain *d = current_domain();
	uint32_t base = paging_current_base(d);

	if (va >= KOAN_M2P_START || base == FRAME_NONE || (flags & ~3u))
		return -KOAN_EINVAL;
	uint32_t pde = frame_ptr(base)[pde_index(va)];
	if (!(pde & PTE_P) || (pde & PTE_PS))
		return -KOAN_EINVAL;
	int err = pt_entry_update(d, (pde & PTE_FRAME_MASK) + pte_index(va) * 4, val);
	if (err)
		return err;
	/* More than the flags ask: see flush_tlb(). */
	flush_tlb();
	return 0;
}

HYPERCALL(KOAN_HC_UPDATE_VA_MAPPING, do_update_va_mapping);

static int pin(const struct domain *d, uint32_t mfn, enum page_type type)
{
	uint16_t owner = (uint16_t)d->id;

	if (!get_page(&frame_table, mfn, owner))
		return -KOAN_EINVAL;
	if (frame_table.pages[mfn].flags & PGF_PINNED) {
		put_page(&frame_table, mfn);
		return -KOAN_EINVAL; /* already pinned */
	}
	if (!get_page_type(&frame_table, mfn, type, owner)) {
		put_page(&frame_table, mfn);
		return -KOAN_EINVAL;
	}
	frame_table.pages[mfn].flags |= PGF_PINNED;
	return 0;
}

static int unpin(const struct domain *d, uint32_t mfn)
{
	if (mfn >= frame_table.nr_frames || frame_table.pages[mfn].owner != d->id ||
	    !(frame_table.pages[mfn].flags & PGF_PINNED))
		return -KOAN_EINVAL;
	frame_table.pages[mfn].flags &= (uint8_t)~PGF_PINNED;
	put_page_type(&frame_table, mfn);
	put_page(&frame_table, mfn);
	flush_tlb();
	return 0;
}

static int one_mmuext_op(struct domain *d, const struct koan_mmuext_op *op)
{
	switch (op->cmd) {
	case KOAN_MMUEXT_PIN_L1_TABLE: return pin(d, op->arg, PGT_L1);
	case KOAN_MMUEXT_PIN_L2_TABLE: return pin(d, op->arg, PGT_L2);
	case KOAN_MMUEXT_UNPIN_TABLE: return unpin(d, op->arg);
	case KOAN_MMUEXT_NEW_BASEPTR: return paging_switch_base(d, op->arg) ? 0 : -KOAN_EINVAL;
	case KOAN_MMUEXT_TLB_FLUSH: flush_tlb(); return 0;
	case KOAN_MMUEXT_INVLPG:
		if (op->arg >= KOAN_M2P_START)
			return -KOAN_EINVAL;
		invlpg(op->arg);
		return 0;
	default: return -KOAN_EINVAL;
	}
}

static int32_t do_mmuext_op(const struct hypercall_args *a)
{
	uint32_t ops_va = a->arg[0];
	uint32_t count = a->arg[1];
	uint32_t done_va = a->arg[2];
	uint32_t before = a->arg[3];
	struct domain *d = current_domain();
	uint32_t done = 0;
	int err = 0;

	if (count > KOAN_MMU_BATCH_MAX)
		return -KOAN_EINVAL;
	for (; done < count; done++) {
		struct koan_mmuext_op op;
		/* One op (a pin, say) can validate a directory of 1,007 full
		 * tables; many of them are stopped between two. */
		if (done && hypercall_preempt_check())
			return continue_batch(ops_va, sizeof(op), count, done_va, before, done);
		err = copy_from_guest(&op, ops_va + done * sizeof(op), sizeof(op));
		if (!err)
			err = one_mmuext_op(d, &op);
		if (err)
			break;
	}
	int derr = report_done(done_va, before + done);
	return err ? err : derr;
}

HYPERCALL(KOAN_HC_MMUEXT_OP, do_mmuext_op);
