/*
 * The rules of grant mappings (koan/grant.h): whether an entry lets a
 * domain map a frame, the references a mapping holds, and the table of a
 * domain's mappings. Pure C; hv/grant_table.c is the hypercall around it.
 */
#include <koan/exercise.h>
#include <koan/grant.h>
#include <koan/pte.h>

uint32_t grant_pte(uint32_t frame, bool writable)
{
	return pte_make(frame, PTE_P | PTE_US | (writable ? PTE_RW : 0));
}

// BEGIN EXERCISE lab5.3: may this domain use this grant? (lab5-split-drivers/README.md, Exercise 2)
//   In: a copy of a granter's entry (read once: the granter may change it
//   at any time), the domain that asks, and whether it would write.
//   Out: KOAN_GNTST_OKAY; KOAN_GNTST_BAD_GNTREF when the entry does not
//   permit access (its type is not GTF_permit_access) or names another
//   domain; KOAN_GNTST_PERMISSION_DENIED for a write to a read-only grant.
int grant_check_entry(const struct koan_grant_entry *e, uint16_t mapper, bool want_write)
{
	if ((e->flags & KOAN_GTF_TYPE_MASK) != KOAN_GTF_PERMIT_ACCESS || e->domid != mapper)
		return KOAN_GNTST_BAD_GNTREF;
	if (want_write && (e->flags & KOAN_GTF_READONLY))
		return KOAN_GNTST_PERMISSION_DENIED;
	return KOAN_GNTST_OKAY;
}
// STUB
//> int grant_check_entry(const struct koan_grant_entry *e, uint16_t mapper, bool want_write)
//> {
//> 	EXERCISE_TODO("lab5.3", "grant_check_entry() in hv/grant_rules.c allows no grant yet");
//> 	(void)e, (void)mapper, (void)want_write;
//> 	return KOAN_GNTST_GENERAL_ERROR;
//> }
// END EXERCISE

// BEGIN EXERCISE lab5.4: a mapping's references (lab5-split-drivers/README.md, Exercise 2)
//   grant_take_frame: in, a frame the granter says is its own. Out:
//   KOAN_GNTST_OKAY with the pin (a general reference, the frame owned by
//   `granter`) and the new entry's references (lab 2's check_l1e of
//   grant_pte(), owner `granter`) held; or KOAN_GNTST_BAD_PAGE with nothing
//   held (not the granter's frame, no such frame, or a writable mapping of
//   a frame that is a page table).
//   grant_release_frame: the exact reverse; the entry's references only if
//   the entry is still in place (entry_live: else whoever removed it gave
//   them back). Returns true when the frame has no reference left.
int grant_take_frame(struct frame_table *ft, uint16_t granter, uint32_t frame, bool writable)
{
	if (!get_page(ft, frame, granter))
		return KOAN_GNTST_BAD_PAGE;
	if (!check_l1e(ft, grant_pte(frame, writable), granter)) {
		put_page(ft, frame);
		return KOAN_GNTST_BAD_PAGE;
	}
	return KOAN_GNTST_OKAY;
}

bool grant_release_frame(struct frame_table *ft, uint32_t frame, bool writable, bool entry_live)
{
	if (entry_live)
		put_l1e(ft, grant_pte(frame, writable));
	put_page(ft, frame);
	return ft->pages[frame].ref_count == 0;
}
// STUB
//> int grant_take_frame(struct frame_table *ft, uint16_t granter, uint32_t frame, bool writable)
//> {
//> 	EXERCISE_TODO("lab5.4", "grant_take_frame() in hv/grant_rules.c takes no reference yet");
//> 	(void)ft, (void)granter, (void)frame, (void)writable;
//> 	return KOAN_GNTST_BAD_PAGE;
//> }
//>
//> bool grant_release_frame(struct frame_table *ft, uint32_t frame, bool writable, bool entry_live)
//> {
//> 	(void)ft, (void)frame, (void)writable, (void)entry_live;
//> 	return false;
//> }
// END EXERCISE

// BEGIN EXERCISE lab5.5: the table of mappings, and the granter's flags (lab5-split-drivers/README.md, Exercise 2)
//   grant_map_alloc: the lowest handle not in use, or -1.
//   grant_map_find: the mapping with this handle if it is in use and was
//   made at host_addr; NULL for any other handle (out of range included).
//   grant_flags_mapped: `flags` with GTF_reading set (mapped) or cleared,
//   and GTF_writing set for a writable mapping or cleared; no other bit
//   changes.
int grant_map_alloc(const struct grant_maps *m)
{
	for (unsigned h = 0; h < KOAN_GNTTAB_MAX_MAPS; h++)
		if (!m->map[h].used)
			return (int)h;
	return -1;
}

struct grant_map *grant_map_find(struct grant_maps *m, uint32_t handle, uint32_t host_addr)
{
	if (handle >= KOAN_GNTTAB_MAX_MAPS)
		return 0;
	struct grant_map *g = &m->map[handle];
	return g->used && g->host_addr == host_addr ? g : 0;
}

uint16_t grant_flags_mapped(uint16_t flags, bool mapped, bool writable)
{
	flags &= (uint16_t) ~(KOAN_GTF_READING | KOAN_GTF_WRITING);
	if (mapped)
		flags |= (uint16_t)(KOAN_GTF_READING | (writable ? KOAN_GTF_WRITING : 0));
	return flags;
}
// STUB
//> int grant_map_alloc(const struct grant_maps *m)
//> {
//> 	EXERCISE_TODO("lab5.5", "grant_map_alloc() in hv/grant_rules.c has no handle to give yet");
//> 	(void)m;
//> 	return -1;
//> }
//>
//> struct grant_map *grant_map_find(struct grant_maps *m, uint32_t handle, uint32_t host_addr)
//> {
//> 	(void)m, (void)handle, (void)host_addr;
//> 	return 0;
//> }
//>
//> uint16_t grant_flags_mapped(uint16_t flags, bool mapped, bool writable)
//> {
//> 	(void)mapped, (void)writable;
//> 	return flags;
//> }
// END EXERCISE
