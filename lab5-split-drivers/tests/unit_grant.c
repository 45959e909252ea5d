/*
 * Lab 5, Exercise 2: the rules of grant mappings (hv/grant_rules.c), on
 * lab 2's fake machine of 64 frames (frames 0..39 are DOM's, the granter
 * here; 40..47 OTHER's; 48..55 the hypervisor's; 56..63 free). A mapping
 * holds a pin and its page-table entry's references; a refused one holds
 * nothing, and the last release leaves the frame with no reference at all:
 * a count off by one either way is a frame freed while mapped, or never.
 */
#include <string.h>

#include <koan/frametab.h>
#include <koan/grant.h>
#include <koan/grant_audit.h>
#include <koan/pte.h>
#include <public/grant_table.h>

#include "koan_test.h"
#include "lab2-paging/tests/fake_machine.h"

static struct page_info want[NR_FRAMES];

static void snapshot(void)
{
	memcpy(want, pages, sizeof(want));
}

static void expect_frame(uint32_t f, enum page_type type, uint32_t type_count, uint32_t ref_count,
			 const char *when)
{
	want[f].type = (uint8_t)type;
	want[f].type_count = type_count;
	want[f].ref_count = ref_count;
	expect_pages(want, when);
}

static void take_ok(uint32_t frame, bool writable, const char *what)
{
	int st = grant_take_frame(&ft, DOM, frame, writable);
	ck_assert_msg(st == KOAN_GNTST_OKAY, "%s: grant_take_frame of frame %u (%s) says %d", what,
		      frame, writable ? "writable" : "read-only", st);
}

static void take_refused(uint32_t frame, bool writable, const char *what)
{
	snapshot();
	int st = grant_take_frame(&ft, DOM, frame, writable);
	ck_assert_msg(st == KOAN_GNTST_BAD_PAGE,
		      "%s: grant_take_frame of frame %#x (%s) says %d, expected BAD_PAGE (%d)",
		      what, frame, writable ? "writable" : "read-only", st, KOAN_GNTST_BAD_PAGE);
	expect_pages(want, what); /* nothing held after a refusal */
}

static struct koan_grant_entry entry(uint16_t flags, uint16_t domid)
{
	return (struct koan_grant_entry){ .flags = flags, .domid = domid, .frame = 7 };
}

KTEST(lab5_grant_check_entry)
{
	const uint16_t ro = KOAN_GTF_PERMIT_ACCESS | KOAN_GTF_READONLY;
	struct koan_grant_entry e;

	/* Granted to domain 3, read-write: it may read and write. */
	e = entry(KOAN_GTF_PERMIT_ACCESS, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_OKAY);
	ck_assert_int_eq(grant_check_entry(&e, 3, true), KOAN_GNTST_OKAY);
	/* The hypervisor's own bits do not change that. */
	e = entry(KOAN_GTF_PERMIT_ACCESS | KOAN_GTF_READING | KOAN_GTF_WRITING, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, true), KOAN_GNTST_OKAY);
	/* Read-only: reading yes, writing no. */
	e = entry(ro, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_OKAY);
	ck_assert_int_eq(grant_check_entry(&e, 3, true), KOAN_GNTST_PERMISSION_DENIED);
	e = entry(ro | KOAN_GTF_READING, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_OKAY);
	ck_assert_int_eq(grant_check_entry(&e, 3, true), KOAN_GNTST_PERMISSION_DENIED);
	/* Granted to someone else: not this domain's grant, read or write. */
	e = entry(KOAN_GTF_PERMIT_ACCESS, 3);
	ck_assert_int_eq(grant_check_entry(&e, 4, false), KOAN_GNTST_BAD_GNTREF);
	ck_assert_int_eq(grant_check_entry(&e, 4, true), KOAN_GNTST_BAD_GNTREF);
	ck_assert_int_eq(grant_check_entry(&e, 0, false), KOAN_GNTST_BAD_GNTREF);
	ck_assert_int_eq(grant_check_entry(&e, 3 + 0x100, false), KOAN_GNTST_BAD_GNTREF);
	e = entry(ro, 3);
	ck_assert_int_eq(grant_check_entry(&e, 4, true), KOAN_GNTST_BAD_GNTREF);
	/* Not a permit-access entry: invalid, or another type. */
	e = entry(KOAN_GTF_INVALID, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_BAD_GNTREF);
	e = entry(KOAN_GTF_READONLY | KOAN_GTF_READING, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_BAD_GNTREF);
	e = entry(2, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_BAD_GNTREF);
	e = entry(3, 3); /* the permit-access bit, in another type */
	ck_assert_int_eq(grant_check_entry(&e, 3, false), KOAN_GNTST_BAD_GNTREF);
	e = entry(3 | KOAN_GTF_READONLY, 3);
	ck_assert_int_eq(grant_check_entry(&e, 3, true), KOAN_GNTST_BAD_GNTREF);
}

