/*
 * Time and waiting for lab 4: the one-shot timer (KOAN_HC_SET_TIMER_OP),
 * the virtual IRQs raised from the hypervisor's tick (the timer, the tick,
 * console input), and the wait policy behind sched_op block: a domain
 * sleeps only when nothing is pending for it, and when every domain
 * sleeps the hypervisor waits, by the clock, for the next thing that can
 * wake one.
 */
#include <koan/clock.h>
#include <koan/events.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/serial.h>
#include <koan/timer.h>
#include <koan/trap.h>

#define TICK_NS 10000000u /* the tick's period: 100 Hz (hv/timer.c) */

// BEGIN EXERCISE lab4.9: the one-shot timer (lab4-events/README.md, Exercise 6)
//   In: a 64-bit deadline in system-time nanoseconds, low word first. Out:
//   0, the deadline kept as the domain's one timer (replacing any other);
//   0 cancels it. A deadline already reached raises KOAN_VIRQ_TIMER now
//   (events_raise_virq) and keeps no timer. timer_expire(d, now), called
//   for every domain at every tick and while idle: a kept deadline that
//   `now` has reached raises KOAN_VIRQ_TIMER once and is forgotten.
static int32_t do_set_timer_op(const struct hypercall_args *a)
{
	uint64_t deadline = (uint64_t)a->arg[1] << 32 | a->arg[0];
	struct domain *d = current_domain();

	events_of(d)->timer_deadline_ns = deadline;
	if (deadline && deadline <= clock_ns()) {
		events_of(d)->timer_deadline_ns = 0;
		events_raise_virq(d, KOAN_VIRQ_TIMER); /* already past: now */
	}
	return 0;
}

static void timer_expire(struct domain *d, uint64_t now)
{
	struct events_domain *ev = events_of(d);

	if (ev->timer_deadline_ns && ev->timer_deadline_ns <= now) {
		ev->timer_deadline_ns = 0;
		events_raise_virq(d, KOAN_VIRQ_TIMER);
	}
}
// STUB
//> static int32_t do_set_timer_op(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab4.9", "do_set_timer_op() in hv/event_timer.c sets no timer yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
//>
//> static void timer_expire(struct domain *d, uint64_t now)
//> {
//> 	(void)d, (void)now;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_SET_TIMER_OP, do_set_timer_op);

static uint64_t next_tick_ns;

/* What a moment of the clock owes the domains: expired timers, the tick,
 * console input (to dom0). */
static void events_poll(void)
{
	uint64_t now = clock_ns();
	bool tick = now >= next_tick_ns;

	if (tick)
		next_tick_ns = now - now % TICK_NS + TICK_NS;
	for (unsigned i = 0; i < domain_count(); i++) {
		struct domain *d = domain_at(i);
		timer_expire(d, now);
		if (tick)
			events_raise_virq(d, KOAN_VIRQ_TICK);
	}
	/* As long as a key waits (a level, not an edge: a key that comes
	 * between two looks must not go unnoticed); an event is one bit, so
	 * raising it again before dom0 looked costs nothing. */
	if (serial_rx_ready(COM1))
		events_raise_virq(domain_by_id(0), KOAN_VIRQ_CONSOLE);
}

/* Before lab 3's own handler (which ends the turn): never handles it. */
static bool events_tick(struct trap_frame *tf)
{
	(void)tf;
	events_poll();
	return false;
}

GUEST_TRAP_HANDLER(TIMER_VECTOR, TRAP_PRIO_EVENTS, events_tick);

// BEGIN EXERCISE lab4.10: may this domain sleep? (lab4-events/README.md, Exercise 5)
//   may_block(d), for sched_op block: true if the domain may sleep until an
//   event wakes it (events_raise wakes it when upcall_pending goes to 1),
//   false if an event is pending already (block then returns at once: no
//   lost wake-up). Either way, the domain's virtual interrupt flag is on
//   afterwards (upcall_mask clear), or the event that wakes it could not be
//   delivered. A domain without shared info may sleep.
static bool may_block(struct domain *d)
{
	struct koan_shared_info *si = shared_info_of(d);

	if (!si)
		return true;
	/* Blocking turns the virtual interrupt flag on, or the wake-up could
	 * never be delivered (Xen clears upcall_mask on block, for the same
	 * race). */
	si->vcpu.upcall_mask = 0;
	return !si->vcpu.upcall_pending;
}
// STUB
//> static bool may_block(struct domain *d)
//> {
//> 	EXERCISE_TODO("lab4.10", "may_block() in hv/event_timer.c never lets a domain sleep");
//> 	(void)d;
//> 	return false;
//> }
// END EXERCISE

/* Could anything still wake a blocked domain? A timer, the tick, or the
 * console (dom0's input). Another domain's send cannot: none runs. */
static bool something_can_wake(void)
{
	for (unsigned i = 0; i < domain_count(); i++) {
		struct domain *d = domain_at(i);
		const struct events_domain *ev = events_of(d);
		if (d->state != DOM_BLOCKED)
			continue;
		if (ev->timer_deadline_ns || ev->ports.virq_port[KOAN_VIRQ_TICK] ||
		    ev->ports.virq_port[KOAN_VIRQ_CONSOLE])
			return true;
	}
	return false;
}

static bool any_runnable(void)
{
	for (unsigned i = 0; i < domain_count(); i++) {
		enum domain_state s = domain_at(i)->state;
		if (s == DOM_READY || s == DOM_RUNNABLE)
			return true;
	}
	return false;
}

/* The earliest time the clock could wake a blocked domain: its timer, or
 * the next tick when it listens to the tick; UINT64_MAX if none can. */
static uint64_t next_wake_ns(void)
{
	uint64_t next = UINT64_MAX;

	for (unsigned i = 0; i < domain_count(); i++) {
		struct domain *d = domain_at(i);
		const struct events_domain *ev = events_of(d);
		if (d->state != DOM_BLOCKED)
			continue;
		if (ev->timer_deadline_ns && ev->timer_deadline_ns < next)
			next = ev->timer_deadline_ns;
		if (ev->ports.virq_port[KOAN_VIRQ_TICK] && next_tick_ns < next)
			next = next_tick_ns;
	}
	return next;
}

/* Every domain sleeps: wait by the clock (with interrupts off, as the
 * hypervisor always runs) until one wakes; between two looks, the
 * scheduler may halt the CPU until the next interrupt, if that comes
 * before the next wake-up is due (lab 6's idle domain). */
static bool events_idle(void)
{
	while (!any_runnable()) {
		if (!something_can_wake())
			return false;
		scheduler_idle_wait(next_wake_ns());
		events_poll();
	}
	return true;
}

static const struct wait_policy events_wait = { .may_block = may_block, .idle = events_idle };
WAIT_POLICY(events_wait);
