/* Each domain's virtual IDT and kernel stack (hv/virtual_idt.c). */
#ifndef KOAN_VIRTUAL_IDT_H
#define KOAN_VIRTUAL_IDT_H

#include <stdint.h>

#include <koan/domain.h>

struct virtual_gate {
	uint32_t address; /* 0: none */
	uint16_t cs;
	uint8_t dpl;
};

struct guest_stack {
	uint32_t ss, esp; /* 0, 0: none given yet */
};

/* The largest frame pushed on a guest kernel's stack for a trap: cr2, the
 * error code, eip, cs, eflags, esp and ss (bounce.c; the CPU's own, for the
 * fast system call, is smaller). A stack must have room for it. */
#define GUEST_FRAME_MAX_BYTES (7 * 4)

/* The domain's handler for `vector`, or NULL. */
const struct virtual_gate *virtual_gate(const struct domain *d, uint32_t vector);
const struct guest_stack *guest_kernel_stack(const struct domain *d);

#endif
