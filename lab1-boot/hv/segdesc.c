/*
 * Building and checking segment descriptors. A descriptor scatters its base
 * and limit over the 8 bytes for backward compatibility with the 80286:
 *
 *  63      56 55 54 53 52 51   48 47 46 45 44 43  40 39      32
 * +----------+--+--+--+--+-------+--+-----+--+------+----------+
 * |base 31:24| G|DB| L|AV|lim19:16| P| DPL | S| type |base 23:16|
 * +----------+--+--+--+--+-------+--+-----+--+------+----------+
 *  31                          16 15                          0
 * +-----------------------------+-----------------------------+
 * |         base 15:0           |         limit 15:0          |
 * +-----------------------------+-----------------------------+
 */
#include <koan/exercise.h>
#include <koan/segdesc.h>
#include <public/layout.h>

#define DESC_S (1ull << 44)
#define DESC_P (1ull << 47)
#define DESC_DB (1ull << 54)
#define DESC_G (1ull << 55)

static uint64_t place_base(uint32_t base)
{
	return ((uint64_t)(base & 0xFFFF) << 16) | ((uint64_t)((base >> 16) & 0xFF) << 32) |
	       ((uint64_t)(base >> 24) << 56);
}

static uint64_t place_limit20(uint32_t limit20)
{
	return (uint64_t)(limit20 & 0xFFFF) | ((uint64_t)((limit20 >> 16) & 0xF) << 48);
}

uint64_t segdesc_make(uint32_t base, uint32_t limit, enum seg_kind kind, unsigned dpl)
{
	// BEGIN EXERCISE lab1.3: encode a segment descriptor (lab1-boot/README.md, Exercise 3)
	//   Use place_base() and place_limit20(). A limit that does not fit in 20
	//   bits must be stored in 4 KB units with the G bit set. Set S (code or
	//   data, not system), P, D/B (32-bit), the DPL in bits 45-46 and the
	//   type SEGDESC_TYPE_CODE or SEGDESC_TYPE_DATA in bits 40-43.
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab1.3", "segdesc_make() in hv/segdesc.c does not encode descriptors yet");
	(void)base, (void)limit, (void)kind, (void)dpl;
	(void)place_base, (void)place_limit20;
	return 0;
	// END EXERCISE
}

uint64_t segdesc_make_tss(uint32_t base, uint32_t limit)
{
	return place_base(base) | place_limit20(limit) | DESC_P |
	       ((uint64_t)SEGDESC_TYPE_TSS32 << 40);
}

struct segdesc_fields segdesc_decode(uint64_t d)
{
	struct segdesc_fields f;
	uint32_t limit20 = (uint32_t)(d & 0xFFFF) | (uint32_t)((d >> 48) & 0xF) << 16;

	f.base = (uint32_t)((d >> 16) & 0xFFFF) | (uint32_t)((d >> 32) & 0xFF) << 16 |
		 (uint32_t)(d >> 56) << 24;
	f.granular = (d & DESC_G) != 0;
	f.limit = f.granular ? (limit20 << 12) | 0xFFF : limit20;
	f.type = (unsigned)(d >> 40) & 0xF;
	f.system = (d & DESC_S) == 0;
	f.dpl = (unsigned)(d >> 45) & 3;
	f.present = (d & DESC_P) != 0;
	f.big = (d & DESC_DB) != 0;
	return f;
}

const char *segdesc_check_guest(uint64_t desc, enum seg_kind kind, unsigned dpl)
{
	struct segdesc_fields f = segdesc_decode(desc);
	unsigned want_type = kind == SEG_CODE ? SEGDESC_TYPE_CODE : SEGDESC_TYPE_DATA;

	if (!f.present)
		return "not present";
	if (f.system)
		return "a system descriptor, not code or data";
	if ((f.type & 0xE) != (want_type & 0xE)) /* bit 0 is the CPU's "accessed" flag */
		return "wrong type";
	if (f.dpl != dpl)
		return "wrong privilege level (DPL)";
	if (!f.big)
		return "not a 32-bit segment";
	if (f.base != 0)
		return "base is not 0";
	if (f.limit > KOAN_GUEST_SEG_LIMIT)
		return "limit reaches into the hypervisor's 64 MB";
	return 0;
}