KTEST(lab5_grant_take_release)
{
	machine_init();
	snapshot();
	/* Read-only: the pin and the entry's reference, no type. */
	take_ok(7, false, "a read-only mapping");
	expect_frame(7, PGT_NONE, 0, 2, "after a read-only take");
	ck_assert_msg(grant_release_frame(&ft, 7, false, true),
		      "the last release of a frame did not say it is free");
	expect_frame(7, PGT_NONE, 0, 0, "after its release");
	/* Writable: a writable type reference as well. */
	take_ok(7, true, "a writable mapping");
	expect_frame(7, PGT_WRITABLE, 1, 2, "after a writable take");
	ck_assert(grant_release_frame(&ft, 7, true, true));
	expect_frame(7, PGT_NONE, 0, 0, "after its release");
	/* Two mappings of one frame: only the last release frees it. */
	take_ok(20, true, "a first writable mapping");
	take_ok(20, true, "a second writable mapping");
	expect_frame(20, PGT_WRITABLE, 2, 4, "after two writable takes");
	ck_assert_msg(!grant_release_frame(&ft, 20, true, true),
		      "a release said the frame is free while another mapping holds it");
	expect_frame(20, PGT_WRITABLE, 1, 2, "after one of two releases");
	ck_assert(grant_release_frame(&ft, 20, true, true));
	expect_frame(20, PGT_NONE, 0, 0, "after both releases");
	/* The granter's own hold is a reference too. */
	ck_assert(get_page(&ft, 0, DOM));
	take_ok(0, false, "a mapping of a frame the granter holds");
	expect_frame(0, PGT_NONE, 0, 3, "after the take");
	ck_assert_msg(!grant_release_frame(&ft, 0, false, true),
		      "a release said the frame is free while its owner holds it");
	expect_frame(0, PGT_NONE, 0, 1, "after the release");
	/* Any frame of the granter's, the last one included. */
	take_ok(FIRST_OTHER - 1, true, "the granter's last frame");
	expect_frame(FIRST_OTHER - 1, PGT_WRITABLE, 1, 2, "after the take");
	ck_assert(grant_release_frame(&ft, FIRST_OTHER - 1, true, true));
	expect_frame(FIRST_OTHER - 1, PGT_NONE, 0, 0, "after the release");
}

KTEST(lab5_grant_release_entry_gone)
{
	machine_init();
	snapshot();
	/* The mapper rewrote its page table: the entry's references went with
	 * the entry (put_l1e), only the pin is left for the release. */
	take_ok(11, true, "a writable mapping");
	put_l1e(&ft, grant_pte(11, true));
	expect_frame(11, PGT_NONE, 0, 1, "after the entry went");
	ck_assert_msg(grant_release_frame(&ft, 11, true, false),
		      "releasing the last pin did not say the frame is free");
	expect_frame(11, PGT_NONE, 0, 0, "after a release with the entry gone");
	/* The same, read-only. */
	take_ok(12, false, "a read-only mapping");
	put_l1e(&ft, grant_pte(12, false));
	ck_assert(grant_release_frame(&ft, 12, false, false));
	expect_frame(12, PGT_NONE, 0, 0, "after a read-only release with the entry gone");
	/* Two mappings, one entry gone: the other's references stay. */
	take_ok(13, true, "a first mapping");
	take_ok(13, true, "a second mapping");
	put_l1e(&ft, grant_pte(13, true));
	ck_assert(!grant_release_frame(&ft, 13, true, false));
	expect_frame(13, PGT_WRITABLE, 1, 2, "after releasing the mapping whose entry went");
	ck_assert(grant_release_frame(&ft, 13, true, true));
	expect_frame(13, PGT_NONE, 0, 0, "after releasing the other");
}

