/*
 * Koan public ABI, lab 3: hypercalls.
 *
 * A guest kernel calls the hypervisor with `int $0x82` from ring 1 (the
 * gate refuses ring 3): %eax = the hypercall number, %ebx, %ecx, %edx, %esi,
 * %edi = up to five arguments; the result comes back in %eax, 0 or more for
 * success, a negative KOAN_E* for failure. The argument registers may come
 * back changed (see continuations below); the others are preserved.
 *
 * Long calls are preemptible: a batch (mmu_update, mmuext_op, multicall) or
 * a long console write may stop part way when the hypervisor has other
 * work, and continue later by itself: the guest's EIP is put back on its
 * `int $0x82` with the arguments rewritten to what is left (Xen's
 * continuations). The guest sees one call with the usual result. Those
 * calls use %esi (the fourth argument) for this: a guest passes 0 there. A
 * multicall entry that stops part way gets its arguments rewritten in the
 * caller's array too.
 * Numbers follow Xen's where Xen has the call (2.0's, and 3.0's for
 * mmuext_op and the M2P update), and never change once published.
 *
 * Stable from ABI version 3 on.
 */
#ifndef KOAN_PUBLIC_HYPERCALL_H
#define KOAN_PUBLIC_HYPERCALL_H

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <public/domain_state.h>
#endif

#define KOAN_HYPERCALL_VECTOR 0x82
#define KOAN_FAST_SYSCALL_VECTOR 0x80 /* see KOAN_HC_SET_TRAP_TABLE */
#define KOAN_SLOW_SYSCALL_VECTOR 0x81
#define KOAN_ABI_VERSION 3

/* Hypercall numbers. */
#define KOAN_HC_SET_TRAP_TABLE 0     /* table */
#define KOAN_HC_MMU_UPDATE 1	     /* reqs, count, done */
#define KOAN_HC_STACK_SWITCH 3	     /* ss, esp */
#define KOAN_HC_FPU_TASKSWITCH 5     /* set */
#define KOAN_HC_SCHED_OP 6	     /* cmd, arg */
#define KOAN_HC_CONTROL_OP 7	     /* op: dom0 only (Xen's dom0_op) */
#define KOAN_HC_MULTICALL 13	     /* calls, count */
#define KOAN_HC_UPDATE_VA_MAPPING 14 /* va, new entry, flags */
#define KOAN_HC_VERSION 17	     /* () -> KOAN_ABI_VERSION; Xen's xen_version */
#define KOAN_HC_CONSOLE_IO 18	     /* cmd, count, buffer */
#define KOAN_HC_MMUEXT_OP 26	     /* ops, count, done */

/* Errors, negated in %eax (the same values as Linux's errno). */
#define KOAN_EPERM 1   /* not allowed to this domain */
#define KOAN_ESRCH 3   /* no such domain */
#define KOAN_ENOMEM 12 /* out of memory */
#define KOAN_EFAULT 14 /* a pointer that does not point into the domain's own memory */
#define KOAN_EBUSY 16  /* in use */
#define KOAN_EINVAL 22 /* a bad argument */
#define KOAN_ENOSYS 38 /* no such hypercall (or command) */

/* KOAN_HC_CONSOLE_IO (cmd, count, buffer) */
#define KOAN_CONSOLE_WRITE 0 /* write count bytes from buffer; returns count */
#define KOAN_CONSOLE_READ \
	1			   /* dom0 only: read up to count bytes, without waiting;
				returns how many were read (0 if none was waiting) */
#define KOAN_CONSOLE_IO_MAX 65536u /* larger counts are refused (KOAN_EINVAL) */

/* KOAN_HC_SCHED_OP (cmd, arg) */
#define KOAN_SCHED_YIELD 0    /* let another domain run */
#define KOAN_SCHED_BLOCK 1    /* wait for an event (lab 4); until then, like yield */
#define KOAN_SCHED_SHUTDOWN 2 /* end this domain; arg = KOAN_SHUTDOWN_* */

