/*
 * evping: two domains bounce one event back and forth over a channel.
 *   role=pong peer=N count=C  allocates a port for domain N (the lowest
 *                             free one: port 2, after the timer's), answers
 *                             each event with one, C times
 *   role=ping peer=N port=P count=C  binds to port P of domain N, sends,
 *                             and waits for each answer before the next
 * Each side counts what it received and sent; with strict turns, none may
 * be lost or doubled (an event is one bit: two sends before the peer looked
 * would be seen as one).
 */
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
	if (strcmp(role, "pong") == 0) {
		int32_t port = evtchn_alloc_unbound(peer);
		result("alloc-unbound=%d", port);
		if (port < 0)
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
		return;
	}
	unsigned remote = atou(guest_arg("port", buf, sizeof(buf)) ?: "2");
	int32_t port;
	/* The peer may not have made its port yet: try again after it ran. */
	for (int tries = 0;
	     (port = evtchn_bind_interdomain(peer, remote)) == -KOAN_EINVAL && tries < 100; tries++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	result("bind=%s", port > 0 ? "ok" : "failed");
	if (port < 0)
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
	gprintf("%u round trips in %u us: %u ns each\n", count, (unsigned)(ns / 1000),
		(unsigned)(ns / count));
}
