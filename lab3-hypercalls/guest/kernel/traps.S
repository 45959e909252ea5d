/*
 * The guest kernel's trap entries (registered with KOAN_HC_SET_TRAP_TABLE)
 * and its way into ring 3 and back. The hypervisor (or, for the fast system
 * call, the CPU) has left on our stack: [cr2] [error] eip cs eflags
 * [esp ss]. Each stub saves the registers, calls C with a pointer to them,
 * drops cr2 and the error code, and returns with iret.
 */
#include <public/layout.h>

.macro TRAP_STUB name, handler, extra
	.globl \name
\name:
	pushal
	pushl %esp
	call \handler
	addl $4, %esp
	popal
	addl $\extra, %esp
	iret
.endm

	.text
TRAP_STUB gtrap_de, guest_trap_simple, 0
TRAP_STUB gtrap_ud, guest_trap_simple, 0
TRAP_STUB gtrap_gp, guest_trap_error, 4
TRAP_STUB gtrap_pf, guest_trap_page_fault, 8
TRAP_STUB gsys_fast, guest_syscall, 0
TRAP_STUB gsys_slow, guest_syscall, 0

/* int enter_user(entry, user_stack_top): run entry in ring 3 until it
 * makes the exit system call; returns the exit code (leave_user). */
	.globl enter_user
enter_user:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, saved_kernel_esp
	movl 20(%esp), %eax
	movl 24(%esp), %ecx
	movw $KOAN_GUEST_USER_DS, %dx
	movw %dx, %ds
	movw %dx, %es
	movw %dx, %fs
	movw %dx, %gs
	pushl $KOAN_GUEST_USER_DS
	pushl %ecx
	pushfl
	pushl $KOAN_GUEST_USER_CS
	pushl %eax
	iret

/* leave_user(code): back to where enter_user was called, from a system
 * call handler (on the ring-1 trap stack, which is simply abandoned). */
	.globl leave_user
leave_user:
	movl 4(%esp), %eax
	movl saved_kernel_esp, %esp
	movw $KOAN_GUEST_KERNEL_DS, %dx
	movw %dx, %ds
	movw %dx, %es
	movw %dx, %fs
	movw %dx, %gs
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.bss
	.align 4
saved_kernel_esp:
	.long 0
