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
	//   In: a base, a limit (the last valid offset), a kind and a DPL (0-3).
	//   Out: the descriptor of a present, 32-bit (D/B) code or data segment
	//   (S set, type SEGDESC_TYPE_CODE or SEGDESC_TYPE_DATA) with them, laid
	//   out as the figure above shows. A limit above 0xFFFFF is held in 4 KB
	//   units with G set (so its low 12 bits must be ones), any other exactly.
	uint64_t d = place_base(base) | DESC_S | DESC_P | DESC_DB;
	unsigned type = kind == SEG_CODE ? SEGDESC_TYPE_CODE : SEGDESC_TYPE_DATA;

	if (limit > 0xFFFFF)
		d |= DESC_G | place_limit20(limit >> 12);
	else
		d |= place_limit20(limit);
	d |= (uint64_t)(dpl & 3) << 45;
	d |= (uint64_t)type << 40;
	return d;
	// STUB
	//> EXERCISE_TODO("lab1.3", "segdesc_make() in hv/segdesc.c does not encode descriptors yet");
	//> (void)base, (void)limit, (void)kind, (void)dpl;
	//> (void)place_base, (void)place_limit20;
	//> return 0;
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
	// BEGIN EXERCISE lab1.11: what a guest segment may be (lab1-boot/README.md, Exercise 3)
	//   In: a descriptor, the kind (code or data) and DPL it should have. Out:
	//   NULL when it is a present, 32-bit code or data descriptor (not a
	//   system one) of that kind and DPL, with base 0 and a limit that ends
	//   at or below KOAN_GUEST_SEG_LIMIT; else a short reason, one for each
	//   of those conditions (the first that fails, in that order). The
	//   accessed bit of the type, which the CPU sets, does not matter.
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
	// STUB
	//> EXERCISE_TODO("lab1.11", "segdesc_check_guest() in hv/segdesc.c checks nothing yet");
	//> (void)desc, (void)kind, (void)dpl;
	//> return "not checked (Exercise 3 is not done)";
	// END EXERCISE
}
