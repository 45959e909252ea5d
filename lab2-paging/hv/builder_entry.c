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
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab2.7", "builder_l1_entry() in hv/builder_entry.c maps nothing yet");
	(void)p, (void)pfn, (void)mfn;
	return 0;
	// END EXERCISE
}
