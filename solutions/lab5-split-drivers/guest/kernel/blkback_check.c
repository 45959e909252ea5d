/*
 * The backend's checks of a request (guest/include/blkback.h). Pure C. The
 * ring is the frontend's memory: every field of every request is the
 * frontend's choice, and a wrong one must become an error response, never
 * a transfer to the wrong place (the paper, section 3.2: the hypervisor and
 * the backend protect themselves, they do not trust the domains they serve).
 */
#include <koan/exercise.h>

#include "blkback.h"

const char *blk_problem_name(enum blk_problem p)
{
	static const char *const names[] = {
		[BLK_OK] = "ok",
		[BLK_BAD_OPERATION] = "bad-operation",
		[BLK_BAD_HANDLE] = "bad-handle",
		[BLK_BAD_SEGMENTS] = "bad-segments",
		[BLK_BAD_SECTORS] = "bad-sectors",
		[BLK_PAST_END] = "past-end",
	};
	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

// BEGIN EXERCISE lab5.9: check a request (lab5-split-drivers/README.md, Exercise 5)
//   In: a copy of one request and the frontend's region. Out: BLK_OK with
//   *disk_sector and *nr_sectors, or the first problem in the order of enum
//   blk_problem (guest/include/blkback.h says what each covers). A flush
//   has no segments and moves nothing; every other operation has 1 ..
//   KOAN_BLKIF_MAX_SEGMENTS. The request's sectors, counted over all its
//   segments, must lie inside the region: sector_number + nr_sectors <=
//   region->sectors, computed so that no value of sector_number can wrap
//   around and pass.
enum blk_problem blkback_check_request(const struct koan_blkif_request *req,
				       const struct vbd_region *region, uint64_t *disk_sector,
				       uint32_t *nr_sectors)
{
	bool flush = req->operation == KOAN_BLKIF_OP_FLUSH_DISKCACHE;
	uint32_t total = 0;

	if (req->operation != KOAN_BLKIF_OP_READ && req->operation != KOAN_BLKIF_OP_WRITE &&
	    req->operation != KOAN_BLKIF_OP_WRITE_BARRIER && !flush)
		return BLK_BAD_OPERATION;
	if (req->handle != 0)
		return BLK_BAD_HANDLE;
	if (flush ? req->nr_segments != 0
		  : req->nr_segments == 0 || req->nr_segments > KOAN_BLKIF_MAX_SEGMENTS)
		return BLK_BAD_SEGMENTS;
	for (unsigned i = 0; i < req->nr_segments; i++) {
		const struct koan_blkif_segment *s = &req->seg[i];
		if (s->first_sect > s->last_sect || s->last_sect >= KOAN_BLKIF_SECTORS_PER_PAGE)
			return BLK_BAD_SECTORS;
		total += s->last_sect - s->first_sect + 1u;
	}
	if (req->sector_number > region->sectors || total > region->sectors - req->sector_number)
		return BLK_PAST_END;
	*disk_sector = region->start + req->sector_number;
	*nr_sectors = total;
	return BLK_OK;
}
// STUB
//> enum blk_problem blkback_check_request(const struct koan_blkif_request *req,
//> 				       const struct vbd_region *region, uint64_t *disk_sector,
//> 				       uint32_t *nr_sectors)
//> {
//> 	EXERCISE_TODO("lab5.9", "blkback_check_request() in blkback_check.c refuses all");
//> 	(void)req, (void)region, (void)disk_sector, (void)nr_sectors;
//> 	return BLK_BAD_OPERATION;
//> }
// END EXERCISE
