/*
 * The machine-frame allocator: a bitmap, one bit per frame, 1 = in use.
 * Boot code marks everything in use, then frees the RAM the hypervisor may
 * hand out (frame_alloc_add_free); after that, frames come and go one at a
 * time as domains are built and destroyed.
 */
#include <koan/exercise.h>
#include <koan/frame_alloc.h>

#define BITS 32u

static bool bit_is_set(const uint32_t *bitmap, uint32_t n)
{
	return (bitmap[n / BITS] >> (n % BITS)) & 1u;
}

static void set_bit(uint32_t *bitmap, uint32_t n)
{
	bitmap[n / BITS] |= 1u << (n % BITS);
}

static void clear_bit(uint32_t *bitmap, uint32_t n)
{
	bitmap[n / BITS] &= ~(1u << (n % BITS));
}

void frame_alloc_init(struct frame_allocator *fa, uint32_t *bitmap, uint32_t nr_frames)
{
	fa->bitmap = bitmap;
	fa->nr_frames = nr_frames;
	fa->nr_free = 0;
	fa->next = 0;
	for (uint32_t i = 0; i < (nr_frames + BITS - 1) / BITS; i++)
		bitmap[i] = 0xFFFFFFFFu;
}

void frame_alloc_add_free(struct frame_allocator *fa, uint32_t first, uint32_t count)
{
	for (uint32_t mfn = first; mfn < fa->nr_frames && mfn - first < count; mfn++) {
		if (bit_is_set(fa->bitmap, mfn)) {
			clear_bit(fa->bitmap, mfn);
			fa->nr_free++;
		}
	}
}

bool frame_is_free(const struct frame_allocator *fa, uint32_t mfn)
{
	return mfn < fa->nr_frames && !bit_is_set(fa->bitmap, mfn);
}

uint32_t frame_alloc(struct frame_allocator *fa)
{
	// BEGIN EXERCISE lab2.1: allocate a frame (lab2-paging/README.md, Exercise 1)
	//   Find a clear bit, starting the search at fa->next and wrapping round
	//   once; set it, count it in nr_free, remember where to start next time,
	//   and return the frame number. With nothing free, return FRAME_NONE.
	for (uint32_t i = 0; i < fa->nr_frames; i++) {
		uint32_t mfn = (fa->next + i) % fa->nr_frames;
		if (!bit_is_set(fa->bitmap, mfn)) {
			set_bit(fa->bitmap, mfn);
			fa->nr_free--;
			fa->next = (mfn + 1) % fa->nr_frames;
			return mfn;
		}
	}
	return FRAME_NONE;
	// STUB
	//> EXERCISE_TODO("lab2.1", "frame_alloc() in hv/frame_alloc.c hands out no frames yet");
	//> (void)fa, (void)set_bit;
	//> return FRAME_NONE;
	// END EXERCISE
}

bool frame_free(struct frame_allocator *fa, uint32_t mfn)
{
	// BEGIN EXERCISE lab2.2: free a frame (lab2-paging/README.md, Exercise 1)
	//   Refuse (return false, change nothing) a frame out of range or already
	//   free; otherwise clear its bit and count it.
	if (mfn >= fa->nr_frames || !bit_is_set(fa->bitmap, mfn))
		return false;
	clear_bit(fa->bitmap, mfn);
	fa->nr_free++;
	return true;
	// STUB
	//> EXERCISE_TODO("lab2.2", "frame_free() in hv/frame_alloc.c frees nothing yet");
	//> (void)fa, (void)mfn, (void)clear_bit;
	//> return false;
	// END EXERCISE
}
