/*
 * Lab 5, Exercise 5: the block backend's checks of a request
 * (guest/kernel/blkback_check.c), on the host. Every field of a request is
 * the frontend's choice: a wrong one must be refused with the first problem
 * in the order of enum blk_problem, and a request that passes must stay
 * inside the frontend's region of the disk, whatever sector_number says.
 */
#include <stdint.h>
#include <string.h>

#include <public/blkif.h>

#include "koan_test.h"
#include "lab5-split-drivers/guest/include/blkback.h"

static const struct vbd_region region = { .start = 1000, .sectors = 100 };

/* A request of n segments, each of sectors first..last, at `sector`. */
static struct koan_blkif_request request(uint8_t op, unsigned n, uint8_t first, uint8_t last,
					 uint64_t sector)
{
	struct koan_blkif_request r;

	memset(&r, 0, sizeof(r));
	r.operation = op;
	r.nr_segments = (uint8_t)n;
	r.id = 0x1234;
	r.sector_number = sector;
	for (unsigned i = 0; i < KOAN_BLKIF_MAX_SEGMENTS; i++)
		r.seg[i] = (struct koan_blkif_segment){ .gref = 10 + i,
							.first_sect = first,
							.last_sect = last };
	return r;
}

static enum blk_problem check_in(const struct koan_blkif_request *r, const struct vbd_region *v)
{
	uint64_t disk = 0xDEAD;
	uint32_t n = 0xBEEF;

	return blkback_check_request(r, v, &disk, &n);
}

static void expect_problem(const struct koan_blkif_request *r, const struct vbd_region *v,
			   enum blk_problem want, const char *what)
{
	enum blk_problem got = check_in(r, v);

	ck_assert_msg(got == want, "%s: %s, expected %s", what, blk_problem_name(got),
		      blk_problem_name(want));
}

static void expect_refused(const struct koan_blkif_request *r, enum blk_problem want,
			   const char *what)
{
	expect_problem(r, &region, want, what);
}

static void expect_ok_in(const struct koan_blkif_request *r, const struct vbd_region *v,
			 uint64_t disk_sector, uint32_t nr_sectors, const char *what)
{
	uint64_t disk = 0xDEAD;
	uint32_t n = 0xBEEF;
	enum blk_problem got = blkback_check_request(r, v, &disk, &n);

	ck_assert_msg(got == BLK_OK, "%s: refused (%s)", what, blk_problem_name(got));
	ck_assert_msg(disk == disk_sector && n == nr_sectors,
		      "%s: disk sector %llu, %u sectors; expected %llu, %u", what,
		      (unsigned long long)disk, n, (unsigned long long)disk_sector, nr_sectors);
}

static void expect_ok(const struct koan_blkif_request *r, uint64_t disk_sector, uint32_t nr_sectors,
		      const char *what)
{
	expect_ok_in(r, &region, disk_sector, nr_sectors, what);
}

KTEST(lab5_blk_ok)
{
	struct koan_blkif_request r;

	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 10);
	expect_ok(&r, 1010, 8, "a read of one page at sector 10");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 7, 10);
	expect_ok(&r, 1010, 8, "a write of one page at sector 10");
	r = request(KOAN_BLKIF_OP_WRITE_BARRIER, 1, 0, 7, 0);
	expect_ok(&r, 1000, 8, "a barrier write of one page at sector 0");
	r = request(KOAN_BLKIF_OP_READ, 1, 3, 3, 0);
	expect_ok(&r, 1000, 1, "a read of one sector");
	r = request(KOAN_BLKIF_OP_READ, 1, 7, 7, 99);
	expect_ok(&r, 1099, 1, "a read of the region's last sector");
	/* The sectors of every segment, summed. */
	r = request(KOAN_BLKIF_OP_READ, 3, 0, 7, 20);
	r.seg[1].first_sect = 2, r.seg[1].last_sect = 5;
	r.seg[2].first_sect = 4, r.seg[2].last_sect = 4;
	expect_ok(&r, 1020, 13, "a read of 8 + 4 + 1 sectors");
	r = request(KOAN_BLKIF_OP_WRITE, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 5);
	expect_ok(&r, 1005, 88, "a write of 11 full pages");
	r = request(KOAN_BLKIF_OP_WRITE, KOAN_BLKIF_MAX_SEGMENTS, 1, 6, 0);
	expect_ok(&r, 1000, 66, "a write of 11 segments of 6 sectors");
	/* Segments past nr_segments are not the request's. */
	r = request(KOAN_BLKIF_OP_READ, 2, 0, 7, 0);
	r.seg[2].first_sect = 7, r.seg[2].last_sect = 0;
	r.seg[10].last_sect = 200;
	expect_ok(&r, 1000, 16, "a read of 2 segments, garbage in the third");
	/* Another region: the same request lands elsewhere on the disk. */
	const struct vbd_region far = { .start = 0x100000000ull, .sectors = 1u << 20 };
	r = request(KOAN_BLKIF_OP_READ, 2, 0, 7, 12345);
	expect_ok_in(&r, &far, 0x100000000ull + 12345, 16, "a read in a region past 2^32 sectors");
	ck_assert_str_eq(blk_problem_name(BLK_PAST_END), "past-end");
}

