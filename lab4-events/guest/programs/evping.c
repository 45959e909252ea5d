/*
 * evping: two domains bounce one event back and forth over a channel.
 *   role=pong peer=N count=C  allocates a port for domain N (the lowest
 *                             free one: port 2, after the timer's), answers
 *                             each event with one, C times
 *   role=ping peer=N port=P count=C  binds to port P of domain N, sends,
 *                             and waits for each answer before the next
 * With by=dom0 neither side makes the channel: both wait until dom0 has
 * connected them (dom0shell's connect) and find their port by its status.
 * With stay=yes a side blocks after its count instead of ending, keeping its
 * end of the channel open until dom0 destroys it (dom0's keys come in the
 * host's time: the pair may be done before dom0 looks).
 * Each side counts what it received and sent; with strict turns, none may
 * be lost or doubled (an event is one bit: two sends before the peer looked
 * would be seen as one).
 */
#include <stdbool.h>

#include "events.h"
#include "guest.h"
#include "hypercall.h"

static volatile unsigned received;
static uint32_t my_port;

static void on_event(uint32_t port)
{
	(void)port;
	received++;
}

static void wait_for(unsigned n)
{
	while (received < n)
		events_block();
}

static void stay_if_asked(void)
{
	char buf[8];

	if (guest_arg("stay", buf, sizeof(buf)) && strcmp(buf, "yes") == 0)
		for (;;)
			events_block();
}

/* Our port that dom0 connected to `peer`, once it has (0 after a while). */
static int32_t port_from_dom0(unsigned peer)
{
	for (int tries = 0; tries < 2000; tries++) {
		for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++) {
			struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_STATUS };
			op.u.status.dom = KOAN_DOMID_SELF;
			op.u.status.port = p;
			if (evtchn_op(&op) == 0 &&
			    op.u.status.status == KOAN_EVTCHNSTAT_INTERDOMAIN &&
			    op.u.status.remote_dom == peer)
				return (int32_t)p;
		}
		sleep_ns(1000000);
	}
	return 0;
}

void guest_main(const struct koan_start_info *si)
{
	char role[8], buf[16];
	unsigned peer = atou(guest_arg("peer", buf, sizeof(buf)) ?: "0");
	unsigned count = atou(guest_arg("count", buf, sizeof(buf)) ?: "1000");
	int err = events_init();

	(void)si;
	if (err) {
		result("events-init=%d", err);
		return;
	}
	guest_arg("role", role, sizeof(role));
	bool by_dom0 = guest_arg("by", buf, sizeof(buf)) && strcmp(buf, "dom0") == 0;
	if (strcmp(role, "pong") == 0) {
		int32_t port = by_dom0 ? port_from_dom0(peer) : evtchn_alloc_unbound(peer);
		result("%s=%d", by_dom0 ? "found" : "alloc-unbound", port);
		if (port <= 0)
			return;
		my_port = (uint32_t)port;
		events_bind(my_port, on_event);
		events_enable();
		for (unsigned i = 1; i <= count; i++) {
			wait_for(i);
			evtchn_send(my_port);
		}
		result("pong received=%u sent=%u upcalls-ok=%d", received, count,
		       event_log.upcalls > 0);
		result("pong upcalls=%u", event_log.upcalls);
		stay_if_asked();
		return;
	}
	unsigned remote = atou(guest_arg("port", buf, sizeof(buf)) ?: "2");
	int32_t port = 0;
	/* The peer may not have made its port yet: try again after it ran. */
	for (int tries = 0; !by_dom0 && tries < 100; tries++) {
		port = evtchn_bind_interdomain(peer, remote);
		if (port != -KOAN_EINVAL)
			break;
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	}
	if (by_dom0)
		port = port_from_dom0(peer);
	result("bind=%s", port > 0 ? "ok" : "failed");
	if (port <= 0)
		return;
	my_port = (uint32_t)port;
	events_bind(my_port, on_event);
	events_enable();
	uint64_t start = system_time_ns();
	for (unsigned i = 1; i <= count; i++) {
		evtchn_send(my_port);
		wait_for(i);
	}
	uint64_t ns = system_time_ns() - start;
	result("ping received=%u sent=%u", received, count);
	stay_if_asked();
	gprintf("%u round trips in %u us: %u ns each\n", count, (unsigned)(ns / 1000),
		(unsigned)(ns / count));
	if (guest_arg("bench", buf, sizeof(buf))) {
		/* Cycles, as make bench counts them (with -icount, instructions). */
		uint64_t cycles = ns * shared_info->tsc_per_ms / 1000000u;
		unsigned per_s = ns ? (unsigned)((uint64_t)count * 2 * 1000000000u / ns) : 0;
		gprintf("bench event round-trip=%u cycles, %u events per second\n",
			(unsigned)(cycles / count), per_s);
		result("bench event round-trip=%u events-per-s=%u", (unsigned)(cycles / count),
		       per_s);
	}
}
