/* The page-table entry the builder writes for each page of a new domain. */
#include <koan/builder.h>
#include <koan/exercise.h>
#include <koan/pte.h>

uint32_t builder_l1_entry(const struct build_plan *p, uint32_t pfn, uint32_t mfn)
{
	// BEGIN EXERCISE lab2.7: the builder's mappings (lab2-paging/README.md, Exercise 4)
	//   Map the frame present and user-accessible; writable, except the
	//   frames that hold the page tables themselves (PFNs from that of
	//   p->pt_va, p->nr_pt_frames of them): those read-only, or the
	//   directory will not validate.
	uint32_t first_pt = plan_pfn(p, p->pt_va);
	bool is_table = pfn >= first_pt && pfn < first_pt + p->nr_pt_frames;

	return pte_make(mfn, PTE_P | PTE_US | (is_table ? 0 : PTE_RW));
	// STUB
	//> EXERCISE_TODO("lab2.7", "builder_l1_entry() in hv/builder_entry.c maps nothing yet");
	//> (void)p, (void)pfn, (void)mfn;
	//> return 0;
	// END EXERCISE
}
