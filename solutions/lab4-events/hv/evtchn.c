/*
 * The port state machine (koan/evtchn.h). Pure C: no domain, no page, no
 * hypercall here, so that every transition is tested on the host.
 */
#include <koan/evtchn.h>
#include <koan/exercise.h>
#include <public/hypercall.h>

static bool port_ok(uint32_t port)
{
	return port > 0 && port < KOAN_EVTCHN_MAX_PORTS;
}

/* The lowest free port, never port 0; 0 when the table is full. */
static uint32_t free_port(const struct evtchn_table *t)
{
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		if (t->port[p].state == PORT_FREE)
			return p;
	return 0;
}

// BEGIN EXERCISE lab4.1: hand out ports (lab4-events/README.md, Exercise 1)
//   evtchn_alloc_unbound: the port free_port() gives becomes UNBOUND,
//   waiting for remote_dom; returns it, or -KOAN_ENOSPC. evtchn_bind_virq:
//   that port becomes VIRQ for `virq` and virq_port[virq] names it; returns
//   it; -KOAN_EINVAL for a virq >= KOAN_NR_VIRQS, -KOAN_EEXIST if the
//   domain bound it already, -KOAN_ENOSPC. On an error nothing changes.
int evtchn_alloc_unbound(struct evtchn_table *t, unsigned remote_dom)
{
	uint32_t p = free_port(t);

	if (!p)
		return -KOAN_ENOSPC;
	t->port[p] =
		(struct evtchn_port){ .state = PORT_UNBOUND, .remote_dom = (uint16_t)remote_dom };
	return (int)p;
}

int evtchn_bind_virq(struct evtchn_table *t, uint32_t virq)
{
	if (virq >= KOAN_NR_VIRQS)
		return -KOAN_EINVAL;
	if (t->virq_port[virq])
		return -KOAN_EEXIST;
	uint32_t p = free_port(t);
	if (!p)
		return -KOAN_ENOSPC;
	t->port[p] = (struct evtchn_port){ .state = PORT_VIRQ, .virq = (uint8_t)virq };
	t->virq_port[virq] = (uint16_t)p;
	return (int)p;
}
// STUB
//> int evtchn_alloc_unbound(struct evtchn_table *t, unsigned remote_dom)
//> {
//> 	EXERCISE_TODO("lab4.1", "evtchn_alloc_unbound() in hv/evtchn.c hands out no port yet");
//> 	(void)t, (void)remote_dom, (void)free_port;
//> 	return -KOAN_ENOSYS;
//> }
//>
//> int evtchn_bind_virq(struct evtchn_table *t, uint32_t virq)
//> {
//> 	EXERCISE_TODO("lab4.1", "evtchn_bind_virq() in hv/evtchn.c binds nothing yet");
//> 	(void)t, (void)virq;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