KTEST(lab5_grant_take_refused)
{
	machine_init();
	/* A page table of the granter's (empty, so it validates), pinned. */
	ck_assert(get_page_type(&ft, 9, PGT_L1, DOM));
	ck_assert(get_page(&ft, 9, DOM));
	/* A frame it already maps writable. */
	ck_assert(get_page(&ft, 14, DOM));
	ck_assert(get_page_type(&ft, 14, PGT_WRITABLE, DOM));
	snapshot();

	/* A page table may be granted read-only, never writable. */
	take_ok(9, false, "a read-only mapping of a page table");
	expect_frame(9, PGT_L1, 1, 3, "after a read-only take of a page table");
	ck_assert(!grant_release_frame(&ft, 9, false, true));
	expect_frame(9, PGT_L1, 1, 1, "after its release");
	take_refused(9, true, "a writable mapping of a page table");
	/* A frame mapped writable elsewhere may be mapped writable again. */
	take_ok(14, true, "a writable mapping of a frame already writable");
	expect_frame(14, PGT_WRITABLE, 2, 3, "after the take");
	ck_assert(!grant_release_frame(&ft, 14, true, true));
	expect_frame(14, PGT_WRITABLE, 1, 1, "after its release");

	/* Not the granter's: another domain's, the hypervisor's, a free one. */
	take_refused(FIRST_OTHER, false, "another domain's frame");
	take_refused(FIRST_OTHER + 3, true, "another domain's frame");
	take_refused(FIRST_HV, false, "a hypervisor frame");
	take_refused(FIRST_HV + 7, true, "a hypervisor frame");
	take_refused(FIRST_FREE, false, "a free frame");
	take_refused(NR_FRAMES - 1, true, "a free frame");
	/* No such frame, even one whose low bits name one of the granter's. */
	take_refused(NR_FRAMES, false, "a frame past the machine's");
	take_refused(NR_FRAMES, true, "a frame past the machine's");
	take_refused(0xFFFFFu, false, "a frame far past the machine's");
	take_refused(0x100000u + 5, true, "a frame past 2^20 (frame 5 in a page-table entry)");
	take_refused(0xFFFFFFFFu, false, "frame 0xFFFFFFFF");
}

KTEST(lab5_grant_map_alloc)
{
	static struct grant_maps m;

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(grant_map_alloc(&m), 0);
	m.map[0].used = true;
	ck_assert_int_eq(grant_map_alloc(&m), 1);
	m.map[1].used = m.map[2].used = true;
	ck_assert_int_eq(grant_map_alloc(&m), 3);
	m.map[1].used = false;
	ck_assert_int_eq(grant_map_alloc(&m), 1);
	m.map[0].used = false;
	ck_assert_int_eq(grant_map_alloc(&m), 0);
	for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++)
		m.map[h].used = true;
	ck_assert_int_eq(grant_map_alloc(&m), -1);
	m.map[KOAN_GNTTAB_MAX_MAPS - 1].used = false;
	ck_assert_int_eq(grant_map_alloc(&m), (int)KOAN_GNTTAB_MAX_MAPS - 1);
	m.map[40].used = false;
	ck_assert_int_eq(grant_map_alloc(&m), 40);
}

KTEST(lab5_grant_map_find)
{
	/* The table, and what lies past its end: a mapping-like record that
	 * handle 64 would find if it were one of the table's. */
	static struct {
		struct grant_maps m;
		struct grant_map past[4];
	} t;
	struct grant_maps *m = &t.m;

	memset(&t, 0, sizeof(t));
	m->map[5] = (struct grant_map){ .used = true, .host_addr = 0x400000, .frame = 7 };
	m->map[63] = (struct grant_map){ .used = true, .host_addr = 0x7FF000, .frame = 8 };
	m->map[6] = (struct grant_map){ .used = false, .host_addr = 0x400000 };
	for (unsigned i = 0; i < 4; i++)
		t.past[i] = (struct grant_map){ .used = true, .host_addr = 0x400000 };
	ck_assert_ptr_eq((void *)&m->map[KOAN_GNTTAB_MAX_MAPS], (void *)&t.past[0]);

	ck_assert_ptr_eq(grant_map_find(m, 5, 0x400000), &m->map[5]);
	ck_assert_ptr_eq(grant_map_find(m, 63, 0x7FF000), &m->map[63]);
	/* At another address: not that mapping. */
	ck_assert_ptr_null(grant_map_find(m, 5, 0x401000));
	ck_assert_ptr_null(grant_map_find(m, 5, 0));
	ck_assert_ptr_null(grant_map_find(m, 63, 0x400000));
	/* A handle not in use, even at the right address. */
	ck_assert_ptr_null(grant_map_find(m, 6, 0x400000));
	ck_assert_ptr_null(grant_map_find(m, 0, 0));
	ck_assert_ptr_null(grant_map_find(m, 4, 0x400000));
	/* Out of range: the table has handles 0 .. 63 only. */
	ck_assert_ptr_null(grant_map_find(m, KOAN_GNTTAB_MAX_MAPS, 0x400000));
	ck_assert_ptr_null(grant_map_find(m, KOAN_GNTTAB_MAX_MAPS + 1, 0x400000));
	ck_assert_ptr_null(grant_map_find(m, KOAN_GNTTAB_MAX_MAPS + 3, 0x400000));
	ck_assert_ptr_null(grant_map_find(m, 0xFFFFFFFFu, 0));
	ck_assert_ptr_null(grant_map_find(m, 0x80000005u, 0x400000));
}

