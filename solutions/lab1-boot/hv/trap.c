/*
 * Where every trap lands after trapentry.S has saved the registers.
 *
 * Who is at fault decides what happens (Xen's policy, in three tiers):
 *  - a trap from a guest (ring 1 or 3) is the guest's business: a registered
 *    handler may deal with it (trap-and-emulate), otherwise the guest broke
 *    its own state and only that domain is crashed;
 *  - a trap from the hypervisor at an instruction listed in the exception
 *    table was expected (a probe): resume at its fixup;
 *  - any other trap from the hypervisor is a bug in the hypervisor: panic.
 * A guest must never be able to reach the last case.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/panic.h>
#include <koan/trap.h>

extern const struct guest_trap_handler __trap_handlers_start[], __trap_handlers_end[];
extern const struct extable_entry __extable_start[], __extable_end[];

static bool apply_fixup(struct trap_frame *tf)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
		if (e->insn == tf->eip) {
			tf->eip = e->fixup;
			return true;
		}
	}
	return false;
}

/* A trap that came from hypervisor code. */
static void hypervisor_trap(struct trap_frame *tf)
{
	if (apply_fixup(tf))
		return;
	/* The iret into a guest faulted: the frame or the guest's segments are
	 * bad. That is the domain's start that failed, not the hypervisor. */
	if (tf->eip == (uint32_t)(uintptr_t)trap_return_iret && current_domain())
		domain_crash(tf, "the CPU refused to enter the guest (fault on iret): "
				 "check the guest's GDT entries and its initial frame");
	panic_trap(tf);
}

// BEGIN EXERCISE lab1.6: who is at fault? (lab1-boot/README.md, Exercise 6)
//   trap(tf): every trap, once trapentry.S and trap_entry() have saved and
//   checked its frame. A trap from a guest (trap_from_guest(): ring 1 or 3,
//   or virtual-8086 mode) is offered to the GUEST_TRAP_HANDLERs registered
//   for its vector or for TRAP_ANY_VECTOR, in the table's order (their
//   priority); the first that returns true has dealt with it, and the guest
//   resumes from tf. If none does, that domain, and only it, ends:
//   domain_crash(tf, trap_name(tf->vector)). A trap from the hypervisor
//   goes to hypervisor_trap(). No trap from a guest may ever reach
//   hypervisor_trap(): it panics the machine.
/* Offer a guest's trap to the handlers registered for its vector. */
static bool offer_to_handlers(struct trap_frame *tf)
{
	for (const struct guest_trap_handler *h = __trap_handlers_start; h < __trap_handlers_end;
	     h++)
		if ((h->vector == tf->vector || h->vector == TRAP_ANY_VECTOR) && h->handle(tf))
			return true;
	return false;
}

void trap(struct trap_frame *tf)
{
	if (trap_from_guest(tf)) {
		if (offer_to_handlers(tf))
			return;
		domain_crash(tf, trap_name(tf->vector));
	}
	hypervisor_trap(tf);
}
// STUB
//> void trap(struct trap_frame *tf)
//> {
//> 	EXERCISE_TODO("lab1.6", "trap() in hv/trap.c treats every trap as the hypervisor's own");
//> 	(void)__trap_handlers_start, (void)__trap_handlers_end;
//> 	hypervisor_trap(tf);
//> }
// END EXERCISE