int evtchn_bind_interdomain(evtchn_table_fn table_of, unsigned dom1, unsigned dom2, uint32_t *port1,
			    uint32_t *port2)
{
	// BEGIN EXERCISE lab4.2: connect two domains (lab4-events/README.md, Exercise 1)
	//   In: the two domains (their tables through table_of) and a port of each,
	//   0 for "a new one". A port given must be UNBOUND and waiting for the
	//   other domain. Out: 0, both ports INTERDOMAIN, each naming the other's
	//   domain and port, and *port1, *port2 set. Errors, with nothing changed:
	//   -KOAN_ESRCH if a table is missing, -KOAN_EINVAL for dom1 == dom2 or a
	//   given port that is out of range or not waiting for the other, and
	//   -KOAN_ENOSPC if a new port cannot be had. (Who may ask for a new port
	//   in another domain is the hypercall's business, not this function's.)
	struct evtchn_table *t1 = table_of(dom1), *t2 = table_of(dom2);

	if (!t1 || !t2)
		return -KOAN_ESRCH;
	if (dom1 == dom2)
		return -KOAN_EINVAL; /* a channel joins two domains */
	uint32_t p1 = *port1, p2 = *port2;
	if (p1 &&
	    (!port_ok(p1) || t1->port[p1].state != PORT_UNBOUND || t1->port[p1].remote_dom != dom2))
		return -KOAN_EINVAL;
	if (p2 &&
	    (!port_ok(p2) || t2->port[p2].state != PORT_UNBOUND || t2->port[p2].remote_dom != dom1))
		return -KOAN_EINVAL;
	if (!p1 && !(p1 = free_port(t1)))
		return -KOAN_ENOSPC;
	if (!p2 && !(p2 = free_port(t2)))
		return -KOAN_ENOSPC;
	t1->port[p1] = (struct evtchn_port){ .state = PORT_INTERDOMAIN,
					     .remote_dom = (uint16_t)dom2,
					     .remote_port = (uint16_t)p2 };
	t2->port[p2] = (struct evtchn_port){ .state = PORT_INTERDOMAIN,
					     .remote_dom = (uint16_t)dom1,
					     .remote_port = (uint16_t)p1 };
	*port1 = p1;
	*port2 = p2;
	return 0;
	// STUB
	//> EXERCISE_TODO("lab4.2", "evtchn_bind_interdomain() in hv/evtchn.c connects nothing yet");
	//> (void)table_of, (void)dom1, (void)dom2, (void)port1, (void)port2;
	//> return -KOAN_ENOSYS;
	// END EXERCISE
}

// BEGIN EXERCISE lab4.3: close a port (lab4-events/README.md, Exercise 1)
//   In: a domain and one of its ports. Out: 0 and the port FREE; if it was
//   connected, the peer's port is UNBOUND again, waiting for this domain;
//   if it was a VIRQ port, the virq is unbound. -KOAN_EINVAL for port 0, a
//   port out of range, a FREE port, or a domain without a table.
//   evtchn_close_all: every port of the domain closed, as above.
int evtchn_close(evtchn_table_fn table_of, unsigned dom, uint32_t port)
{
	struct evtchn_table *t = table_of(dom);

	if (!t || !port_ok(port) || t->port[port].state == PORT_FREE)
		return -KOAN_EINVAL;
	struct evtchn_port *e = &t->port[port];
	if (e->state == PORT_INTERDOMAIN) {
		struct evtchn_table *peer = table_of(e->remote_dom);
		if (peer)
			peer->port[e->remote_port] =
				(struct evtchn_port){ .state = PORT_UNBOUND,
						      .remote_dom = (uint16_t)dom };
	}
	if (e->state == PORT_VIRQ)
		t->virq_port[e->virq] = 0;
	*e = (struct evtchn_port){ .state = PORT_FREE };
	return 0;
}

void evtchn_close_all(evtchn_table_fn table_of, unsigned dom)
{
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		evtchn_close(table_of, dom, p);
}
// STUB
//> int evtchn_close(evtchn_table_fn table_of, unsigned dom, uint32_t port)
//> {
//> 	EXERCISE_TODO("lab4.3", "evtchn_close() in hv/evtchn.c closes nothing yet");
//> 	(void)table_of, (void)dom, (void)port;
//> 	return -KOAN_ENOSYS;
//> }
//>
//> void evtchn_close_all(evtchn_table_fn table_of, unsigned dom)
//> {
//> 	(void)table_of, (void)dom;
//> }
// END EXERCISE

