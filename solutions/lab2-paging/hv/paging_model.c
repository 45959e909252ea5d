/*
 * Lab 2's memory model: direct paging, as in Xen (the paper, sections 2.1.1 and 3.3.3).
 * Each domain gets its own frames (mem=KB on its command line), its own page
 * tables built by the hypervisor and validated like any the guest could
 * hand over, and runs on its own %cr3. Guests see machine frame numbers;
 * the start info tells them where their P2M and page tables are.
 *
 * Domains are built at boot, all of them, and destroyed as each one ends;
 * destroying returns every frame, which the log shows ("hv destroy ...").
 */
#include <koan/builder.h>
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/frame_alloc.h>
#include <koan/frametab_audit.h>
#include <koan/guard.h>
#include <koan/kstring.h>
#include <koan/memory_model.h>
#include <koan/paging.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/pte.h>
#include <koan/ptwalk.h>
#include <koan/x86.h>
#include <public/memory.h>

#define DEFAULT_MEM_KB 2048u
#define GUEST_VA_MIN 0x00400000u /* the first 4 MB stay unmapped: NULL faults */
#define MAX_PAGES (KOAN_M2P_START / KOAN_PAGE_SIZE)

struct paging_domain {
	struct build_plan plan;
	uint32_t l2_mfn;   /* the directory the builder made (pinned) */
	uint32_t base_mfn; /* the directory in %cr3 now */
};

DOMAIN_EXTENSION(struct paging_domain, paging_of);
static uint32_t mfns[(64u << 20) / KOAN_PAGE_SIZE]; /* the domain being built */

static void paging_model_init(const struct boot_info *bi)
{
	paging_init(bi);
}

/* The pages mem=KB asks for (DEFAULT_MEM_KB without it); false if mem=
 * is not a number. */
static bool requested_pages(const struct domain *d, uint32_t *pages)
{
	char value[16];
	uint32_t kb = DEFAULT_MEM_KB;

	if (cmdline_get(d->cmdline, "mem", value, sizeof(value)) && !parse_u32(value, &kb))
		return false;
	*pages = kb / 4;
	return true;
}

static uint16_t owner_of(const struct domain *d)
{
	return (uint16_t)d->id;
}

/* mfns[0 .. nr_pages): fresh zeroed frames of the domain; all or none. */
static bool allocate_frames(const struct domain *d, uint32_t nr_pages)
{
	for (uint32_t pfn = 0; pfn < nr_pages; pfn++) {
		mfns[pfn] = domain_frame_alloc(owner_of(d));
		if (mfns[pfn] == FRAME_NONE) {
			while (pfn-- > 0)
				domain_frame_free(mfns[pfn]);
			return false;
		}
	}
	return true;
}

// BEGIN EXERCISE lab2.15: a domain's frames, given and taken back (lab2-paging/README.md, Exercise 8)
//   release_memory: in, a domain that is going away, its directory in
//   %cr3 no longer (the caller switched). Every reference the domain
//   holds on its own frames goes: the directory it runs on, each pin, and
//   through them every entry of its tables; then every frame it owns is
//   freed. Out: the number of frames freed. Afterwards no frame of the
//   domain is left, and none of anyone else's has changed.
//   free_frames_of: frees every frame `owner` owns, counting into *freed;
//   the frames must hold no references any more.
static void free_frames_of(uint16_t owner, uint32_t *freed)
{
	for (uint32_t mfn = 0; mfn < frame_table.nr_frames; mfn++) {
		if (frame_table.pages[mfn].owner == owner) {
			domain_frame_free(mfn);
			(*freed)++;
		}
	}
}

/* Drop every pin the domain holds: the builder's on its directory, and any
 * a later lab lets the guest take. What the tables held goes with them. */
