/*
 * Entering the guest kernel's event callback (an "upcall"). The paper
 * (section 3.3) replaces hardware interrupts with this: on every way back
 * to a guest, if an event is pending and the guest's virtual interrupt
 * flag allows it, the hypervisor builds on the guest kernel's stack the
 * frame an interrupt would have built and resumes the guest at its
 * callback (Xen 2.0's test_all_events and create_bounce_frame).
 */
#include <koan/events.h>
#include <koan/hypercall.h>
#include <koan/virtual_idt.h>
#include <koan/x86.h>
#include <public/layout.h>
#include <public/memory.h>

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

HYPERCALL(KOAN_HC_SET_CALLBACKS, do_set_callbacks);

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

	if (!si)
		return;
	shared_info_update_time(d);
	if (!ev->cb.event_eip || !si->vcpu.upcall_pending || si->vcpu.upcall_mask)
		return;
	si->vcpu.upcall_mask = 1; /* the callback runs with "interrupts off" */
	if (!push_upcall_frame(d, tf))
		domain_crash(tf, "could not write the event frame on the guest's stack");
	tf->eip = ev->cb.event_eip;
	tf->eflags &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_VM);
	ev->upcalls++;
}

RETURN_TO_GUEST(deliver_events);