// BEGIN EXERCISE lab4.4: where a port leads (lab4-events/README.md, Exercise 1)
//   evtchn_peer: for an INTERDOMAIN port of the table, 0 and its peer's
//   domain and port; -KOAN_EINVAL for any other port (out of range, free,
//   unbound, virq). evtchn_status: any port below KOAN_EVTCHN_MAX_PORTS
//   (port 0 included: CLOSED), its public state (KOAN_EVTCHNSTAT_*), the
//   remote domain (UNBOUND, INTERDOMAIN; else 0) and the remote port
//   (INTERDOMAIN), or the virq (VIRQ), else 0; -KOAN_EINVAL past the table.
int evtchn_peer(const struct evtchn_table *t, uint32_t port, unsigned *to_dom, uint32_t *to_port)
{
	if (!port_ok(port) || t->port[port].state != PORT_INTERDOMAIN)
		return -KOAN_EINVAL;
	*to_dom = t->port[port].remote_dom;
	*to_port = t->port[port].remote_port;
	return 0;
}

int evtchn_status(const struct evtchn_table *t, uint32_t port, uint32_t *status,
		  uint32_t *remote_dom, uint32_t *remote_port)
{
	static const uint32_t public_state[] = {
		[PORT_FREE] = KOAN_EVTCHNSTAT_CLOSED,
		[PORT_UNBOUND] = KOAN_EVTCHNSTAT_UNBOUND,
		[PORT_INTERDOMAIN] = KOAN_EVTCHNSTAT_INTERDOMAIN,
		[PORT_VIRQ] = KOAN_EVTCHNSTAT_VIRQ,
	};

	if (port >= KOAN_EVTCHN_MAX_PORTS)
		return -KOAN_EINVAL;
	const struct evtchn_port *e = &t->port[port];
	*status = public_state[e->state];
	*remote_dom = e->state == PORT_UNBOUND || e->state == PORT_INTERDOMAIN ? e->remote_dom : 0;
	*remote_port = e->state == PORT_INTERDOMAIN ? e->remote_port
		       : e->state == PORT_VIRQ	    ? e->virq
						    : 0;
	return 0;
}
// STUB
//> int evtchn_peer(const struct evtchn_table *t, uint32_t port, unsigned *to_dom, uint32_t *to_port)
//> {
//> 	EXERCISE_TODO("lab4.4", "evtchn_peer() in hv/evtchn.c finds no peer yet");
//> 	(void)t, (void)port, (void)to_dom, (void)to_port;
//> 	return -KOAN_ENOSYS;
//> }
//>
//> int evtchn_status(const struct evtchn_table *t, uint32_t port, uint32_t *status,
//> 		  uint32_t *remote_dom, uint32_t *remote_port)
//> {
//> 	EXERCISE_TODO("lab4.4", "evtchn_status() in hv/evtchn.c reports nothing yet");
//> 	(void)t, (void)port, (void)status, (void)remote_dom, (void)remote_port;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

/* The invariants of koan/evtchn.h: the audit's, and the tests'. */
const char *evtchn_table_check(evtchn_table_fn table_of, unsigned dom)
{
	const struct evtchn_table *t = table_of(dom);

	if (!t)
		return 0;
	if (t->port[0].state != PORT_FREE)
		return "port 0 is in use";
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++) {
		const struct evtchn_port *e = &t->port[p];
		if (e->state > PORT_VIRQ)
			return "a port in no known state";
		if (e->state == PORT_INTERDOMAIN) {
			const struct evtchn_table *peer = table_of(e->remote_dom);
			if (!peer || !port_ok(e->remote_port))
				return "a connected port whose peer is gone";
			const struct evtchn_port *r = &peer->port[e->remote_port];
			if (r->state != PORT_INTERDOMAIN || r->remote_dom != dom ||
			    r->remote_port != p)
				return "a connected port whose peer does not point back";
		}
		if (e->state == PORT_VIRQ &&
		    (e->virq >= KOAN_NR_VIRQS || t->virq_port[e->virq] != p))
			return "a virtual IRQ port the IRQ does not name";
	}
	for (uint32_t v = 0; v < KOAN_NR_VIRQS; v++) {
		uint32_t p = t->virq_port[v];
		if (p && (!port_ok(p) || t->port[p].state != PORT_VIRQ || t->port[p].virq != v))
			return "a virtual IRQ names a port not bound to it";
	}
	return 0;
}
