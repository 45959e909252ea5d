/*
 * The machine-frame allocator: one bit per frame of the memory the
 * hypervisor manages. Pure C, unit-tested on the host.
 */
#ifndef KOAN_FRAME_ALLOC_H
#define KOAN_FRAME_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_NONE 0xFFFFFFFFu

struct frame_allocator {
	uint32_t *bitmap;   /* bit set = frame in use (or not RAM); caller's storage */
	uint32_t nr_frames; /* frames 0 .. nr_frames - 1 are described */
	uint32_t nr_free;
	uint32_t next; /* where the next search starts */
};

/* Every frame starts in use; the caller then frees the usable ranges. */
void frame_alloc_init(struct frame_allocator *fa, uint32_t *bitmap, uint32_t nr_frames);

/* Add [first, first + count) to the free frames (boot time). */
void frame_alloc_add_free(struct frame_allocator *fa, uint32_t first, uint32_t count);

/* A free frame, now in use; FRAME_NONE when none is left. */
uint32_t frame_alloc(struct frame_allocator *fa);

/* Give back a frame. Returns false, and changes nothing, if the frame is out
 * of range or already free: a double free is a bug the caller must hear of. */
bool frame_free(struct frame_allocator *fa, uint32_t mfn);

bool frame_is_free(const struct frame_allocator *fa, uint32_t mfn);

#endif
