/*
 * Lab 4 in QEMU: events between domains, virtual IRQs, blocking, and what
 * a guest must not get away with, each attack next to a bystander (domain
 * 1) that checks its memory and how long it waited for the CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lab3-hypercalls/tests/bystander.h" /* lab 3's bystander, reused */
#include "expect.h"
#include "koan_test.h"

/* modules[0], the bystander as domain 1, then modules[2...]. */
static const char *run_around_bystander(struct run *r, const char *dom0, const char *dom2,
					const char *bystander_args)
{
	static struct scenario sc;
	static char bystander[96];
	const char *token = random_token();

	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s%s", token, bystander_args);
	scenario_init(&sc);
	sc.modules[0] = dom0;
	sc.modules[1] = bystander;
	sc.modules[2] = dom2;
	sc.timeout_ms = 30000;
	scenario_run(&sc, r);
	return token;
}

static void expect_no_crash(const struct run *r)
{
	expect_no_result_prefix(r, "hv crash");
	expect_no_result_prefix(r, "hv deadlock");
	expect_outcome(r, OUTCOME_DONE);
}

/* 10,000 events each way, in strict turns: none lost, none doubled. */
KTEST(lab4_ping_pong)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evping.elf role=pong peer=1 count=10000";
	sc.modules[1] = "evping.elf role=ping peer=0 port=2 count=10000";
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_result(&r, "d0 alloc-unbound=2");
	expect_result(&r, "d1 bind=ok");
	expect_result(&r, "d0 pong received=10000 sent=10000 upcalls-ok=1");
	expect_result(&r, "d1 ping received=10000 sent=10000");
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_result(&r, "hv audit dom=1 bad=0");
	/* The hypervisor entered pong's callback at least once, and never more
	 * often than the guest counted its entries (it may loop inside one). */
	char hv[16], guest[16];
	if (!result_value(&r, "hv events dom=0 ", "upcalls", hv, sizeof(hv)) ||
	    !result_value(&r, "d0 pong upcalls=", "upcalls", guest, sizeof(guest)))
		run_fail(&r, "no count of domain 0's upcalls, from the hypervisor and the guest");
	if (atol(hv) < 1 || atol(hv) > atol(guest))
		run_fail(&r, "the hypervisor counted %s upcalls of domain 0, its callback %s", hv,
			 guest);
	expect_no_crash(&r);
}

/* The one-shot timer, set 100 times 10 ms ahead: 100 events in 1 s. */
KTEST(lab4_timer_rate)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=timer";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 timer far-fired=0");
	expect_result(&r, "d0 timer set=0 past-fired=1");
	expect_result(&r, "d0 timer sleeps=100 fired=100");
	expect_result(&r, "d0 timer fired-later=0");
	expect_no_crash(&r);
}

/* The tick at 100 Hz: 50 (or 51, with the edges) in 500 ms. */
KTEST(lab4_tick_rate)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=tick";
	scenario_run(&sc, &r);
	if (!strstr(r.results, "d0 ticks=50\n") && !strstr(r.results, "d0 ticks=51\n"))
		run_fail(&r, "the tick did not come 50 times in 500 ms");
	expect_no_crash(&r);
}

KTEST(lab4_block_timeout)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=block-timeout";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 slept-ms=50 woken-by-timer=1");
	expect_no_crash(&r);
}

/* An event pending before block: block returns at once (no lost wake-up),
 * and turns the virtual interrupt flag on, so the event is delivered. */
KTEST(lab4_block_pending)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=block-pending";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 pending=1");
	expect_result(&r, "d0 block-returned timer-seen=1");
	expect_no_crash(&r);
}

KTEST(lab4_masked_until_unmask)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=masked";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 while-masked=0 pending=1");
	expect_result(&r, "d0 after-unmask=1");
	expect_no_crash(&r);
}

/* Events on ports in every word of the bitmaps, sent while the receiver
 * has its events disabled: none handled until it enables them, then each
 * handler once, in one upcall, and the port without a handler counted. */
KTEST(lab4_many_ports)
{
	struct run r;
	const char *token = run_around_bystander(&r, "evprobe.elf op=fan-in peer=2",
						 "evprobe.elf op=fan-out peer=0", "");
	static const char *const lines[] = {
		"d0 fan-in allocated=126",
		"d0 fan-in all-pending=1 handled-while-disabled=0 upcalls=0",
		"d0 fan-in handled-once=125 events=126 unhandled=1 upcalls=2",
		"d0 fan-in nested=0 flags=0x0",
		NULL,
	};

	expect_in_order(&r, lines);
	expect_result(&r, "d2 fan-out bound=126 sent=126");
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

/* An event that comes while a task runs in ring 3: its frame goes on the
 * kernel's stack (stack_switch), with the task's stack pointer, the callback
 * runs in ring 1, and the task resumes in ring 3. */
KTEST(lab4_event_from_ring3)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=ring3-event";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 ring3 traps=0");
	expect_result(&r, "d0 ring3 exit=7 timer=1 ring-after=3");
	expect_no_crash(&r);
}

