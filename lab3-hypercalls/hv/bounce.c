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
	//   Collect the words in memory order, lowest address first: CR2 (for
	//   a page fault only), the error code (if has_error_code()), then eip,
	//   cs, eflags, and esp and ss when the trap came from ring 3. Write them
	//   just below `esp` with copy_to_guest() (never directly: the stack is
	//   the guest's choice) and report where they start.
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab3.5", "push_guest_frame() in hv/bounce.c builds no frame yet");
	(void)tf, (void)esp, (void)cr2, (void)new_esp, (void)has_error_code;
	return -KOAN_ENOSYS;
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
