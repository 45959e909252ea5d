/*
 * The block backend (lab 5), run by dom0: one virtual block device (vbd)
 * per frontend domain, each a region of the real disk, served through the
 * frontend's ring. The checks of a request are pure C
 * (kernel/blkback_check.c, tested on the host); the rest is
 * kernel/blkback.c.
 */
#ifndef KOAN_GUEST_BLKBACK_H
#define KOAN_GUEST_BLKBACK_H

#include <stdbool.h>
#include <stdint.h>

#include <public/blkif.h>

/* What a request may touch: the frontend's region of the disk. */
struct vbd_region {
	uint64_t start;	  /* its first sector on the disk */
	uint64_t sectors; /* its size */
};

/* Why a request is refused (blkback_check_request), or BLK_OK. */
enum blk_problem {
	BLK_OK = 0,
	BLK_BAD_OPERATION, /* not READ, WRITE, WRITE_BARRIER or FLUSH_DISKCACHE */
	BLK_BAD_HANDLE,	   /* not device 0 */
	BLK_BAD_SEGMENTS,  /* 0 segments for a transfer, a flush with some, or more than 11 */
	BLK_BAD_SECTORS,   /* a segment's first_sect > last_sect, or either past 7 */
	BLK_PAST_END,	   /* sectors beyond the region (or the sum wraps) */
};

const char *blk_problem_name(enum blk_problem p);

/*
 * Check every field of a request (a copy of it: the frontend may change the
 * shared slot while we look). Out: BLK_OK with *disk_sector (where on the
 * disk it starts) and *nr_sectors (how many it moves, 0 for a flush) set, or
 * the first problem found, in the order of enum blk_problem.
 */
enum blk_problem blkback_check_request(const struct koan_blkif_request *req,
				       const struct vbd_region *region, uint64_t *disk_sector,
				       uint32_t *nr_sectors);

/* One frontend the backend serves: its domain and its region. */
struct blkback_vbd_config {
	unsigned domain;
	struct vbd_region region;
};

#define BLKBACK_MAX_VBDS 4u

/* Serve the frontends until each has connected and gone (closed, or its
 * domain ended). disk_sectors: the disk's size (ata_init). Reports what it
 * did on the result channel ("blkback ..."). */
void blkback_run(const struct blkback_vbd_config *vbds, unsigned n, uint32_t disk_sectors);

#endif
