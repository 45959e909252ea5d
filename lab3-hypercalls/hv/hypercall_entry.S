/*
 * The hypercall gate's entry: the same frame as every trap (lab 1's
 * trapentry.S), with vector 0x82 and no error code. trap() offers it to the
 * handler registered for that vector, do_hypercall() (hv/hypercall.c).
 */
#include <public/hypercall.h>

	.section .entry.text, "ax" /* the trampoline: see lab 1's hv/guard.c */
	.globl hypercall_entry
hypercall_entry:
	pushl $0
	pushl $KOAN_HYPERCALL_VECTOR
	jmp trap_common

/* The slow system-call gate (KOAN_SLOW_SYSCALL_VECTOR, DPL 3): a trap like
 * any other, which bounce.c hands to the guest kernel's handler. */
	.globl slow_syscall_entry
slow_syscall_entry:
	pushl $0
	pushl $KOAN_SLOW_SYSCALL_VECTOR
	jmp trap_common