#define KOAN_SHUTDOWN_POWEROFF 0
#define KOAN_SHUTDOWN_REBOOT 1
#define KOAN_SHUTDOWN_SUSPEND 2
#define KOAN_SHUTDOWN_CRASH 3

#ifndef __ASSEMBLER__
/*
 * KOAN_HC_MMU_UPDATE (reqs, count, done): apply `count` requests, in order,
 * stopping at the first that fails; if `done` is not 0, the number applied
 * is written there. Returns 0 or the failing request's error.
 *   ptr's low two bits are the command, the rest a machine address:
 *   KOAN_MMU_NORMAL_PT_UPDATE: the 4-byte entry at ptr, in one of the
 *     domain's page tables (validated, in use), becomes val, if val obeys
 *     the rules of lab 2 (own frames only, no writable page table, no
 *     hypervisor slot); else -KOAN_EINVAL.
 *   KOAN_MMU_MACHPHYS_UPDATE: m2p[ptr >> 12] = val, for a frame the domain
 *     owns (so it can keep the M2P right when it rearranges its memory).
 */
#define KOAN_MMU_NORMAL_PT_UPDATE 0
#define KOAN_MMU_MACHPHYS_UPDATE 1
#define KOAN_MMU_BATCH_MAX 65536u /* larger counts: -KOAN_EINVAL */

struct koan_mmu_update {
	uint32_t ptr; /* IN: machine address | command */
	uint32_t val; /* IN: the new entry */
};

/* KOAN_HC_UPDATE_VA_MAPPING (va, val, flags): the page-table entry that maps
 * va in the current address space becomes val (checked as above). */
#define KOAN_UVMF_INVLPG 1    /* then flush va from the TLB */
#define KOAN_UVMF_TLB_FLUSH 2 /* then flush the whole TLB */

/* KOAN_HC_MMUEXT_OP (ops, count, done): as mmu_update, for these commands. */
#define KOAN_MMUEXT_PIN_L1_TABLE 0 /* arg = mfn: validate as a page table, keep it so */
#define KOAN_MMUEXT_PIN_L2_TABLE 1 /* arg = mfn: the same, as a page directory */
#define KOAN_MMUEXT_UNPIN_TABLE 4  /* arg = mfn: drop the pin */
#define KOAN_MMUEXT_NEW_BASEPTR 5  /* arg = mfn: load this (validated) directory */
#define KOAN_MMUEXT_TLB_FLUSH 6	   /* flush the TLB */
#define KOAN_MMUEXT_INVLPG 7	   /* arg = va: flush one page */

struct koan_mmuext_op {
	uint32_t cmd; /* IN */
	uint32_t arg; /* IN */
};

/* KOAN_HC_MULTICALL (calls, count): make `count` hypercalls in one trap, each
 * result stored in its entry. A multicall inside a multicall is refused, and
 * so is sched_op (a yield would leave the rest of the batch undone). */
#define KOAN_MULTICALL_MAX 64u

struct koan_multicall {
	uint32_t op;	  /* IN: hypercall number */
	uint32_t args[5]; /* IN */
	int32_t result;	  /* OUT */
};

/*
 * KOAN_HC_SET_TRAP_TABLE (table): the guest's own handlers, a virtual IDT.
 * `table` lists entries up to one whose address is 0 (at most 256); table 0
 * forgets them all. Vectors: the CPU's exceptions (0-31) and the two system
 * call vectors below, nothing else (-KOAN_EINVAL). Each handler must be
 * ring-1 code: cs =
 * KOAN_GUEST_KERNEL_CS (else -KOAN_EPERM) and an address below
 * KOAN_M2P_START (else -KOAN_EINVAL).
 *
 * When the guest (ring 1 or 3) takes an exception it has a handler for, the
 * hypervisor "bounces" it: it builds on the guest kernel's stack the frame
 * the CPU would have built, and resumes the guest at its handler. From the
 * top of the stack: [cr2, for a page fault] [error code, for the vectors
 * that have one] eip cs eflags [esp ss, if it came from ring 3]. A trap from
 * ring 3 switches to the stack given with KOAN_HC_STACK_SWITCH. The handler
 * drops cr2 and the error code and ends with iret. (Xen 2.0's frame.)
 *
 * A software interrupt (`int n`, n >= 32) reaches a handler only if the
 * entry's DPL (flags & 3) allows the caller's ring; otherwise, or with no
 * entry, the guest kernel gets a #GP whose error code is (n << 3) | 2, as
 * the CPU gives it. Two vectors for system calls from ring 3 (DPL 3):
 *   KOAN_FAST_SYSCALL_VECTOR: the hypervisor installs a real gate straight
 *     to the handler: ring 3 enters ring 1 without the hypervisor at all;
 *   KOAN_SLOW_SYSCALL_VECTOR: through the hypervisor, bounced like an
 *     exception, for comparison (make bench).
 */
