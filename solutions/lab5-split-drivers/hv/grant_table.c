/*
 * KOAN_HC_GRANT_TABLE_OP (public/grant_table.h): each domain's grant table,
 * and mapping, unmapping and copying by grant reference on its behalf, with
 * the rules of hv/grant_rules.c. Also what happens to grants when a domain
 * ends: its own mappings go, and the frames it granted that others still
 * map become orphans, freed at their last unmap (Xen keeps a dying
 * domain's pages until the last reference, for the same reason).
 */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/frame_alloc.h>
#include <koan/grant.h>
#include <koan/hypercall.h>
#include <koan/paging.h>
#include <koan/pte.h>
#include <koan/x86.h>
#include <public/event_channel.h>
#include <public/memory.h>

#include <koan/grant_audit.h>

struct grant_domain {
	uint32_t table_mfn; /* FRAME_NONE until setup_table */
	struct grant_maps maps;
};

static struct grant_domain grants[MAX_DOMAINS];

static bool alive(const struct domain *d)
{
	return d && d->state != DOM_REFUSED && d->state != DOM_HALTED && d->state != DOM_CRASHED;
}

uint32_t grant_table_frame(unsigned dom)
{
	return dom < MAX_DOMAINS ? grants[dom].table_mfn : FRAME_NONE;
}

/* The granter's table, if it is alive and has one. */
static struct koan_grant_entry *table_of(unsigned dom)
{
	struct domain *d = domain_by_id(dom);

	if (!alive(d) || grants[dom].table_mfn == FRAME_NONE)
		return 0;
	return (struct koan_grant_entry *)frame_ptr(grants[dom].table_mfn);
}

/* Is (granter, ref) mapped by anyone now? A grant maps once at a time. */
static bool ref_mapped(uint16_t granter, uint32_t ref)
{
	for (unsigned dom = 0; dom < MAX_DOMAINS; dom++)
		for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++) {
			const struct grant_map *g = &grants[dom].maps.map[h];
			if (g->used && !g->granter_gone && g->granter == granter && g->ref == ref)
				return true;
		}
	return false;
}

/* The page table of d's current directory that covers va, as a typed L1 of
 * d's own; FRAME_NONE if there is none. */
static uint32_t l1_covering(const struct domain *d, uint32_t va)
{
	uint32_t base = paging_current_base(d);

	if (base == FRAME_NONE)
		return FRAME_NONE;
	uint32_t pde = frame_ptr(base)[pde_index(va)];
	if (!(pde & PTE_P) || (pde & PTE_PS))
		return FRAME_NONE;
	uint32_t l1 = pte_mfn(pde);
	if (l1 >= frame_table.nr_frames)
		return FRAME_NONE;
	const struct page_info *pg = &frame_table.pages[l1];
	if (pg->owner != d->id || pg->type != PGT_L1 || pg->type_count == 0)
		return FRAME_NONE;
	return l1;
}

/* Is the mapping's entry still where it was written, in a page table in
 * use? If not, whoever removed it (the guest's own update, or the table's
 * devalidation) gave its references back. The CPU sets the accessed and
 * dirty bits of an entry it uses (SDM Vol. 3A, 4.8): those do not count. */
static bool entry_live(const struct domain *d, const struct grant_map *g)
{
	const struct page_info *pg = &frame_table.pages[g->l1_mfn];
	uint32_t now = frame_ptr(g->l1_mfn)[g->l1_index] & ~(PTE_A | PTE_D);

	return pg->owner == d->id && pg->type == PGT_L1 && pg->type_count > 0 && now == g->pte;
}

static void flush_tlb(void)
{
	write_cr3(read_cr3());
}

/* Free an orphan's frame once nothing holds it. */
static void free_if_orphan(uint32_t frame, bool unreferenced)
{
	if (unreferenced && frame_table.pages[frame].owner == OWNER_ORPHAN)
		domain_frame_free(frame);
}

