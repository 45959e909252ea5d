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

/* A hypercall's arguments: %ebx, %ecx, %edx, %esi, %edi, in that order. */
struct hypercall_args {
	uint32_t arg[5];
};

/* A handler gets the arguments and returns the result, for %eax. */
typedef int32_t (*hypercall_fn)(const struct hypercall_args *a);

struct hypercall {
	uint32_t nr;
	hypercall_fn fn;
	const char *name;
};

/* Registers `fn` as hypercall `nr` (in the section .hypercalls); at boot the
 * dispatcher puts each in a table indexed by number, as Xen's
 * hypercall_table[], so finding one costs the same for every number. A
 * number no lab registers answers -KOAN_ENOSYS. */
#define HYPERCALL(nr, fn)                              \
	static const struct hypercall __hypercall_##fn \
		__attribute__((used, section(".hypercalls"), aligned(4))) = { nr, fn, #fn }

/* Hypercall numbers are below this (public/hypercall.h's are). */
#define HYPERCALL_TABLE_SIZE 64u

/* The handler registered for `nr`, or NULL. */
const struct hypercall *hypercall_lookup(uint32_t nr);

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
int32_t hypercall_continue(const struct hypercall_args *rest);
/* Did the handler just called ask to continue? If so, its arguments (and the
 * request is taken): for multicall, which continues itself instead. */
bool hypercall_take_continuation(struct hypercall_args *rest);

/* 0, or -KOAN_EFAULT (and nothing, or only a prefix, copied). */
int copy_from_guest(void *dst, uint32_t src_va, uint32_t len);
int copy_to_guest(uint32_t dst_va, const void *src, uint32_t len);

#endif
