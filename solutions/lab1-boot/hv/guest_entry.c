/*
 * The state a guest kernel starts in. The CPU cannot "call" into a lower
 * privilege level; the way down is to build the frame a trap from ring 1
 * would have pushed and `iret` to it (SDM Vol. 3A, 6.12.1: an iret to an
 * outer level pops EIP, CS, EFLAGS, ESP and SS). trap_return() does the iret.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/trap.h>
#include <koan/x86.h>
#include <public/layout.h>

void guest_initial_frame(struct trap_frame *tf, uint32_t entry, uint32_t stack, uint32_t start_info)
{
	*tf = (struct trap_frame){ 0 };
	// BEGIN EXERCISE lab1.5: the guest's first frame (lab1-boot/README.md, Exercise 5)
	//   Out: *tf (already all zero) such that trap_return(tf) starts the guest
	//   kernel at `entry` in ring 1 on the stack `stack`, with %esi =
	//   start_info as public/start_info.h promises: every segment register a
	//   ring-1 guest selector (code in cs, data in the others), and EFLAGS
	//   with interrupts off, IOPL 0 (its in, out, cli and sti must trap) and
	//   only the always-one bit set otherwise. guest_frame_problem() below
	//   checks exactly this before any iret.
	tf->eip = entry;
	tf->cs = KOAN_GUEST_KERNEL_CS;
	tf->eflags = EFLAGS_RESERVED1;
	tf->esp = stack;
	tf->ss = KOAN_GUEST_KERNEL_DS;
	tf->ds = tf->es = tf->fs = tf->gs = KOAN_GUEST_KERNEL_DS;
	tf->esi = start_info;
	// STUB
	//> EXERCISE_TODO("lab1.5", "guest_initial_frame() in hv/guest_entry.c builds no frame yet");
	//> (void)entry, (void)stack, (void)start_info;
	// END EXERCISE
}

/* The hypervisor checks the frame before the iret: a mistake here must not
 * hand a guest ring 0 or I/O privilege. */
const char *guest_frame_problem(const struct trap_frame *tf)
{
	if (tf->cs != KOAN_GUEST_KERNEL_CS)
		return "cs is not the ring-1 guest code selector";
	if (tf->ss != KOAN_GUEST_KERNEL_DS || tf->ds != KOAN_GUEST_KERNEL_DS ||
	    tf->es != KOAN_GUEST_KERNEL_DS || tf->fs != KOAN_GUEST_KERNEL_DS ||
	    tf->gs != KOAN_GUEST_KERNEL_DS)
		return "a data segment register is not the ring-1 guest data selector";
	if (tf->eflags & EFLAGS_IOPL_MASK)
		return "IOPL is not 0: the guest could do port I/O";
	if (tf->eflags & EFLAGS_IF)
		return "IF is set: the guest must start with interrupts off";
	if (tf->eflags & (EFLAGS_VM | EFLAGS_NT))
		return "VM or NT is set";
	if (!(tf->eflags & EFLAGS_RESERVED1))
		return "EFLAGS bit 1 (always one) is clear";
	if (tf->eip >= KOAN_HV_START || tf->esp > KOAN_HV_START)
		return "eip or esp points into the hypervisor";
	return 0;
}
