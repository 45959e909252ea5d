/*
 * The machine-wide frame audit of lab 5 (hv/grant_audit.c): with grants,
 * a frame is referenced from other domains' page tables too, so lab 2's
 * per-domain audit is not enough. This one recounts every reference to
 * every frame from everything that may hold one, and compares.
 */
#ifndef KOAN_GRANT_AUDIT_H
#define KOAN_GRANT_AUDIT_H

#include <stdint.h>

#include <koan/frametab.h>

/* Add to refs[] and types[] (nr_frames each, zeroed by the caller) the
 * references every page table in use holds (one per present entry, and a
 * type reference for each writable L1 entry and each L2 entry, lab 2's
 * rules) and each pin. Pure. */
void frames_recount(const struct frame_table *ft, uint32_t *refs, uint32_t *types);

/* Frames in use (owned by a domain, or orphaned) whose counts differ from
 * refs[] and types[]; the first in *first_bad. Pure. */
uint32_t frames_compare(const struct frame_table *ft, const uint32_t *refs, const uint32_t *types,
			uint32_t *first_bad);

/* hv/grant_table.c: one general reference per live mapping (its pin). */
void grant_count_pins(uint32_t *refs, uint32_t nr_frames);

/* Recount and compare the whole machine, and report it on the result
 * channel: "hv frames-audit after=DOM bad=N orphans=M". */
void frames_audit_report(unsigned after_dom);

#endif