// BEGIN EXERCISE lab5.6: map and unmap a grant (lab5-split-drivers/README.md, Exercise 3)
//   map_one: in, one request of domain d (public/grant_table.h). Out: its
//   status; on KOAN_GNTST_OKAY a new mapping in d's table of mappings
//   (handle and frame filled in), the entry written at host_addr, its
//   references held (grant_take_frame), the granter's entry flags showing
//   the mapping, and the TLB flushed. Refusals take nothing and write
//   nothing: KOAN_GNTST_GENERAL_ERROR (flags without GNTMAP_host_map, or
//   the grant already mapped), KOAN_GNTST_BAD_VIRT_ADDR (host_addr not
//   page-aligned, below 4 MB or at the M2P or above, no L1 of d's covering
//   it, its entry not empty), KOAN_GNTST_BAD_DOMAIN (granter not alive or
//   without a table), KOAN_GNTST_BAD_GNTREF, and whatever grant_check_entry
//   and grant_take_frame say. Read the granter's entry once.
//   unmap_one: the reverse for a mapping of d's (KOAN_GNTST_BAD_HANDLE for
//   any other): the entry cleared and flushed if it is still live, the
//   references given back, the granter's flags cleared if it still has a
//   table, an orphaned frame freed once nothing holds it.
static int map_one(struct domain *d, struct koan_gnttab_map_grant_ref *op)
{
	struct grant_maps *maps = &grants[d->id].maps;
	uint32_t va = op->host_addr;

	if (!(op->flags & KOAN_GNTMAP_HOST_MAP))
		return KOAN_GNTST_GENERAL_ERROR;
	if ((va & (KOAN_PAGE_SIZE - 1)) || pde_index(va) < KOAN_GUEST_PDE_FIRST ||
	    va >= KOAN_M2P_START)
		return KOAN_GNTST_BAD_VIRT_ADDR;
	struct koan_grant_entry *table = op->dom < MAX_DOMAINS ? table_of(op->dom) : 0;
	if (!table)
		return KOAN_GNTST_BAD_DOMAIN;
	if (op->ref >= KOAN_GRANT_ENTRIES)
		return KOAN_GNTST_BAD_GNTREF;
	struct koan_grant_entry e = table[op->ref];
	bool writable = !(op->flags & KOAN_GNTMAP_READONLY);
	int status = grant_check_entry(&e, (uint16_t)d->id, writable);
	if (status != KOAN_GNTST_OKAY)
		return status;
	if (ref_mapped(op->dom, op->ref))
		return KOAN_GNTST_GENERAL_ERROR;
	uint32_t l1 = l1_covering(d, va);
	if (l1 == FRAME_NONE || (frame_ptr(l1)[pte_index(va)] & PTE_P))
		return KOAN_GNTST_BAD_VIRT_ADDR;
	int handle = grant_map_alloc(maps);
	if (handle < 0)
		return KOAN_GNTST_NO_DEVICE_SPACE;
	status = grant_take_frame(&frame_table, op->dom, e.frame, writable);
	if (status != KOAN_GNTST_OKAY)
		return status;
	maps->map[handle] = (struct grant_map){
		.used = true,
		.writable = writable,
		.granter = op->dom,
		.ref = op->ref,
		.frame = e.frame,
		.host_addr = va,
		.pte = grant_pte(e.frame, writable),
		.l1_mfn = l1,
		.l1_index = pte_index(va),
	};
	frame_ptr(l1)[pte_index(va)] = grant_pte(e.frame, writable);
	table[op->ref].flags = grant_flags_mapped(table[op->ref].flags, true, writable);
	flush_tlb();
	op->handle = (uint32_t)handle;
	op->frame = e.frame;
	return KOAN_GNTST_OKAY;
}

static void unmap(struct domain *d, struct grant_map *g)
{
	bool live = entry_live(d, g);

	if (live) {
		frame_ptr(g->l1_mfn)[g->l1_index] = 0;
		flush_tlb();
	}
	struct koan_grant_entry *table = g->granter_gone ? 0 : table_of(g->granter);
	if (table)
		table[g->ref].flags = grant_flags_mapped(table[g->ref].flags, false, false);
	free_if_orphan(g->frame, grant_release_frame(&frame_table, g->frame, g->writable, live));
	g->used = false;
}

