/* Lab 6's scheduler inside the hypervisor (hv/sched_bvt.c): each domain's
 * BVT state, for the control operation (hv/sched_ctl.c). */
#ifndef KOAN_SCHED_BVT_H
#define KOAN_SCHED_BVT_H

#include <koan/bvt.h>
#include <koan/domain.h>

struct bvt_dom *bvt_of(const struct domain *d);
const struct bvt_sys *bvt_system(void);
uint64_t bvt_idle_ns(void); /* the idle domain's CPU: time halted */

#endif
