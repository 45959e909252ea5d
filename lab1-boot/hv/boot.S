/*
 * The hypervisor's first instructions.
 *
 * A Multiboot loader (GRUB2, or QEMU's -kernel) jumps to _start in 32-bit
 * protected mode with paging off, %eax = the Multiboot magic, %ebx = the
 * physical address of the multiboot_info. We are linked at KOAN_HV_START + 1 MB
 * but loaded at 1 MB, so until paging is on every address of ours must be
 * translated with V2P().
 *
 * The boot page directory uses 4 MB pages (CR4.PSE) for two views of the
 * first 64 MB of physical memory:
 *
 *   virtual                        physical      who may use it
 *   0xFC000000 - 0xFFFFFFFF  ->  0 - 64 MB     the hypervisor (supervisor only)
 *   0x00000000 - 0x03FFFFFF  ->  0 - 64 MB     identity: boot, and lab 1's guests
 *
 * Lab 1's guests run on the identity map, from 16 MB up; kmain() unmaps the
 * low 16 MB (the hypervisor's image, the modules) once paging is on. Ring 1
 * counts as "supervisor" for paging, so only the segment limits keep it out
 * of the hypervisor's view; lab 2 gives every domain page tables of its own.
 */
#include <koan/multiboot.h>
#include <public/layout.h>

#define V2P(x) ((x) - KOAN_HV_START)

#define MB_FLAGS (1 << 0 | 1 << 1) /* page-align modules; give us a memory map */

#define PDE_P 0x001
#define PDE_W 0x002
#define PDE_U 0x004
#define PDE_PS 0x080 /* 4 MB page */
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010

#define NR_4MB_PAGES (KOAN_HV_SIZE >> 22) /* 16 */
#define HV_PDE_FIRST (KOAN_HV_START >> 22) /* 1008 */

	.section .multiboot, "a"
	.align 4
	.long MULTIBOOT_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.globl _start
_start:
	cli
	cld
	/* Turn on 4 MB pages, load the boot page directory, enable paging. */
	movl %cr4, %ecx
	orl $CR4_PSE, %ecx
	movl %ecx, %cr4
	movl $V2P(boot_page_directory), %ecx
	movl %ecx, %cr3
	movl %cr0, %ecx
	orl $(CR0_PG | CR0_WP), %ecx
	movl %ecx, %cr0

	/* Still running at the low address: jump to the high one. */
	movl $high_start, %ecx
	jmp *%ecx

high_start:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp /* end of the backtrace chain */
	pushl %ebx      /* multiboot_info, physical */
	pushl %eax      /* magic */
	call kmain
1:	cli
	hlt
	jmp 1b

/*
 * call_on_fresh_stack(fn): drop the whole hypervisor stack and call fn on an
 * empty one. Used when a domain ends: whatever trap frames were on the stack
 * belong to a guest that will not run again.
 */
	.text
	.globl call_on_fresh_stack
call_on_fresh_stack:
	movl 4(%esp), %eax
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp
	call *%eax
2:	cli
	hlt
	jmp 2b

	.data
	.align 4096
	.globl boot_page_directory
boot_page_directory:
	/* Identity map of the first 64 MB. */
	.set i, 0
	.rept NR_4MB_PAGES
	.long (i << 22) | PDE_P | PDE_W | PDE_U | PDE_PS
	.set i, i + 1
	.endr
	.fill HV_PDE_FIRST - NR_4MB_PAGES, 4, 0
	/* The same 64 MB again at KOAN_HV_START, for the hypervisor only. */
	.set i, 0
	.rept NR_4MB_PAGES
	.long (i << 22) | PDE_P | PDE_W | PDE_PS
	.set i, i + 1
	.endr

	.bss
	.align 4096
	.globl boot_stack, boot_stack_top
boot_stack:
	.space 16384
boot_stack_top:
