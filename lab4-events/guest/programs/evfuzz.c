/*
 * evfuzz: random event-channel operations, with random arguments (ports,
 * domains, virtual IRQs, commands, deadlines, callbacks), seeded by
 * seed=S, count=N of them. Every one must come back with a result; the
 * hypervisor checks every port table when a domain ends (hv evtchn-audit).
 */
#include <public/layout.h>

#include "events.h"
#include "guest.h"
#include "hypercall.h"

static uint32_t state = 1;

static uint32_t rnd(void)
{
	return xorshift32(&state);
}

/* Mostly small, sometimes anything. */
static uint32_t pick(uint32_t small)
{
	switch (rnd() % 8) {
	case 0: return rnd();
	case 1: return 0xFFFFFFFFu - rnd() % 4;
	case 2: return KOAN_DOMID_SELF;
	default: return rnd() % small;
	}
}

static void on_event(uint32_t port)
{
	(void)port;
}

void guest_main(const struct koan_start_info *si)
{
	char buf[16];
	unsigned count = atou(guest_arg("count", buf, sizeof(buf)) ?: "2000");
	unsigned ok = 0, failed = 0;

	(void)si;
	state = atou(guest_arg("seed", buf, sizeof(buf)) ?: "1") | 1;
	if (events_init()) {
		result("events-init failed");
		return;
	}
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		events_bind(p, on_event);
	events_enable();
	for (unsigned i = 0; i < count; i++) {
		struct koan_evtchn_op op = { .cmd = rnd() % 11 };
		for (unsigned w = 0; w < 6; w++)
			op.u.pad[w] = pick(w < 2 ? 4 : 140);
		int32_t r;
		switch (rnd() % 10) {
		case 0:
			r = hypercall3(KOAN_HC_SET_TIMER_OP, pick(1000000), rnd() % 2 ? 0 : pick(4),
				       0);
			break;
		case 1: {
			/* Random selectors; addresses ours or out of reach (a random one
			 * inside our image would only crash us, which proves nothing). */
			extern char hypervisor_callback[];
			uint32_t cb = (uint32_t)(uintptr_t)hypervisor_callback;
			uint32_t bad = 0xFBC00000u + rnd() % 0x4400000u;
			r = hypercall5(KOAN_HC_SET_CALLBACKS,
				       rnd() % 4 ? KOAN_GUEST_KERNEL_CS : pick(0x40),
				       rnd() % 4 ? cb : bad,
				       rnd() % 4 ? KOAN_GUEST_KERNEL_CS : pick(0x40),
				       rnd() % 4 ? cb : bad, 0);
			break;
		}
		case 2: r = hypercall3(KOAN_HC_EVENT_CHANNEL_OP, pick(0xFC000000u), 0, 0); break;
		default: r = evtchn_op(&op); break;
		}
		if (r == 0)
			ok++;
		else
			failed++;
		if (i % 64 == 0)
			hc_sched_op(KOAN_SCHED_YIELD, 0);
	}
	/* Our callback may have been replaced by a random one: put it back. */
	result("fuzz ops=%u ok=%u failed=%u", count, ok, failed);
}
