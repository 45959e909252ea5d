/*
 * Koan public ABI, lab 5: the block device's requests and responses (Xen's
 * io/blkif.h), carried on a ring of public/io_ring.h.
 *
 * A request names up to 11 segments, each a granted page and the sectors
 * of it to transfer (first_sect .. last_sect, 512 bytes each, 8 per page);
 * the sectors of all segments, in order, are the disk's from sector_number
 * on. The backend answers each request exactly once, with its id; answers
 * may come in another order than the requests (match them by id).
 *
 * Ordering: the backend completes requests in the order it takes them off
 * the ring, each before it takes the next, so a write is on the disk before
 * any later request starts. WRITE_BARRIER (Xen's) is a write that also
 * flushes the disk's cache before and after it; FLUSH_DISKCACHE only
 * flushes.
 */
#ifndef KOAN_PUBLIC_BLKIF_H
#define KOAN_PUBLIC_BLKIF_H

#include <stdint.h>

#include <public/grant_table.h>
#include <public/io_ring.h>

#define KOAN_BLKIF_OP_READ 0
#define KOAN_BLKIF_OP_WRITE 1
#define KOAN_BLKIF_OP_WRITE_BARRIER 2
#define KOAN_BLKIF_OP_FLUSH_DISKCACHE 3

#define KOAN_BLKIF_MAX_SEGMENTS 11u
#define KOAN_BLKIF_SECTOR_BYTES 512u
#define KOAN_BLKIF_SECTORS_PER_PAGE 8u

struct koan_blkif_segment {
	koan_grant_ref_t gref; /* a page granted to the backend's domain */
	uint8_t first_sect;    /* first and last sector of it: 0 .. 7, first <= last */
	uint8_t last_sect;
	uint16_t pad;
};

struct koan_blkif_request {
	uint8_t operation;   /* KOAN_BLKIF_OP_* */
	uint8_t nr_segments; /* 1 .. 11; 0 for a flush */
	uint16_t handle;     /* the device (0: the frontend's only one) */
	uint32_t pad;
	uint64_t id;		/* echoed in the response */
	uint64_t sector_number; /* the first sector, on the frontend's device */
	struct koan_blkif_segment seg[KOAN_BLKIF_MAX_SEGMENTS];
};

struct koan_blkif_response {
	uint64_t id;	   /* the request's */
	uint8_t operation; /* the request's */
	uint8_t pad;
	int16_t status; /* KOAN_BLKIF_RSP_* */
	uint32_t pad2;
};

_Static_assert(sizeof(struct koan_blkif_request) == 112, "ABI layout");
_Static_assert(sizeof(struct koan_blkif_response) == 16, "ABI layout");

/* A frontend's error when its backend never answers. */
#define KOAN_EIO 5

#define KOAN_BLKIF_RSP_OKAY 0
#define KOAN_BLKIF_RSP_ERROR (-1)      /* refused: a bad field, a bad grant, the disk failed */
#define KOAN_BLKIF_RSP_EOPNOTSUPP (-2) /* an operation the backend does not know */

KOAN_DEFINE_RING_TYPES(koan_blkif, struct koan_blkif_request, struct koan_blkif_response);

#endif
