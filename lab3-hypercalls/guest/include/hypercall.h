/*
 * The guest's side of a hypercall: put the number and the arguments in
 * registers, `int $0x82`, take the result from %eax (public/hypercall.h).
 */
#ifndef KOAN_GUEST_HYPERCALL_H
#define KOAN_GUEST_HYPERCALL_H

#include <stdint.h>

#include <public/hypercall.h>

static inline int32_t hypercall5(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3,
				 uint32_t a4, uint32_t a5)
{
	int32_t ret;

	__asm__ volatile("int %[vec]"
			 : "=a"(ret)
			 : [vec] "i"(KOAN_HYPERCALL_VECTOR), "a"(nr), "b"(a1), "c"(a2), "d"(a3),
			   "S"(a4), "D"(a5)
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

#endif
