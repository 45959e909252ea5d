/*
 * Changing one entry of a guest's page table on its behalf: what
 * mmu_update and update_va_mapping do for every request. The guest cannot
 * write its page tables (they are mapped read-only since lab 2), so this is
 * the only way they change, and it applies lab 2's rules to every new entry
 * (the paper, section 3.3.3: updates are validated by the hypervisor, and
 * batched to amortize the cost of entering it).
 */
#include <koan/exercise.h>
#include <koan/frametab.h>
#include <koan/mmu.h>
#include <koan/paging.h>
#include <koan/pte.h>
#include <public/memory.h>

int pt_entry_update(const struct domain *d, uint32_t maddr, uint32_t val)
{
	uint32_t mfn = maddr >> PTE_SHIFT;
	unsigned index = (maddr & (KOAN_PAGE_SIZE - 1)) / sizeof(uint32_t);
	uint16_t owner = (uint16_t)d->id;

	// BEGIN EXERCISE lab3.4: update a page-table entry (lab3-hypercalls/README.md, Exercise 4)
	//   The frame at `maddr` must be the domain's own and in use as a page
	//   table (type L1 or L2 with a type_count), else -KOAN_EINVAL: any other
	//   page the guest writes itself. A directory's hypervisor slots (index
	//   KOAN_GUEST_PDES and up) may not change at all, not even to empty.
	//   Check the new entry with check_l1e or
	//   check_l2e (they take its references; -KOAN_EINVAL if refused), write
	//   it, and only then give back the old entry's references (put_l1e,
	//   put_l2e): in that order, rewriting an entry with itself works.
	if (mfn >= frame_table.nr_frames)
		return -KOAN_EINVAL;
	struct page_info *pg = &frame_table.pages[mfn];
	if (pg->owner != owner || pg->type_count == 0 || (pg->type != PGT_L1 && pg->type != PGT_L2))
		return -KOAN_EINVAL;
	/* The hypervisor's slots of a directory are ours, empty entry or not:
	 * clearing one would unmap the hypervisor under its own feet. */
	if (pg->type == PGT_L2 && index >= KOAN_GUEST_PDES)
		return -KOAN_EINVAL;
	uint32_t *table = frame_ptr(mfn), old = table[index];
	if (pg->type == PGT_L1) {
		if (!check_l1e(&frame_table, val, owner))
			return -KOAN_EINVAL;
		table[index] = val;
		put_l1e(&frame_table, old);
	} else {
		if (!check_l2e(&frame_table, index, val, owner))
			return -KOAN_EINVAL;
		table[index] = val;
		put_l2e(&frame_table, index, old);
	}
	return 0;
	// STUB
	//> EXERCISE_TODO("lab3.4", "pt_entry_update() in hv/pt_update.c changes nothing yet");
	//> (void)mfn, (void)index, (void)owner, (void)val;
	//> return -KOAN_ENOSYS;
	// END EXERCISE
}
