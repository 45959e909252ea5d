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

// BEGIN EXERCISE lab2.9: give an entry's references back (lab2-paging/README.md, Exercise 3)
//   put_l1e and put_l2e: in, an entry that check_l1e() or check_l2e()
//   accepted (and that has not changed since); they drop exactly what the
//   check took, no more, so that after the last user of a table every frame
//   it mapped has its counts back. Entries a check never took anything for
//   (not present; a directory's slots outside the guest's) give back nothing.
void put_l1e(struct frame_table *ft, uint32_t l1e)
{
	if (!(l1e & PTE_P))
		return;
	if (l1e & PTE_RW)
		put_page_type(ft, pte_mfn(l1e));
	put_page(ft, pte_mfn(l1e));
}

void put_l2e(struct frame_table *ft, unsigned index, uint32_t l2e)
{
	if (!(l2e & PTE_P) || !guest_pde(index))
		return;
	put_page_type(ft, pte_mfn(l2e));
	put_page(ft, pte_mfn(l2e));
}
// STUB
//> void put_l1e(struct frame_table *ft, uint32_t l1e)
//> {
//> 	EXERCISE_TODO("lab2.9", "put_l1e() in hv/pt_rules.c gives nothing back yet");
//> 	(void)ft, (void)l1e;
//> }
//>
//> void put_l2e(struct frame_table *ft, unsigned index, uint32_t l2e)
//> {
//> 	EXERCISE_TODO("lab2.9", "put_l2e() in hv/pt_rules.c gives nothing back yet");
//> 	(void)ft, (void)index, (void)l2e;
//> }
// END EXERCISE

bool check_l1e(struct frame_table *ft, uint32_t l1e, uint16_t owner)
{
	// BEGIN EXERCISE lab2.5: the rules for a page-table entry (lab2-paging/README.md, Exercise 3)
	//   In: one L1 entry, as the guest wrote it, and its table's owner. Out:
	//   true with the references the entry needs held (README, "The rules
	//   for an entry"), or false with nothing held and ft->last_error set
	//   by refuse_entry(): PT_BAD_FRAME, PT_NOT_OWNER or PT_TYPE_CONFLICT.
	//   Only P and RW matter; every other bit is the guest's. Exactly undone
	//   by put_l1e().
	if (!(l1e & PTE_P))
		return true;
	uint32_t mfn = pte_mfn(l1e);
	if (!get_page(ft, mfn, owner))
		return refuse_entry(ft, mfn < ft->nr_frames ? PT_NOT_OWNER : PT_BAD_FRAME, l1e);
	if ((l1e & PTE_RW) && !get_page_type(ft, mfn, PGT_WRITABLE, owner)) {
		put_page(ft, mfn);
		return refuse_entry(ft, PT_TYPE_CONFLICT, l1e);
	}
	return true;
	// STUB
	//> EXERCISE_TODO("lab2.5", "check_l1e() in hv/pt_rules.c accepts no entry yet");
	//> (void)owner;
	//> return refuse_entry(ft, PT_TODO, l1e);
	// END EXERCISE
}

bool check_l2e(struct frame_table *ft, unsigned index, uint32_t l2e, uint16_t owner)
{
	// BEGIN EXERCISE lab2.6: the rules for a directory entry (lab2-paging/README.md, Exercise 3)
	//   In: entry `index` of a directory and its owner. Out: true with the
	//   references the entry needs held, the L1 it names validated; or false
	//   with nothing held: PT_HV_SLOT (a present entry outside the guest's
	//   slots), PT_LARGE_PAGE, PT_BAD_FRAME, PT_NOT_OWNER, or the error the
	//   L1's own validation found, kept as it was (it says which entry of
	//   which L1). Only P and PS matter. Exactly undone by put_l2e().
	if (!(l2e & PTE_P))
		return true;
	if (!guest_pde(index))
		return refuse_entry(ft, PT_HV_SLOT, l2e);
	if (l2e & PTE_PS)
		return refuse_entry(ft, PT_LARGE_PAGE, l2e);
	uint32_t mfn = pte_mfn(l2e);
	if (!get_page(ft, mfn, owner))
		return refuse_entry(ft, mfn < ft->nr_frames ? PT_NOT_OWNER : PT_BAD_FRAME, l2e);
	if (!get_page_type(ft, mfn, PGT_L1, owner)) {
		put_page(ft, mfn);
		return false;
	}
	return true;
	// STUB
	//> EXERCISE_TODO("lab2.6", "check_l2e() in hv/pt_rules.c accepts no entry yet");
	//> (void)index, (void)owner;
	//> return refuse_entry(ft, PT_TODO, l2e);
	// END EXERCISE
}

// BEGIN EXERCISE lab2.10: validate a whole table, and undo it (lab2-paging/README.md, Exercise 4)
//   validate_table: in, a frame the caller has just typed `type` (PGT_L1 or
//   PGT_L2) for `owner`. Out: true with every entry's references held and,
//   for a directory, the hypervisor's slots filled (ft->set_hv_slots, when
//   there is one); or false with nothing held at all and ft->last_error
//   naming the first refused entry: the table and index where the entry
//   was found, unless a deeper table already named its own.
//   devalidate_table: the exact reverse, for a table that validated: the
//   hypervisor's slots cleared, every entry's references given back.
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
// STUB
//> bool validate_table(struct frame_table *ft, uint32_t mfn, enum page_type type, uint16_t owner)
//> {
//> 	EXERCISE_TODO("lab2.10", "validate_table() in hv/pt_rules.c validates nothing yet");
//> 	(void)mfn, (void)type, (void)owner;
//> 	ft->last_error = (struct pt_error){ .problem = PT_TODO, .table_mfn = FRAME_NONE };
//> 	return false;
//> }
//>
//> void devalidate_table(struct frame_table *ft, uint32_t mfn, enum page_type type)
//> {
//> 	(void)ft, (void)mfn, (void)type;
//> }
// END EXERCISE

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
