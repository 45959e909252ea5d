/*
 * The only way a hypercall reads or writes guest memory: lab 1's
 * guest_read()/guest_write() (the memory model's walk through the domain's
 * own page tables, so an unmapped or read-only page ends the copy instead of
 * faulting in the hypervisor), with the ABI's rule for what a hypercall may
 * name checked first (guest_range_ok), all or nothing, and the ABI's error.
 */
#include <koan/domain.h>
#include <koan/hypercall.h>

int copy_from_guest(void *dst, uint32_t src_va, uint32_t len)
{
	if (!guest_range_ok(src_va, len, false))
		return -KOAN_EFAULT;
	if (guest_read(current_domain(), src_va, dst, len) != len)
		return -KOAN_EFAULT;
	return 0;
}

int copy_to_guest(uint32_t dst_va, const void *src, uint32_t len)
{
	if (!guest_range_ok(dst_va, len, true))
		return -KOAN_EFAULT;
	if (guest_write(current_domain(), dst_va, src, len) != len)
		return -KOAN_EFAULT;
	return 0;
}
