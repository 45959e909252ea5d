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
	//   In: the machine address of an entry (`maddr`, the guest's choice) and its
	//   new value. Out: 0 with the entry written and the references of the old
	//   and new entries moved (README, "mmu_update"); -KOAN_EINVAL if the frame is
	//   not a page table of the domain's in use (type L1 or L2 with type
	//   references), if the entry is one of a directory's hypervisor slots (they
	//   never change, not even to empty), or if the new entry breaks the rules
	//   (lab 2's checks, which take its references). Rewriting an entry with its
	//   own value must work and change no count.
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
