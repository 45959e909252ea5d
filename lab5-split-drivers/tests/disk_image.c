/* The disk image of lab 5's tests (disk_image.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab5-split-drivers/guest/include/blkpattern.h"
#include "disk_image.h"
#include "expect.h"
#include "koan_test.h"

#define SECTOR 512u

void disk_attach(struct scenario *sc)
{
	static uint8_t img[DISK_SECTORS * SECTOR];

	for (uint32_t s = 0; s < DISK_SECTORS; s++)
		for (uint32_t i = 0; i < SECTOR; i++)
			img[s * SECTOR + i] = blkpattern_blank(s, i);
	scenario_write_file(sc, "disk.img", img, sizeof(img));
	sc->disk = "disk.img";
}

const uint8_t *disk_read(const struct scenario *sc)
{
	static uint8_t img[DISK_SECTORS * SECTOR];
	char path[512];

	snprintf(path, sizeof(path), "%s/disk.img", sc->dir);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "the disk image %s is gone", path);
	size_t n = fread(img, 1, sizeof(img), f);
	fclose(f);
	ck_assert_msg(n == sizeof(img), "the disk image is %zu bytes, not %zu", n, sizeof(img));
	return img;
}

int disk_sector_is(const uint8_t *img, uint32_t s, uint32_t seed, uint32_t fe)
{
	uint32_t want[BLKPATTERN_SECTOR_WORDS];

	blkpattern_fill(want, seed, fe);
	return memcmp(img + (size_t)s * SECTOR, want, SECTOR) == 0;
}

int disk_sector_blank(const uint8_t *img, uint32_t s)
{
	for (uint32_t i = 0; i < SECTOR; i++)
		if (img[(size_t)s * SECTOR + i] != blkpattern_blank(s, i))
			return 0;
	return 1;
}

/* What a wrong sector holds, in words a student can act on. */
static void describe(const uint8_t *img, uint32_t s, char *buf, size_t size)
{
	uint32_t w[2];

	memcpy(w, img + (size_t)s * SECTOR, sizeof(w));
	if (disk_sector_blank(img, s))
		snprintf(buf, size, "it was never written");
	else
		snprintf(buf, size,
			 "it starts %08x %08x (a pattern's sector number, then its seed)", w[0],
			 w[1]);
}

void expect_disk_pattern(const struct run *r, const uint8_t *img, uint32_t first, uint32_t n,
			 uint32_t seed, uint32_t fe_first)
{
	for (uint32_t i = 0; i < n; i++) {
		if (disk_sector_is(img, first + i, seed, fe_first + i))
			continue;
		char what[96];
		describe(img, first + i, what, sizeof(what));
		run_fail(
			r,
			"disk sector %u (the frontend's sector %u) does not hold what the frontend "
			"wrote there (seed %08x): %s",
			first + i, fe_first + i, seed, what);
	}
}

void expect_disk_blank(const struct run *r, const uint8_t *img, uint32_t first, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!disk_sector_blank(img, first + i)) {
			char what[96];
			describe(img, first + i, what, sizeof(what));
			run_fail(r,
				 "disk sector %u lies outside what any frontend wrote, yet it was "
				 "written: %s",
				 first + i, what);
		}
}

uint32_t random_seed(void)
{
	return (uint32_t)strtoul(random_token(), NULL, 16) | 1u;
}
