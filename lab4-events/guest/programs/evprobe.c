/*
 * evprobe: one event operation per op=, each reporting what it got.
 *   bad-ports [other=N]  ports out of range, negative, free, another
 *                  domain's (N: a live one, default 1)
 *   callbacks      callbacks with a ring-0 selector, in the hole, at the M2P
 *   exhaust        allocate ports until the table is full, close, again
 *   timer          the one-shot timer every 10 ms, for 1 s of system time
 *   tick           the 100 Hz tick virtual IRQ for 500 ms
 *   block-timeout [ms=M]  block with only the timer set (M ms, default
 *                  50): woken by it
 *   block-pending  block with an event already pending: no sleep
 *   masked         an event on a masked port waits for the unmask
 *   storm peer=N port=P  bind to P of N and send as fast as possible
 *   sink peer=N    allocate a port for N, count its events for 300 ms
 *   closer peer=N  allocate a port for N, let it bind, then close the
 *                  port while N sends on it, then again: N's sends fail
 *   deaths n=N     (dom0) wait for KOAN_VIRQ_DOM_EXC until N domains have
 *                  ended, reporting each from the list
 *   fan-in peer=N  allocate ports 2 to 127 for N (every word of the
 *                  bitmaps), with events disabled until N has sent on
 *                  each; then enable: each handler must run once
 *   fan-out peer=N bind to each of those ports of N, send once on each
 *   ring3-event    an event (the timer) that comes while a task runs in
 *                  ring 3: the callback runs in ring 1 and the task goes on
 *   bad-stack-event  an event that comes while the kernel's stack pointer
 *                  is unmapped: the domain is crashed, nothing else
 *   step-event     an event that comes while the kernel single-steps
 *                  itself (TF, with a #DB handler): the callback is not
 *                  stepped, as an interrupt handler would not be
 */
#include <koan/x86.h>
#include <public/layout.h>

#include "events.h"
#include "guest.h"
#include "hypercall.h"
#include "traps.h"

static volatile unsigned received;

static void on_event(uint32_t port)
{
	(void)port;
	received++;
}

static unsigned arg_u(const char *key, unsigned dflt)
{
	char buf[16];
	const char *v = guest_arg(key, buf, sizeof(buf));
	return v ? atou(v) : dflt;
}

/* fan-in and fan-out: ports 2 to FAN_LAST, the last one left without a handler. */
#define FAN_LAST (KOAN_EVTCHN_MAX_PORTS - 1)
#define FAN_HELD (FAN_LAST - 1) /* masked until port 2's handler unmasks it */
static volatile unsigned fan_count[KOAN_EVTCHN_MAX_PORTS];
static volatile unsigned fan_depth, fan_nested;
static volatile uint32_t fan_flags_seen;

/* A handler runs with events masked (no upcall inside it, even after a
 * hypercall that raises one) and with the flags the interrupted code had. */
static void on_fan_event(uint32_t port)
{
	uint32_t flags;

	__asm__ volatile("pushfl; popl %0" : "=r"(flags));
	fan_flags_seen |= flags & (EFLAGS_DF | EFLAGS_AC | EFLAGS_ID | EFLAGS_TF);
	fan_nested |= fan_depth > 0;
	fan_depth++;
	if (port < KOAN_EVTCHN_MAX_PORTS)
		fan_count[port]++;
	if (port == 2)
		evtchn_unmask(FAN_HELD); /* pending: raised again, now */
	fan_depth--;
}

