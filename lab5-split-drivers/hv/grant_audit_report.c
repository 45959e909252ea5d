/*
 * The machine-wide audit, run after each domain's grants are cleaned up
 * (hv/grant_table.c): recount (hv/grant_audit.c), add what lives outside
 * the page tables (each domain's directory in %cr3, each mapping's pin),
 * compare, report.
 */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/grant.h>
#include <koan/grant_audit.h>
#include <koan/paging.h>
#include <public/layout.h>
#include <public/memory.h>

/* Room for every frame the hypervisor can map (its 64 MB direct map, lab
 * 2: the frame table has no more); more would not be audited, and says so. */
#define AUDIT_MAX_FRAMES (KOAN_HV_SIZE / KOAN_PAGE_SIZE)

static uint32_t refs[AUDIT_MAX_FRAMES], types[AUDIT_MAX_FRAMES];

void frames_audit_report(unsigned after_dom)
{
	uint32_t n = frame_table.nr_frames, first_bad = 0, orphans = 0;

	if (n > AUDIT_MAX_FRAMES) {
		report("frames-audit after=%u skipped frames=%u", after_dom, n);
		return;
	}
	for (uint32_t mfn = 0; mfn < n; mfn++) {
		refs[mfn] = types[mfn] = 0;
		orphans += frame_table.pages[mfn].owner == OWNER_ORPHAN;
	}
	frames_recount(&frame_table, refs, types);
	for (unsigned i = 0; i < domain_count(); i++) {
		uint32_t base = paging_current_base(domain_at(i));
		if (base < n)
			refs[base]++, types[base]++;
	}
	grant_count_pins(refs, n);
	uint32_t bad = frames_compare(&frame_table, refs, types, &first_bad);
	if (bad) {
		const struct page_info *pg = &frame_table.pages[first_bad];
		kprintf("[hv] frame audit FAILED for %u frame(s); frame 0x%x (owner %u) has refs "
			"%u "
			"type refs %u (%s), expected %u and %u\n",
			bad, first_bad, pg->owner, pg->ref_count, pg->type_count,
			page_type_name((enum page_type)pg->type), refs[first_bad],
			types[first_bad]);
	}
	report("frames-audit after=%u bad=%u orphans=%u", after_dom, bad, orphans);
}