static int unmap_one(struct domain *d, struct koan_gnttab_unmap_grant_ref *op)
{
	struct grant_map *g = grant_map_find(&grants[d->id].maps, op->handle, op->host_addr);

	if (!g)
		return KOAN_GNTST_BAD_HANDLE;
	unmap(d, g);
	return KOAN_GNTST_OKAY;
}
// STUB
//> static int map_one(struct domain *d, struct koan_gnttab_map_grant_ref *op)
//> {
//> 	EXERCISE_TODO("lab5.6", "map_one() in hv/grant_table.c maps no grant yet");
//> 	(void)d, (void)op, (void)l1_covering, (void)ref_mapped;
//> 	return KOAN_GNTST_GENERAL_ERROR;
//> }
//>
//> static void unmap(struct domain *d, struct grant_map *g)
//> {
//> 	(void)d, (void)entry_live, (void)flush_tlb, (void)free_if_orphan;
//> 	g->used = false;
//> }
//>
//> static int unmap_one(struct domain *d, struct koan_gnttab_unmap_grant_ref *op)
//> {
//> 	(void)d, (void)op, (void)unmap;
//> 	return KOAN_GNTST_BAD_HANDLE;
//> }
// END EXERCISE

static int setup_one(struct domain *d, struct koan_gnttab_setup_table *op)
{
	struct grant_domain *gd = &grants[d->id];

	if (op->dom != KOAN_DOMID_SELF && op->dom != d->id)
		return KOAN_GNTST_PERMISSION_DENIED;
	if (op->nr_frames != 1)
		return KOAN_GNTST_GENERAL_ERROR;
	if (gd->table_mfn == FRAME_NONE) {
		gd->table_mfn = domain_frame_alloc((uint16_t)d->id);
		if (gd->table_mfn == FRAME_NONE)
			return KOAN_GNTST_GENERAL_ERROR;
	}
	op->frame = gd->table_mfn;
	return KOAN_GNTST_OKAY;
}

/* One side of a copy: the bytes it names, in the hypervisor's map. */
static int copy_side(struct domain *d, const struct koan_gnttab_copy_ptr *p, bool gref, bool write,
		     uint16_t len, uint8_t **bytes)
{
	uint32_t frame = p->ref_or_frame;
	uint16_t owner = (uint16_t)d->id;

	if ((uint32_t)p->offset + len > KOAN_PAGE_SIZE)
		return KOAN_GNTST_BAD_COPY_ARG;
	if (gref) {
		struct koan_grant_entry *table = p->dom < MAX_DOMAINS ? table_of(p->dom) : 0;
		if (!table)
			return KOAN_GNTST_BAD_DOMAIN;
		if (p->ref_or_frame >= KOAN_GRANT_ENTRIES)
			return KOAN_GNTST_BAD_GNTREF;
		struct koan_grant_entry e = table[p->ref_or_frame];
		int status = grant_check_entry(&e, owner, write);
		if (status != KOAN_GNTST_OKAY)
			return status;
		frame = e.frame;
		owner = p->dom;
	} else if (p->dom != KOAN_DOMID_SELF && p->dom != d->id) {
		return KOAN_GNTST_BAD_COPY_ARG;
	}
	if (frame >= frame_table.nr_frames || frame_table.pages[frame].owner != owner)
		return gref ? KOAN_GNTST_BAD_PAGE : KOAN_GNTST_BAD_COPY_ARG;
	/* Never into a page table or a descriptor table, even one's own. */
	if (write && frame_table.pages[frame].type_count &&
	    frame_table.pages[frame].type != PGT_WRITABLE)
		return KOAN_GNTST_BAD_PAGE;
	*bytes = (uint8_t *)frame_ptr(frame) + p->offset;
	return KOAN_GNTST_OKAY;
}

static int copy_one(struct domain *d, struct koan_gnttab_copy *op)
{
	uint8_t *src, *dst;
	int status = copy_side(d, &op->source, op->flags & KOAN_GNTCOPY_SOURCE_GREF, false, op->len,
			       &src);

	if (status == KOAN_GNTST_OKAY)
		status = copy_side(d, &op->dest, op->flags & KOAN_GNTCOPY_DEST_GREF, true, op->len,
				   &dst);
	if (status == KOAN_GNTST_OKAY)
		for (unsigned i = 0; i < op->len; i++)
			dst[i] = src[i];
	return status;
}