/* An event that comes while the guest kernel single-steps itself: the
 * callback runs with TF clear, like a handler entered by an interrupt, and
 * the stepping goes on after it. */
KTEST(lab4_event_while_stepping)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=step-event";
	scenario_run(&sc, &r);
	expect_result(&r, "d0 step traps=0");
	expect_result(&r, "d0 step timer=1 stepped=1 in-handler=0");
	expect_no_crash(&r);
}

/* An event that finds the guest kernel's stack pointer unmapped: its frame
 * cannot be written, and the domain, only it, is crashed. */
KTEST(lab4_event_bad_stack)
{
	struct run r;
	const char *token =
		run_around_bystander(&r, "evprobe.elf op=bad-stack-event", "hello.elf", "");

	expect_result(&r, "d0 bad-stack armed");
	if (!strstr(r.results, "hv crash dom=0 ") ||
	    !strstr(r.results, "why=could not write the event frame on the guest's stack"))
		run_fail(&r,
			 "domain 0 should have been crashed for the event frame it could not take");
	expect_bystander_intact(&r, token);
}

/* Ports out of range or negative, free, another domain's, a channel to
 * oneself, virtual IRQs that are dom0's: each an error, nothing crashed. */
KTEST(lab4_bad_ports)
{
	static const char *const lines[] = {
		"d2 send-0=-22",
		"d2 send-max=-22",
		"d2 send-negative=-22",
		"d2 send-free=-22",
		"d2 close-free=-22",
		"d2 close-0=-22",
		"d2 unmask-max=-22",
		"d2 unmask-negative=-22",
		"d2 alloc-in-other=-1",
		"d2 status-other=-1",
		"d2 bind-for-other=-1",
		"d2 bind-new-in-other=-1",
		"d2 alloc-for-nobody=-3",
		"d2 bind-to-nobody=-3",
		"d2 unmask-own=0",
		"d2 virq-console=-1",
		"d2 virq-range=-22",
		"d2 virq-timer-again=-17",
		"d2 unknown-cmd=-38",
		"d2 op-in-hole=-14",
		"d2 alloc-self=ok",
		"d2 bind-self=-22",
		"d2 survived",
		NULL,
	};
	struct run r;
	const char *token = run_around_bystander(&r, "hello.elf", "evprobe.elf op=bad-ports", "");

	expect_in_order(&r, lines);
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

KTEST(lab4_bad_callbacks)
{
	static const char *const lines[] = {
		"d2 ring0-cs=-1",
		"d2 ring3-cs=-1",
		"d2 failsafe-ring0=-1",
		"d2 in-hole=-22",
		"d2 failsafe-in-hole=-22",
		"d2 failsafe-at-m2p=-22",
		"d2 at-m2p=-22",
		"d2 below-m2p=0",
		"d2 ok=0",
		"d2 survived",
		NULL,
	};
	struct run r;
	const char *token = run_around_bystander(&r, "hello.elf", "evprobe.elf op=callbacks", "");

	expect_in_order(&r, lines);
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

/* The port table's limit, reached again and again with closes between. */
KTEST(lab4_exhaustion)
{
	struct run r;
	const char *token = run_around_bystander(&r, "hello.elf", "evprobe.elf op=exhaust", "");

	expect_result(&r, "d2 allocated=126 last=127 then=-28");
	expect_result(&r, "d2 rounds-ok=200");
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

/* One domain sends as fast as it can: its peer sees events (merged: an
 * event is one bit), the bystander still gets the CPU on time. */
KTEST(lab4_event_storm)
{
	struct run r;
	const char *token =
		run_around_bystander(&r, "evprobe.elf op=sink peer=2",
				     "evprobe.elf op=storm peer=0 port=2", " watch=400 rounds=0");

	expect_result(&r, "d2 storm-bind=ok");
	expect_result(&r, "d2 storm sent-many=1");
	expect_result(&r, "d0 sink got-some=1 fewer-than-sent=1");
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

/* dom0's toolstack part: dom0shell connects domains 1 and 2, which find
 * their ports and bounce 100 events; its list shows a blocked domain, its
 * ports command the channel, and it waits for keys by blocking. */
KTEST(lab4_dom0_connect)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "dom0shell.elf";
	/* The pair stays after its count: the channel is there when dom0's
	 * ports command comes, however late its keys are. */
	sc.modules[1] = "evping.elf role=pong peer=2 count=100 by=dom0 stay=yes";
	sc.modules[2] = "evping.elf role=ping peer=1 count=100 by=dom0 stay=yes";
	/* Blocked for far longer than the run: however late the keys come,
	 * dom0's list finds it blocked, and then destroys it. */
	sc.modules[3] = "evprobe.elf op=block-timeout ms=20000";
	sc.console_input = "\nconnect 1 2\nports 1\nsleep 100\nlist\ndestroy 3\n"
			   "destroy 1\ndestroy 2\nquit\n";
	sc.timeout_ms = 30000;
	scenario_run(&sc, &r);
	/* Which ports depends on what the two did before the keys came. */
	expect_result_prefix(&r, "d0 connect 1 2 ports=");
	if (!strstr(r.results, " state=interdomain remote=2:"))
		run_fail(&r, "dom0's ports command did not show domain 1's channel to domain 2");
	expect_result(&r, "d0 slept 100");
	expect_result(&r, "d0 list id=3 state=blocked pages=512");
	expect_result(&r, "d1 pong received=100 sent=100 upcalls-ok=1");
	expect_result(&r, "d2 ping received=100 sent=100");
	expect_result(&r, "d0 destroy 3 ok");
	expect_result(&r, "hv destroyed dom=3");
	expect_result(&r, "d0 destroy 1 ok");
	expect_result(&r, "d0 destroy 2 ok");
	expect_no_result_prefix(&r, "d3 slept-ms=");
	expect_no_crash(&r);
}

/* dom0 controls a blocked domain like any other: it pauses it, unpauses it
 * (its block returns as if woken, and it blocks again for what it waits
 * for) and destroys it; its port table is audited as it goes. */
KTEST(lab4_dom0_controls_blocked)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "dom0shell.elf";
	sc.modules[1] = "evprobe.elf op=block-timeout ms=20000";
	sc.console_input = "\nsleep 50\nlist\npause 1\nlist\nunpause 1\nsleep 50\nlist\n"
			   "destroy 1\nlist\nports 42\nquit\n";
	sc.timeout_ms = 30000;
	scenario_run(&sc, &r);
	static const char *const lines[] = {
		"d0 list id=1 state=blocked pages=512", "d0 pause 1 ok",
		"d0 list id=1 state=paused pages=512",	"d0 unpause 1 ok",
		"d0 list id=1 state=blocked pages=512", "d0 destroy 1 ok",
		"d0 list id=1 state=crashed pages=512", NULL,
	};
	expect_in_order(&r, lines);
	expect_result(&r, "hv evtchn-audit dom=1 ok");
	expect_result(&r, "d0 ports 42 error=-3"); /* no such domain */
	expect_no_result_prefix(&r, "d1 slept-ms=");
	expect_no_result_prefix(&r, "hv deadlock");
}

/* dom0 hears, by an event, of each domain that ends, however it ends. */
KTEST(lab4_domain_died_virq)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "evprobe.elf op=deaths n=2";
	sc.modules[1] = "evprobe.elf op=block-timeout ms=30";
	sc.modules[2] = "privop.elf op=ud2"; /* crashed */
	scenario_run(&sc, &r);
	expect_result(&r, "d0 bind-dom-exc=ok");
	expect_result(&r, "d0 deaths seen=2 events=1");
	expect_crash(&r, 2, "6", NULL);
	expect_no_result_prefix(&r, "hv deadlock");
	expect_outcome(&r, OUTCOME_DONE);
}

/* A domain closes its end while its peer sends on it: the peer's sends
 * fail from then on (its end is unbound, waiting), nothing crashes, and
 * the bystander is untouched. */
KTEST(lab4_close_while_sending)
{
	struct run r;
	const char *token = run_around_bystander(&r, "evprobe.elf op=closer peer=2",
						 "evprobe.elf op=sender peer=0 port=2", "");

	expect_result(&r, "d2 sender bind=ok");
	expect_result(&r, "d0 closer close=0");
	expect_result(&r, "d0 closer close-again=-22");
	expect_result(&r, "d0 closer realloc=1");
	expect_result(&r, "d2 sender stopped=-22 sent-some=1");
	expect_result(&r, "d2 sender now unbound=1 for=0");
	expect_bystander_intact(&r, token);
	expect_no_crash(&r);
}

/* Random event-channel operations from two domains at once, with random
 * arguments: each gets a result, the port tables keep their invariants
 * (checked whenever a domain ends), the bystander is untouched. */
KTEST(lab4_random_events)
{
	char a[64], b[64];
	unsigned seed = (unsigned)time(NULL);
	struct run r;

	snprintf(a, sizeof(a), "evfuzz.elf seed=%u count=3000", seed);
	snprintf(b, sizeof(b), "evfuzz.elf seed=%u count=3000", seed * 7 + 1);
	const char *token = run_around_bystander(&r, a, b, "");
	expect_result_prefix(&r, "d0 fuzz ops=3000 ok=");
	expect_result_prefix(&r, "d2 fuzz ops=3000 ok=");
	expect_no_result_prefix(&r, "hv evtchn-audit dom=0 bad");
	expect_no_result_prefix(&r, "hv evtchn-audit dom=1 bad");
	expect_no_result_prefix(&r, "hv evtchn-audit dom=2 bad");
	expect_result(&r, "hv evtchn-audit dom=0 ok");
	expect_result(&r, "hv audit dom=0 bad=0");
	expect_result(&r, "hv audit dom=2 bad=0");
	expect_bystander_intact(&r, token);
	expect_no_result_prefix(&r, "hv panic");
	expect_outcome(&r, OUTCOME_DONE);
}
