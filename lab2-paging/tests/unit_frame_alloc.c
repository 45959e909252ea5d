/*
 * Lab 2, Exercise 1: the machine-frame allocator. Each test keeps its own
 * model of which frames are free (a plain array of flags) and compares the
 * allocator with it: a frame handed out twice, or one that is not RAM,
 * would be given to two domains, or to a domain over the hypervisor.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/frame_alloc.h>

#include "koan_test.h"

#define MAX_FRAMES 2048u
#define WORDS (MAX_FRAMES / 32u)

static uint32_t bitmap[WORDS];
static bool model[MAX_FRAMES]; /* true = free, as the test sees it */
static struct frame_allocator fa;

static uint32_t rnd(uint32_t n)
{
	return (uint32_t)rand() % n;
}

/* An allocator of nr frames, all in use, and a model that agrees. */
static void start(uint32_t nr)
{
	memset(bitmap, 0x5A, sizeof(bitmap));
	memset(model, 0, sizeof(model));
	frame_alloc_init(&fa, bitmap, nr);
	ck_assert_uint_eq(fa.nr_frames, nr);
	ck_assert_uint_eq(fa.nr_free, 0);
}

static void add(uint32_t first, uint32_t count)
{
	frame_alloc_add_free(&fa, first, count);
	for (uint32_t f = first; f < fa.nr_frames && f - first < count; f++)
		model[f] = true;
}

static uint32_t model_free(void)
{
	uint32_t n = 0;

	for (uint32_t f = 0; f < fa.nr_frames; f++)
		n += model[f];
	return n;
}

/* Random ranges, with holes between them, some overlapping, some running
 * past the end. */
static void add_random_ranges(void)
{
	int nr = 1 + (int)rnd(6);

	for (int i = 0; i < nr; i++) {
		uint32_t first = rnd(fa.nr_frames);
		add(first, 1 + rnd(fa.nr_frames / 3 + 1));
	}
}

/* Allocate one frame and check it against the model. */
static uint32_t alloc_checked(void)
{
	uint32_t before = fa.nr_free;
	uint32_t mfn = frame_alloc(&fa);

	ck_assert_msg(mfn != FRAME_NONE, "frame_alloc gave FRAME_NONE with %u frames free", before);
	ck_assert_msg(mfn < fa.nr_frames, "frame_alloc gave frame %u; there are only %u", mfn,
		      fa.nr_frames);
	ck_assert_msg(model[mfn],
		      "frame_alloc gave frame %u, which is not free (in use, or never added)", mfn);
	ck_assert_msg(fa.nr_free == before - 1, "nr_free went from %u to %u after one allocation",
		      before, fa.nr_free);
	ck_assert_msg(!frame_is_free(&fa, mfn), "frame %u was handed out but is still marked free",
		      mfn);
	model[mfn] = false;
	return mfn;
}

static void check_agrees(const char *when)
{
	ck_assert_msg(fa.nr_free == model_free(), "%s: nr_free is %u, but %u frames are free", when,
		      fa.nr_free, model_free());
	for (uint32_t f = 0; f < fa.nr_frames; f++)
		ck_assert_msg(frame_is_free(&fa, f) == model[f], "%s: frame %u should be %s", when,
			      f, model[f] ? "free" : "in use");
}

KTEST(lab2_frame_alloc_counts)
{
	srand((unsigned)getpid());
	for (int round = 0; round < 50; round++) {
		start(1 + rnd(MAX_FRAMES));
		for (uint32_t f = 0; f < fa.nr_frames; f++)
			ck_assert_msg(!frame_is_free(&fa, f), "after init, frame %u is free", f);
		add_random_ranges();
		check_agrees("after frame_alloc_add_free");
		if (fa.nr_free == 0)
			continue;
		uint32_t n = 1 + rnd(fa.nr_free);
		for (uint32_t i = 0; i < n; i++)
			alloc_checked();
		check_agrees("after some allocations");
	}
}

KTEST(lab2_frame_alloc_exhaust)
{
	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		start(1 + rnd(MAX_FRAMES));
		add_random_ranges();
		uint32_t total = fa.nr_free;
		uint32_t got = 0;
		while (frame_alloc(&fa) != FRAME_NONE) {
			got++;
			ck_assert_msg(got <= total,
				      "frame_alloc handed out more than the %u free frames", total);
		}
		ck_assert_msg(got == total,
			      "frame_alloc gave FRAME_NONE after %u of %u free frames", got, total);
		ck_assert_uint_eq(fa.nr_free, 0);
		for (int i = 0; i < 3; i++)
			ck_assert_msg(
				frame_alloc(&fa) == FRAME_NONE,
				"with nothing free, frame_alloc must keep returning FRAME_NONE");
		ck_assert_uint_eq(fa.nr_free, 0);
		for (uint32_t f = 0; f < fa.nr_frames; f++)
			ck_assert_msg(!frame_is_free(&fa, f), "frame %u is free after exhaustion",
				      f);
	}
}