KTEST(lab5_blk_bad_operation)
{
	struct koan_blkif_request r;

	for (unsigned op = 0; op < 256; op++) {
		r = request((uint8_t)op, op == KOAN_BLKIF_OP_FLUSH_DISKCACHE ? 0 : 1, 0, 7, 0);
		enum blk_problem got = check_in(&r, &region);
		bool known = op <= KOAN_BLKIF_OP_FLUSH_DISKCACHE;
		ck_assert_msg(known ? got == BLK_OK : got == BLK_BAD_OPERATION,
			      "operation %u: %s, expected %s", op, blk_problem_name(got),
			      known ? "ok" : "bad-operation");
	}
}

KTEST(lab5_blk_bad_handle)
{
	struct koan_blkif_request r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 0);

	expect_ok(&r, 1000, 8, "a read of device 0");
	r.handle = 1;
	expect_refused(&r, BLK_BAD_HANDLE, "a read of device 1");
	r.handle = 0x100;
	expect_refused(&r, BLK_BAD_HANDLE, "a read of device 256");
	r.handle = 0xFFFF;
	expect_refused(&r, BLK_BAD_HANDLE, "a read of device 65535");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	r.handle = 2;
	expect_refused(&r, BLK_BAD_HANDLE, "a flush of device 2");
}

KTEST(lab5_blk_bad_segments)
{
	struct koan_blkif_request r;

	r = request(KOAN_BLKIF_OP_READ, 0, 0, 7, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a read of 0 segments");
	r = request(KOAN_BLKIF_OP_WRITE, 0, 0, 7, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a write of 0 segments");
	r = request(KOAN_BLKIF_OP_WRITE_BARRIER, 0, 0, 7, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a barrier write of 0 segments");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 1, 0, 7, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a flush with a segment");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a flush with 11 segments");
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS, 0, 0, 0);
	expect_ok(&r, 1000, 11, "a read of 11 segments");
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS + 1, 0, 0, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a read of 12 segments");
	r = request(KOAN_BLKIF_OP_WRITE, KOAN_BLKIF_MAX_SEGMENTS + 1, 0, 0, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a write of 12 segments");
	r = request(KOAN_BLKIF_OP_WRITE, 128, 0, 0, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a write of 128 segments");
	r = request(KOAN_BLKIF_OP_READ, 255, 0, 0, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a read of 255 segments");
}

KTEST(lab5_blk_bad_sectors)
{
	struct koan_blkif_request r;

	r = request(KOAN_BLKIF_OP_READ, 1, 7, 7, 0);
	expect_ok(&r, 1000, 1, "a read of sector 7 of a page");
	r = request(KOAN_BLKIF_OP_READ, 1, 3, 2, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with first 3, last 2");
	r = request(KOAN_BLKIF_OP_READ, 1, 7, 0, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with first 7, last 0");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 8, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with last 8");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 8, 8, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with first 8, last 8");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 255, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with last 255");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 200, 255, 0);
	expect_refused(&r, BLK_BAD_SECTORS, "a segment with first 200, last 255");
	/* In any segment, the last included. */
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 0);
	r.seg[KOAN_BLKIF_MAX_SEGMENTS - 1].last_sect = 8;
	expect_refused(&r, BLK_BAD_SECTORS, "the 11th of 11 segments with last 8");
	r = request(KOAN_BLKIF_OP_READ, 4, 0, 7, 0);
	r.seg[2].first_sect = 5, r.seg[2].last_sect = 4;
	expect_refused(&r, BLK_BAD_SECTORS, "the 3rd of 4 segments with first 5, last 4");
}

KTEST(lab5_blk_past_end)
{
	struct koan_blkif_request r;

	/* Exactly up to the region's end: fine. One sector more: not. */
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 92);
	expect_ok(&r, 1092, 8, "8 sectors ending at the region's end");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 93);
	expect_refused(&r, BLK_PAST_END, "8 sectors, one past the region's end");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 0, 99);
	expect_ok(&r, 1099, 1, "the region's last sector");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 0, 100);
	expect_refused(&r, BLK_PAST_END, "the sector after the region");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 7, 100);
	expect_refused(&r, BLK_PAST_END, "a page after the region");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 0, 7, 1000);
	expect_refused(&r, BLK_PAST_END, "a page far after the region");
	/* Summed over the segments: 10 * 8 + 4 from sector 16 fits, from 17 not. */
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 16);
	r.seg[10].first_sect = 0, r.seg[10].last_sect = 3;
	expect_ok(&r, 1016, 84, "84 sectors ending at the region's end");
	r.sector_number = 17;
	expect_refused(&r, BLK_PAST_END, "84 sectors, one past the region's end");
	/* A region exactly as large as the largest request. */
	const struct vbd_region exact = { .start = 5, .sectors = 88 };
	const struct vbd_region small = { .start = 5, .sectors = 87 };
	r = request(KOAN_BLKIF_OP_WRITE, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 0);
	expect_ok_in(&r, &exact, 5, 88, "88 sectors in a region of 88");
	expect_problem(&r, &small, BLK_PAST_END, "88 sectors in a region of 87");
	/* A sector_number so large that adding the sectors wraps past 2^64. */
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, UINT64_MAX - 3);
	expect_refused(&r, BLK_PAST_END, "sector 2^64 - 4 (8 sectors: the sum wraps to 4)");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, UINT64_MAX - 7);
	expect_refused(&r, BLK_PAST_END, "sector 2^64 - 8 (8 sectors: the sum wraps to 0)");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 0, UINT64_MAX);
	expect_refused(&r, BLK_PAST_END, "sector 2^64 - 1");
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, UINT64_MAX - 40);
	expect_refused(&r, BLK_PAST_END, "sector 2^64 - 41 (88 sectors)");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 0x8000000000000000ull);
	expect_refused(&r, BLK_PAST_END, "sector 2^63");
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, 0x100000000ull + 10);
	expect_refused(&r, BLK_PAST_END, "sector 2^32 + 10");
	/* And a region reaching the disk's last sectors. */
	const struct vbd_region top = { .start = 0, .sectors = UINT64_MAX };
	r = request(KOAN_BLKIF_OP_READ, 1, 0, 7, UINT64_MAX - 8);
	expect_ok_in(&r, &top, UINT64_MAX - 8, 8, "the last 8 sectors of a region of 2^64 - 1");
	r.sector_number = UINT64_MAX - 7;
	expect_problem(&r, &top, BLK_PAST_END, "8 sectors past a region of 2^64 - 1");
}

