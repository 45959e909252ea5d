/*
 * The guest kernel's event callback (registered with KOAN_HC_SET_CALLBACKS).
 * The hypervisor enters it with upcall_mask set and the frame of an
 * interrupt on our stack: eip cs eflags (only ever from ring 1 here, or
 * [esp ss] too, from ring 3).
 *
 * The critical region. After the scan we clear upcall_mask (our sti), then
 * must look at upcall_pending once more, or an event raised just before
 * would wait for the next one. Between that test and the end of the iret an
 * upcall can arrive (on the next tick), and its frame lands on top of ours,
 * half popped. Re-entering the callback there would grow the stack with
 * every event; instead the fixup below makes the two frames one again and
 * scans: whatever our iret would have done, the new callback does (Xen 2.0
 * and Mini-OS's critical_region_fixup, simplified: this region pops in one
 * instruction, popal).
 */
#include <public/layout.h>

	.text
	.globl hypervisor_callback
hypervisor_callback:
	pushal
	movl 32(%esp), %eax	/* where the upcall interrupted us */
	cmpl $scrit, %eax
	jb 1f
	cmpl $ecrit, %eax
	jb critical_region_fixup
1:	call events_do_upcall
	movl shared_info, %esi
	movb $0, 1(%esi)	/* upcall_mask = 0: events on again */
scrit:
	testb $0xFF, (%esi)	/* upcall_pending: raised since the scan? */
	jnz 2f
	popal
at_iret:
	iret
ecrit:
2:	movb $1, 1(%esi)	/* mask again, and scan again */
	jmp 1b

/*
 * An upcall in [scrit, ecrit). Before popal (testb, jnz, popal itself) our
 * frame is whole under the new one: drop the new one (44 bytes) and scan.
 * At the iret, popal has run: the registers the new pushal saved are ours
 * anyway; the new eip cs eflags (12 bytes) sit between them and our own
 * eip cs eflags: slide the 32 saved bytes up over them.
 */
critical_region_fixup:
	cmpl $at_iret, %eax
	je 3f
	addl $44, %esp
	jmp 1b
3:	movl $7, %ecx
4:	movl (%esp,%ecx,4), %eax
	movl %eax, 12(%esp,%ecx,4)
	decl %ecx
	jns 4b
	addl $12, %esp
	jmp 1b

/* The failsafe callback: Koan checks every frame before it resumes one, and
 * crashes the domain instead, so this is never entered; it is registered
 * because the ABI asks for one. */
	.globl failsafe_callback
failsafe_callback:
	iret
