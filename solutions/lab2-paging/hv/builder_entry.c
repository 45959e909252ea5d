/* The page-table entry the builder writes for each page of a new domain. */
#include <koan/builder.h>
#include <koan/exercise.h>
#include <koan/pte.h>

uint32_t builder_l1_entry(const struct build_plan *p, uint32_t pfn, uint32_t mfn)
{
	// BEGIN EXERCISE lab2.7: the builder's mappings (lab2-paging/README.md, Exercise 5)
	//   In: a plan, a PFN below p->nr_pages and the machine frame that holds
	//   it. Out: the L1 entry that maps it for the guest kernel: present and
	//   user-accessible, and writable unless the page is one of the domain's
	//   page tables (those must pass the rules of Exercise 3 as they are).
	uint32_t first_pt = plan_pfn(p, p->pt_va);
	bool is_table = pfn >= first_pt && pfn < first_pt + p->nr_pt_frames;

	return pte_make(mfn, PTE_P | PTE_US | (is_table ? 0 : PTE_RW));
	// STUB
	//> EXERCISE_TODO("lab2.7", "builder_l1_entry() in hv/builder_entry.c maps nothing yet");
	//> (void)p, (void)pfn, (void)mfn;
	//> return 0;
	// END EXERCISE
}
