/*
 * The patterns the block tests write (lab 5), shared by the guest programs
 * and the grader, which checks the disk image from the host afterwards: a
 * sector's content is a function of a seed and the sector's number, so
 * that a sector written to the wrong place, or not at all, shows.
 */
#ifndef KOAN_BLKPATTERN_H
#define KOAN_BLKPATTERN_H

#include <stdint.h>

#define BLKPATTERN_SECTOR_WORDS 128u

/* Word w of sector `sector` written with `seed`: the first two words say
 * which sector and seed, the rest are a xorshift sequence of both. */
static inline void blkpattern_fill(uint32_t *words, uint32_t seed, uint32_t sector)
{
	uint32_t x = seed ^ (sector * 2654435761u) ^ 0x9E3779B9u;

	words[0] = sector;
	words[1] = seed;
	for (unsigned w = 2; w < BLKPATTERN_SECTOR_WORDS; w++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		words[w] = x ? x : 1;
	}
}

/* The seed of the i-th write of a random run seeded `seed`. */
static inline uint32_t blkpattern_write_seed(uint32_t seed, uint32_t i)
{
	return seed * 31u + i + 1u;
}

/* The random run's choice of sector for write i: the run's xorshift32
 * state advanced once per write, starting from the seed (never 0). */
static inline uint32_t blkpattern_next(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* What the grader fills an image with before a run, so that an untouched
 * sector is told from a written one: byte i of sector s. */
static inline uint8_t blkpattern_blank(uint32_t sector, uint32_t i)
{
	return (uint8_t)(0xA5u ^ sector ^ (i * 7u));
}

#endif
