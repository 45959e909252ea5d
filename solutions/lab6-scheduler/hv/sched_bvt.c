/*
 * Lab 6's scheduler: Borrowed Virtual Time (the policy is hv/bvt.c), with a
 * higher rank than lab 3's round robin, which it replaces by registration.
 * Here is what joins the policy to the mechanism: the per-domain state, the
 * accounting at every switch by the clock (koan/clock.h: nanoseconds, the
 * same in every run under -icount), the wake-up check that may preempt the
 * running domain, and the idle domain, which halts the CPU while nothing
 * may run.
 */
#include <koan/bvt.h>
#include <koan/clock.h>
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/platform.h>
#include <koan/sched_bvt.h>
#include <koan/timer.h>
#include <koan/x86.h>

DOMAIN_EXTENSION(struct bvt_dom, bvt_state)

static struct bvt_sys sys;
static struct domain *running; /* dispatched, not yet accounted */
static uint64_t dispatched_ns; /* when */
static uint64_t turn_ns;       /* how long its turn may last */
static uint64_t idle_ns;       /* the idle domain's CPU: time halted */

void cpu_halt(void); /* hv/cpu_halt.S */

struct bvt_dom *bvt_of(const struct domain *d)
{
	return bvt_state(d);
}

const struct bvt_sys *bvt_system(void)
{
	return &sys;
}

uint64_t bvt_idle_ns(void)
{
	return idle_ns;
}

static bool may_run(const struct domain *d)
{
	return d->state == DOM_READY || d->state == DOM_RUNNABLE;
}

/* The policy's view of every domain, by index (= id). */
static unsigned all_states(struct bvt_dom **doms)
{
	unsigned n = domain_count();

	for (unsigned i = 0; i < n; i++)
		doms[i] = bvt_of(domain_at(i));
	return n;
}

// BEGIN EXERCISE lab6.6: dispatch (lab6-scheduler/README.md, Exercise 6)
//   choose(now): called whenever the CPU is free, after the last turn was
//   accounted. The queue becomes what the domains' states say (a domain that
//   may run and is not queued is woken, not counted; one queued that may no
//   longer run leaves it), the system's virtual time follows the queue, and
//   the policy's pick is dispatched: its turn length kept for the timer
//   (turn_length), the dispatch counted, a pending preemption request
//   forgotten (this choice is the one it asked for), and `running` and
//   `dispatched_ns` set for the accounting. Returns the domain, or NULL
//   when none may run. The system's virtual time is taken before a domain
//   is woken, so that the wake-up rule raises it to the queue's lowest.
//   account_turn(now): the turn of `running` (if any) ended at `now`: the
//   policy accounts it, and no domain is running.
static void account_turn(uint64_t now)
{
	if (running) {
		bvt_account(bvt_of(running), now - dispatched_ns, now);
		running = 0;
	}
}

static struct domain *choose(uint64_t now)
{
	struct bvt_dom *doms[MAX_DOMAINS];
	unsigned n = all_states(doms);

	for (unsigned i = 0; i < n; i++)
		if (doms[i]->queued && !may_run(domain_at(i)))
			bvt_dequeue(doms[i]);
	bvt_update_svt(&sys, doms, n);
	for (unsigned i = 0; i < n; i++)
		if (!doms[i]->queued && may_run(domain_at(i)))
			bvt_wake(&sys, doms[i], now, false);
	bvt_update_svt(&sys, doms, n);

	uint64_t turn;
	int best = bvt_pick(doms, n, &turn);
	if (best < 0)
		return 0;
	struct domain *d = domain_at((unsigned)best);
	bvt_dispatched(doms[best], now);
	domain_preempt_clear();
	running = d;
	dispatched_ns = now;
	turn_ns = turn;
	return d;
}
// STUB
//> static void account_turn(uint64_t now)
//> {
//> 	(void)now, (void)dispatched_ns;
//> 	running = 0;
//> }
//>
//> static struct domain *choose(uint64_t now)
//> {
//> 	EXERCISE_TODO("lab6.6", "choose() in hv/sched_bvt.c runs the first domain that may run");
//> 	(void)now, (void)all_states;
//> 	turn_ns = BVT_TURN_MAX_NS;
//> 	for (unsigned i = 0; i < domain_count(); i++)
//> 		if (may_run(domain_at(i)))
//> 			return domain_at(i);
//> 	return 0;
//> }
// END EXERCISE

HV_OPTION(schedtrace, "a domain id: report each of its dispatch latencies (make plots)");

/* With schedtrace=D, each latency the policy measured for domain D. */
static void trace_latency(const struct domain *d)
{
	static int traced = -2; /* -2: not read yet; -1: none */
	static uint64_t last_sum;
	char value[8];
	uint32_t id;

	if (traced == -2)
		traced = cmdline_get(hv_cmdline, "schedtrace", value, sizeof(value)) &&
					 parse_u32(value, &id)
				 ? (int)id
				 : -1;
	const struct bvt_dom *b = bvt_of(d);
	if ((int)d->id != traced || b->latency_sum_ns == last_sum)
		return;
	last_sum = b->latency_sum_ns;
	report("dispatch dom=%u wakeup=%u latency-ns=%u", d->id, b->wakeups, b->latency_last_ns);
}

