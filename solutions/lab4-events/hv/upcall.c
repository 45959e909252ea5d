/*
 * Entering the guest kernel's event callback (an "upcall"). The paper
 * (section 3.3) replaces hardware interrupts with this: on every way back
 * to a guest, if an event is pending and the guest's virtual interrupt
 * flag allows it, the hypervisor builds on the guest kernel's stack the
 * frame an interrupt would have built and resumes the guest at its
 * callback (Xen 2.0's test_all_events and create_bounce_frame).
 */
#include <koan/events.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/virtual_idt.h>
#include <koan/x86.h>
#include <public/layout.h>
#include <public/memory.h>

// BEGIN EXERCISE lab4.7: register the callbacks (lab4-events/README.md, Exercise 4)
//   In: event_cs, event_eip, failsafe_cs, failsafe_eip, the guest's choice.
//   Out: 0 and the four kept in events_of(d)->cb; -KOAN_EPERM unless both
//   selectors are KOAN_GUEST_KERNEL_CS, -KOAN_EINVAL for an address at or
//   above KOAN_M2P_START; nothing kept on an error. event_eip 0 is allowed:
//   delivery off.
static int32_t do_set_callbacks(const struct hypercall_args *a)
{
	struct callbacks cb = { a->arg[0], a->arg[1], a->arg[2], a->arg[3] };

	if (cb.event_cs != KOAN_GUEST_KERNEL_CS || cb.failsafe_cs != KOAN_GUEST_KERNEL_CS)
		return -KOAN_EPERM; /* a ring-0 selector would hand the guest the CPU */
	if (cb.event_eip >= KOAN_M2P_START || cb.failsafe_eip >= KOAN_M2P_START)
		return -KOAN_EINVAL;
	events_of(current_domain())->cb = cb;
	return 0;
}
// STUB
//> static int32_t do_set_callbacks(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab4.7", "do_set_callbacks() in hv/upcall.c registers nothing yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_SET_CALLBACKS, do_set_callbacks);

// BEGIN EXERCISE lab4.8: enter the callback (lab4-events/README.md, Exercise 4)
//   deliver_events(d, tf), on every way back to the guest (its shared info's
//   time is already current): only if the domain has a shared-info page and
//   a callback, upcall_pending is set and upcall_mask clear: set
//   upcall_mask, push below the guest kernel's stack pointer (tf->esp from
//   ring 1; from ring 3 the stack of KOAN_HC_STACK_SWITCH,
//   guest_kernel_stack(), and then esp and ss first) the frame eip cs
//   eflags an interrupt would, with copy_to_guest() only, and resume at
//   event_eip in ring 1 on that stack, TF NT and VM cleared; count it in
//   ev->upcalls. A frame that cannot be written (or no kernel stack from
//   ring 3) crashes the domain, never the hypervisor.
/* The frame an interrupt leaves on the ring-1 stack: eip cs eflags, and
 * esp ss below them when it came from ring 3 (on the stack_switch stack). */
static bool push_upcall_frame(struct domain *d, struct trap_frame *tf)
{
	uint32_t words[5], esp;
	unsigned n = 0;
	bool from_ring3 = (tf->cs & 3) == 3;

	if (from_ring3) {
		const struct guest_stack *ks = guest_kernel_stack(d);
		if (!ks->esp)
			return false;
		esp = ks->esp;
	} else {
		esp = tf->esp;
	}
	words[n++] = tf->eip;
	words[n++] = tf->cs;
	words[n++] = tf->eflags;
	if (from_ring3) {
		words[n++] = tf->esp;
		words[n++] = tf->ss;
	}
	esp -= n * 4;
	if (copy_to_guest(esp, words, n * 4))
		return false;
	tf->esp = esp;
	tf->ss = KOAN_GUEST_KERNEL_DS;
	tf->cs = KOAN_GUEST_KERNEL_CS;
	return true;
}

static void deliver_events(struct domain *d, struct trap_frame *tf)
{
	struct events_domain *ev = events_of(d);
	struct koan_shared_info *si = shared_info_of(d);

	if (!si || !ev->cb.event_eip || !si->vcpu.upcall_pending || si->vcpu.upcall_mask)
		return;
	si->vcpu.upcall_mask = 1; /* the callback runs with "interrupts off" */
	if (!push_upcall_frame(d, tf))
		domain_crash(tf, "could not write the event frame on the guest's stack");
	tf->eip = ev->cb.event_eip;
	tf->eflags &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_VM);
	ev->upcalls++;
}
// STUB
//> static void deliver_events(struct domain *d, struct trap_frame *tf)
//> {
//> 	EXERCISE_TODO("lab4.8", "deliver_events() in hv/upcall.c delivers nothing yet");
//> 	(void)d, (void)tf;
//> }
// END EXERCISE

RETURN_TO_GUEST(deliver_events);
