/*
 * Koan public ABI: the start-info block a domain finds when it starts.
 *
 * On entry to a guest kernel (ring 1, interrupts virtually disabled):
 *   %eip = the ELF entry point, %esi = the address of a struct koan_start_info,
 *   %cs/%ds/%es/%ss = the flat ring-1 selectors of public/layout.h.
 * Xen passes its start_info the same way (in %esi).
 *
 * Fields are fixed-width and only ever added at the end; `version` says how
 * many there are. Stable from ABI version 1 on.
 */
#ifndef KOAN_PUBLIC_START_INFO_H
#define KOAN_PUBLIC_START_INFO_H

#include <stdint.h>

#define KOAN_START_INFO_MAGIC 0x4B4F414Eu /* "KOAN" */
#define KOAN_START_INFO_VERSION 1u
#define KOAN_CMDLINE_MAX 256

struct koan_start_info {
	uint32_t magic;			/* OUT: KOAN_START_INFO_MAGIC */
	uint32_t version;		/* OUT: KOAN_START_INFO_VERSION */
	uint32_t domain_id;		/* OUT: this domain's id (0 for the first module) */
	uint32_t flags;			/* OUT: KOAN_SIF_* */
	uint32_t image_start;		/* OUT: lowest address of the loaded ELF image */
	uint32_t image_end;		/* OUT: one past its highest byte (bss included) */
	char cmdline[KOAN_CMDLINE_MAX]; /* OUT: the module's command line, NUL-terminated */
};

/* flags */
#define KOAN_SIF_LIMITS_ENFORCED (1u << 0) /* the CPU enforces segment limits */
#define KOAN_SIF_GUARD_XPTI \
	(1u << 1) /* only the hypervisor's trampoline is mapped
					      at KOAN_HV_START and up (guard: xpti) */

_Static_assert(sizeof(struct koan_start_info) == 24 + KOAN_CMDLINE_MAX,
	       "start_info layout is ABI: fields only added at the end");

#endif
