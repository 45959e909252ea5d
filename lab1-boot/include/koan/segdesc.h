/*
 * Segment descriptors: encoding and checking (Intel SDM Vol. 3A, 3.4.5,
 * "Segment Descriptors"). Pure C, unit-tested on the host; gdt.c loads them.
 */
#ifndef KOAN_SEGDESC_H
#define KOAN_SEGDESC_H

#include <stdbool.h>
#include <stdint.h>

enum seg_kind {
	SEG_CODE, /* execute/read code segment, type 0xA */
	SEG_DATA, /* read/write data segment, type 0x2 */
};

#define SEGDESC_TYPE_CODE 0xAu
#define SEGDESC_TYPE_DATA 0x2u
#define SEGDESC_TYPE_TSS32 0x9u /* 32-bit TSS, available */

/*
 * A code or data descriptor for [base, base + limit] (limit in bytes, so a
 * 4 GB segment has limit 0xFFFFFFFF) with privilege level `dpl`, present,
 * 32-bit. Limits above 0xFFFFF are stored in 4 KB units (G = 1); the low 12
 * bits of such a limit are then implied to be all ones.
 */
uint64_t segdesc_make(uint32_t base, uint32_t limit, enum seg_kind kind, unsigned dpl);

/* A 32-bit available TSS descriptor, DPL 0, byte granular. */
uint64_t segdesc_make_tss(uint32_t base, uint32_t limit);

struct segdesc_fields {
	uint32_t base;
	uint32_t limit; /* in bytes, granularity applied */
	unsigned type;	/* 4 bits */
	bool system;	/* S = 0: system segment (TSS, gates) */
	unsigned dpl;
	bool present;
	bool big;      /* D/B: 32-bit */
	bool granular; /* G: limit in 4 KB units */
};

struct segdesc_fields segdesc_decode(uint64_t desc);

/*
 * The hypervisor's own check of a descriptor it is about to hand a guest:
 * present, the expected kind and DPL, base 0, and a limit that ends below
 * KOAN_HV_START. Returns NULL if fine, or what is wrong.
 */
const char *segdesc_check_guest(uint64_t desc, enum seg_kind kind, unsigned dpl);

#endif
