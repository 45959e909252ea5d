/*
 * The rules a guest's page tables must follow, checked entry by entry when
 * a frame becomes a page table (validate_table), and undone when it stops
 * being one (devalidate_table). These are what make direct paging safe:
 *
 *  - an entry may only map a frame the domain owns;
 *  - a writable mapping makes its frame "writable", which a page table can
 *    never be: so no page table (or directory) is ever mapped writable;
 *  - a directory entry must point at a frame that validates as an L1, must
 *    not be a 4 MB page, and must not touch the slots outside the guest's
 *    range (the hypervisor's at the top, the first 4 MB at the bottom).
 */
#include <koan/exercise.h>
#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <public/memory.h>

static bool refuse_entry(struct frame_table *ft, enum pt_problem problem, uint32_t entry)
{
	ft->last_error = (struct pt_error){
		.problem = problem, .table_mfn = FRAME_NONE, .entry = entry, .mfn = pte_mfn(entry)
	};
	return false;
}

bool check_l1e(struct frame_table *ft, uint32_t l1e, uint16_t owner)
{
	// BEGIN EXERCISE lab2.5: the rules for a page-table entry (lab2-paging/README.md, Exercise 3)
	//   A non-present entry needs nothing. A present one takes a general
	//   reference on its frame (get_page; if that fails: PT_BAD_FRAME for a
	//   frame beyond the table, else PT_NOT_OWNER) and,
	//   if writable, a PGT_WRITABLE type reference too (get_page_type; on
	//   failure give back the general reference and report PT_TYPE_CONFLICT).
	//   Report failures with refuse_entry().
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab2.5", "check_l1e() in hv/pt_rules.c accepts no entry yet");
	(void)owner;
	return refuse_entry(ft, PT_TODO, l1e);
	// END EXERCISE
}

void put_l1e(struct frame_table *ft, uint32_t l1e)
{
	if (!(l1e & PTE_P))
		return;
	if (l1e & PTE_RW)
		put_page_type(ft, pte_mfn(l1e));
	put_page(ft, pte_mfn(l1e));
}

bool check_l2e(struct frame_table *ft, unsigned index, uint32_t l2e, uint16_t owner)
{
	// BEGIN EXERCISE lab2.6: the rules for a directory entry (lab2-paging/README.md, Exercise 3)
	//   A non-present entry needs nothing. Refuse a present entry at an index
	//   outside KOAN_GUEST_PDE_FIRST .. KOAN_GUEST_PDES - 1 (PT_HV_SLOT) and a
	//   4 MB page (PTE_PS: PT_LARGE_PAGE). Otherwise take a general reference on the frame and
	//   a PGT_L1 type reference, which validates it as a page table (give
	//   the general one back if that fails, and keep the error it reported).
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab2.6", "check_l2e() in hv/pt_rules.c accepts no entry yet");
	(void)index, (void)owner;
	return refuse_entry(ft, PT_TODO, l2e);
	// END EXERCISE
}

void put_l2e(struct frame_table *ft, unsigned index, uint32_t l2e)
{
	if (!(l2e & PTE_P) || !guest_pde(index))
		return;
	put_page_type(ft, pte_mfn(l2e));
	put_page(ft, pte_mfn(l2e));
}

/* The entries of a table the guest may use: all of an L1, the guest slots of
 * an L2 (the rest are checked to be empty by check_l2e). */
static bool check_entry(struct frame_table *ft, enum page_type type, unsigned i, uint32_t e,
			uint16_t owner)
{
	return type == PGT_L1 ? check_l1e(ft, e, owner) : check_l2e(ft, i, e, owner);
}

static void put_entry(struct frame_table *ft, enum page_type type, unsigned i, uint32_t e)
{
	if (type == PGT_L1)
		put_l1e(ft, e);
	else
		put_l2e(ft, i, e);
}

/* Check every entry; on the first refusal give back what the entries before
 * it took, and say which entry of which table it was. */
bool validate_table(struct frame_table *ft, uint32_t mfn, enum page_type type, uint16_t owner)
{
	uint32_t *t = ft->table(mfn);

	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
		if (check_entry(ft, type, i, t[i], owner))
			continue;
		if (ft->last_error.table_mfn == FRAME_NONE) {
			ft->last_error.table_mfn = mfn;
			ft->last_error.index = i;
		}
		while (i-- > 0)
			put_entry(ft, type, i, t[i]);
		return false;
	}
	if (type == PGT_L2 && ft->set_hv_slots)
		ft->set_hv_slots(t, true);
	return true;
}

void devalidate_table(struct frame_table *ft, uint32_t mfn, enum page_type type)
{
	uint32_t *t = ft->table(mfn);

	if (type == PGT_L2 && ft->set_hv_slots)
		ft->set_hv_slots(t, false);
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		put_entry(ft, type, i, t[i]);
}

const char *pt_problem_name(enum pt_problem p)
{
	static const char *const names[] = {
		[PT_OK] = "ok",
		[PT_BAD_FRAME] = "bad-frame",
		[PT_NOT_OWNER] = "not-owner",
		[PT_TYPE_CONFLICT] = "type-conflict",
		[PT_HV_SLOT] = "hv-slot",
		[PT_LARGE_PAGE] = "large-page",
		[PT_TODO] = "not-checked",
	};
	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

const char *pt_problem_text(enum pt_problem p)
{
	switch (p) {
	case PT_OK: return "ok";
	case PT_BAD_FRAME: return "refers to a frame that does not exist";
	case PT_NOT_OWNER: return "refers to a frame the domain does not own";
	case PT_TYPE_CONFLICT:
		return "would use a frame as two types at once "
		       "(e.g. map a page table writable)";
	case PT_HV_SLOT:
		return "uses a directory slot that is not the guest's "
		       "(the hypervisor's, or the first 4 MB)";
	case PT_LARGE_PAGE: return "maps a 4 MB page, which guests may not";
	case PT_TODO: return "was not checked (a lab 2 exercise is not done)";
	}
	return "?";
}
