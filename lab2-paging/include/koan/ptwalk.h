/* Walking a domain's page tables in software. Pure C. */
#ifndef KOAN_PTWALK_H
#define KOAN_PTWALK_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/frametab.h>

/*
 * Translate `va` in the address space whose directory is `l2_mfn` as a
 * guest would see it: both levels present and user-accessible (so the
 * hypervisor's own mappings never count). On success *mfn is the frame and
 * *writable says whether both levels allow writing.
 */
bool pt_translate(const struct frame_table *ft, uint32_t l2_mfn, uint32_t va, uint32_t *mfn,
		  bool *writable);

#endif
