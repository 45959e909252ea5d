/*
 * Lab 2, Exercise 2: type references (get_page_type, put_page_type), on a
 * fake machine of 64 frames whose contents are plain arrays. A frame's type
 * may change only while nothing depends on it: otherwise a page table could
 * also be a writable page, and the guest could write its own mappings.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <public/memory.h>

#include "fake_machine.h"
#include "koan_test.h"

KTEST(lab2_get_page_foreign)
{
	struct page_info before[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t own = rnd(FIRST_OTHER);
	ck_assert_msg(get_page_type(&ft, own, PGT_WRITABLE, DOM),
		      "get_page_type(own frame %u, PGT_WRITABLE) refused: %s", own,
		      pt_problem_text(ft.last_error.problem));
	ck_assert_uint_eq(pages[own].type, PGT_WRITABLE);
	ck_assert_uint_eq(pages[own].type_count, 1);
	put_page_type(&ft, own);
	ck_assert_uint_eq(pages[own].type_count, 0);

	memcpy(before, pages, sizeof(before));
	uint32_t foreign[] = { FIRST_OTHER + rnd(8), FIRST_HV + rnd(8), FIRST_FREE + rnd(8) };
	for (int i = 0; i < 3; i++) {
		uint32_t f = foreign[i];
		ck_assert_msg(!get_page(&ft, f, DOM),
			      "get_page(frame %u of owner %#x) for domain %u succeeded", f,
			      pages[f].owner, DOM);
		for (int t = PGT_L1; t <= PGT_DESCRIPTOR; t++) {
			ck_assert_msg(
				!get_page_type(&ft, f, (enum page_type)t, DOM),
				"get_page_type(frame %u of owner %#x, %s) for domain %u succeeded",
				f, pages[f].owner, page_type_name((enum page_type)t), DOM);
			ck_assert_msg(ft.last_error.problem == PT_NOT_OWNER,
				      "someone else's frame: expected PT_NOT_OWNER, got %s",
				      pt_problem_text(ft.last_error.problem));
		}
		expect_pages(before, "after refusing someone else's frame");
	}
	uint32_t beyond[] = { NR_FRAMES, NR_FRAMES + 1 + rnd(1000), 0xFFFFFu };
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(!get_page_type(&ft, beyond[i], PGT_WRITABLE, DOM),
			      "get_page_type(frame %u) succeeded on a machine of %u frames",
			      beyond[i], NR_FRAMES);
		ck_assert_msg(ft.last_error.problem == PT_BAD_FRAME,
			      "a frame beyond the table: expected PT_BAD_FRAME, got %s",
			      pt_problem_text(ft.last_error.problem));
	}
	expect_pages(before, "after refusing frames beyond the table");

	/* A frame table shorter than the array behind it: the frame just past
	 * its end exists in memory, and still is no frame at all. */
	ft.nr_frames = FIRST_OTHER;
	pages[FIRST_OTHER].ref_count = 3;
	pages[FIRST_OTHER].type = PGT_WRITABLE;
	pages[FIRST_OTHER].type_count = 2;
	memcpy(before, pages, sizeof(before));
	ck_assert_msg(!get_page(&ft, FIRST_OTHER, OTHER),
		      "get_page(frame %u) succeeded on a table of %u frames", FIRST_OTHER,
		      FIRST_OTHER);
	ck_assert_msg(!get_page_type(&ft, FIRST_OTHER, PGT_WRITABLE, OTHER) &&
			      ft.last_error.problem == PT_BAD_FRAME,
		      "get_page_type(frame %u) on a table of %u frames: expected PT_BAD_FRAME",
		      FIRST_OTHER, FIRST_OTHER);
	put_page(&ft, FIRST_OTHER);
	put_page_type(&ft, FIRST_OTHER);
	expect_pages(before, "after get and put of the frame just past the table's end");
	ft.nr_frames = NR_FRAMES;
}

/*
 * Random get/put sequences of the types that need no validation, against
 * a model of (type, type_count). (Page tables: lab2_type_change and the
 * tests of Exercise 3.)
 */
