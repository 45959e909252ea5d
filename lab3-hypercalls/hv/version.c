/* KOAN_HC_VERSION: which ABI the hypervisor speaks. */
#include <koan/hypercall.h>

/* The null hypercall: the cheapest way into the hypervisor and back. */
static int32_t do_version(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return KOAN_ABI_VERSION;
}

HYPERCALL(KOAN_HC_VERSION, do_version);
