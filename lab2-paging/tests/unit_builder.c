/*
 * Lab 2, Exercise 5: the domain builder's plan, its mappings and its page
 * tables. The tests check the plan (build_plan) against one worked out
 * from koan/builder.h, the entries builder_l1_entry() makes, the tables
 * builder_page_tables() writes, entry by entry, then have the frame table
 * validate the directory of a whole domain on a fake machine, as the
 * hypervisor does before the domain first runs.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/builder.h>
#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <koan/ptwalk.h>
#include <public/memory.h>

#include "koan_test.h"

#define PAGE 4096u
#define FOUR_MB 0x400000u

static uint32_t rnd(uint32_t n)
{
	return (uint32_t)rand() % n;
}

/* Does a domain of n pages fit around [lo, hi)? Worked out from the layout
 * in koan/builder.h: image, P2M (4 bytes a page), the directory and one
 * table per 4 MB, start info, stack; all below the M2P. */
static bool ref_fits(uint32_t lo, uint32_t hi, uint32_t n)
{
	uint64_t first = lo & ~(uint64_t)(FOUR_MB - 1);
	uint64_t end = first + (uint64_t)n * PAGE;

	if (n == 0 || hi <= lo || end > KOAN_M2P_START)
		return false;
	uint64_t p2m = ((uint64_t)hi + PAGE - 1) / PAGE * PAGE;
	uint64_t pt = (p2m + 4ull * n + PAGE - 1) / PAGE * PAGE;
	uint64_t tables = 1 + (n + 1023) / 1024;
	return pt + (tables + 2) * PAGE <= end;
}

/* The plan itself, worked out the same way: each part at the first page
 * boundary after the one before. Only for a size that fits. */
static struct build_plan ref_plan(uint32_t lo, uint32_t hi, uint32_t n)
{
	struct build_plan p = { .nr_pages = n, .first_va = lo & ~(FOUR_MB - 1) };

	p.end_va = p.first_va + n * PAGE;
	p.image_end_va = (hi + PAGE - 1) / PAGE * PAGE;
	p.p2m_va = p.image_end_va;
	p.pt_va = (p.p2m_va + 4 * n + PAGE - 1) / PAGE * PAGE;
	p.nr_pt_frames = 1 + (n + 1023) / 1024;
	p.start_info_va = p.pt_va + p.nr_pt_frames * PAGE;
	p.stack_va = p.start_info_va + PAGE;
	return p;
}

static uint32_t ref_min_pages(uint32_t lo, uint32_t hi)
{
	for (uint32_t n = 1; n < (1u << 20); n++)
		if (ref_fits(lo, hi, n))
			return n;
	return 0;
}

/* A random image below the M2P, not too large, never in directory entry 0
 * (no guest may map there: KOAN_GUEST_PDE_FIRST). */
static void random_image(uint32_t *lo, uint32_t *hi, uint32_t max_bytes)
{
	uint32_t last = (KOAN_M2P_START - 2 * FOUR_MB) / FOUR_MB;
	uint32_t region = KOAN_GUEST_PDE_FIRST + rnd(last - KOAN_GUEST_PDE_FIRST);
	*lo = region * FOUR_MB + rnd(512) * PAGE + (rnd(4) == 0 ? rnd(PAGE) : 0);
	*hi = *lo + 1 + rnd(max_bytes);
}

static bool is_table_pfn(const struct build_plan *p, uint32_t pfn)
{
	uint32_t first = (p->pt_va - p->first_va) / PAGE;
	return pfn >= first && pfn < first + p->nr_pt_frames;
}

static void check_entry(const struct build_plan *p, uint32_t pfn, uint32_t mfn)
{
	uint32_t e = builder_l1_entry(p, pfn, mfn);
	bool table = is_table_pfn(p, pfn);

	ck_assert_msg(pte_mfn(e) == mfn, "builder_l1_entry(pfn %u, mfn %#x) = %#x maps frame %#x",
		      pfn, mfn, e, pte_mfn(e));
	ck_assert_msg((e & (PTE_P | PTE_US)) == (PTE_P | PTE_US),
		      "builder_l1_entry(pfn %u) = %#x: every page must be present and user", pfn,
		      e);
	ck_assert_msg(!(e & PTE_PS), "builder_l1_entry(pfn %u) = %#x has bit 7 set", pfn, e);
	if (table)
		ck_assert_msg(
			!(e & PTE_RW),
			"pfn %u holds a page table (va %#x) but builder_l1_entry maps it writable",
			pfn, p->first_va + pfn * PAGE);
	else
		ck_assert_msg(e & PTE_RW,
			      "pfn %u (va %#x) is not a page table but is mapped read-only", pfn,
			      p->first_va + pfn * PAGE);
}