KTEST(lab2_type_model)
{
	enum { N = 8 };
	uint8_t mtype[N] = { 0 };
	uint32_t mcount[N] = { 0 };

	srand((unsigned)getpid());
	machine_init();
	for (int step = 0; step < 3000; step++) {
		uint32_t f = rnd(N);
		if (mcount[f] > 0 && rnd(2) == 0) {
			put_page_type(&ft, f);
			if (--mcount[f] == 0)
				mtype[f] = PGT_NONE;
		} else {
			enum page_type t = rnd(2) ? PGT_WRITABLE : PGT_DESCRIPTOR;
			uint16_t who = rnd(5) ? DOM : OTHER; /* sometimes not the owner */
			bool ok = who == DOM && (mcount[f] == 0 || mtype[f] == t);
			bool got = get_page_type(&ft, f, t, who);
			ck_assert_msg(
				got == ok,
				"step %d: get_page_type(frame %u, %s, owner %u) with type %s and "
				"type_count %u returned %d, expected %d (%s)",
				step, f, page_type_name(t), who,
				page_type_name((enum page_type)mtype[f]), mcount[f], got, ok,
				pt_problem_text(ft.last_error.problem));
			enum pt_problem want = who != DOM ? PT_NOT_OWNER : PT_TYPE_CONFLICT;
			if (!ok)
				ck_assert_msg(ft.last_error.problem == want,
					      "step %d: expected %s, got %s", step,
					      pt_problem_text(want),
					      pt_problem_text(ft.last_error.problem));
			if (ok) {
				mtype[f] = (uint8_t)t;
				mcount[f]++;
			}
		}
		ck_assert_msg(pages[f].type_count == mcount[f] && pages[f].type == mtype[f],
			      "step %d: frame %u has type %s and type_count %u, expected %s and %u",
			      step, f, page_type_name(pages[f].type), pages[f].type_count,
			      page_type_name((enum page_type)mtype[f]), mcount[f]);
		ck_assert_msg(pages[f].ref_count == 0, "step %d: type references changed ref_count",
			      step);
	}
}