static void unpin_all(uint16_t owner)
{
	for (uint32_t mfn = 0; mfn < frame_table.nr_frames; mfn++) {
		struct page_info *pg = &frame_table.pages[mfn];
		if (pg->owner == owner && (pg->flags & PGF_PINNED)) {
			pg->flags &= (uint8_t)~PGF_PINNED;
			put_page_type(&frame_table, mfn);
			put_page(&frame_table, mfn);
		}
	}
}

static uint32_t release_memory(struct domain *d)
{
	struct paging_domain *pd = paging_of(d);
	uint32_t freed = 0;

	if (pd->base_mfn != FRAME_NONE) {
		put_page_type(&frame_table, pd->base_mfn);
		put_page(&frame_table, pd->base_mfn);
		pd->base_mfn = FRAME_NONE;
	}
	/* Unpin: the directories and their tables give back every reference. */
	unpin_all(owner_of(d));
	free_frames_of(owner_of(d), &freed);
	return freed;
}
// STUB
//> static void free_frames_of(uint16_t owner, uint32_t *freed)
//> {
//> 	(void)owner, (void)freed;
//> }
//>
//> static uint32_t release_memory(struct domain *d)
//> {
//> 	EXERCISE_TODO("lab2.15", "release_memory() in hv/paging_model.c gives nothing back yet");
//> 	(void)d;
//> 	return 0;
//> }
// END EXERCISE

/* Where guest virtual address `va` of the domain being built is, for us. */
static uint8_t *build_ptr(const struct build_plan *p, uint32_t va)
{
	return (uint8_t *)frame_ptr(mfns[plan_pfn(p, va)]) + (va & (KOAN_PAGE_SIZE - 1));
}

static void copy_into_new_domain(const struct build_plan *p, uint32_t va, const uint8_t *src,
				 uint32_t n)
{
	while (n > 0) {
		uint32_t chunk = KOAN_PAGE_SIZE - (va & (KOAN_PAGE_SIZE - 1));
		if (chunk > n)
			chunk = n;
		memcpy(build_ptr(p, va), src, chunk);
		va += chunk, src += chunk, n -= chunk;
	}
}

/* The ELF segments (the frames are zeroed already, so .bss is done), the
 * P2M and the M2P. */
static void load_contents(const struct domain *d, const struct build_plan *p, const uint8_t *file)
{
	for (int i = 0; i < d->image.nr_segments; i++) {
		const struct elf_segment *s = &d->image.seg[i];
		copy_into_new_domain(p, s->vaddr, file + s->offset, s->filesz);
	}
	copy_into_new_domain(p, p->p2m_va, (const uint8_t *)mfns, p->nr_pages * 4);
	for (uint32_t pfn = 0; pfn < p->nr_pages; pfn++)
		m2p_set(mfns[pfn], pfn);
}

static void write_start_info(struct domain *d, const struct build_plan *p)
{
	struct koan_start_info_paging *si = (void *)build_ptr(p, p->start_info_va);

	start_info_fill(&si->base, d);
	si->base.version = KOAN_START_INFO_VERSION_PAGING;
	si->nr_pages = p->nr_pages;
	si->first_va = p->first_va;
	si->mfn_list = p->p2m_va;
	si->pt_base = p->pt_va;
	si->nr_pt_frames = p->nr_pt_frames;
	d->entry = d->image.entry;
	d->stack_top = p->stack_va + KOAN_PAGE_SIZE;
	d->start_info_addr = p->start_info_va;
}