KTEST(lab5_blk_order)
{
	struct koan_blkif_request r;

	/* Bad operation first, whatever else is wrong. */
	r = request(9, 0, 8, 2, UINT64_MAX);
	r.handle = 3;
	expect_refused(&r, BLK_BAD_OPERATION, "everything wrong");
	/* Then the handle. */
	r = request(KOAN_BLKIF_OP_READ, 0, 8, 2, UINT64_MAX);
	r.handle = 3;
	expect_refused(&r, BLK_BAD_HANDLE, "a bad handle, no segments, past the end");
	r = request(KOAN_BLKIF_OP_WRITE, 1, 5, 2, 1000);
	r.handle = 1;
	expect_refused(&r, BLK_BAD_HANDLE, "a bad handle, bad sectors, past the end");
	/* Then the number of segments. */
	r = request(KOAN_BLKIF_OP_READ, KOAN_BLKIF_MAX_SEGMENTS + 1, 8, 2, UINT64_MAX);
	expect_refused(&r, BLK_BAD_SEGMENTS, "12 segments of bad sectors, past the end");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 2, 8, 2, UINT64_MAX);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a flush with bad segments, past the end");
	/* Then the sectors of each segment, then the region. */
	r = request(KOAN_BLKIF_OP_READ, 2, 0, 7, UINT64_MAX - 3);
	r.seg[1].last_sect = 9;
	expect_refused(&r, BLK_BAD_SECTORS, "bad sectors in the second segment, past the end");
	r = request(KOAN_BLKIF_OP_WRITE, KOAN_BLKIF_MAX_SEGMENTS, 0, 7, 50);
	r.seg[10].first_sect = 6, r.seg[10].last_sect = 5;
	expect_refused(&r, BLK_BAD_SECTORS, "bad sectors in the 11th segment, past the end");
}

KTEST(lab5_blk_flush)
{
	struct koan_blkif_request r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 7, 0);

	/* No segments, nothing moved: 0 sectors (the output set, not left). */
	expect_ok(&r, 1000, 0, "a flush");
	r.seg[0].last_sect = 200; /* not part of a flush */
	expect_ok(&r, 1000, 0, "a flush with garbage in its unused segments");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, 0);
	const struct vbd_region other = { .start = 4096, .sectors = 8 };
	expect_ok_in(&r, &other, 4096, 0, "a flush in another region");
	/* Its 0 sectors at the region's end reach exactly the end: fine. */
	r.sector_number = 8;
	expect_ok_in(&r, &other, 4096 + 8, 0, "a flush at sector_number = the region's size");
	r = request(KOAN_BLKIF_OP_FLUSH_DISKCACHE, 1, 0, 0, 0);
	expect_refused(&r, BLK_BAD_SEGMENTS, "a flush with a segment");
}