KTEST(lab2_build_plan_fits)
{
	struct build_plan p;

	srand((unsigned)getpid());
	for (int round = 0; round < 100; round++) {
		uint32_t lo, hi;
		random_image(&lo, &hi, 0x200000);
		uint32_t nmin = ref_min_pages(lo, hi);
		ck_assert_msg(nmin > 0, "no size fits image [%#x, %#x)", lo, hi);
		ck_assert_msg(!build_plan(lo, hi, nmin - 1, &p),
			      "image [%#x, %#x): %u pages is too few, yet build_plan accepted it",
			      lo, hi, nmin - 1);
		if (nmin > 1) {
			uint32_t n = rnd(nmin - 1) + 1;
			ck_assert_msg(!build_plan(lo, hi, n, &p),
				      "image [%#x, %#x): %u pages accepted", lo, hi, n);
		}
		ck_assert_msg(build_plan(lo, hi, nmin, &p), "image [%#x, %#x): %u pages refused",
			      lo, hi, nmin);
		/* Enough pages for everything the builder maps; the tables read-only. */
		for (uint32_t pfn = 0; pfn < nmin; pfn++)
			check_entry(&p, pfn, 0x100 + pfn);
	}

	/* An empty image, or one that ends before it starts: nothing to build. */
	for (int k = 0; k < 20; k++) {
		uint32_t lo = 0x01000000u + rnd(0x100000), n = 100 + rnd(3000);
		ck_assert_msg(!build_plan(lo, lo, n, &p), "an empty image at %#x was planned", lo);
		ck_assert_msg(!build_plan(lo, lo - 1 - rnd(0x1000), n, &p),
			      "an image that ends before %#x was planned", lo);
		ck_assert_msg(p.nr_pages == n, "a refused plan must still say its nr_pages (%u)",
			      n);
	}
	ck_assert_msg(!build_plan(0x01000000u, 0x01001000u, 0, &p),
		      "a domain of 0 pages was planned");

	/* The domain must end below the M2P. */
	uint32_t lo = KOAN_M2P_START - FOUR_MB, hi = lo + 0x3000 + rnd(0x4000);
	ck_assert_msg(build_plan(lo, hi, 1024, &p),
		      "1024 pages at %#x end exactly at the M2P: refused", lo);
	for (uint32_t pfn = 0; pfn < 1024; pfn++)
		check_entry(&p, pfn, pfn);
	ck_assert_msg(!build_plan(lo, hi, 1025, &p), "1025 pages at %#x cross KOAN_M2P_START", lo);
	lo = KOAN_M2P_START - 16 * FOUR_MB + rnd(64) * PAGE;
	ck_assert_msg(!build_plan(lo, lo + PAGE, 16 * 1024 + 1 + rnd(100000), &p),
		      "a domain crossing KOAN_M2P_START was planned");
	ck_assert_msg(!build_plan(lo, lo + PAGE, 0xFFFFFFFFu, &p), "2^32 - 1 pages were planned");
}

/* The plan of a domain of n pages around [lo, hi), as the layout has it. */
static void expect_plan(uint32_t lo, uint32_t hi, uint32_t n)
{
	struct build_plan p, want = ref_plan(lo, hi, n);
	bool fits = ref_fits(lo, hi, n);

	ck_assert_msg(build_plan(lo, hi, n, &p) == fits,
		      "image [%#x, %#x), %u pages: build_plan says %d", lo, hi, n, !fits);
	if (fits)
		ck_assert_msg(memcmp(&p, &want, sizeof(p)) == 0,
			      "image [%#x, %#x), %u pages: nr_pt_frames %u, pt_va %#x, start info "
			      "%#x; the layout has %u, %#x, %#x",
			      lo, hi, n, p.nr_pt_frames, p.pt_va, p.start_info_va,
			      want.nr_pt_frames, want.pt_va, want.start_info_va);
}

