/* Checking the frame table against the page tables (hv/frametab_audit.c). */
#ifndef KOAN_FRAMETAB_AUDIT_H
#define KOAN_FRAMETAB_AUDIT_H

#include <stdint.h>

#include <koan/frametab.h>

/*
 * Recount the references to every frame `owner` holds: one per present
 * entry of each of its tables in use (and a type reference for each
 * writable L1 entry and each L2 entry), one of each per pin, one of each
 * for the directory in %cr3 (base_mfn, or FRAME_NONE). refs and types are
 * scratch arrays of ft->nr_frames. Returns the number of frames whose
 * counts differ (the first in *first_bad); 0 when all is well.
 */
uint32_t frametab_audit(const struct frame_table *ft, uint16_t owner, uint32_t base_mfn,
			uint32_t *refs, uint32_t *types, uint32_t *first_bad);

#endif