static bool paging_create(struct domain *d, const void *file, uint32_t size, struct refusal *why)
{
	struct paging_domain *pd = paging_of(d);
	enum elf_error err = elf_inspect(file, size, GUEST_VA_MIN, KOAN_M2P_START, &d->image);
	uint32_t nr_pages, freed = 0;

	if (err != ELF_OK) {
		*why = (struct refusal){ elf_error_name(err), elf_error_text(err) };
		return false;
	}
	if (!requested_pages(d, &nr_pages)) {
		*why = (struct refusal){ "mem-not-a-number", "mem= must be a number of KB" };
		return false;
	}
	if (nr_pages > MAX_PAGES) {
		*why = (struct refusal){ "mem-too-large",
					 "mem= is more than a domain's address space holds "
					 "(below the M2P)" };
		return false;
	}
	if (!build_plan(d->image.lo, d->image.hi, nr_pages, &pd->plan)) {
		*why = (struct refusal){ "mem-too-small",
					 "mem= is too small for the image, its page tables and a "
					 "stack (or reaches the M2P)" };
		return false;
	}
	if (!allocate_frames(d, nr_pages)) {
		*why = (struct refusal){ "out-of-memory", "not enough free frames for mem=" };
		return false;
	}
	load_contents(d, &pd->plan, phys_range(d->module_start, size));
	pd->l2_mfn = builder_page_tables(&pd->plan, mfns, frame_ptr);
	write_start_info(d, &pd->plan);
	/* Pin the directory: validate it as any guest-made one would be. */
	if (!get_page(&frame_table, pd->l2_mfn, owner_of(d)) ||
	    !get_page_type(&frame_table, pd->l2_mfn, PGT_L2, owner_of(d))) {
		report_pt_error(d, "the builder's page directory");
		put_page(&frame_table, pd->l2_mfn);
		free_frames_of(owner_of(d), &freed);
		*why = (struct refusal){ "bad-page-tables",
					 "the page tables the builder made do not validate" };
		return false;
	}
	frame_table.pages[pd->l2_mfn].flags |= PGF_PINNED;
	d->nr_pages = nr_pages;
	pd->base_mfn = FRAME_NONE;
	kprintf("[hv] module %u: %u pages, directory at frame 0x%x, %u frames left\n", d->module,
		nr_pages, pd->l2_mfn, frames_free());
	report("build dom=%u pages=%u l2=0x%x free=%u", d->id, nr_pages, pd->l2_mfn, frames_free());
	return true;
}

// BEGIN EXERCISE lab2.14: the directory in %cr3 (lab2-paging/README.md, Exercise 7)
//   In: a domain and any frame number (from a guest's register). Out: true
//   with `mfn` loaded into %cr3 (guest_address_space_set) and held as the
//   domain's base, one general and one PGT_L2 type reference, and the
//   directory held before (if any) given back; or false with
//   frame_table.last_error saying why (PT_BAD_FRAME, PT_NOT_OWNER, or what
//   validation found), %cr3 and every count as they were. Loading the
//   directory already in %cr3 again is allowed and changes no count.
/* Hold `mfn` as the directory in %cr3, and drop the one held before. */
bool paging_switch_base(struct domain *d, uint32_t mfn)
{
	struct paging_domain *pd = paging_of(d);

	if (!get_page(&frame_table, mfn, owner_of(d))) {
		frame_table.last_error =
			(struct pt_error){ .problem = mfn < frame_table.nr_frames ? PT_NOT_OWNER
										  : PT_BAD_FRAME,
					   .table_mfn = FRAME_NONE,
					   .mfn = mfn };
		return false;
	}
	if (!get_page_type(&frame_table, mfn, PGT_L2, owner_of(d))) {
		put_page(&frame_table, mfn);
		return false;
	}
	guest_address_space_set(mfn << PTE_SHIFT);
	if (pd->base_mfn != FRAME_NONE) {
		put_page_type(&frame_table, pd->base_mfn);
		put_page(&frame_table, pd->base_mfn);
	}
	pd->base_mfn = mfn;
	return true;
}
// STUB
//> bool paging_switch_base(struct domain *d, uint32_t mfn)
//> {
//> 	EXERCISE_TODO("lab2.14",
//> 		      "paging_switch_base() in hv/paging_model.c loads no directory yet");
//> 	(void)d;
//> 	frame_table.last_error =
//> 		(struct pt_error){ .problem = PT_TODO, .table_mfn = FRAME_NONE, .mfn = mfn };
//> 	return false;
//> }
// END EXERCISE

