/*
 * A frame-table audit: recount, from the tables themselves, the references
 * every frame of a domain should have, and compare with the counts the
 * frame table keeps. A mismatch means the bookkeeping that isolation rests
 * on has gone wrong. Run when a domain is destroyed. Pure C.
 */
#include <koan/frametab_audit.h>
#include <koan/pte.h>
#include <public/memory.h>

static void count_table(const struct frame_table *ft, uint32_t mfn, uint32_t *refs, uint32_t *types)
{
	const struct page_info *pg = &ft->pages[mfn];
	const uint32_t *t = ft->table(mfn);
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
		uint32_t target = pte_mfn(t[i]);
		if (pg->type == PGT_L2 && !guest_pde(i))
			continue;
		if (!(t[i] & PTE_P) || target >= ft->nr_frames)
			continue;
		refs[target]++;
		if (pg->type == PGT_L2 || (t[i] & PTE_RW))
			types[target]++;
	}
}

uint32_t frametab_audit(const struct frame_table *ft, uint16_t owner, uint32_t base_mfn,
			uint32_t *refs, uint32_t *types, uint32_t *first_bad)
{
	uint32_t bad = 0;

	for (uint32_t mfn = 0; mfn < ft->nr_frames; mfn++)
		refs[mfn] = types[mfn] = 0;
	for (uint32_t mfn = 0; mfn < ft->nr_frames; mfn++) {
		const struct page_info *pg = &ft->pages[mfn];
		if (pg->owner != owner)
			continue;
		if (pg->type_count && (pg->type == PGT_L1 || pg->type == PGT_L2))
			count_table(ft, mfn, refs, types);
		if (pg->flags & PGF_PINNED)
			refs[mfn]++, types[mfn]++;
	}
	if (base_mfn < ft->nr_frames)
		refs[base_mfn]++, types[base_mfn]++;
	for (uint32_t mfn = 0; mfn < ft->nr_frames; mfn++) {
		const struct page_info *pg = &ft->pages[mfn];
		if (pg->owner != owner)
			continue;
		if (pg->ref_count != refs[mfn] || pg->type_count != types[mfn] ||
		    (pg->type_count == 0 && pg->type != PGT_NONE)) {
			if (bad++ == 0)
				*first_bad = mfn;
		}
	}
	return bad;
}