KTEST(lab2_frame_alloc_unique)
{
	static bool seen[MAX_FRAMES];

	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		start(1 + rnd(MAX_FRAMES));
		add(0, fa.nr_frames);
		memset(seen, 0, sizeof(seen));
		uint32_t total = fa.nr_free;
		for (uint32_t i = 0; i < total; i++) {
			uint32_t mfn = frame_alloc(&fa);
			ck_assert_msg(mfn < fa.nr_frames, "allocation %u of %u: got %u", i, total,
				      mfn);
			ck_assert_msg(!seen[mfn], "frame %u was handed out twice", mfn);
			seen[mfn] = true;
		}
		for (uint32_t f = 0; f < fa.nr_frames; f++)
			ck_assert_msg(seen[f], "frame %u was never handed out", f);
	}
}

KTEST(lab2_frame_alloc_only_free)
{
	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		/* Often not a multiple of 32: the bitmap's last word has bits for
		 * frames that do not exist. */
		start(1 + rnd(MAX_FRAMES));
		add_random_ranges();
		/* Mix allocations and frees, so that the free frames are scattered. */
		for (int i = 0; i < 200 && fa.nr_free > 0; i++) {
			uint32_t mfn = alloc_checked();
			if (rnd(3) == 0) {
				ck_assert_msg(frame_free(&fa, mfn),
					      "frame_free(%u) refused a frame in use", mfn);
				model[mfn] = true;
			}
		}
		while (fa.nr_free > 0)
			alloc_checked();
		ck_assert_msg(frame_alloc(&fa) == FRAME_NONE,
			      "a frame beyond the free ones was handed out");
	}
}

KTEST(lab2_frame_free_realloc)
{
	static bool freed[MAX_FRAMES];

	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		start(1 + rnd(MAX_FRAMES));
		add(0, fa.nr_frames);
		while (fa.nr_free > 0)
			alloc_checked();
		memset(freed, 0, sizeof(freed));
		uint32_t nfreed = 0;
		for (uint32_t f = 0; f < fa.nr_frames; f++) {
			if (rnd(4) != 0)
				continue;
			uint32_t before = fa.nr_free;
			ck_assert_msg(frame_free(&fa, f), "frame_free(%u) refused a frame in use",
				      f);
			ck_assert_msg(fa.nr_free == before + 1,
				      "nr_free went from %u to %u on a free", before, fa.nr_free);
			ck_assert_msg(frame_is_free(&fa, f),
				      "frame %u is not free after frame_free", f);
			freed[f] = model[f] = true;
			nfreed++;
		}
		for (uint32_t i = 0; i < nfreed; i++) {
			uint32_t mfn = alloc_checked();
			ck_assert_msg(freed[mfn], "frame %u was handed out but never freed", mfn);
		}
		ck_assert_msg(frame_alloc(&fa) == FRAME_NONE,
			      "more frames handed out than were freed");
	}
}

KTEST(lab2_frame_free_double)
{
	static uint32_t saved[WORDS];

	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		start(2 + rnd(MAX_FRAMES - 1));
		add_random_ranges();
		if (fa.nr_free == 0)
			continue;
		uint32_t mfn = alloc_checked();
		ck_assert_msg(frame_free(&fa, mfn), "frame_free(%u) refused a frame just allocated",
			      mfn);
		model[mfn] = true;
		check_agrees("after a free");

		/* The second free of the same frame, and the free of a frame that
		 * was never allocated: both would let the frame go out twice. */
		uint32_t never = rnd(fa.nr_frames);
		while (!model[never])
			never = (never + 1) % fa.nr_frames;
		uint32_t victims[2] = { mfn, never };
		for (int v = 0; v < 2; v++) {
			uint32_t before = fa.nr_free;
			memcpy(saved, bitmap, sizeof(saved));
			ck_assert_msg(!frame_free(&fa, victims[v]),
				      "frame_free(%u) of a free frame succeeded", victims[v]);
			ck_assert_msg(fa.nr_free == before,
				      "a refused free changed nr_free from %u to %u", before,
				      fa.nr_free);
			ck_assert_msg(memcmp(saved, bitmap, sizeof(saved)) == 0,
				      "a refused free changed the bitmap");
		}
		check_agrees("after refused double frees");
	}
}