static void op_bad_ports(void)
{
	struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_SEND };

	result("send-0=%d", evtchn_send(0));
	result("send-max=%d", evtchn_send(KOAN_EVTCHN_MAX_PORTS));
	result("send-negative=%d", evtchn_send(0xFFFFFFFFu));
	result("send-free=%d", evtchn_send(5));
	result("close-free=%d", evtchn_close(5));
	result("close-0=%d", evtchn_close(0));
	result("unmask-max=%d", evtchn_unmask(KOAN_EVTCHN_MAX_PORTS));
	result("unmask-negative=%d", evtchn_unmask(0x80000000u));
	/* Another domain's ports: only dom0 may touch them. */
	op = (struct koan_evtchn_op){ .cmd = KOAN_EVTCHNOP_ALLOC_UNBOUND };
	op.u.alloc_unbound.dom = 0;
	op.u.alloc_unbound.remote_dom = KOAN_DOMID_SELF;
	result("alloc-in-other=%d", evtchn_op(&op));
	op = (struct koan_evtchn_op){ .cmd = KOAN_EVTCHNOP_STATUS };
	op.u.status.dom = 0;
	op.u.status.port = 1;
	result("status-other=%d", evtchn_op(&op));
	op = (struct koan_evtchn_op){ .cmd = KOAN_EVTCHNOP_BIND_INTERDOMAIN };
	op.u.bind_interdomain.dom1 = 0;
	op.u.bind_interdomain.dom2 = KOAN_DOMID_SELF;
	result("bind-for-other=%d", evtchn_op(&op));
	op = (struct koan_evtchn_op){ .cmd = KOAN_EVTCHNOP_BIND_INTERDOMAIN };
	op.u.bind_interdomain.dom1 = KOAN_DOMID_SELF;
	op.u.bind_interdomain.dom2 = arg_u("other", 1); /* a new port there: dom0's right */
	result("bind-new-in-other=%d", evtchn_op(&op));
	result("alloc-for-nobody=%d", evtchn_alloc_unbound(42));
	result("bind-to-nobody=%d", evtchn_bind_interdomain(42, 1));
	result("unmask-own=%d", evtchn_unmask(1));
	result("virq-console=%d", evtchn_bind_virq(KOAN_VIRQ_CONSOLE));
	result("virq-range=%d", evtchn_bind_virq(KOAN_NR_VIRQS));
	result("virq-timer-again=%d", evtchn_bind_virq(KOAN_VIRQ_TIMER));
	op = (struct koan_evtchn_op){ .cmd = 77 };
	result("unknown-cmd=%d", evtchn_op(&op));
	result("op-in-hole=%d", hypercall3(KOAN_HC_EVENT_CHANNEL_OP, KOAN_HV_START, 0, 0));
	/* A channel to oneself is refused; one to the peer works, twice not. */
	int32_t p = evtchn_alloc_unbound(KOAN_DOMID_SELF);
	result("alloc-self=%s", p > 0 ? "ok" : "failed");
	result("bind-self=%d", evtchn_bind_interdomain(KOAN_DOMID_SELF, (uint32_t)p));
	result("survived");
}

static void op_callbacks(void)
{
	extern char hypervisor_callback[];
	uint32_t cb = (uint32_t)(uintptr_t)hypervisor_callback;

	result("ring0-cs=%d",
	       hypercall5(KOAN_HC_SET_CALLBACKS, 0x08, cb, KOAN_GUEST_KERNEL_CS, cb, 0));
	result("ring3-cs=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_USER_CS, cb,
					 KOAN_GUEST_KERNEL_CS, cb, 0));
	result("failsafe-ring0=%d",
	       hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS, cb, 0x08, cb, 0));
	result("in-hole=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS,
					KOAN_HV_START + 0x1000, KOAN_GUEST_KERNEL_CS, cb, 0));
	result("failsafe-in-hole=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS, cb,
						 KOAN_GUEST_KERNEL_CS, KOAN_HV_START, 0));
	result("failsafe-at-m2p=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS, cb,
						KOAN_GUEST_KERNEL_CS, KOAN_M2P_START, 0));
	result("at-m2p=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS, KOAN_M2P_START,
				       KOAN_GUEST_KERNEL_CS, cb, 0));
	result("below-m2p=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS,
					  KOAN_M2P_START - 1, KOAN_GUEST_KERNEL_CS, cb, 0));
	result("ok=%d", hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS, cb,
				   KOAN_GUEST_KERNEL_CS, cb, 0));
	result("survived");
}

static void op_exhaust(void)
{
	unsigned got = 0, rounds_ok = 0;
	int32_t p, last = 0;

	while ((p = evtchn_alloc_unbound(KOAN_DOMID_SELF)) > 0)
		got++, last = p;
	result("allocated=%u last=%d then=%d", got, last, p);
	for (unsigned round = 0; round < 200; round++) {
		uint32_t port = 2 + round % (KOAN_EVTCHN_MAX_PORTS - 2);
		if (evtchn_close(port) == 0 &&
		    evtchn_alloc_unbound(KOAN_DOMID_SELF) == (int32_t)port &&
		    evtchn_alloc_unbound(KOAN_DOMID_SELF) == -KOAN_ENOSPC)
			rounds_ok++;
	}
	result("rounds-ok=%u", rounds_ok);
}

static void spin_ns(uint64_t ns)
{
	uint64_t until = system_time_ns() + ns;

	while (system_time_ns() < until)
		;
}

