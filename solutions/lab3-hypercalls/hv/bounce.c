/*
 * Bouncing a trap to the guest's own handler. As the paper describes for
 * exceptions (section 2.1.2), a guest registers a table of handlers much
 * like a real IDT; the hypervisor builds, on the guest kernel's stack, the
 * frame the CPU would have built had the guest kernel been in ring 0, and
 * resumes the guest at its handler in ring 1.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/trap.h>
#include <koan/virtual_idt.h>
#include <koan/x86.h>
#include <public/layout.h>

#define GP_ERROR_IDT 2 /* the error code names an IDT entry (SDM Vol. 3A, 6.13) */
#define INT_N_BYTES 2  /* int imm8: CD nn */

static bool has_error_code(uint32_t vector)
{
	return vector == T_DF || (vector >= T_TS && vector <= T_PF) || vector == T_AC;
}

/*
 * Write the guest's exception frame below `esp` (see public/hypercall.h for
 * its layout) and return the new top of stack in *new_esp. Returns 0, or
 * -KOAN_EFAULT if the guest's stack cannot take it.
 */
static int push_guest_frame(const struct trap_frame *tf, uint32_t esp, uint32_t cr2,
			    uint32_t *new_esp)
{
	// BEGIN EXERCISE lab3.5: the guest's exception frame (lab3-hypercalls/README.md, Exercise 5)
	//   In: a trap from the guest and the guest kernel's stack pointer, `esp`.
	//   Out: 0 and *frame_va, the lowest address of the frame written just below
	//   `esp`, laid out as the CPU would for a trap to ring 1 (README, "Bouncing
	//   an exception"): CR2 first for a page fault, then the error code for the
	//   vectors that have one, eip, cs, eflags, and esp and ss when the trap came
	//   from ring 3; the copy's error if the guest may not write there (the
	//   stack is the guest's choice: only copy_to_guest() may write it).
	uint32_t words[7];
	unsigned n = 0;
	bool from_ring3 = (tf->cs & 3) == 3;

	if (tf->vector == T_PF)
		words[n++] = cr2;
	if (has_error_code(tf->vector))
		words[n++] = tf->error;
	words[n++] = tf->eip;
	words[n++] = tf->cs;
	words[n++] = tf->eflags;
	if (from_ring3) {
		words[n++] = tf->esp;
		words[n++] = tf->ss;
	}
	*new_esp = esp - n * sizeof(uint32_t);
	return copy_to_guest(*new_esp, words, n * sizeof(uint32_t));
	// STUB
	//> EXERCISE_TODO("lab3.5", "push_guest_frame() in hv/bounce.c builds no frame yet");
	//> (void)tf, (void)esp, (void)cr2, (void)new_esp, (void)has_error_code;
	//> return -KOAN_ENOSYS;
	// END EXERCISE
}

/* Offered every trap a guest takes that nothing before handled. */
static bool bounce_to_guest(struct trap_frame *tf)
{
	struct domain *d = current_domain();
	const struct virtual_gate *g = virtual_gate(d, tf->vector);
	const struct guest_stack *ks = guest_kernel_stack(d);
	uint32_t cr2 = read_cr2(), esp, new_esp;

	/* Only exceptions and the slow system call are bounced: interrupts
	 * (the timer) are the hypervisor's, whatever a guest registered. */
	if (tf->vector >= NR_EXCEPTIONS) {
		if (tf->vector != KOAN_SLOW_SYSCALL_VECTOR)
			return false;
		/* `int n` reaches a handler only if the entry lets the caller's
		 * ring use it; else the CPU raises #GP with the gate in the error
		 * code (SDM Vol. 3A, 6.12.1.1), and so does the hypervisor. */
		if (!g || (tf->cs & 3) > g->dpl) {
			tf->error = tf->vector << 3 | GP_ERROR_IDT;
			tf->vector = T_GP;
			tf->eip -= INT_N_BYTES; /* a fault: at the int, not after it */
			g = virtual_gate(d, T_GP);
		}
	}
	if (!g)
		return false;
	if ((tf->cs & 3) == 3) {
		if (!ks->esp)
			domain_crash(tf, "a trap from ring 3, but no kernel stack (stack_switch)");
		esp = ks->esp;
	} else {
		esp = tf->esp;
	}
	if (push_guest_frame(tf, esp, cr2, &new_esp))
		domain_crash(tf, "could not write the exception frame on the guest's stack");
	tf->eip = g->address;
	tf->cs = g->cs;
	tf->esp = new_esp;
	tf->ss = KOAN_GUEST_KERNEL_DS;
	tf->eflags &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_VM);
	return true;
}

GUEST_TRAP_HANDLER(TRAP_ANY_VECTOR, TRAP_PRIO_BOUNCE, bounce_to_guest);
