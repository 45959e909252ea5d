/*
 * KOAN_HC_EVENT_CHANNEL_OP: the guest's view of the port state machine
 * (hv/evtchn.c). This file decides who may do what (a domain works on its
 * own ports; dom0, the toolstack, on anyone's), copies the request in and
 * the answer out, and raises events; evtchn.c does the transitions.
 */
#include <koan/console.h>
#include <koan/events.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <public/hypercall.h>

static bool alive(const struct domain *d)
{
	return d && d->state != DOM_REFUSED && d->state != DOM_HALTED && d->state != DOM_CRASHED;
}

struct evtchn_table *evtchn_table_of(unsigned dom)
{
	struct domain *d = domain_by_id(dom);

	return alive(d) ? &events_of(d)->ports : 0;
}

void events_raise(struct domain *d, uint32_t port)
{
	struct koan_shared_info *si = shared_info_of(d);

	if (si && evtchn_raise(si, port))
		domain_wake(d);
}

void events_raise_virq(struct domain *d, uint32_t virq)
{
	if (alive(d) && virq < KOAN_NR_VIRQS && events_of(d)->ports.virq_port[virq])
		events_raise(d, events_of(d)->ports.virq_port[virq]);
}

// BEGIN EXERCISE lab4.6: the event-channel hypercall (lab4-events/README.md, Exercise 3)
//   In: the address of a struct koan_evtchn_op in the caller's memory. Read
//   it (copy_from_guest: -KOAN_EFAULT), do its command with the functions of
//   hv/evtchn.c, and on success write it back (its OUT fields). Who may do
//   what: a domain field is KOAN_DOMID_SELF or the caller's own id, or, for
//   dom0 only, any live domain (another's: -KOAN_EPERM for others, before
//   any other check; a dead or unknown one: -KOAN_ESRCH); a remote_dom or
//   dom2 must be alive (-KOAN_ESRCH); a new port in a domain not the
//   caller's is dom0's to make (-KOAN_EPERM); KOAN_VIRQ_CONSOLE and
//   KOAN_VIRQ_DOM_EXC are dom0's (-KOAN_EPERM). close, send and unmask act
//   on the caller's own ports; send raises the peer's event (events_raise);
//   unmask re-delivers through evtchn_unmask() (a port past the table is
//   -KOAN_EINVAL). An unknown command is -KOAN_ENOSYS.
/* A domain field of a request: the caller's own id for KOAN_DOMID_SELF.
 * Another domain's needs dom0 (-KOAN_EPERM) and must exist (-KOAN_ESRCH). */
static int resolve(uint32_t dom, unsigned *out)
{
	unsigned self = current_domain()->id;

	if (dom == KOAN_DOMID_SELF || dom == self) {
		*out = self;
		return 0;
	}
	if (self != 0)
		return -KOAN_EPERM;
	if (!evtchn_table_of(dom))
		return -KOAN_ESRCH;
	*out = dom;
	return 0;
}

static int op_alloc_unbound(struct koan_evtchn_op *op)
{
	unsigned dom, remote;
	int err = resolve(op->u.alloc_unbound.dom, &dom);

	if (err)
		return err;
	remote = op->u.alloc_unbound.remote_dom == KOAN_DOMID_SELF ? current_domain()->id
								   : op->u.alloc_unbound.remote_dom;
	if (!evtchn_table_of(remote))
		return -KOAN_ESRCH;
	int port = evtchn_alloc_unbound(evtchn_table_of(dom), remote);
	if (port < 0)
		return port;
	op->u.alloc_unbound.port = (uint32_t)port;
	return 0;
}

static int op_bind_interdomain(struct koan_evtchn_op *op)
{
	unsigned dom1, dom2, self = current_domain()->id;
	int err = resolve(op->u.bind_interdomain.dom1, &dom1);

	if (err)
		return err;
	uint32_t d2 = op->u.bind_interdomain.dom2;
	dom2 = d2 == KOAN_DOMID_SELF ? self : d2;
	if (!evtchn_table_of(dom2))
		return -KOAN_ESRCH;
	/* Only dom0 makes a new port in a domain not its own. */
	if (self != 0 && dom2 != self && op->u.bind_interdomain.port2 == 0)
		return -KOAN_EPERM;
	return evtchn_bind_interdomain(evtchn_table_of, dom1, dom2, &op->u.bind_interdomain.port1,
				       &op->u.bind_interdomain.port2);
}

