/*
 * The hypercall gate's entry: the same frame as every trap (lab 1's
 * trapentry.S), with vector 0x82 and no error code. trap() offers it to the
 * handler registered for that vector, do_hypercall() (hv/hypercall.c).
 */
#include <public/hypercall.h>

	.text
	.globl hypercall_entry
hypercall_entry:
	pushl $0
	pushl $KOAN_HYPERCALL_VECTOR
	jmp trap_common
