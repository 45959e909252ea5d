/*
 * Event channels inside the hypervisor: each domain's port table and the
 * state machine of its ports (hv/evtchn.c), and the shared-info bitmaps
 * (hv/evtchn_bits.c). Both are pure C, tested on the host: the hypercall
 * (hv/event_channel.c) finds the domains and their pages, then calls these.
 *
 * A port is FREE, UNBOUND (waiting for one named domain to bind to it),
 * INTERDOMAIN (connected to a port of another domain, both ends pointing
 * at each other) or VIRQ (raised by the hypervisor). Invariants, which
 * evtchn_table_check() verifies (and the audit after every run):
 *   - port 0 is always FREE and never handed out;
 *   - an INTERDOMAIN port's peer is an INTERDOMAIN port pointing back;
 *   - virq_port[v] is the one VIRQ port bound to v, or 0.
 */
#ifndef KOAN_EVTCHN_H
#define KOAN_EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/shared_info.h>

enum port_state { PORT_FREE, PORT_UNBOUND, PORT_INTERDOMAIN, PORT_VIRQ };

struct evtchn_port {
	uint8_t state;	      /* enum port_state */
	uint8_t virq;	      /* VIRQ: which */
	uint16_t remote_dom;  /* UNBOUND: who may bind; INTERDOMAIN: the peer */
	uint16_t remote_port; /* INTERDOMAIN: the peer's port */
};

struct evtchn_table {
	struct evtchn_port port[KOAN_EVTCHN_MAX_PORTS];
	uint16_t virq_port[KOAN_NR_VIRQS];
};

/* Where the state machine finds another domain's table: NULL if there is
 * no such domain (or it is gone). The hypervisor's walks its domains; a
 * host test's, an array. */
typedef struct evtchn_table *(*evtchn_table_fn)(unsigned dom);

/* Each returns 0 (or a port) or a negative KOAN_E*, and changes nothing
 * when it fails. `dom` is the id of the table's domain. */
int evtchn_alloc_unbound(struct evtchn_table *t, unsigned remote_dom);
int evtchn_bind_interdomain(evtchn_table_fn table_of, unsigned dom1, unsigned dom2, uint32_t *port1,
			    uint32_t *port2);
int evtchn_bind_virq(struct evtchn_table *t, uint32_t virq);
int evtchn_close(evtchn_table_fn table_of, unsigned dom, uint32_t port);
/* The other end of `port`, for a send: *to_dom and *to_port. */
int evtchn_peer(const struct evtchn_table *t, uint32_t port, unsigned *to_dom, uint32_t *to_port);
int evtchn_status(const struct evtchn_table *t, uint32_t port, uint32_t *status,
		  uint32_t *remote_dom, uint32_t *remote_port);
/* Close every port of a domain that is going away (its peers go back to
 * unbound, waiting for it). */
void evtchn_close_all(evtchn_table_fn table_of, unsigned dom);
/* NULL if the invariants above hold for `t` (and its peers), else what broke. */
const char *evtchn_table_check(evtchn_table_fn table_of, unsigned dom);

/*
 * The bitmaps (public/shared_info.h, the four steps). evtchn_raise() sets
 * port's event; returns true if it made upcall_pending go from 0 to 1 (a
 * blocked domain must then wake). evtchn_unmask() clears the mask and, if
 * the event is pending, does steps 3 and 4; the same return value.
 */
bool evtchn_raise(struct koan_shared_info *si, uint32_t port);
bool evtchn_unmask(struct koan_shared_info *si, uint32_t port);
bool evtchn_is_pending(const struct koan_shared_info *si, uint32_t port);

#endif
