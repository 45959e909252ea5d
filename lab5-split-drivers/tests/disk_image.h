/*
 * Lab 5's tests give the machine a disk (a raw image in the scenario's
 * folder, filled with a known blank pattern), and read it back from the
 * host when the run is over: what the guests say they wrote must be there,
 * where they say, and nothing anywhere else.
 */
#ifndef KOAN_LAB5_DISK_IMAGE_H
#define KOAN_LAB5_DISK_IMAGE_H

#include <stdint.h>

#include "scenario.h"

#define DISK_SECTORS 8192u /* 4 MB */

/* A blank image as the scenario's first disk. */
void disk_attach(struct scenario *sc);
/* The image as the run left it (whole; aborts the test if it cannot). */
const uint8_t *disk_read(const struct scenario *sc);
/* Fail the run unless disk sectors first .. first + n - 1 hold the
 * pattern `seed` of the frontend's sectors fe_first ... */
void expect_disk_pattern(const struct run *r, const uint8_t *img, uint32_t first, uint32_t n,
			 uint32_t seed, uint32_t fe_first);
/* ... or are still blank. */
void expect_disk_blank(const struct run *r, const uint8_t *img, uint32_t first, uint32_t n);
/* Does sector `s` of img hold pattern `seed` of frontend sector fe? blank? */
int disk_sector_is(const uint8_t *img, uint32_t s, uint32_t seed, uint32_t fe);
int disk_sector_blank(const uint8_t *img, uint32_t s);
/* A seed the guests cannot know in advance (never 0). */
uint32_t random_seed(void);

#endif
