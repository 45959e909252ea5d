/*
 * The MMU hypercalls: mmu_update (a batch of page-table writes),
 * update_va_mapping (one entry, found by virtual address) and mmuext_op
 * (pin, unpin, new base pointer, TLB flushes). Each request goes through the
 * same checks as lab 2's validation; a batch stops at the first refusal and
 * says how far it got.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
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

// BEGIN EXERCISE lab3.6: a batch of page-table writes (lab3-hypercalls/README.md, Exercise 6)
//   In: the guest's array of `count` requests (any address, any count), the
//   address for the number done (0: not wanted), and in a4 the number done by
//   earlier parts of the same batch (0 from a guest). Each request is a page-
//   table write (pt_entry_update, Exercise 4) or an M2P entry for a frame the
//   domain owns; any other kind is -KOAN_EINVAL. Requests run in order and the
//   batch stops at the first refusal, whose error is the result; `done` then
//   counts the whole batch's successes. No more than KOAN_MMU_BATCH_MAX per
//   call; between two requests a pending tick stops the batch with a
//   continuation (continue_batch) for the rest. The TLB is flushed before the
//   guest runs on changed entries (README, "A TLB flush after every change").
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
// STUB
//> static int32_t do_mmu_update(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.6", "do_mmu_update() in hv/mmu_ops.c updates nothing yet");
//> 	(void)a, (void)continue_batch, (void)report_done, (void)flush_tlb;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_MMU_UPDATE, do_mmu_update);

// BEGIN EXERCISE lab3.7: one entry, by address (lab3-hypercalls/README.md, Exercise 6)
//   In: a guest virtual address, the new L1 entry for it, and flags (only the
//   two low bits may be set). Out: 0 with the entry that maps `va` in the
//   current directory replaced through pt_entry_update() and the TLB flushed;
//   -KOAN_EINVAL for an address at or above the M2P, a domain with no
//   directory, unknown flags, or a directory entry that is absent or a 4 MB
//   page; else pt_entry_update()'s error.
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
// STUB
//> static int32_t do_update_va_mapping(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.7", "do_update_va_mapping() in hv/mmu_ops.c maps nothing yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_UPDATE_VA_MAPPING, do_update_va_mapping);

// BEGIN EXERCISE lab3.8: pin, unpin, base pointer, flushes (lab3-hypercalls/README.md, Exercise 7)
//   In: like mmu_update's, an array of `count` ops (any address and count), the
//   address for the number done, a4 the number done before. Each op: pin a
//   frame the domain owns as an L1 or L2 (a pin holds one general and one type
//   reference, and validates; a frame is pinned once), unpin a pinned frame of
//   the domain's (its references go), a new base pointer
//   (paging_switch_base), a TLB flush, or an invlpg below the M2P. Anything
//   else, or any refusal, is -KOAN_EINVAL and stops the batch with nothing of
//   that op held. Preemptible between two ops, as mmu_update is; `done`
//   counts the whole batch.
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
	/* No flush: no entry changed. (A stale translation is dangerous when
	 * a frame becomes a page table, and every entry change flushes.) */
	put_page(&frame_table, mfn);
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
// STUB
//> static int32_t do_mmuext_op(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.8", "do_mmuext_op() in hv/mmu_ops.c does no op yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_MMUEXT_OP, do_mmuext_op);
