/*
 * Hypercalls inside the hypervisor: how a lab adds one (HYPERCALL), and the
 * one checked pair of helpers through which every hypercall touches guest
 * memory.
 */
#ifndef KOAN_HYPERCALL_H
#define KOAN_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <public/hypercall.h>

/* A handler gets the five argument registers and returns the result. */
typedef int32_t (*hypercall_fn)(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
				uint32_t a5);

struct hypercall {
	uint32_t nr;
	hypercall_fn fn;
};

/* Registers `fn` as hypercall `nr`; the dispatcher finds it in the section
 * .hypercalls. A number no lab registers answers -KOAN_ENOSYS. */
#define HYPERCALL(nr, fn)                                                              \
	static const struct hypercall __hypercall_##fn                                   \
		__attribute__((used, section(".hypercalls"), aligned(4))) = { nr, fn }

/* The handler registered for `nr` in table[0 .. n), or NULL. */
const struct hypercall *hypercall_find(const struct hypercall *table, uint32_t n, uint32_t nr);

/*
 * May a guest ask us to touch [va, va + len)? Only inside its own part of
 * the address space: no wrap-around, nothing at or above KOAN_HV_START, and
 * for writing nothing at or above KOAN_M2P_START (the M2P is read-only). An
 * empty range is fine anywhere. Pure; the copies below also check that every
 * page is mapped (and writable, to write) in the domain's page tables.
 */
bool guest_range_ok(uint32_t va, uint32_t len, bool write);

/* The saved registers of the hypercall being handled (its result goes in
 * eax), for a hypercall that gives up the CPU instead of returning. */
struct trap_frame *hypercall_frame(void);

/*
 * Preemptible hypercalls (Xen's hypercall continuations). A hypercall whose
 * work a guest sizes (a batch, a long buffer) checks between two units of
 * work whether a timer tick is waiting; if so, it stops there, at a point
 * where everything done so far is complete, and returns
 * hypercall_continue(...) with the arguments that describe what is left.
 * The guest's EIP is then put back on its `int $0x82` and its argument
 * registers get those values: the tick is taken, other domains may run, and
 * when this one runs again it makes the call again, unaware, from where it
 * stopped. So no hypercall holds the CPU for much longer than one unit of
 * work, however much work a guest asks for.
 */
bool hypercall_preempt_check(void);
int32_t hypercall_continue(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5);
/* Did the handler just called ask to continue? If so, its arguments (and the
 * request is taken): for multicall, which continues itself instead. */
bool hypercall_take_continuation(uint32_t args[5]);

/* 0, or -KOAN_EFAULT (and nothing, or only a prefix, copied). */
int copy_from_guest(void *dst, uint32_t src_va, uint32_t len);
int copy_to_guest(uint32_t dst_va, const void *src, uint32_t len);

#endif
