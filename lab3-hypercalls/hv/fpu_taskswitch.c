/*
 * KOAN_HC_FPU_TASKSWITCH: the guest kernel's virtual CR0.TS (Xen's
 * fpu_taskswitch). The switching of FPU state between domains is lab 1's
 * (hv/fpu.c); this only lets a guest kernel ask for its own #NM, as a
 * kernel on real hardware would with `mov %cr0` to switch its own tasks.
 */
#include <koan/domain.h>
#include <koan/fpu.h>
#include <koan/hypercall.h>

static int32_t do_fpu_taskswitch(const struct hypercall_args *a)
{
	uint32_t set = a->arg[0];
	if (set > 1)
		return -KOAN_EINVAL;
	fpu_set_virtual_ts(current_domain(), set == 1);
	return 0;
}

HYPERCALL(KOAN_HC_FPU_TASKSWITCH, do_fpu_taskswitch);
