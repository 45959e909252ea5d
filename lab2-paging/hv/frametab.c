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
	//   The frame must exist and belong to `owner` (else PT_BAD_FRAME or
	//   PT_NOT_OWNER, via refuse()). With type_count > 0 the type must
	//   already be `type` (else PT_TYPE_CONFLICT). With type_count 0 the
	//   frame takes the new type, and a page table (PGT_L1, PGT_L2) must pass
	//   validate_table(), which reports its own errors. Set the type and the
	//   count *before* validating (why? see the handout). On success count
	//   the reference and return true; on failure leave the frame as it was.
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab2.3", "get_page_type() in hv/frametab.c takes no type references yet");
	(void)type, (void)owner, (void)validate_table;
	refuse(ft, PT_TODO, mfn);
	return false;
	// END EXERCISE
}

void put_page_type(struct frame_table *ft, uint32_t mfn)
{
	// BEGIN EXERCISE lab2.4: drop a type reference (lab2-paging/README.md, Exercise 2)
	//   Drop one type reference. When the last one goes, a page table gives
	//   back what its entries held (devalidate_table()) and the frame's type
	//   becomes PGT_NONE, free to be used as anything.
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab2.4", "put_page_type() in hv/frametab.c drops nothing yet");
	(void)ft, (void)mfn, (void)devalidate_table;
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