KTEST(lab2_build_plan_layout)
{
	struct build_plan p;

	srand((unsigned)getpid());
	/* Sizes at the edges of a page table's 4 MB: one page more or less
	 * than a whole number of tables needs one table more or less. */
	for (uint32_t tables = 1; tables <= 8; tables++)
		for (int d = -1; d <= 1; d++) {
			uint32_t lo = 0x01000000u + rnd(16) * PAGE, hi = lo + 0x5000 + rnd(0x1000);
			expect_plan(lo, hi, tables * 1024 + (uint32_t)d);
		}
	for (int round = 0; round < 300; round++) {
		uint32_t lo, hi;
		random_image(&lo, &hi, 0x800000);
		uint32_t nmin = ref_min_pages(lo, hi);
		uint32_t n = nmin + rnd(5000);
		bool fits = ref_fits(lo, hi, n);
		ck_assert_msg(build_plan(lo, hi, n, &p) == fits,
			      "image [%#x, %#x), %u pages: build_plan says %d", lo, hi, n, !fits);
		if (!fits)
			continue;
		struct build_plan want = ref_plan(lo, hi, n);
		ck_assert_msg(memcmp(&p, &want, sizeof(p)) == 0,
			      "image [%#x, %#x), %u pages: planned first_va %#x image_end_va %#x "
			      "p2m_va %#x pt_va %#x nr_pt_frames %u start_info_va %#x stack_va %#x "
			      "end_va %#x; the layout puts them at %#x %#x %#x %#x %u %#x %#x %#x",
			      lo, hi, n, p.first_va, p.image_end_va, p.p2m_va, p.pt_va,
			      p.nr_pt_frames, p.start_info_va, p.stack_va, p.end_va, want.first_va,
			      want.image_end_va, want.p2m_va, want.pt_va, want.nr_pt_frames,
			      want.start_info_va, want.stack_va, want.end_va);
		ck_assert_msg(p.nr_pages == n && p.first_va % FOUR_MB == 0 && p.first_va <= lo &&
				      lo - p.first_va < FOUR_MB,
			      "first_va %#x for an image at %#x", p.first_va, lo);
		ck_assert_msg(p.image_end_va >= hi && p.image_end_va % PAGE == 0,
			      "image_end_va %#x, image ends at %#x", p.image_end_va, hi);
		ck_assert_msg(p.p2m_va >= p.image_end_va, "the P2M (%#x) overlaps the image",
			      p.p2m_va);
		ck_assert_msg(p.pt_va % PAGE == 0 && p.pt_va >= p.p2m_va + 4 * n,
			      "pt_va %#x leaves no room for a P2M of %u entries at %#x", p.pt_va, n,
			      p.p2m_va);
		ck_assert_msg(p.nr_pt_frames == 1 + (n + 1023) / 1024,
			      "%u pages need %u table frames, not %u", n, 1 + (n + 1023) / 1024,
			      p.nr_pt_frames);
		ck_assert_msg(p.start_info_va >= p.pt_va + p.nr_pt_frames * PAGE &&
				      p.stack_va >= p.start_info_va + PAGE,
			      "start info %#x, stack %#x overlap the tables at %#x",
			      p.start_info_va, p.stack_va, p.pt_va);
		ck_assert_msg(p.end_va == p.first_va + n * PAGE && p.stack_va + PAGE <= p.end_va &&
				      p.end_va <= KOAN_M2P_START,
			      "end_va %#x, stack %#x", p.end_va, p.stack_va);

		/* The read-only pages are exactly the tables, in the tables' place. */
		uint32_t ro = 0;
		for (int k = 0; k < 200; k++) {
			uint32_t pfn = rnd(n);
			check_entry(&p, pfn, rnd(1u << 20));
		}
		for (uint32_t pfn = 0; pfn < n; pfn++) {
			uint32_t e = builder_l1_entry(&p, pfn, pfn);
			if (!(e & PTE_RW)) {
				uint32_t va = p.first_va + pfn * PAGE;
				ro++;
				ck_assert_msg(va >= p.pt_va && va < p.start_info_va,
					      "va %#x (outside the tables) is read-only", va);
			}
		}
		ck_assert_msg(ro == p.nr_pt_frames,
			      "%u pages read-only, expected the %u table frames", ro,
			      p.nr_pt_frames);
	}
}

