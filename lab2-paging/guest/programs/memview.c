/*
 * memview: a guest looks at the memory the lab 2 builder gave it, through
 * the start info (public/memory.h), and checks what it can:
 *  - its P2M and the hypervisor's M2P agree (m2p[p2m[pfn]] == pfn);
 *  - its page tables are mapped read-only, everything else writable;
 *  - its directory's hypervisor slots are there, and not user-accessible:
 *    all of them, or (guard: xpti) only the trampoline's.
 * It reports what it found; the grader compares with what it asked for.
 */
#include <koan/pte.h>
#include <public/layout.h>
#include <public/memory.h>

#include "guest.h"
#include "mm.h"

static const struct koan_start_info_paging *si;
static const uint32_t *const m2p = (const uint32_t *)KOAN_M2P_START;

static int p2m_matches_m2p(void)
{
	const uint32_t *p2m = (const uint32_t *)si->mfn_list;

	for (uint32_t pfn = 0; pfn < si->nr_pages; pfn++)
		if (m2p[p2m[pfn]] != pfn)
			return 0;
	return 1;
}

static int tables_read_only(void)
{
	uint32_t first_pt = (si->pt_base - si->first_va) / KOAN_PAGE_SIZE;

	for (uint32_t pfn = 0; pfn < si->nr_pages; pfn++) {
		uint32_t pte = pte_read(si->first_va + pfn * KOAN_PAGE_SIZE);
		int is_table = pfn >= first_pt && pfn < first_pt + si->nr_pt_frames;
		if (!(pte & PTE_P) || !!(pte & PTE_RW) == is_table)
			return 0;
	}
	return 1;
}

static int hypervisor_slots_supervisor(void)
{
	const uint32_t *l2 = (const uint32_t *)si->pt_base;
	unsigned present = 0;

	for (unsigned i = KOAN_HV_START >> PDE_SHIFT; i < ENTRIES_PER_TABLE; i++) {
		if (l2[i] & PTE_US)
			return 0;
		present += (l2[i] & PTE_P) != 0;
	}
	unsigned want = si->base.flags & KOAN_SIF_GUARD_XPTI ? 1 : KOAN_HV_SIZE >> PDE_SHIFT;
	return present == want &&
	       (l2[KOAN_M2P_START >> PDE_SHIFT] & (PTE_P | PTE_US | PTE_RW)) == (PTE_P | PTE_US);
}

void guest_main(const struct koan_start_info *base)
{
	si = (const struct koan_start_info_paging *)base;
	if (base->version < KOAN_START_INFO_VERSION_PAGING) {
		gprintf("memview: start info version %u: no paging here\n", base->version);
		result("no-paging");
		return;
	}
	gprintf("memview: %u pages from 0x%08x, P2M at 0x%08x, directory at 0x%08x (%u table "
		"frames)\n",
		si->nr_pages, si->first_va, si->mfn_list, si->pt_base, si->nr_pt_frames);
	result("pages=%u", si->nr_pages);
	result("first-va=0x%x", si->first_va);
	result("p2m-m2p=%s", p2m_matches_m2p() ? "ok" : "bad");
	result("tables-read-only=%s", tables_read_only() ? "ok" : "bad");
	result("hv-slots=%s", hypervisor_slots_supervisor() ? "ok" : "bad");
	result("bye");
}