/* Each command's array, `count` structs of `size` bytes, each copied in,
 * done and copied back with its status. */
union grant_op {
	struct koan_gnttab_map_grant_ref map;
	struct koan_gnttab_unmap_grant_ref unmap;
	struct koan_gnttab_setup_table setup;
	struct koan_gnttab_copy copy;
};

static int32_t grant_table_op(const struct hypercall_args *a)
{
	static const uint32_t sizes[] = {
		[KOAN_GNTTABOP_MAP_GRANT_REF] = sizeof(struct koan_gnttab_map_grant_ref),
		[KOAN_GNTTABOP_UNMAP_GRANT_REF] = sizeof(struct koan_gnttab_unmap_grant_ref),
		[KOAN_GNTTABOP_SETUP_TABLE] = sizeof(struct koan_gnttab_setup_table),
		[KOAN_GNTTABOP_COPY] = sizeof(struct koan_gnttab_copy),
	};
	uint32_t cmd = a->arg[0], va = a->arg[1], count = a->arg[2];
	struct domain *d = current_domain();

	if (cmd >= sizeof(sizes) / sizeof(sizes[0]) || !sizes[cmd] || count > KOAN_GNTTAB_MAX_OPS)
		return -KOAN_EINVAL;
	for (uint32_t i = 0; i < count; i++, va += sizes[cmd]) {
		union grant_op op;
		if (copy_from_guest(&op, va, sizes[cmd]))
			return -KOAN_EFAULT;
		switch (cmd) {
		case KOAN_GNTTABOP_MAP_GRANT_REF:
			op.map.status = (int16_t)map_one(d, &op.map);
			break;
		case KOAN_GNTTABOP_UNMAP_GRANT_REF:
			op.unmap.status = (int16_t)unmap_one(d, &op.unmap);
			break;
		case KOAN_GNTTABOP_SETUP_TABLE:
			op.setup.status = (int16_t)setup_one(d, &op.setup);
			break;
		default: op.copy.status = (int16_t)copy_one(d, &op.copy); break;
		}
		if (copy_to_guest(va, &op, sizes[cmd]))
			return -KOAN_EFAULT;
	}
	return 0;
}
HYPERCALL(KOAN_HC_GRANT_TABLE_OP, grant_table_op);

/* Frames `dom` granted that others still map: orphans from now on. */
static unsigned orphan_granted_frames(unsigned dom)
{
	unsigned orphans = 0;

	for (unsigned other = 0; other < MAX_DOMAINS; other++)
		for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++) {
			struct grant_map *g = &grants[other].maps.map[h];
			if (!g->used || g->granter_gone || g->granter != dom)
				continue;
			g->granter_gone = true;
			if (frame_table.pages[g->frame].owner == dom) {
				frame_table.pages[g->frame].owner = OWNER_ORPHAN;
				orphans++;
			}
		}
	return orphans;
}

static const char *grants_created(struct domain *d)
{
	grants[d->id] = (struct grant_domain){ .table_mfn = FRAME_NONE };
	return 0;
}

static void grants_end(struct domain *d)
{
	struct grant_domain *gd = &grants[d->id];
	unsigned unmapped = 0;

	for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++)
		if (gd->maps.map[h].used) {
			unmap(d, &gd->maps.map[h]);
			unmapped++;
		}
	unsigned orphans = orphan_granted_frames(d->id);
	/* The table's frame is the domain's: it goes with the rest. */
	gd->table_mfn = FRAME_NONE;
	if (unmapped || orphans)
		report("grants dom=%u unmapped=%u orphaned=%u", d->id, unmapped, orphans);
	frames_audit_report(d->id);
}

static const struct domain_hooks grant_hooks = {
	.created = grants_created,
	.end = grants_end,
};
DOMAIN_HOOKS(grant_hooks);

/* For the audit: the pins mappings hold, frame by frame. */
void grant_count_pins(uint32_t *refs, uint32_t nr_frames)
{
	for (unsigned dom = 0; dom < MAX_DOMAINS; dom++)
		for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++) {
			const struct grant_map *g = &grants[dom].maps.map[h];
			if (g->used && g->frame < nr_frames)
				refs[g->frame]++;
		}
}