#define KOAN_TI_DPL_MASK 3

struct koan_trap_info {
	uint8_t vector;	  /* IN */
	uint8_t flags;	  /* IN: DPL in bits 0-1 */
	uint16_t cs;	  /* IN: KOAN_GUEST_KERNEL_CS */
	uint32_t address; /* IN: the handler; 0 ends the table */
};

/*
 * KOAN_HC_FPU_TASKSWITCH (set): the guest kernel's own CR0.TS, for switching
 * its tasks' FPU state lazily (it cannot write CR0 itself). set = 1: its next
 * FPU instruction raises #NM, delivered to its handler for vector 7 (no
 * handler: the domain is crashed) with the FPU usable and TS clear again, as
 * the handler's clts would leave it. set = 0: clear it. Anything else:
 * -KOAN_EINVAL. (Xen's fpu_taskswitch.) However a guest sets it, the FPU's
 * contents are its own: the hypervisor switches them between domains.
 */

/* KOAN_HC_STACK_SWITCH (ss, esp): the guest kernel's stack for traps from
 * ring 3; ss must be KOAN_GUEST_KERNEL_DS, and the 28 bytes below esp (the
 * largest trap frame) must lie in the guest's writable range, below
 * KOAN_M2P_START (else -KOAN_EINVAL). */

/*
 * KOAN_HC_CONTROL_OP (op): domain 0 manages the others. Any other domain
 * gets -KOAN_EPERM; an unknown or dead domain -KOAN_ESRCH.
 *   KOAN_CTL_CREATE   build a domain from boot module `module` (one whose
 *                     command line says autostart=no, say); its id in `domain`
 *   KOAN_CTL_PAUSE    take `domain` off the CPU until it is unpaused
 *   KOAN_CTL_UNPAUSE
 *   KOAN_CTL_DESTROY  end `domain` and free its memory (not dom0 itself)
 *   KOAN_CTL_LIST     fill up to `count` koan_domain_info at `entries`;
 *                     `count` becomes the number written
 */
#define KOAN_CTL_CREATE 1
#define KOAN_CTL_PAUSE 2
#define KOAN_CTL_UNPAUSE 3
#define KOAN_CTL_DESTROY 4
#define KOAN_CTL_LIST 5

struct koan_control_op {
	uint32_t cmd;	  /* IN */
	uint32_t domain;  /* IN (OUT for create) */
	uint32_t module;  /* IN: create */
	uint32_t count;	  /* IN/OUT: list */
	uint32_t entries; /* IN: list, where the entries go */
};

struct koan_domain_info {
	uint32_t id;
	uint32_t state;	   /* KOAN_DOMSTATE_* (public/domain_state.h) */
	uint32_t nr_pages; /* its memory */
	char cmdline[52];  /* the start of its command line */
};

_Static_assert(sizeof(struct koan_control_op) == 20, "ABI layout");
_Static_assert(sizeof(struct koan_domain_info) == 64, "ABI layout");
_Static_assert(sizeof(struct koan_trap_info) == 8, "ABI layout");
_Static_assert(sizeof(struct koan_mmu_update) == 8, "ABI layout");
_Static_assert(sizeof(struct koan_mmuext_op) == 8, "ABI layout");
_Static_assert(sizeof(struct koan_multicall) == 28, "ABI layout");
#endif /* __ASSEMBLER__ */

#endif
