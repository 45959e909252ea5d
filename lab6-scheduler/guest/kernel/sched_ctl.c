/* KOAN_HC_SCHED_CTL for guests (dom0's toolstack; anyone else is refused). */
#include "hypercall.h"
#include "sched_ctl.h"

int32_t sched_get(uint32_t dom, struct koan_sched_ctl *op)
{
	*op = (struct koan_sched_ctl){ .cmd = KOAN_SCHEDCTL_GET, .domain = dom };
	return hypercall3(KOAN_HC_SCHED_CTL, (uint32_t)(uintptr_t)op, 0, 0);
}

int32_t sched_set(uint32_t dom, const struct koan_sched_params *p)
{
	struct koan_sched_ctl op = { .cmd = KOAN_SCHEDCTL_SET, .domain = dom, .params = *p };
	return hypercall3(KOAN_HC_SCHED_CTL, (uint32_t)(uintptr_t)&op, 0, 0);
}