KTEST(lab2_type_change)
{
	srand((unsigned)getpid());
	machine_init();
	uint32_t f = rnd(FIRST_OTHER);

	ck_assert_msg(get_page_type(&ft, f, PGT_L1, DOM), "an empty table refused as an L1: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_msg(pages[f].type == PGT_L1 && pages[f].type_count == 1,
		      "after get_page_type(L1): type %s, type_count %u",
		      page_type_name(pages[f].type), pages[f].type_count);
	/* A page table cannot also be mapped writable. */
	ck_assert_msg(!get_page_type(&ft, f, PGT_WRITABLE, DOM),
		      "a frame in use as an L1 was also taken as writable");
	ck_assert_msg(ft.last_error.problem == PT_TYPE_CONFLICT,
		      "expected PT_TYPE_CONFLICT, got %s", pt_problem_text(ft.last_error.problem));
	ck_assert_msg(pages[f].type == PGT_L1 && pages[f].type_count == 1,
		      "a refused get_page_type changed the frame: type %s, type_count %u",
		      page_type_name(pages[f].type), pages[f].type_count);
	ck_assert_msg(get_page_type(&ft, f, PGT_L1, DOM), "a second L1 reference refused");
	ck_assert_uint_eq(pages[f].type_count, 2);
	put_page_type(&ft, f);
	ck_assert_msg(pages[f].type == PGT_L1 && pages[f].type_count == 1,
		      "one of two references dropped: type %s, type_count %u",
		      page_type_name(pages[f].type), pages[f].type_count);
	ck_assert_msg(!get_page_type(&ft, f, PGT_WRITABLE, DOM),
		      "an L1 still referenced once was taken as writable");
	put_page_type(&ft, f);
	ck_assert_msg(pages[f].type == PGT_NONE && pages[f].type_count == 0,
		      "after the last put_page_type: type %s, type_count %u (expected none, 0)",
		      page_type_name(pages[f].type), pages[f].type_count);
	/* Now free to be anything. */
	ck_assert_msg(get_page_type(&ft, f, PGT_WRITABLE, DOM),
		      "a frame with no type references refused as writable: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_msg(!get_page_type(&ft, f, PGT_L2, DOM), "a writable frame was taken as an L2");
	ck_assert_msg(!get_page_type(&ft, f, PGT_L1, DOM), "a writable frame was taken as an L1");
	put_page_type(&ft, f);
	ck_assert_msg(get_page_type(&ft, f, PGT_L2, DOM), "an empty directory refused: %s",
		      pt_problem_text(ft.last_error.problem));
	ck_assert_uint_eq(pages[f].type, PGT_L2);
	put_page_type(&ft, f);
	ck_assert_uint_eq(pages[f].type, PGT_NONE);
	ck_assert_uint_eq(pages[f].ref_count, 0);
}

/* An L1 is validated when it gets its first type reference and devalidated
 * when it loses its last: its entries hold their references once. */
KTEST(lab2_type_validated_once)
{
	struct page_info initial[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t l1 = rnd(FIRST_OTHER);
	uint32_t rw = (l1 + 1 + rnd(FIRST_OTHER - 1)) % FIRST_OTHER;
	uint32_t ro;
	do
		ro = rnd(FIRST_OTHER);
	while (ro == l1 || ro == rw);
	unsigned i = rnd(ENTRIES_PER_TABLE),
		 j = (i + 1 + rnd(ENTRIES_PER_TABLE - 1)) % ENTRIES_PER_TABLE;
	mem[l1][i] = pte_make(rw, PTE_P | PTE_RW | PTE_US);
	mem[l1][j] = pte_make(ro, PTE_P | PTE_US);
	memcpy(initial, pages, sizeof(initial));

	for (int k = 1; k <= 3; k++) {
		ck_assert_msg(get_page_type(&ft, l1, PGT_L1, DOM), "L1 reference %d refused: %s", k,
			      pt_problem_text(ft.last_error.problem));
		ck_assert_uint_eq(pages[l1].type_count, (uint32_t)k);
		ck_assert_msg(
			pages[rw].ref_count == 1 && pages[rw].type_count == 1 &&
				pages[rw].type == PGT_WRITABLE,
			"after %d L1 references, the frame its entry maps writable has type %s, "
			"type_count %u, ref_count %u (expected writable, 1, 1)",
			k, page_type_name(pages[rw].type), pages[rw].type_count,
			pages[rw].ref_count);
		ck_assert_msg(
			pages[ro].ref_count == 1 && pages[ro].type_count == 0,
			"after %d L1 references, the frame mapped read-only has ref_count %u, "
			"type_count %u (expected 1, 0)",
			k, pages[ro].ref_count, pages[ro].type_count);
	}
	for (int k = 2; k >= 0; k--) {
		put_page_type(&ft, l1);
		ck_assert_uint_eq(pages[l1].type_count, (uint32_t)k);
		if (k > 0)
			ck_assert_msg(
				pages[rw].ref_count == 1 && pages[rw].type_count == 1,
				"the L1 still has %d references but its entries were given back",
				k);
	}
	expect_pages(initial, "after the last put_page_type of the L1");
}

/* Dropping what was never taken: a put_page_type of a frame whose type
 * count is 0, or of a frame beyond the table, changes nothing. */
KTEST(lab2_put_unbalanced)
{
	struct page_info before[NR_FRAMES];

	srand((unsigned)getpid());
	machine_init();
	uint32_t f = rnd(FIRST_OTHER);
	ck_assert(get_page_type(&ft, f, PGT_WRITABLE, DOM));
	put_page_type(&ft, f);
	memcpy(before, pages, sizeof(before));
	put_page_type(&ft, f); /* one put too many */
	expect_pages(before, "after a put_page_type of a frame whose type count is 0");
	put_page(&ft, f); /* a general reference that nothing holds */
	expect_pages(before, "after a put_page of a frame with no references");
	put_page(&ft, NR_FRAMES + rnd(1000));
	expect_pages(before, "after a put_page of a frame beyond the table");
	put_page_type(&ft, NR_FRAMES + rnd(1000));
	put_page_type(&ft, 0xFFFFFu);
	expect_pages(before, "after a put_page_type of a frame beyond the table");
	/* The frame is still usable as anything. */
	ck_assert_msg(get_page_type(&ft, f, PGT_DESCRIPTOR, DOM),
		      "after an extra put, frame %u cannot take another type: %s", f,
		      pt_problem_text(ft.last_error.problem));
	ck_assert_uint_eq(pages[f].type_count, 1);
	put_page_type(&ft, f);
}
