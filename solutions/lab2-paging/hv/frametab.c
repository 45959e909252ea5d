/*
 * Reference and type counting for machine frames: the bookkeeping that lets
 * a guest keep its own page tables without being able to break isolation.
 * The paper (section 3.3.3) gives every machine frame a type and a
 * reference count, and lets a frame change its use only when nothing
 * depends on the old one.
 */
#include <koan/exercise.h>
#include <koan/frame_alloc.h>
#include <koan/frametab.h>

// BEGIN EXERCISE lab2.8: general references (lab2-paging/README.md, Exercise 2)
//   get_page: in, a frame number (any value: it may come from a guest's
//   entry) and the domain asking. Out: true and one more general reference
//   if the frame exists and `owner` owns it; false, with nothing changed,
//   otherwise. put_page: gives one back; a frame with none, or no such
//   frame, is left alone (never wraps). Invariant: ref_count is the number
//   of holders (README, "The frame table").
bool get_page(struct frame_table *ft, uint32_t mfn, uint16_t owner)
{
	if (mfn >= ft->nr_frames)
		return false;
	if (ft->pages[mfn].owner != owner)
		return false;
	ft->pages[mfn].ref_count++;
	return true;
}

void put_page(struct frame_table *ft, uint32_t mfn)
{
	if (mfn < ft->nr_frames && ft->pages[mfn].ref_count > 0)
		ft->pages[mfn].ref_count--;
}
// STUB
//> bool get_page(struct frame_table *ft, uint32_t mfn, uint16_t owner)
//> {
//> 	EXERCISE_TODO("lab2.8", "get_page() in hv/frametab.c takes no references yet");
//> 	(void)ft, (void)mfn, (void)owner;
//> 	return false;
//> }
//>
//> void put_page(struct frame_table *ft, uint32_t mfn)
//> {
//> 	(void)ft, (void)mfn;
//> }
// END EXERCISE

bool validate_table(struct frame_table *ft, uint32_t mfn, enum page_type type, uint16_t owner);
void devalidate_table(struct frame_table *ft, uint32_t mfn, enum page_type type);

static void refuse(struct frame_table *ft, enum pt_problem problem, uint32_t mfn)
{
	ft->last_error =
		(struct pt_error){ .problem = problem, .table_mfn = FRAME_NONE, .mfn = mfn };
}

bool get_page_type(struct frame_table *ft, uint32_t mfn, enum page_type type, uint16_t owner)
{
	// BEGIN EXERCISE lab2.3: take a type reference (lab2-paging/README.md, Exercise 2)
	//   In: any frame number, the type wanted, the domain asking. Out: true
	//   with one more type reference of `type`; or false, ft->last_error
	//   saying why (PT_BAD_FRAME, PT_NOT_OWNER, PT_TYPE_CONFLICT, or what
	//   validate_table() found), and the frame exactly as it was. A frame has
	//   one type while type_count > 0; the first reference of a page-table
	//   type validates the table, and nothing may see the frame typeless
	//   while it does (README, "Claim the type first, then validate").
	//   General references (ref_count) are the caller's business.
	if (mfn >= ft->nr_frames) {
		refuse(ft, PT_BAD_FRAME, mfn);
		return false;
	}
	struct page_info *pg = &ft->pages[mfn];
	if (pg->owner != owner) {
		refuse(ft, PT_NOT_OWNER, mfn);
		return false;
	}
	if (pg->type_count > 0) {
		if (pg->type != type) {
			refuse(ft, PT_TYPE_CONFLICT, mfn);
			return false;
		}
		pg->type_count++;
		return true;
	}
	/* Claim the type before validating, so that an entry pointing back at
	 * this very frame (as its own page table, or writable) sees a conflict. */
	pg->type = (uint8_t)type;
	pg->type_count = 1;
	if ((type == PGT_L1 || type == PGT_L2) && !validate_table(ft, mfn, type, owner)) {
		pg->type_count = 0;
		pg->type = PGT_NONE;
		return false;
	}
	return true;
	// STUB
	//> EXERCISE_TODO("lab2.3", "get_page_type() in hv/frametab.c takes no type references yet");
	//> (void)type, (void)owner, (void)validate_table;
	//> refuse(ft, PT_TODO, mfn);
	//> return false;
	// END EXERCISE
}

void put_page_type(struct frame_table *ft, uint32_t mfn)
{
	// BEGIN EXERCISE lab2.4: drop a type reference (lab2-paging/README.md, Exercise 2)
	//   In: any frame number. Drops one type reference; a frame with none,
	//   or no such frame, is left alone. When the last one goes the frame is
	//   typeless (PGT_NONE) and, if it was a page table, no longer holds
	//   anything through its entries (devalidate_table()).
	if (mfn >= ft->nr_frames || ft->pages[mfn].type_count == 0)
		return;
	struct page_info *pg = &ft->pages[mfn];
	if (--pg->type_count == 0) {
		if (pg->type == PGT_L1 || pg->type == PGT_L2)
			devalidate_table(ft, mfn, (enum page_type)pg->type);
		pg->type = PGT_NONE;
	}
	// STUB
	//> EXERCISE_TODO("lab2.4", "put_page_type() in hv/frametab.c drops nothing yet");
	//> (void)ft, (void)mfn, (void)devalidate_table;
	// END EXERCISE
}

const char *page_type_name(enum page_type t)
{
	switch (t) {
	case PGT_NONE: return "none";
	case PGT_L1: return "L1";
	case PGT_L2: return "L2";
	case PGT_WRITABLE: return "writable";
	case PGT_DESCRIPTOR: return "descriptor";
	}
	return "?";
}
