/* KOAN_HC_VERSION: which ABI the hypervisor speaks. */
#include <koan/hypercall.h>

/* The null hypercall: the cheapest way into the hypervisor and back. */
static int32_t do_version(const struct hypercall_args *a)
{
	(void)a;
	return KOAN_ABI_VERSION;
}

HYPERCALL(KOAN_HC_VERSION, do_version);