static int op_bind_virq(struct koan_evtchn_op *op)
{
	uint32_t virq = op->u.bind_virq.virq;
	struct domain *d = current_domain();

	if ((virq == KOAN_VIRQ_CONSOLE || virq == KOAN_VIRQ_DOM_EXC) && d->id != 0)
		return -KOAN_EPERM; /* the machine's console and its domains are dom0's */
	int port = evtchn_bind_virq(&events_of(d)->ports, virq);
	if (port < 0)
		return port;
	op->u.bind_virq.port = (uint32_t)port;
	return 0;
}

static int op_send(const struct koan_evtchn_op *op)
{
	unsigned to_dom;
	uint32_t to_port;
	int err = evtchn_peer(&events_of(current_domain())->ports, op->u.send.port, &to_dom,
			      &to_port);

	if (err)
		return err;
	events_raise(domain_by_id(to_dom), to_port);
	return 0;
}

static int op_status(struct koan_evtchn_op *op)
{
	unsigned dom;
	int err = resolve(op->u.status.dom, &dom);

	if (err)
		return err;
	return evtchn_status(evtchn_table_of(dom), op->u.status.port, &op->u.status.status,
			     &op->u.status.remote_dom, &op->u.status.remote_port);
}

static int op_unmask(const struct koan_evtchn_op *op)
{
	struct koan_shared_info *si = shared_info_of(current_domain());

	if (op->u.unmask.port >= KOAN_EVTCHN_MAX_PORTS)
		return -KOAN_EINVAL;
	evtchn_unmask(si, op->u.unmask.port); /* delivered on the way back, if pending */
	return 0;
}

static int32_t do_event_channel_op(const struct hypercall_args *a)
{
	struct koan_evtchn_op op;
	int err = copy_from_guest(&op, a->arg[0], sizeof(op));

	if (err)
		return err;
	switch (op.cmd) {
	case KOAN_EVTCHNOP_ALLOC_UNBOUND: err = op_alloc_unbound(&op); break;
	case KOAN_EVTCHNOP_BIND_INTERDOMAIN: err = op_bind_interdomain(&op); break;
	case KOAN_EVTCHNOP_BIND_VIRQ: err = op_bind_virq(&op); break;
	case KOAN_EVTCHNOP_CLOSE:
		err = evtchn_close(evtchn_table_of, current_domain()->id, op.u.close.port);
		break;
	case KOAN_EVTCHNOP_SEND: return op_send(&op);
	case KOAN_EVTCHNOP_STATUS: err = op_status(&op); break;
	case KOAN_EVTCHNOP_UNMASK: return op_unmask(&op);
	default: return -KOAN_ENOSYS;
	}
	if (err)
		return err;
	return copy_to_guest(a->arg[0], &op, sizeof(op));
}
// STUB
//> static int32_t do_event_channel_op(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab4.6", "do_event_channel_op() in hv/event_channel.c does nothing yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_EVENT_CHANNEL_OP, do_event_channel_op);

/* A domain that ends closes its ports (its peers wait for it again) and
 * dom0 hears of it. It is no longer alive by then, so its own table is
 * found here. */
static struct domain *ending;

static struct evtchn_table *table_while_ending(unsigned dom)
{
	return ending && dom == ending->id ? &events_of(ending)->ports : evtchn_table_of(dom);
}

static void events_end(struct domain *d)
{
	ending = d;
	/* The audit: every table's invariants hold (koan/evtchn.h). */
	const char *bad = 0;
	for (unsigned i = 0; i < domain_count() && !bad; i++)
		bad = evtchn_table_check(table_while_ending, i);
	if (bad)
		report("evtchn-audit dom=%u bad=%s", d->id, bad);
	else
		report("evtchn-audit dom=%u ok", d->id);
	report("events dom=%u upcalls=%u", d->id, events_of(d)->upcalls);
	evtchn_close_all(table_while_ending, d->id);
	ending = 0;
	events_of(d)->timer_deadline_ns = 0;
	events_of(d)->cb = (struct callbacks){ 0 };
	if (d->id != 0)
		events_raise_virq(domain_by_id(0), KOAN_VIRQ_DOM_EXC);
}

static const struct domain_hooks events_hooks = { .end = events_end };
DOMAIN_HOOKS(events_hooks);
