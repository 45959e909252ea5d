/*
 * Guest kernel entry. The hypervisor starts us in ring 1 with %esi pointing
 * at our struct koan_start_info (public/start_info.h). Set up our own stack
 * and go to C.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	movl $guest_stack_top, %esp
	xorl %ebp, %ebp
	pushl %esi
	call guest_kernel_start
1:	jmp 1b

	.bss
	.align 16
guest_stack:
	.space 16384
guest_stack_top:
