/*
 * Lab 4's part of dom0shell (lab 3's shell.h): the toolstack's commands for
 * event channels, and console input as an event.
 *   connect A B   a channel between domains A and B (a new port in each)
 *   ports D       domain D's ports that are in use, and where they lead
 *   sleep MS      wait MS milliseconds (the one-shot timer)
 * While nothing is typed the shell blocks until KOAN_VIRQ_CONSOLE says a key
 * arrived, instead of giving up the CPU again and again.
 */
#include "events.h"
#include "guest.h"
#include "hypercall.h"
#include "shell.h"

static bool events_ready(void)
{
	static int state; /* 0: not yet, 1: ready, -1: failed */

	if (state == 0)
		state = events_init() == 0 ? 1 : -1;
	if (state == 1)
		events_enable();
	return state == 1;
}

static bool number(const char *s, uint32_t *n)
{
	if (parse_u32(s, n))
		return true;
	gprintf("'%s' is not a number\n", s);
	result("bad-number");
	return false;
}

static void run_connect(char **args)
{
	struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_BIND_INTERDOMAIN };
	uint32_t a, b;

	if (!number(args[0], &a) || !number(args[1], &b))
		return;
	op.u.bind_interdomain.dom1 = a;
	op.u.bind_interdomain.dom2 = b;
	int32_t err = evtchn_op(&op);
	if (err) {
		gprintf("connect %u %u: error %d\n", a, b, err);
		result("connect %u %u error=%d", a, b, err);
		return;
	}
	gprintf("connected domain %u port %u to domain %u port %u\n", a,
		op.u.bind_interdomain.port1, b, op.u.bind_interdomain.port2);
	result("connect %u %u ports=%u,%u", a, b, op.u.bind_interdomain.port1,
	       op.u.bind_interdomain.port2);
}

static const struct shell_command connect_cmd = { "connect", "A B", 2, run_connect };
SHELL_COMMAND(connect_cmd);

static void run_ports(char **args)
{
	static const char *const names[] = { "closed", "unbound", "interdomain", "?", "virq" };
	uint32_t d, shown = 0;

	if (!number(args[0], &d))
		return;
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++) {
		struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_STATUS };
		op.u.status.dom = d;
		op.u.status.port = p;
		int32_t err = evtchn_op(&op);
		if (err) {
			gprintf("ports %u: error %d\n", d, err);
			result("ports %u error=%d", d, err);
			return;
		}
		uint32_t st = op.u.status.status;
		if (st == KOAN_EVTCHNSTAT_CLOSED)
			continue;
		const char *name = st < 5 ? names[st] : "?";
		if (st == KOAN_EVTCHNSTAT_VIRQ)
			gprintf("  port %3u  virq %u\n", p, op.u.status.remote_port);
		else if (st == KOAN_EVTCHNSTAT_UNBOUND)
			gprintf("  port %3u  unbound, for domain %u\n", p, op.u.status.remote_dom);
		else
			gprintf("  port %3u  %s to domain %u port %u\n", p, name,
				op.u.status.remote_dom, op.u.status.remote_port);
		result("port dom=%u port=%u state=%s remote=%u:%u", d, p, name,
		       op.u.status.remote_dom, op.u.status.remote_port);
		shown++;
	}
	result("ports %u count=%u", d, shown);
}

static const struct shell_command ports_cmd = { "ports", "DOMAIN", 1, run_ports };
SHELL_COMMAND(ports_cmd);

static void run_sleep(char **args)
{
	uint32_t ms;

	if (!number(args[0], &ms) || !events_ready())
		return;
	sleep_ns((uint64_t)ms * 1000000u);
	result("slept %u", ms);
}

static const struct shell_command sleep_cmd = { "sleep", "MS", 1, run_sleep };
SHELL_COMMAND(sleep_cmd);

static void on_console(uint32_t port)
{
	(void)port; /* the key itself is read with the console hypercall */
}

/* Block until a key arrives (KOAN_VIRQ_CONSOLE); if events cannot be had,
 * give up the CPU as lab 3's shell does. */
static void block_for_input(void)
{
	static int32_t port;

	if (!events_ready()) {
		hc_sched_op(KOAN_SCHED_YIELD, 0);
		return;
	}
	if (port == 0) {
		port = evtchn_bind_virq(KOAN_VIRQ_CONSOLE);
		if (port > 0)
			events_bind((uint32_t)port, on_console);
		return; /* look at the console once more before sleeping */
	}
	events_block();
}

static const struct shell_waiter console_waiter = { block_for_input };
SHELL_WAITER(console_waiter);
