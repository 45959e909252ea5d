/*
 * The port state machine (koan/evtchn.h). Pure C: no domain, no page, no
 * hypercall here, so that every transition is tested on the host.
 */
#include <koan/evtchn.h>
#include <public/hypercall.h>

static bool port_ok(uint32_t port)
{
	return port > 0 && port < KOAN_EVTCHN_MAX_PORTS;
}

/* The lowest free port, or 0 if the table is full. */
static uint32_t free_port(const struct evtchn_table *t)
{
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		if (t->port[p].state == PORT_FREE)
			return p;
	return 0;
}

int evtchn_alloc_unbound(struct evtchn_table *t, unsigned remote_dom)
{
	uint32_t p = free_port(t);

	if (!p)
		return -KOAN_ENOSPC;
	t->port[p] =
		(struct evtchn_port){ .state = PORT_UNBOUND, .remote_dom = (uint16_t)remote_dom };
	return (int)p;
}

/* One end of a new channel: the given port, which must be waiting for
 * `other`, or a fresh one (the caller checked who may ask for that). */
static int end_for(struct evtchn_table *t, uint32_t port, unsigned other)
{
	if (port == 0) {
		port = free_port(t);
		return port ? (int)port : -KOAN_ENOSPC;
	}
	if (!port_ok(port) || t->port[port].state != PORT_UNBOUND ||
	    t->port[port].remote_dom != other)
		return -KOAN_EINVAL;
	return (int)port;
}

int evtchn_bind_interdomain(evtchn_table_fn table_of, unsigned dom1, unsigned dom2, uint32_t *port1,
			    uint32_t *port2)
{
	struct evtchn_table *t1 = table_of(dom1), *t2 = table_of(dom2);

	if (!t1 || !t2)
		return -KOAN_ESRCH;
	if (dom1 == dom2)
		return -KOAN_EINVAL; /* a channel joins two domains */
	int p1 = end_for(t1, *port1, dom2);
	if (p1 < 0)
		return p1;
	int p2 = end_for(t2, *port2, dom1);
	if (p2 < 0)
		return p2;
	t1->port[p1] = (struct evtchn_port){ .state = PORT_INTERDOMAIN,
					     .remote_dom = (uint16_t)dom2,
					     .remote_port = (uint16_t)p2 };
	t2->port[p2] = (struct evtchn_port){ .state = PORT_INTERDOMAIN,
					     .remote_dom = (uint16_t)dom1,
					     .remote_port = (uint16_t)p1 };
	*port1 = (uint32_t)p1;
	*port2 = (uint32_t)p2;
	return 0;
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

void evtchn_close_all(evtchn_table_fn table_of, unsigned dom)
{
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		evtchn_close(table_of, dom, p);
}

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