KTEST(lab2_builder_l1_entry)
{
	struct build_plan p;

	srand((unsigned)getpid());
	for (int round = 0; round < 100; round++) {
		uint32_t lo, hi;
		random_image(&lo, &hi, 0x100000);
		uint32_t n = ref_min_pages(lo, hi) + rnd(3000);
		if (!ref_fits(lo, hi, n))
			continue;
		p = ref_plan(lo, hi, n);
		for (uint32_t pfn = 0; pfn < n; pfn++)
			check_entry(&p, pfn, rnd(1u << 20));
		/* Right at the edges of the tables. */
		uint32_t first = (p.pt_va - p.first_va) / PAGE;
		ck_assert_msg(builder_l1_entry(&p, first - 1, 7) & PTE_RW,
			      "the page before the directory is read-only");
		ck_assert_msg(!(builder_l1_entry(&p, first, 7) & PTE_RW),
			      "the directory is writable");
		ck_assert_msg(!(builder_l1_entry(&p, first + p.nr_pt_frames - 1, 7) & PTE_RW),
			      "the last page table is writable");
		ck_assert_msg(builder_l1_entry(&p, first + p.nr_pt_frames, 7) & PTE_RW,
			      "the start info page is read-only");
	}
}

/* ---- A fake machine big enough for a domain of a few thousand pages. */
#define NR_FRAMES 2600u
#define DOM 1
#define OTHER 2

static struct page_info pages[NR_FRAMES];
static uint32_t mem[NR_FRAMES][ENTRIES_PER_TABLE];
static struct frame_table ft;
static uint32_t hv_frame;

static uint32_t *fake_table(uint32_t mfn)
{
	ck_assert_msg(mfn < NR_FRAMES, "ft->table(%u): the machine has only %u frames", mfn,
		      NR_FRAMES);
	return mem[mfn];
}

/* The hypervisor's slots: present, not user, pointing at a frame whose
 * entries would map everything to a guest that ignored the U bit. */
static void fake_set_hv_slots(uint32_t *l2, bool present)
{
	for (unsigned i = KOAN_GUEST_PDES; i < ENTRIES_PER_TABLE; i++)
		l2[i] = present ? pte_make(hv_frame, PTE_P | PTE_RW) : 0;
}

struct domain {
	struct build_plan p;
	uint32_t p2m[NR_FRAMES];
	uint32_t l2;
	uint32_t l1[4];
};

static void expect_pages(const struct page_info *want, const char *when)
{
	for (uint32_t f = 0; f < NR_FRAMES; f++) {
		const struct page_info *w = &want[f], *g = &pages[f];
		ck_assert_msg(w->owner == g->owner && w->type == g->type &&
				      w->type_count == g->type_count &&
				      w->ref_count == g->ref_count,
			      "%s: frame %u is (type %s, type_count %u, ref_count %u), expected "
			      "(type %s, type_count %u, ref_count %u)",
			      when, f, page_type_name(g->type), g->type_count, g->ref_count,
			      page_type_name(w->type), w->type_count, w->ref_count);
	}
}

/* Build a domain the way the hypervisor's builder does: plan it, give it
 * random frames, write the directory and the tables. */
