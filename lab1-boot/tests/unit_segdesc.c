/*
 * Lab 1, Exercise 3: segment descriptors. The expected descriptor is built
 * here byte by byte, the way the SDM's figure 3-8 draws it, which is a
 * different route from the shifts of hv/segdesc.c.
 */
#include <stdlib.h>
#include <unistd.h>

#include <koan/segdesc.h>
#include <public/layout.h>

#include "koan_test.h"

static uint64_t reference(uint32_t base, uint32_t limit, enum seg_kind kind, unsigned dpl)
{
	uint8_t b[8];
	int g = limit > 0xFFFFF;
	uint32_t l = g ? limit >> 12 : limit;
	uint64_t d = 0;

	b[0] = l & 0xFF;
	b[1] = (l >> 8) & 0xFF;
	b[2] = base & 0xFF;
	b[3] = (base >> 8) & 0xFF;
	b[4] = (base >> 16) & 0xFF;
	b[5] = (uint8_t)(0x80 | dpl << 5 | 0x10 |
			 (kind == SEG_CODE ? 0xA : 0x2));	     /* P DPL S type */
	b[6] = (uint8_t)((g ? 0x80 : 0) | 0x40 | ((l >> 16) & 0xF)); /* G D/B limit */
	b[7] = (base >> 24) & 0xFF;
	for (int i = 7; i >= 0; i--)
		d = d << 8 | b[i];
	return d;
}

static void check_one(uint32_t base, uint32_t limit, enum seg_kind kind, unsigned dpl)
{
	uint64_t got = segdesc_make(base, limit, kind, dpl);
	uint64_t want = reference(base, limit, kind, dpl);

	ck_assert_msg(
		got == want,
		"segdesc_make(base 0x%x, limit 0x%x, %s, dpl %u) = 0x%016llx, expected 0x%016llx",
		base, limit, kind == SEG_CODE ? "code" : "data", dpl, (unsigned long long)got,
		(unsigned long long)want);
}

KTEST(lab1_segdesc_encode)
{
	srand((unsigned)getpid());
	check_one(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 1);
	check_one(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 3);
	check_one(0x12345678, 0xFFFFF, SEG_DATA, 0);  /* the largest byte-granular limit */
	check_one(0x00100000, 0x100FFF, SEG_CODE, 2); /* the smallest page-granular one */
	for (int i = 0; i < 500; i++) {
		uint32_t base = (uint32_t)rand() * 7919u;
		uint32_t limit = (rand() & 1) ? (uint32_t)rand() % 0x100000
					      : ((uint32_t)rand() << 12) | 0xFFF;
		check_one(base, limit, rand() & 1 ? SEG_CODE : SEG_DATA, (unsigned)rand() % 4);
	}
}

KTEST(lab1_segdesc_guest_check)
{
	/* What gdt.c builds for guests must pass the hypervisor's own check... */
	ck_assert_ptr_null(segdesc_check_guest(segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 1),
					       SEG_CODE, 1));
	ck_assert_ptr_null(segdesc_check_guest(segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 3),
					       SEG_DATA, 3));
	/* ...and what would let a guest reach the hypervisor must not. */
	ck_assert_ptr_nonnull(
		segdesc_check_guest(segdesc_make(0, 0xFFFFFFFF, SEG_DATA, 1), SEG_DATA, 1));
	ck_assert_ptr_nonnull(segdesc_check_guest(
		segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 0), SEG_CODE, 1));
	ck_assert_ptr_nonnull(segdesc_check_guest(
		segdesc_make(0x1000, KOAN_GUEST_SEG_LIMIT - 0x1000, SEG_DATA, 1), SEG_DATA, 1));
	ck_assert_ptr_nonnull(segdesc_check_guest(0, SEG_DATA, 1));
	struct segdesc_fields f =
		segdesc_decode(segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 1));
	ck_assert_uint_eq(f.limit, KOAN_GUEST_SEG_LIMIT);
	ck_assert(f.granular && f.present && f.big && !f.system);
}

/* Each rule of a guest segment on its own: a descriptor that breaks one
 * rule and keeps the others is refused; the edges of the limit and the
 * accessed bit are fine. */
KTEST(lab1_segdesc_guest_rules)
{
	const uint64_t P = 1ull << 47, S = 1ull << 44, DB = 1ull << 54, ACCESSED = 1ull << 40;
	uint64_t code1 = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 1);
	uint64_t data3 = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 3);

	ck_assert_ptr_null(segdesc_check_guest(code1, SEG_CODE, 1));
	ck_assert_ptr_null(segdesc_check_guest(data3, SEG_DATA, 3));
	ck_assert_msg(
		!segdesc_check_guest(code1 | ACCESSED, SEG_CODE, 1) &&
			!segdesc_check_guest(code1 & ~ACCESSED, SEG_CODE, 1) &&
			!segdesc_check_guest(data3 & ~ACCESSED, SEG_DATA, 3),
		"the accessed bit (set by the CPU), set or clear, made a good descriptor bad");
	ck_assert_msg(!segdesc_check_guest(segdesc_make(0, 0x3FFFFFF, SEG_DATA, 1), SEG_DATA, 1),
		      "a limit below KOAN_GUEST_SEG_LIMIT was refused");
	struct {
		uint64_t desc;
		enum seg_kind kind;
		unsigned dpl;
		const char *what;
	} bad[] = {
		{ code1 & ~P, SEG_CODE, 1, "not present" },
		{ code1 & ~S, SEG_CODE, 1, "a system descriptor" },
		{ code1, SEG_DATA, 1, "code where data is wanted" },
		{ data3, SEG_CODE, 3, "data where code is wanted" },
		{ code1, SEG_CODE, 0, "DPL 1 where 0 is wanted" },
		{ data3, SEG_DATA, 1, "DPL 3 where 1 is wanted" },
		{ code1 & ~DB, SEG_CODE, 1, "a 16-bit segment" },
		{ segdesc_make(0x1000, KOAN_GUEST_SEG_LIMIT - 0x1000, SEG_DATA, 1), SEG_DATA, 1,
		  "base 0x1000" },
		{ segdesc_make(0x1000000, 0xFFF, SEG_DATA, 1), SEG_DATA, 1,
		  "a small segment at 16 MB" },
		{ segdesc_make(0, KOAN_GUEST_SEG_LIMIT + 0x1000, SEG_CODE, 1), SEG_CODE, 1,
		  "a limit one page into the hypervisor" },
		{ segdesc_make(0, 0xFFFFFFFF, SEG_DATA, 3), SEG_DATA, 3, "a 4 GB segment" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(segdesc_check_guest(bad[i].desc, bad[i].kind, bad[i].dpl) != NULL,
			      "%s was accepted as a guest segment", bad[i].what);
}