static void op_timer(void)
{
	events_enable();
	/* A deadline 2^63 ns away (its high word 0x80000000) is far, not past. */
	hypercall3(KOAN_HC_SET_TIMER_OP, 1, 0x80000000u, 0);
	hc_sched_op(KOAN_SCHED_YIELD, 0);
	result("timer far-fired=%u", event_log.timer);
	/* One already past fires at once, and once: no timer is left behind. */
	int32_t set = hypercall3(KOAN_HC_SET_TIMER_OP, 1, 0, 0);
	spin_ns(50000000);
	result("timer set=%d past-fired=%u", set, event_log.timer);

	unsigned n = 0, before = event_log.timer;
	uint64_t end = system_time_ns() + 1000000000ull;
	while (system_time_ns() < end) {
		sleep_ns(10000000);
		n++;
	}
	unsigned fired = event_log.timer - before;
	spin_ns(50000000); /* a timer that fired is gone */
	result("timer sleeps=%u fired=%u", n, fired);
	result("timer fired-later=%u", event_log.timer - before - fired);
}

static void op_tick(void)
{
	int32_t p = evtchn_bind_virq(KOAN_VIRQ_TICK);
	uint64_t end = system_time_ns() + 500000000ull;

	events_bind((uint32_t)p, on_event);
	events_enable();
	while (system_time_ns() < end)
		events_block();
	result("ticks=%u", received);
}

static void op_block_timeout(void)
{
	uint64_t t0 = system_time_ns();

	events_enable();
	sleep_ns((uint64_t)arg_u("ms", 50) * 1000000u);
	uint64_t dt = system_time_ns() - t0;
	result("slept-ms=%u woken-by-timer=%d", (unsigned)(dt / 1000000), event_log.timer > 0);
}

static void op_block_pending(void)
{
	int32_t p = evtchn_alloc_unbound(KOAN_DOMID_SELF);
	(void)p;
	/* A timer already past raises its event at once; events masked, so
	 * it stays pending; block must return at once, not sleep forever. */
	events_disable();
	hypercall3(KOAN_HC_SET_TIMER_OP, 1, 0, 0);
	result("pending=%d", shared_info->vcpu.upcall_pending);
	events_block();
	result("block-returned timer-seen=%u", event_log.timer);
	events_enable();
	result("after-enable timer-seen=%u", event_log.timer);
}

static void op_masked(void)
{
	int32_t virq = evtchn_bind_virq(KOAN_VIRQ_TICK);

	events_bind((uint32_t)virq, on_event);
	shared_info->evtchn_mask[virq / 32] |= 1u << (virq % 32); /* our own mask bit */
	events_enable();
	uint64_t end = system_time_ns() + 100000000ull;
	while (system_time_ns() < end)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	result("while-masked=%u pending=%d", received,
	       (shared_info->evtchn_pending[virq / 32] >> (virq % 32)) & 1);
	evtchn_unmask((uint32_t)virq);
	result("after-unmask=%u", received > 0);
}

