/* gdt_reload_segments(cs, ds): after lgdt, make every segment register use
 * the new table. %cs can only be reloaded by a far jump or return. */
	.text
	.globl gdt_reload_segments
gdt_reload_segments:
	movl 8(%esp), %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl 4(%esp), %eax
	popl %ecx      /* return address */
	pushl %eax     /* new %cs */
	pushl %ecx
	lret
