/*
 * Trap entry points: one small stub per exception vector pushes an error
 * code if the CPU did not (so every frame looks the same) and the vector
 * number, then the common path saves the registers as a struct trap_frame
 * (include/koan/trap.h) and calls trap_entry(). The policy is all in C.
 *
 * All of this file is the trampoline (hv/guard.c): code that runs while a
 * guest's page directory may still be loaded, so it touches only the
 * trampoline's pages until it has switched to the hypervisor's own:
 *
 *   on the way in   the CPU has pushed the guest's frame on the entry stack
 *                   (TSS esp0): load our page directory, then move the frame
 *                   to our own stack, which no guest maps;
 *   on the way out  copy the frame to the entry stack, load the guest's page
 *                   directory, pop, iret.
 *
 * That is xpti mode. Under the paper's guard (segments) our directory is the
 * guest's, with the hypervisor in its top 64 MB, and TSS esp0 is our own
 * stack: nothing moves, nothing is switched.
 */
#include <koan/gdt.h>
#include <koan/trap.h>

/* Vectors for which the CPU pushes an error code (SDM Vol. 3A, 6.15). */
#define TRAP_NOERR(n) \
	.globl trap_vector_##n; trap_vector_##n: pushl $0; pushl $n; jmp trap_common
#define TRAP_ERR(n) \
	.globl trap_vector_##n; trap_vector_##n: pushl $n; jmp trap_common

#define EFLAGS_VM 0x00020000

	.section .entry.text, "ax"
TRAP_NOERR(0);  TRAP_NOERR(1);  TRAP_NOERR(2);  TRAP_NOERR(3)
TRAP_NOERR(4);  TRAP_NOERR(5);  TRAP_NOERR(6);  TRAP_NOERR(7)
TRAP_ERR(8);    TRAP_NOERR(9);  TRAP_ERR(10);   TRAP_ERR(11)
TRAP_ERR(12);   TRAP_ERR(13);   TRAP_ERR(14);   TRAP_NOERR(15)
TRAP_NOERR(16); TRAP_ERR(17);   TRAP_NOERR(18); TRAP_NOERR(19)
TRAP_NOERR(20); TRAP_ERR(21);   TRAP_NOERR(22); TRAP_NOERR(23)
TRAP_NOERR(24); TRAP_NOERR(25); TRAP_NOERR(26); TRAP_NOERR(27)
TRAP_NOERR(28); TRAP_ERR(29);   TRAP_ERR(30);   TRAP_NOERR(31)

	.globl trap_common
trap_common:
	/* A guest may leave DF set (std): an interrupt gate clears IF, TF, NT
	 * and RF but not DF (SDM Vol. 3A, 6.12.1.3), and the C code (gcc's
	 * rep movs for a struct copy) counts on it being clear. */
	cld
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movw $HV_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	cmpb $0, guard_xpti
	je 3f /* segments: the CPU pushed the frame on our own stack */
	movl guard_hv_cr3, %eax
	movl %eax, %cr3
	/* From a guest (ring 1 or 3, or virtual-8086 mode): off the entry stack. */
	testl $EFLAGS_VM, TF_EFLAGS(%esp)
	jnz 2f
	testl $3, TF_CS(%esp)
	jz 3f
2:	movl %esp, %esi
	movl $(boot_stack_top - TF_SIZE), %edi
	movl $TF_WORDS, %ecx
	rep movsl
	movl $(boot_stack_top - TF_SIZE), %esp
3:	movl %esp, %eax
	pushl %eax /* the struct trap_frame * */
	call trap_entry
	addl $4, %esp
	jmp restore_and_iret

/*
 * trap_return(tf): resume the code whose state is in *tf. Used both to
 * return from a trap and to enter a guest for the first time.
 */
	.globl trap_return
trap_return:
	movl 4(%esp), %esp
restore_and_iret:
	testl $3, TF_CS(%esp)
	jz 4f /* back into the hypervisor: as it was */
	cmpb $0, guard_xpti
	je 4f /* segments: from where it is */
	movl %esp, %esi
	movl $(_entry_stack_end - TF_SIZE), %edi
	movl $TF_WORDS, %ecx
	rep movsl
	movl $(_entry_stack_end - TF_SIZE), %esp
	movl guard_guest_cr3, %eax
	movl %eax, %cr3 /* from here on, only the trampoline is mapped */
4:	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp /* vector and error code */
	.globl trap_return_iret
trap_return_iret:
	iret

/* The table idt.c reads to install the gates. */
	.section .rodata
	.align 4
	.globl trap_vectors
trap_vectors:
	.long trap_vector_0,  trap_vector_1,  trap_vector_2,  trap_vector_3
	.long trap_vector_4,  trap_vector_5,  trap_vector_6,  trap_vector_7
	.long trap_vector_8,  trap_vector_9,  trap_vector_10, trap_vector_11
	.long trap_vector_12, trap_vector_13, trap_vector_14, trap_vector_15
	.long trap_vector_16, trap_vector_17, trap_vector_18, trap_vector_19
	.long trap_vector_20, trap_vector_21, trap_vector_22, trap_vector_23
	.long trap_vector_24, trap_vector_25, trap_vector_26, trap_vector_27
	.long trap_vector_28, trap_vector_29, trap_vector_30, trap_vector_31

/* The entry stack: two pages in the trampoline, writable (the CPU pushes on
 * them). Nothing is left there but the frame of the guest about to run. */
	.section .entry.stack, "aw", @nobits
	.space 8192
