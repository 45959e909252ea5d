/* The guest kernel's side of lab 6's KOAN_HC_SCHED_CTL (public/sched_ctl.h). */
#ifndef KOAN_GUEST_SCHED_CTL_H
#define KOAN_GUEST_SCHED_CTL_H

#include <public/sched_ctl.h>

/* 0 or the hypercall's error. */
int32_t sched_get(uint32_t dom, struct koan_sched_ctl *op);
int32_t sched_set(uint32_t dom, const struct koan_sched_params *p);

#endif