static void build_domain_of(struct domain *d, uint32_t want_n)
{
	static uint32_t perm[NR_FRAMES];
	uint32_t lo, hi;

	memset(mem, 0, sizeof(mem));
	uint32_t n;
	do {
		random_image(&lo, &hi, 0x40000);
		uint32_t nmin = ref_min_pages(lo, hi);
		n = want_n ? want_n : nmin + rnd(NR_FRAMES - 100 - nmin);
	} while (!ref_fits(lo, hi, n));
	d->p = ref_plan(lo, hi, n);

	for (uint32_t i = 0; i < NR_FRAMES; i++)
		perm[i] = i;
	for (uint32_t i = NR_FRAMES - 1; i > 0; i--) {
		uint32_t k = rnd(i + 1), t = perm[i];
		perm[i] = perm[k];
		perm[k] = t;
	}
	for (uint32_t i = 0; i < NR_FRAMES; i++)
		pages[perm[i]] = (struct page_info){ .owner = i < n ? DOM : OTHER };
	hv_frame = perm[n];
	pages[hv_frame].owner = OWNER_HV;
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		mem[hv_frame][i] = pte_make(perm[n + 1 + i % 50], PTE_P | PTE_RW | PTE_US);
	for (uint32_t pfn = 0; pfn < n; pfn++)
		d->p2m[pfn] = perm[pfn];

	ft = (struct frame_table){ .pages = pages,
				   .nr_frames = NR_FRAMES,
				   .table = fake_table,
				   .set_hv_slots = fake_set_hv_slots };
	ft.last_error.table_mfn = FRAME_NONE;

	uint32_t pt_pfn = plan_pfn(&d->p, d->p.pt_va);
	d->l2 = d->p2m[pt_pfn];
	for (uint32_t k = 0; k + 1 < d->p.nr_pt_frames; k++)
		d->l1[k] = d->p2m[pt_pfn + 1 + k];
	uint32_t l2 = builder_page_tables(&d->p, d->p2m, fake_table);
	ck_assert_msg(l2 == d->l2,
		      "builder_page_tables returned frame %u; the directory is the first page at "
		      "pt_va, frame %u",
		      l2, d->l2);
	/* What the tables must say, entry by entry: the directory's entries for
	 * the range and nothing else; each L1 entry builder_l1_entry's. */
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
		uint32_t first = pde_index(d->p.first_va), k = i - first;
		bool in_range = i >= first && k + 1 < d->p.nr_pt_frames;
		uint32_t want = in_range ? pte_make(d->l1[k], PTE_P | PTE_RW | PTE_US) : 0;
		ck_assert_msg(mem[d->l2][i] == want,
			      "directory entry %u is %#x, expected %#x (domain of %u pages at %#x)",
			      i, mem[d->l2][i], want, n, d->p.first_va);
	}
	for (uint32_t k = 0; k + 1 < d->p.nr_pt_frames; k++)
		for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
			uint32_t pfn = k * ENTRIES_PER_TABLE + i;
			uint32_t want = pfn < n ? builder_l1_entry(&d->p, pfn, d->p2m[pfn]) : 0;
			ck_assert_msg(
				mem[d->l1[k]][i] == want,
				"entry %u of page table %u (pfn %u of %u) is %#x, expected %#x", i,
				k, pfn, n, mem[d->l1[k]][i], want);
		}
}

static void build_domain(struct domain *d)
{
	build_domain_of(d, 0);
}

static void validate_domain(const struct domain *d)
{
	ck_assert_msg(
		get_page_type(&ft, d->l2, PGT_L2, DOM),
		"the builder's directory (%u pages, %u table frames) was refused: entry %u of "
		"frame %u %s",
		d->p.nr_pages, d->p.nr_pt_frames, ft.last_error.index, ft.last_error.table_mfn,
		pt_problem_text(ft.last_error.problem));
}

/* Domains of every size, at random places, random frames: build_domain()
 * checks each entry the builder wrote. */
KTEST(lab2_builder_tables)
{
	static struct domain d;

	srand((unsigned)getpid());
	for (int round = 0; round < 10; round++)
		build_domain(&d);
	/* A last page table with one entry, a full one, one entry short. */
	const uint32_t sizes[] = { 1025, 2048, 2047, 1024, 2049 };
	for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
		build_domain_of(&d, sizes[k]);
}

