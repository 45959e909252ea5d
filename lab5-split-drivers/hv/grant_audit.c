/*
 * Recounting every frame's references (koan/grant_audit.h). Pure C: the
 * same counting as lab 2's per-domain audit, over every owner at once.
 */
#include <koan/grant.h>
#include <koan/grant_audit.h>
#include <koan/pte.h>

static bool owned_by_domain(uint16_t owner)
{
	return owner != OWNER_FREE && owner != OWNER_HV && owner != OWNER_ORPHAN;
}

void frames_recount(const struct frame_table *ft, uint32_t *refs, uint32_t *types)
{
	for (uint32_t mfn = 0; mfn < ft->nr_frames; mfn++) {
		const struct page_info *pg = &ft->pages[mfn];
		if (!owned_by_domain(pg->owner))
			continue;
		if (pg->flags & PGF_PINNED)
			refs[mfn]++, types[mfn]++;
		if (pg->type_count == 0 || (pg->type != PGT_L1 && pg->type != PGT_L2))
			continue;
		const uint32_t *t = ft->table(mfn);
		for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++) {
			uint32_t target = pte_mfn(t[i]);
			if ((pg->type == PGT_L2 && !guest_pde(i)) || !(t[i] & PTE_P) ||
			    target >= ft->nr_frames)
				continue;
			refs[target]++;
			if (pg->type == PGT_L2 || (t[i] & PTE_RW))
				types[target]++;
		}
	}
}

uint32_t frames_compare(const struct frame_table *ft, const uint32_t *refs, const uint32_t *types,
			uint32_t *first_bad)
{
	uint32_t bad = 0;

	for (uint32_t mfn = 0; mfn < ft->nr_frames; mfn++) {
		const struct page_info *pg = &ft->pages[mfn];
		if (pg->owner == OWNER_FREE || pg->owner == OWNER_HV)
			continue;
		if (pg->ref_count != refs[mfn] || pg->type_count != types[mfn] ||
		    (pg->type_count == 0 && pg->type != PGT_NONE)) {
			if (bad++ == 0)
				*first_bad = mfn;
		}
	}
	return bad;
}
