/*
 * Each domain's x87 state (hv/fpu.c). The FPU's registers, control word
 * (rounding mode, precision) and status belong to one domain at a time; the
 * hypervisor switches them lazily, as Xen does: when a domain runs, CR0.TS
 * is set unless the FPU already holds its state, and its first FPU
 * instruction raises #NM, on which the hypervisor saves the previous
 * owner's state and loads this domain's. A domain that never touches the
 * FPU costs nothing. SSE is off (CR4.OSFXSR clear): its instructions are
 * #UD, so there is no SSE state to share. (SDM Vol. 3A, 2.5 and 13.)
 */
#ifndef KOAN_FPU_H
#define KOAN_FPU_H

#include <stdbool.h>
#include <stdint.h>

#define FPU_SAVE_BYTES 108 /* fnsave's image in 32-bit protected mode */

struct domain_fpu {
	uint8_t saved[FPU_SAVE_BYTES]; /* its state while another domain has the FPU */
	bool loaded_once;	       /* saved[] holds its state (else: a clean FPU) */
	bool virtual_ts;	       /* the guest's own CR0.TS (lab 3: fpu_taskswitch) */
};

struct domain;

/* The domain is about to run: the FPU is its own, or TS makes it ask. */
void fpu_enter(const struct domain *d);
/* The domain has ended: it no longer owns the FPU. */
void fpu_forget(const struct domain *d);
/* The guest kernel sets (or clears) its virtual TS: with it set, its next
 * FPU instruction raises #NM in the guest too, once its state is loaded. */
void fpu_set_virtual_ts(struct domain *d, bool set);

#endif
