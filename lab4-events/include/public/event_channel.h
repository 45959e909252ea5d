/*
 * Koan public ABI, lab 4: event channels, callbacks, the one-shot timer.
 *
 * An event channel connects two ports, one in each of two domains (or one
 * port to a virtual IRQ the hypervisor raises). Sending on a port sets the
 * peer's bit in its shared-info page (public/shared_info.h) and, unless the
 * peer masked the port or its whole upcall, makes the hypervisor enter the
 * peer's event callback the next time it runs. An event is one bit: sent
 * twice before it was seen, it is seen once (the paper, section 3.3: "a
 * lightweight notification mechanism"; Xen 2.0's event channels).
 *
 * Numbers follow Xen 2.0's (3.0's for unmask) and never change once
 * published. Stable from ABI version 4 on.
 */
#ifndef KOAN_PUBLIC_EVENT_CHANNEL_H
#define KOAN_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

#define KOAN_HC_SET_CALLBACKS 4	    /* event_cs, event_eip, failsafe_cs, failsafe_eip */
#define KOAN_HC_SET_TIMER_OP 15	    /* deadline_lo, deadline_hi */
#define KOAN_HC_EVENT_CHANNEL_OP 16 /* op: a struct koan_evtchn_op */

#define KOAN_EEXIST 17 /* already there (a virtual IRQ bound twice) */
#define KOAN_ENOSPC 28 /* the domain's port table is full */

/* The shared-info bitmaps have room for this many ports... */
#define KOAN_EVTCHN_BITMAP_PORTS 1024u
/* ... and a domain's port table for this many: ports 1 .. 127. Port 0 is
 * never handed out (an unset port variable names no channel). */
#define KOAN_EVTCHN_MAX_PORTS 128u

/* In a domain field: the caller itself. */
#define KOAN_DOMID_SELF 0x7FF0u

/* Virtual IRQs: events the hypervisor raises (Xen 2.0's numbers where it has them). */
#define KOAN_VIRQ_TIMER 1   /* the one-shot timer of KOAN_HC_SET_TIMER_OP expired */
#define KOAN_VIRQ_CONSOLE 3 /* dom0 only: console input is waiting (KOAN_CONSOLE_READ) */
#define KOAN_VIRQ_DOM_EXC 4 /* dom0 only: a domain ended (KOAN_CTL_LIST tells which) */
#define KOAN_VIRQ_TICK 8    /* the hypervisor's 100 Hz tick, for a periodic timer */
#define KOAN_NR_VIRQS 16u

/* KOAN_HC_EVENT_CHANNEL_OP commands. Each returns 0, or -KOAN_EINVAL for a
 * port out of range or in the wrong state, -KOAN_ESRCH for no such domain,
 * -KOAN_EPERM for another domain's port without the right. */
#define KOAN_EVTCHNOP_BIND_INTERDOMAIN 0
#define KOAN_EVTCHNOP_BIND_VIRQ 1
#define KOAN_EVTCHNOP_CLOSE 3
#define KOAN_EVTCHNOP_SEND 4
#define KOAN_EVTCHNOP_STATUS 5
#define KOAN_EVTCHNOP_ALLOC_UNBOUND 6
#define KOAN_EVTCHNOP_UNMASK 9

/* A port's state, as KOAN_EVTCHNOP_STATUS reports it. */
#define KOAN_EVTCHNSTAT_CLOSED 0      /* free: no channel */
#define KOAN_EVTCHNSTAT_UNBOUND 1     /* waiting for remote_dom to bind to it */
#define KOAN_EVTCHNSTAT_INTERDOMAIN 2 /* connected to remote_port of remote_dom */
#define KOAN_EVTCHNSTAT_VIRQ 4	      /* bound to virtual IRQ virq */

struct koan_evtchn_op {
	uint32_t cmd; /* IN: KOAN_EVTCHNOP_* */
	union {
		/* A new port of `dom` (the caller's own, or any for dom0), unbound:
		 * only `remote_dom` may bind to it. OUT: port; -KOAN_ENOSPC when
		 * the table is full. */
		struct {
			uint32_t dom, remote_dom; /* IN */
			uint32_t port;		  /* OUT */
		} alloc_unbound;
		/* Connect a port of dom1 (the caller's own, or any for dom0) with a
		 * port of dom2. A port given (not 0) must be unbound, waiting for
		 * the other domain; 0 makes a new one, which only dom0 may do in
		 * another domain than its own. OUT: both ports. */
		struct {
			uint32_t dom1, dom2;   /* IN */
			uint32_t port1, port2; /* IN/OUT */
		} bind_interdomain;
		/* A new port of the caller's, raised by virtual IRQ `virq` (each at
		 * most once per domain: -KOAN_EEXIST; dom0's ones to dom0 only). */
		struct {
			uint32_t virq; /* IN */
			uint32_t port; /* OUT */
		} bind_virq;
		/* Free one of the caller's ports. A connected peer goes back to
		 * unbound, waiting for this domain again. */
		struct {
			uint32_t port; /* IN */
		} close;
		/* Raise the event at the other end of one of the caller's connected
		 * ports. */
		struct {
			uint32_t port; /* IN */
		} send;
		/* What a port of `dom` (the caller's own, or any for dom0) is. */
		struct {
			uint32_t dom, port;   /* IN */
			uint32_t status;      /* OUT: KOAN_EVTCHNSTAT_* */
			uint32_t remote_dom;  /* OUT: UNBOUND, INTERDOMAIN */
			uint32_t remote_port; /* OUT: INTERDOMAIN; the virq for VIRQ */
		} status;
		/* Clear the caller's mask bit of a port; an event that arrived while
		 * it was masked is delivered now. */
		struct {
			uint32_t port; /* IN */
		} unmask;
		uint32_t pad[6];
	} u;
};

_Static_assert(sizeof(struct koan_evtchn_op) == 28, "ABI layout");

/*
 * KOAN_HC_SET_CALLBACKS (event_cs, event_eip, failsafe_cs, failsafe_eip):
 * where the hypervisor enters the guest kernel to deliver events, and where
 * it goes instead when the frame it would resume the guest from cannot be
 * used. Both selectors must be KOAN_GUEST_KERNEL_CS (else -KOAN_EPERM) and
 * both addresses below KOAN_M2P_START (else -KOAN_EINVAL); event_eip 0
 * turns delivery off.
 *
 * Delivery: whenever the guest is about to run with upcall_pending set and
 * upcall_mask clear in its shared info, the hypervisor sets upcall_mask and
 * builds on the guest kernel's stack the frame an interrupt would have
 * (from the top: eip cs eflags [esp ss, if it was in ring 3, on the stack of
 * KOAN_HC_STACK_SWITCH]), then resumes the guest at event_eip. The callback
 * ends with iret, after clearing upcall_mask and checking upcall_pending
 * once more (public/shared_info.h).
 *
 * KOAN_HC_SET_TIMER_OP (deadline_lo, deadline_hi): raise KOAN_VIRQ_TIMER
 * once the system time (ns since boot, shared info) reaches the 64-bit
 * deadline; a deadline already past raises it at once, 0 cancels. One
 * timer per domain: a new deadline replaces the old.
 *
 * KOAN_HC_SCHED_OP KOAN_SCHED_BLOCK: sleep until an event is pending for
 * the domain (upcall_pending), and clear upcall_mask (so that the wake-up
 * is delivered). A domain that blocks with an event already pending does
 * not sleep. Blocked, it shows as "blocked" in dom0's list.
 */

#endif