KTEST(lab2_frame_free_out_of_range)
{
	static uint32_t saved[WORDS];

	srand((unsigned)getpid());
	for (int round = 0; round < 30; round++) {
		/* Leave room in the bitmap past nr_frames, where a stray clear
		 * would create a frame that does not exist. */
		uint32_t nr = 1 + rnd(MAX_FRAMES - 64);
		start(nr);
		add(0, nr);
		uint32_t mfn = alloc_checked();
		ck_assert_msg(frame_free(&fa, mfn), "frame_free(%u) refused a frame in use", mfn);
		model[mfn] = true;
		while (fa.nr_free > 0)
			alloc_checked();

		uint32_t bad[] = { nr,	    nr + 1,	nr + rnd(63),
				   nr + 32, FRAME_NONE, 0x80000000u + rnd(1000) };
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memcpy(saved, bitmap, sizeof(saved));
			ck_assert_msg(!frame_free(&fa, bad[i]),
				      "frame_free(%u) succeeded with only %u frames", bad[i], nr);
			ck_assert_msg(fa.nr_free == 0, "a refused free changed nr_free to %u",
				      fa.nr_free);
			ck_assert_msg(memcmp(saved, bitmap, sizeof(saved)) == 0,
				      "frame_free(%u) (out of range) changed the bitmap", bad[i]);
		}
		ck_assert_msg(frame_alloc(&fa) == FRAME_NONE,
			      "after out-of-range frees, a frame was handed out");
	}
}

KTEST(lab2_frame_alloc_wraparound)
{
	srand((unsigned)getpid());
	for (int round = 0; round < 20; round++) {
		uint32_t nr = 8 + rnd(MAX_FRAMES - 8);
		start(nr);
		add(0, nr);
		while (fa.nr_free > 0)
			alloc_checked();

		/* Hand out a frame near the end, so the next search starts there;
		 * then the only free frame is near the start. */
		uint32_t order[][2] = { { nr - 2, 1 }, { nr - 1, 0 }, { nr / 2, 3 } };
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 2; j++) {
				uint32_t f = order[i][j];
				ck_assert_msg(frame_free(&fa, f),
					      "frame_free(%u) refused a frame in use", f);
				model[f] = true;
				uint32_t got = alloc_checked();
				ck_assert_msg(
					got == f,
					"frame %u is the only free frame, but frame_alloc gave %u",
					f, got);
			}
		}
		for (int i = 0; i < 200; i++) {
			uint32_t f = rnd(nr);
			ck_assert_msg(frame_free(&fa, f), "frame_free(%u) refused a frame in use",
				      f);
			model[f] = true;
			uint32_t got = alloc_checked();
			ck_assert_msg(got == f,
				      "frame %u is the only free frame, but frame_alloc gave %u", f,
				      got);
			ck_assert_msg(frame_alloc(&fa) == FRAME_NONE,
				      "nothing is free, yet a frame was given");
		}
	}
}

/* The search starts where the last one ended (README, Exercise 1): a frame
 * just freed is not handed out again at once while later frames are free,
 * so a domain that keeps a stale frame number is caught sooner. */
KTEST(lab2_frame_alloc_next_fit)
{
	srand((unsigned)getpid());
	for (int round = 0; round < 20; round++) {
		uint32_t nr = 16 + rnd(MAX_FRAMES - 16);
		start(nr);
		add(0, nr);
		uint32_t k = 1 + rnd(nr / 2);
		for (uint32_t i = 0; i < k; i++) {
			uint32_t got = alloc_checked();
			ck_assert_msg(got == i,
				      "allocation %u from an all-free table gave frame %u", i, got);
		}
		/* Free an early frame: the next one still comes after frame k - 1. */
		uint32_t early = rnd(k);
		ck_assert(frame_free(&fa, early));
		model[early] = true;
		uint32_t got = alloc_checked();
		ck_assert_msg(got == k,
			      "after frames 0..%u and freeing %u, frame_alloc gave %u, not %u "
			      "(the search starts after the last frame it gave)",
			      k - 1, early, got, k);
		/* The frame just handed out, given straight back: the search
		 * still starts after it. */
		uint32_t last = got;
		ck_assert(frame_free(&fa, last));
		model[last] = true;
		got = alloc_checked();
		ck_assert_msg(
			got == last + 1,
			"frame %u was handed out and freed again; the next allocation gave %u, "
			"not %u",
			last, got, last + 1);
		/* Up to the end, then round to the freed frames. */
		while (fa.nr_free > 2)
			alloc_checked();
		uint32_t a = alloc_checked(), b = alloc_checked();
		ck_assert_msg(a == (early < last ? early : last) &&
				      b == (early < last ? last : early),
			      "the last free frames (%u and %u) are found by wrapping round, in "
			      "order: got "
			      "%u, %u",
			      early, last, a, b);
		check_agrees("after next-fit allocations");
	}
}
