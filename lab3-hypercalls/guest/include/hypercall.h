/*
 * The guest's side of a hypercall: put the number and the arguments in
 * registers, `int $0x82`, take the result from %eax (public/hypercall.h).
 * The argument registers may come back changed (a preempted call continues
 * with rewritten arguments), so they are outputs too, as in Linux's
 * hypercall wrappers for Xen.
 */
#ifndef KOAN_GUEST_HYPERCALL_H
#define KOAN_GUEST_HYPERCALL_H

#include <stdint.h>

#include <public/hypercall.h>

static inline int32_t hypercall5(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
				 uint32_t a5)
{
	int32_t ret;

	__asm__ volatile("int %[vec]"
			 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			 : [vec] "i"(KOAN_HYPERCALL_VECTOR), "a"(nr)
			 : "memory");
	return ret;
}

static inline int32_t hypercall3(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline int32_t hc_console_write(const char *s, uint32_t n)
{
	return hypercall3(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_WRITE, n, (uint32_t)(uintptr_t)s);
}

static inline int32_t hc_console_read(char *buf, uint32_t n)
{
	return hypercall3(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_READ, n, (uint32_t)(uintptr_t)buf);
}

static inline int32_t hc_sched_op(uint32_t cmd, uint32_t arg)
{
	return hypercall3(KOAN_HC_SCHED_OP, cmd, arg, 0);
}

static inline int32_t hc_version(void)
{
	return hypercall3(KOAN_HC_VERSION, 0, 0, 0);
}

static inline int32_t hc_mmu_update(const struct koan_mmu_update *reqs, uint32_t count,
				    uint32_t *done)
{
	return hypercall3(KOAN_HC_MMU_UPDATE, (uint32_t)(uintptr_t)reqs, count,
			  (uint32_t)(uintptr_t)done);
}

static inline int32_t hc_update_va_mapping(uint32_t va, uint32_t val, uint32_t flags)
{
	return hypercall3(KOAN_HC_UPDATE_VA_MAPPING, va, val, flags);
}

static inline int32_t hc_mmuext_op(const struct koan_mmuext_op *ops, uint32_t count, uint32_t *done)
{
	return hypercall3(KOAN_HC_MMUEXT_OP, (uint32_t)(uintptr_t)ops, count,
			  (uint32_t)(uintptr_t)done);
}

static inline int32_t hc_mmuext1(uint32_t cmd, uint32_t arg)
{
	struct koan_mmuext_op op = { cmd, arg };
	return hc_mmuext_op(&op, 1, 0);
}

static inline int32_t hc_multicall(struct koan_multicall *calls, uint32_t count)
{
	return hypercall3(KOAN_HC_MULTICALL, (uint32_t)(uintptr_t)calls, count, 0);
}

#endif