uint32_t paging_current_base(const struct domain *d)
{
	return paging_of(d)->base_mfn;
}

static void paging_activate(struct domain *d)
{
	guest_address_space_set(paging_of(d)->base_mfn << PTE_SHIFT);
}

static void paging_load(struct domain *d)
{
	if (!paging_switch_base(d, paging_of(d)->l2_mfn)) {
		report_pt_error(d, "its own page directory, to run on");
		panic("domain %u cannot run: its own directory was refused (above)", d->id);
	}
}

/* Copy between guest virtual memory and `buf`, page by page, through the
 * domain's own page tables (a software walk: no fault can happen here).
 * Writing needs a writable mapping, as it would for the guest. */
static uint32_t paging_copy(const struct domain *d, uint32_t va, uint8_t *buf, uint32_t len,
			    bool to_guest)
{
	const struct paging_domain *pd = paging_of(d);
	uint32_t done = 0;

	while (done < len) {
		uint32_t mfn, off = (va + done) & (KOAN_PAGE_SIZE - 1);
		bool writable;
		if (pd->base_mfn == FRAME_NONE ||
		    !pt_translate(&frame_table, pd->base_mfn, va + done, &mfn, &writable) ||
		    (to_guest && !writable))
			break;
		uint32_t chunk = KOAN_PAGE_SIZE - off;
		if (chunk > len - done)
			chunk = len - done;
		uint8_t *frame = (uint8_t *)frame_ptr(mfn) + off;
		if (to_guest)
			memcpy(frame, buf + done, chunk);
		else
			memcpy(buf + done, frame, chunk);
		done += chunk;
	}
	return done;
}

static uint32_t paging_read(const struct domain *d, uint32_t va, void *buf, uint32_t len)
{
	return paging_copy(d, va, buf, len, false);
}

static uint32_t paging_write(const struct domain *d, uint32_t va, const void *buf, uint32_t len)
{
	return paging_copy(d, va, (uint8_t *)buf, len, true);
}

/* Before a domain's memory goes, check that the frame table agrees with its
 * page tables: the invariant everything else rests on. */
static void audit(const struct domain *d)
{
	static uint32_t refs[sizeof(mfns) / sizeof(mfns[0])], types[sizeof(mfns) / sizeof(mfns[0])];
	uint32_t first_bad = 0;
	uint32_t bad = frametab_audit(&frame_table, owner_of(d), paging_of(d)->base_mfn, refs,
				      types, &first_bad);

	if (bad) {
		const struct page_info *pg = &frame_table.pages[first_bad];
		kprintf("[hv] domain %u: frame table audit FAILED for %u frame(s); frame 0x%x has "
			"refs %u type refs %u (%s), expected %u and %u\n",
			d->id, bad, first_bad, pg->ref_count, pg->type_count,
			page_type_name((enum page_type)pg->type), refs[first_bad],
			types[first_bad]);
	}
	report("audit dom=%u bad=%u", d->id, bad);
}

static void paging_destroy(struct domain *d)
{
	uint32_t freed;

	audit(d);
	/* Dom0 may destroy another domain from its own address space (lab 3). */
	if (current_domain() == d)
		switch_to_idle_address_space();
	freed = release_memory(d);
	kprintf("[hv] domain %u destroyed: %u frames freed, %u free\n", d->id, freed,
		frames_free());
	report("destroy dom=%u freed=%u free=%u", d->id, freed, frames_free());
}

static const struct memory_model paging_model = {
	.id = { "direct paging (lab 2)", 2 },
	.init = paging_model_init,
	.create = paging_create,
	.load = paging_load,
	.activate = paging_activate,
	.read = paging_read,
	.write = paging_write,
	.destroy = paging_destroy,
};
MEMORY_MODEL(paging_model);
