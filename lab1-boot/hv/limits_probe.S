/*
 * probe_limit_fault(): returns 1 if a load beyond a segment's limit faults,
 * 0 if it silently succeeds. The load at probe_load is listed in the
 * exception table: if it raises #GP, trap() resumes at probe_fixup instead
 * of panicking.
 *
 * PROBE_DS is a 4 KB data segment at KOAN_HV_START, so %fs:0x2000 is 4 KB
 * past its limit, at a linear address the hypervisor's own mapping covers
 * (so that the only possible fault is the limit's).
 */
#include <koan/gdt.h>

	.text
	.globl probe_limit_fault
probe_limit_fault:
	pushl %fs
	movw $PROBE_DS, %ax
	movw %ax, %fs
	xorl %eax, %eax
probe_load:
	movl %fs:0x2000, %ecx
	jmp 1f
probe_fixup:
	movl $1, %eax
1:	popl %fs
	ret

	.section .extable, "a"
	.align 4
	.long probe_load, probe_fixup