static void bvt_run(void) __attribute__((noreturn));
static void bvt_run(void)
{
	do {
		uint64_t now = clock_ns();
		account_turn(now);
		struct domain *d = choose(now);
		if (d) {
			trace_latency(d);
			domain_enter(d);
		}
	} while (domains_idle()); /* all blocked (lab 4): the idle domain waits */
	domains_finish();
}

// BEGIN EXERCISE lab6.7: a wake-up that preempts (lab6-scheduler/README.md, Exercise 6)
//   woken(d): d just became runnable (domain_wake: a wake-up from sched_op
//   block, counted). d joins the queue if it is not in it; then, if another
//   domain is running, the running one is judged by its evt as of now (its
//   turn so far included): with no allowance left against d's evt, true (it
//   yields at once: preempt_on_return below); otherwise its turn is cut, if
//   need be, to end when that allowance does. With no domain running (the
//   idle domain), false: the idle loop sees a domain that may run.
//   preempt_on_return(d, tf): every guest's way back (RETURN_TO_GUEST):
//   when a preemption was asked for and d is the domain running, the
//   request is done with and d yields from tf.
static bool woken(struct domain *d)
{
	uint64_t now = clock_ns();
	struct bvt_dom *b = bvt_of(d);

	if (!b->queued)
		bvt_wake(&sys, b, now, true);
	if (!running || running == d)
		return false;
	struct bvt_dom *r = bvt_of(running);
	uint64_t ran = now - dispatched_ns;
	uint64_t left = bvt_allowance_ns(r, bvt_evt_now(r, ran), b->evt);
	if (left == 0)
		return true;
	if (ran + left < turn_ns)
		turn_ns = ran + left;
	return false;
}

static void preempt_on_return(struct domain *d, struct trap_frame *tf)
{
	if (domain_preempt_requested() && d == running && d == current_domain()) {
		domain_preempt_clear();
		domain_yield(tf);
	}
}
// STUB
//> static bool woken(struct domain *d)
//> {
//> 	EXERCISE_TODO("lab6.7", "woken() in hv/sched_bvt.c never preempts");
//> 	(void)d;
//> 	return false;
//> }
//>
//> static void preempt_on_return(struct domain *d, struct trap_frame *tf)
//> {
//> 	(void)d, (void)tf;
//> }
// END EXERCISE

RETURN_TO_GUEST(preempt_on_return);

static void yielding(struct domain *d)
{
	struct bvt_dom *doms[MAX_DOMAINS];
	unsigned n = all_states(doms);

	bvt_yield(bvt_of(d), doms, n);
}

static uint64_t turn_length(void)
{
	return turn_ns;
}

// BEGIN EXERCISE lab6.8: the idle domain (lab6-scheduler/README.md, Exercise 7)
//   idle_wait(until_ns): called by lab 4's idle loop while every domain
//   waits, between two looks at what could wake one; until_ns is when the
//   clock is next due to wake one (UINT64_MAX: never). If the timer's next
//   tick (a tick is 1 s / scheduler_tick_hz()) comes before that, halts the
//   CPU until the next interrupt (cpu_halt()), ends that interrupt at the
//   PIC (timer_irq_done(), or no tick would come again) and counts the time
//   halted as the idle domain's CPU (idle_ns), by the clock; otherwise
//   returns at once, so that the wake-up is not a tick late.
static void idle_wait(uint64_t until_ns)
{
	uint64_t start = clock_ns(), tick = 1000000000u / scheduler_tick_hz();

	if (until_ns != UINT64_MAX && (until_ns <= start || until_ns - start <= tick))
		return;
	cpu_halt();
	timer_irq_done();
	idle_ns += clock_ns() - start;
}
// STUB
//> static void idle_wait(uint64_t until_ns)
//> {
//> 	EXERCISE_TODO("lab6.8", "idle_wait() in hv/sched_bvt.c does not halt");
//> 	(void)until_ns;
//> }
// END EXERCISE

static const char *created(struct domain *d)
{
	bvt_dom_init(bvt_of(d));
	return 0;
}

/* What the domain had of the CPU, for the results (the tests read it). */
static void ended(struct domain *d)
{
	struct bvt_dom *b = bvt_of(d);

	if (running == d) /* ended in its turn */
		account_turn(clock_ns());
	bvt_dequeue(b);
	report("sched dom=%u weight=%u cpu-us=%u dispatches=%u wakeups=%u latency-max-ns=%u "
	       "latency-avg-ns=%u",
	       d->id, b->weight, (unsigned)(b->cpu_ns / 1000), b->dispatches, b->wakeups,
	       b->latency_max_ns, b->wakeups ? (unsigned)(b->latency_sum_ns / b->wakeups) : 0);
}

static const struct domain_hooks bvt_hooks = { .created = created, .end = ended };
DOMAIN_HOOKS(bvt_hooks);

static const struct scheduler bvt = {
	.id = { "borrowed virtual time (lab 6)", 6 },
	.guest_eflags = EFLAGS_IF,
	.tick_hz = 1000, /* turns of a millisecond or two: BVT_CTX_ALLOW_NS */
	.turn_length = turn_length,
	.woken = woken,
	.yielding = yielding,
	.idle_wait = idle_wait,
	.run = bvt_run,
};
SCHEDULER(bvt);
