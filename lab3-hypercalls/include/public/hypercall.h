/*
 * Koan public ABI, lab 3: hypercalls.
 *
 * A guest kernel calls the hypervisor with `int $0x82` from ring 1 (the
 * gate refuses ring 3): %eax = the hypercall number, %ebx, %ecx, %edx, %esi,
 * %edi = up to five arguments; the result comes back in %eax, 0 or more for
 * success, a negative KOAN_E* for failure. Other registers are preserved.
 * Numbers follow Xen's (2.0) where Xen has the call, and never change once
 * published.
 *
 * Stable from ABI version 3 on.
 */
#ifndef KOAN_PUBLIC_HYPERCALL_H
#define KOAN_PUBLIC_HYPERCALL_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define KOAN_HYPERCALL_VECTOR 0x82
#define KOAN_ABI_VERSION 3

/* Hypercall numbers. */
#define KOAN_HC_SET_TRAP_TABLE 0     /* (lab 3, to come) */
#define KOAN_HC_MMU_UPDATE 1         /* (lab 3, to come) */
#define KOAN_HC_STACK_SWITCH 3       /* (lab 3, to come) */
#define KOAN_HC_SCHED_OP 6           /* cmd, arg */
#define KOAN_HC_CONTROL_OP 7         /* (lab 3, to come: Xen's dom0_op) */
#define KOAN_HC_MULTICALL 13         /* (lab 3, to come) */
#define KOAN_HC_UPDATE_VA_MAPPING 14 /* (lab 3, to come) */
#define KOAN_HC_VERSION 17           /* () -> KOAN_ABI_VERSION; Xen's xen_version */
#define KOAN_HC_CONSOLE_IO 18        /* cmd, count, buffer */
#define KOAN_HC_MMUEXT_OP 26         /* (lab 3, to come) */

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
#define KOAN_CONSOLE_READ 1  /* dom0 only: read up to count bytes, without waiting;
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

#endif