KTEST(lab5_grant_flags_mapped)
{
	const uint16_t P = KOAN_GTF_PERMIT_ACCESS, RO = KOAN_GTF_READONLY;
	const uint16_t RD = KOAN_GTF_READING, WR = KOAN_GTF_WRITING;

	/* Mapped: reading, and writing for a writable mapping. */
	ck_assert_uint_eq(grant_flags_mapped(P, true, false), P | RD);
	ck_assert_uint_eq(grant_flags_mapped(P, true, true), P | RD | WR);
	ck_assert_uint_eq(grant_flags_mapped(P | RO, true, false), P | RO | RD);
	ck_assert_uint_eq(grant_flags_mapped(P | RD, true, true), P | RD | WR);
	ck_assert_uint_eq(grant_flags_mapped(P | RD | WR, true, false), P | RD);
	/* Unmapped: neither. */
	ck_assert_uint_eq(grant_flags_mapped(P | RD | WR, false, true), P);
	ck_assert_uint_eq(grant_flags_mapped(P | RD | WR, false, false), P);
	ck_assert_uint_eq(grant_flags_mapped(P | RO | RD, false, false), P | RO);
	ck_assert_uint_eq(grant_flags_mapped(P, false, false), P);
	/* No other bit changes, whatever the granter wrote. */
	ck_assert_uint_eq(grant_flags_mapped(0xFFE7u, true, true), 0xFFFFu);
	ck_assert_uint_eq(grant_flags_mapped(0xFFE7u, true, false), 0xFFEFu);
	ck_assert_uint_eq(grant_flags_mapped(0xFFFFu, false, true), 0xFFE7u);
	ck_assert_uint_eq(grant_flags_mapped(0xFFFFu, true, false), 0xFFEFu);
	ck_assert_uint_eq(grant_flags_mapped(0xA5A5u & (uint16_t) ~(RD | WR), true, true),
			  0xA5A5u | RD | WR);
	ck_assert_uint_eq(grant_flags_mapped(0, true, false), RD);
	ck_assert_uint_eq(grant_flags_mapped(0, false, true), 0);
}

/*
 * The machine-wide audit (hv/grant_audit.c) after a grant mapping: OTHER
 * maps DOM's frame 5 writable in its page table, frame 40. The recount
 * sees the entry's references; the pin is grant_table.c's to add
 * (grant_count_pins), here by hand.
 */
KTEST(lab5_frames_audit)
{
	static uint32_t refs[NR_FRAMES], types[NR_FRAMES];
	const uint32_t l1 = FIRST_OTHER, frame = 5;
	uint32_t first_bad = 999;

	machine_init();
	/* OTHER's page table, empty, pinned (the pin: a type and a general reference). */
	ck_assert(get_page_type(&ft, l1, PGT_L1, OTHER));
	ck_assert(get_page(&ft, l1, OTHER));
	pages[l1].flags |= PGF_PINNED;
	/* The grant mapping: its references, then its entry in the table. */
	ck_assert_int_eq(grant_take_frame(&ft, DOM, frame, true), KOAN_GNTST_OKAY);
	mem[l1][100] = grant_pte(frame, true);

	memset(refs, 0, sizeof(refs));
	memset(types, 0, sizeof(types));
	frames_recount(&ft, refs, types);
	ck_assert_uint_eq(refs[l1], 1);
	ck_assert_uint_eq(types[l1], 1);
	ck_assert_uint_eq(refs[frame], 1); /* the entry; not the pin */
	ck_assert_uint_eq(types[frame], 1);
	refs[frame]++; /* the pin, as grant_count_pins() counts it */
	ck_assert_uint_eq(frames_compare(&ft, refs, types, &first_bad), 0);

	/* A reference too many, then one too few: both seen, the first named. */
	pages[frame].ref_count++;
	ck_assert_uint_eq(frames_compare(&ft, refs, types, &first_bad), 1);
	ck_assert_uint_eq(first_bad, frame);
	pages[frame].ref_count -= 2;
	pages[30].type_count = 1; /* a type reference nothing holds */
	pages[30].type = PGT_WRITABLE;
	first_bad = 999;
	ck_assert_uint_eq(frames_compare(&ft, refs, types, &first_bad), 2);
	ck_assert_uint_eq(first_bad, frame);

	/* Released: the entry removed, the pin dropped, nothing left. */
	pages[frame].ref_count++;
	pages[30].type_count = 0;
	pages[30].type = PGT_NONE;
	mem[l1][100] = 0;
	ck_assert(grant_release_frame(&ft, frame, true, true));
	memset(refs, 0, sizeof(refs));
	memset(types, 0, sizeof(types));
	frames_recount(&ft, refs, types);
	ck_assert_uint_eq(frames_compare(&ft, refs, types, &first_bad), 0);
	ck_assert_uint_eq(pages[frame].ref_count, 0);
}