static void op_storm(void)
{
	unsigned peer = arg_u("peer", 0), remote = arg_u("port", 2);
	int32_t p;
	unsigned sent = 0;

	for (int tries = 0; (p = evtchn_bind_interdomain(peer, remote)) < 0 && tries < 100; tries++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	result("storm-bind=%s", p > 0 ? "ok" : "failed");
	uint64_t end = system_time_ns() + 300000000ull;
	while (system_time_ns() < end)
		if (evtchn_send((uint32_t)p) == 0)
			sent++;
	result("storm sent-many=%d", sent > 10000);
}

static void op_sink(void)
{
	int32_t p = evtchn_alloc_unbound(arg_u("peer", 1));
	uint64_t end;

	events_bind((uint32_t)p, on_event);
	events_enable();
	end = system_time_ns() + 400000000ull;
	while (system_time_ns() < end)
		sleep_ns(20000000);
	result("sink got-some=%d fewer-than-sent=1", received > 0);
}

static void op_closer(void)
{
	unsigned peer = arg_u("peer", 2);
	int32_t p = evtchn_alloc_unbound(peer);
	struct koan_evtchn_op st = { .cmd = KOAN_EVTCHNOP_STATUS };

	events_bind((uint32_t)p, on_event);
	events_enable();
	/* Wait for the peer to bind, and for its first events. */
	do {
		sleep_ns(5000000);
		st.u.status.dom = KOAN_DOMID_SELF;
		st.u.status.port = (uint32_t)p;
		evtchn_op(&st);
	} while (st.u.status.status != KOAN_EVTCHNSTAT_INTERDOMAIN || received == 0);
	result("closer close=%d", evtchn_close((uint32_t)p));
	result("closer close-again=%d", evtchn_close((uint32_t)p));
	/* Our old port number is free: a new channel there is the peer's no more. */
	result("closer realloc=%d", evtchn_alloc_unbound(KOAN_DOMID_SELF) == p);
}

/* Send on a port until it stops working (the peer closed its end). */
static void op_sender(void)
{
	unsigned peer = arg_u("peer", 0), remote = arg_u("port", 2);
	int32_t p = -1, err = 0;
	unsigned sent = 0;

	for (int tries = 0; (p = evtchn_bind_interdomain(peer, remote)) < 0 && tries < 100; tries++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	result("sender bind=%s", p > 0 ? "ok" : "failed");
	uint64_t end = system_time_ns() + 2000000000ull;
	while (system_time_ns() < end && (err = evtchn_send((uint32_t)p)) == 0)
		sent++;
	result("sender stopped=%d sent-some=%d", err, sent > 0);
	struct koan_evtchn_op st = { .cmd = KOAN_EVTCHNOP_STATUS };
	st.u.status.dom = KOAN_DOMID_SELF;
	st.u.status.port = (uint32_t)p;
	evtchn_op(&st);
	result("sender now unbound=%d for=%u", st.u.status.status == KOAN_EVTCHNSTAT_UNBOUND,
	       st.u.status.remote_dom);
}

static void op_deaths(void)
{
	static struct koan_domain_info info[8];
	unsigned want = arg_u("n", 1), ended = 0, events = 0;
	int32_t p = evtchn_bind_virq(KOAN_VIRQ_DOM_EXC);

	result("bind-dom-exc=%s", p > 0 ? "ok" : "failed");
	if (p <= 0)
		return;
	events_bind((uint32_t)p, on_event);
	events_enable();
	while (ended < want) {
		events_block();
		if (received == events)
			continue;
		events = received;
		struct koan_control_op op = { KOAN_CTL_LIST, 0, 0, 8, (uint32_t)(uintptr_t)info };
		hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&op, 0, 0);
		ended = 0;
		for (uint32_t i = 1; i < op.count; i++)
			ended += info[i].state == KOAN_DOMSTATE_HALTED ||
				 info[i].state == KOAN_DOMSTATE_CRASHED;
	}
	result("deaths seen=%u events=%d", ended, events > 0);
}

static bool all_fan_pending(void)
{
	for (uint32_t p = 2; p <= FAN_LAST; p++)
		if (!((shared_info->evtchn_pending[p / 32] >> (p % 32)) & 1))
			return false;
	return true;
}

static void op_fan_in(void)
{
	unsigned peer = arg_u("peer", 1), ok = 0, handled = 0, early = 0;

	for (uint32_t p = 2; p <= FAN_LAST; p++)
		ok += evtchn_alloc_unbound(peer) == (int32_t)p;
	result("fan-in allocated=%u", ok);
	events_enable();
	events_disable(); /* the virtual cli: nothing may be handled until enable */
	for (uint32_t p = 2; p < FAN_LAST; p++)
		events_bind(p, on_fan_event);
	shared_info->evtchn_mask[FAN_HELD / 32] |= 1u << (FAN_HELD % 32);
	evtchn_unmask(FAN_LAST); /* pending and unmasked, but nobody's */
	for (int tries = 0; !all_fan_pending() && tries < 1000; tries++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	for (uint32_t p = 2; p <= FAN_LAST; p++)
		early += fan_count[p];
	result("fan-in all-pending=%d handled-while-disabled=%u upcalls=%u", all_fan_pending(),
	       early, event_log.upcalls);
	events_enable();
	for (uint32_t p = 2; p < FAN_LAST; p++)
		handled += fan_count[p] == 1;
	result("fan-in handled-once=%u events=%u unhandled=%u upcalls=%u", handled,
	       event_log.events, event_log.unhandled, event_log.upcalls);
	result("fan-in nested=%u flags=0x%x", fan_nested, fan_flags_seen);
}

static void op_fan_out(void)
{
	unsigned peer = arg_u("peer", 0), bound = 0, sent = 0;

	for (uint32_t p = 2; p <= FAN_LAST; p++) {
		int32_t mine = -1;
		for (int tries = 0; tries < 100; tries++) {
			mine = evtchn_bind_interdomain(peer, p);
			if (mine != -KOAN_EINVAL)
				break;
			hc_sched_op(KOAN_SCHED_YIELD, 0);
		}
		if (mine > 0) {
			bound++;
			sent += evtchn_send((uint32_t)mine) == 0;
		}
	}
	result("fan-out bound=%u sent=%u", bound, sent);
}

static uint8_t user_stack[4096] __attribute__((aligned(16)));
static volatile unsigned ring3_timer_seen;

static void user_wait_for_timer(void)
{
	const volatile unsigned *timer = &event_log.timer; /* the callback counts */
	unsigned start = *timer;
	uint32_t cs;

	while (*timer == start)
		;
	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	ring3_timer_seen = cs & 3; /* still in ring 3 after the callback */
	usys(SYS_EXIT, 7, 0);
}

static void op_ring3_event(void)
{
	int err = guest_traps_init();

	result("ring3 traps=%d", err);
	if (err)
		return;
	events_enable();
	uint64_t at = system_time_ns() + 5000000u;
	hypercall3(KOAN_HC_SET_TIMER_OP, (uint32_t)at, (uint32_t)(at >> 32), 0);
	int code = enter_user(user_wait_for_timer,
			      (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack)));
	result("ring3 exit=%d timer=%u ring-after=%u", code, event_log.timer, ring3_timer_seen);
}

static void op_bad_stack_event(void)
{
	events_enable();
	uint64_t at = system_time_ns() + 2000000u;
	hypercall3(KOAN_HC_SET_TIMER_OP, (uint32_t)at, (uint32_t)(at >> 32), 0);
	result("bad-stack armed");
	/* No page is mapped below 4 MB: the event's frame has nowhere to go. */
	__asm__ volatile("movl $0x1000, %%esp\n1: jmp 1b" ::: "memory");
}

/* The #DB handler: counts the steps, and those taken inside the timer's
 * handler (there must be none: the upcall enters the callback with TF
 * clear, and the callback's iret sets it again). */
static volatile unsigned steps, steps_in_handler, in_handler, step_timer;

__asm__(".text\n"
	"db_stub:\n"
	"	incl steps\n"
	"	cmpl $0, in_handler\n"
	"	je 1f\n"
	"	incl steps_in_handler\n"
	"1:	iret\n");
extern char db_stub[];

static void on_step_timer(uint32_t port)
{
	(void)port;
	in_handler = 1;
	step_timer++;
	in_handler = 0;
}

static void op_step_event(void)
{
	const struct koan_trap_info table[] = {
		{ 1, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)db_stub },
		{ 0, 0, 0, 0 },
	};
	int err = hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)table, 0, 0);

	result("step traps=%d", err);
	if (err)
		return;
	events_bind(1, on_step_timer); /* the timer's port, from events_init() */
	events_enable();
	/* The timer's event pending on a masked port, then the unmask made
	 * while stepping: the upcall comes on the way back from that hypercall,
	 * whose frame has TF set. */
	shared_info->evtchn_mask[0] |= 1u << 1;
	hypercall3(KOAN_HC_SET_TIMER_OP, 1, 0, 0); /* already past: pending now */
	__asm__ volatile("pushfl; orl $0x100, (%%esp); popfl" ::: "memory", "cc");
	evtchn_unmask(1);
	while (!step_timer)
		;
	__asm__ volatile("pushfl; andl $~0x100, (%%esp); popfl" ::: "memory", "cc");
	result("step timer=%u stepped=%d in-handler=%u", step_timer, steps > 10, steps_in_handler);
}

static const struct guest_op ops[] = {
	{ "bad-ports", op_bad_ports },
	{ "callbacks", op_callbacks },
	{ "exhaust", op_exhaust },
	{ "timer", op_timer },
	{ "tick", op_tick },
	{ "block-timeout", op_block_timeout },
	{ "block-pending", op_block_pending },
	{ "masked", op_masked },
	{ "storm", op_storm },
	{ "sink", op_sink },
	{ "deaths", op_deaths },
	{ "closer", op_closer },
	{ "sender", op_sender },
	{ "fan-in", op_fan_in },
	{ "fan-out", op_fan_out },
	{ "ring3-event", op_ring3_event },
	{ "bad-stack-event", op_bad_stack_event },
	{ "step-event", op_step_event },
};

void guest_main(const struct koan_start_info *si)
{
	const struct guest_op *op = guest_find_op(ops, sizeof(ops) / sizeof(ops[0]));
	int err = events_init();

	(void)si;
	if (err) {
		result("events-init=%d", err);
		return;
	}
	if (!op) {
		result("unknown-op");
		return;
	}
	op->run();
}
