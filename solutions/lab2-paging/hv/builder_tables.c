/* The page tables the builder makes for a new domain (koan/builder.h). Pure C. */
#include <koan/builder.h>
#include <koan/exercise.h>
#include <koan/pte.h>

uint32_t builder_page_tables(const struct build_plan *p, const uint32_t *p2m,
			     uint32_t *(*table)(uint32_t mfn))
{
	// BEGIN EXERCISE lab2.12: the builder's page tables (lab2-paging/README.md, Exercise 5)
	//   In: a plan that build_plan() accepted; p2m[pfn], the machine frame of
	//   each of its p->nr_pages pages; table(mfn), a frame's 1024 entries, all
	//   zero so far. Out: the frame of the directory (the first page at
	//   p->pt_va), which with the tables after it maps PFN n at
	//   p->first_va + n * 4 KB through builder_l1_entry(), every directory
	//   entry of the range present, writable and user (the L1 entries decide),
	//   and nothing else mapped. The result must pass get_page_type(PGT_L2)
	//   unchanged (README, "One domain").
	uint32_t first_pt = plan_pfn(p, p->pt_va);
	uint32_t *l2 = table(p2m[first_pt]);

	for (uint32_t pfn = 0; pfn < p->nr_pages; pfn++) {
		uint32_t n = pfn / ENTRIES_PER_TABLE;
		uint32_t l1_mfn = p2m[first_pt + 1 + n];
		if (pfn % ENTRIES_PER_TABLE == 0)
			l2[pde_index(p->first_va) + n] = pte_make(l1_mfn, PTE_P | PTE_RW | PTE_US);
		table(l1_mfn)[pfn % ENTRIES_PER_TABLE] = builder_l1_entry(p, pfn, p2m[pfn]);
	}
	return p2m[first_pt];
	// STUB
	//> EXERCISE_TODO("lab2.12",
	//> 	      "builder_page_tables() in hv/builder_tables.c writes no tables yet");
	//> (void)table;
	//> return p2m[plan_pfn(p, p->pt_va)];
	// END EXERCISE
}