KTEST(lab2_builder_end_to_end)
{
	static struct domain d;
	static struct page_info initial[NR_FRAMES], exp[NR_FRAMES];

	srand((unsigned)getpid());
	for (int round = 0; round < 6; round++) {
		build_domain(&d);
		memcpy(initial, pages, sizeof(initial));
		validate_domain(&d);

		/* Every page of the domain mapped once; the tables as tables. */
		memcpy(exp, initial, sizeof(exp));
		for (uint32_t pfn = 0; pfn < d.p.nr_pages; pfn++) {
			struct page_info *e = &exp[d.p2m[pfn]];
			e->ref_count = 1;
			if (!is_table_pfn(&d.p, pfn)) {
				e->type = PGT_WRITABLE;
				e->type_count = 1;
			}
		}
		exp[d.l2].type = PGT_L2;
		exp[d.l2].type_count = 1;
		for (uint32_t k = 0; k + 1 < d.p.nr_pt_frames; k++) {
			exp[d.l1[k]].type = PGT_L1;
			exp[d.l1[k]].type_count = 1;
			exp[d.l1[k]].ref_count = 2;
		}
		expect_pages(exp, "after validating the builder's directory");
		put_page_type(&ft, d.l2);
		expect_pages(initial, "after dropping the builder's directory");

		/* Had the builder mapped a table frame writable, the guest could
		 * rewrite its mappings: validation must fail, changing nothing. */
		uint32_t first = plan_pfn(&d.p, d.p.pt_va);
		uint32_t t = first + rnd(d.p.nr_pt_frames);
		uint32_t va = d.p.first_va + t * PAGE;
		uint32_t region = pde_index(va) - pde_index(d.p.first_va);
		uint32_t holder = d.l1[region];
		mem[holder][pte_index(va)] |= PTE_RW;
		ck_assert_msg(
			!get_page_type(&ft, d.l2, PGT_L2, DOM),
			"a directory whose table frame %u (pfn %u) is mapped writable was accepted",
			d.p2m[t], t);
		ck_assert_msg(ft.last_error.problem == PT_TYPE_CONFLICT,
			      "expected PT_TYPE_CONFLICT, got %s",
			      pt_problem_text(ft.last_error.problem));
		/* Where it is found depends on which table is validated first. */
		uint32_t k = t - first; /* 0: the directory, else L1 number k - 1 */
		if (k == 0 || k - 1 <= region) {
			ck_assert_msg(ft.last_error.table_mfn == holder &&
					      ft.last_error.index == pte_index(va),
				      "last_error points at entry %u of frame %u, expected entry "
				      "%u of the L1 %u",
				      ft.last_error.index, ft.last_error.table_mfn, pte_index(va),
				      holder);
		} else {
			unsigned idx = pde_index(d.p.first_va) + (k - 1);
			ck_assert_msg(ft.last_error.table_mfn == d.l2 && ft.last_error.index == idx,
				      "last_error points at entry %u of frame %u, expected entry "
				      "%u of the "
				      "directory %u (its L1 was already mapped writable)",
				      ft.last_error.index, ft.last_error.table_mfn, idx, d.l2);
		}
		expect_pages(initial, "after refusing the directory");
	}
}

KTEST(lab2_builder_walk)
{
	static struct domain d;

	srand((unsigned)getpid());
	for (int round = 0; round < 4; round++) {
		build_domain(&d);
		validate_domain(&d);
		for (int k = 0; k < 2000; k++) {
			uint32_t pfn = rnd(d.p.nr_pages);
			uint32_t va = d.p.first_va + pfn * PAGE + rnd(PAGE);
			uint32_t mfn = FRAME_NONE;
			bool w = false;
			ck_assert_msg(pt_translate(&ft, d.l2, va, &mfn, &w),
				      "va %#x (pfn %u) is not mapped", va, pfn);
			ck_assert_msg(mfn == d.p2m[pfn],
				      "va %#x (pfn %u) maps frame %u, expected %u", va, pfn, mfn,
				      d.p2m[pfn]);
			ck_assert_msg(w == !is_table_pfn(&d.p, pfn), "va %#x (pfn %u) writable: %d",
				      va, pfn, w);
		}
		uint32_t outside[] = { d.p.end_va, d.p.end_va + rnd(PAGE),
				       d.p.first_va - 1 - rnd(d.p.first_va ? d.p.first_va : 1),
				       KOAN_M2P_START + rnd(0u - KOAN_M2P_START), 0xFFFFF000u };
		for (int k = 0; k < 5; k++) {
			uint32_t mfn = FRAME_NONE;
			bool w = false;
			if (k == 2 && d.p.first_va == 0)
				continue;
			ck_assert_msg(
				!pt_translate(&ft, d.l2, outside[k], &mfn, &w),
				"va %#x, outside the domain [%#x, %#x), translates to frame %u",
				outside[k], d.p.first_va, d.p.end_va, mfn);
		}
	}
}
