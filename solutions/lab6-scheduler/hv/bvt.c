/*
 * Borrowed Virtual Time, the policy (koan/bvt.h): which domain runs, for how
 * long, and what each turn costs it in virtual time. Pure C, tested on the
 * host; hv/sched_bvt.c calls it with the clock and the domains.
 *
 * BVT (Duda and Cheriton, SOSP 1999) is the scheduler of the Xen paper
 * (section 3.3.1): each runnable domain's actual virtual time advances, as
 * it runs, in inverse proportion to its weight; the one furthest behind (the
 * lowest effective virtual time) runs; a latency-sensitive domain may warp
 * back in virtual time for a while, to run sooner without running more.
 */
#include <koan/bvt.h>
#include <koan/exercise.h>

#define US 1000u /* ns */

void bvt_dom_init(struct bvt_dom *d)
{
	*d = (struct bvt_dom){ .weight = KOAN_BVT_WEIGHT_DEFAULT };
}

static uint64_t evt_of(const struct bvt_dom *d)
{
	return d->warped ? d->avt - d->warp : d->avt;
}

// BEGIN EXERCISE lab6.1: a domain's parameters (lab6-scheduler/README.md, Exercise 1)
//   bvt_params_check: 0 for parameters dom0 may set, -KOAN_EINVAL for a
//   weight outside 1 .. KOAN_BVT_WEIGHT_MAX, a warp, warp limit or unwarp
//   requirement above its maximum (public/sched_ctl.h), or a warp without
//   a limit. bvt_params_set: checked parameters in the units of struct
//   bvt_dom (virtual ns, ns); a warp in effect ends if the new parameters
//   no longer allow it (no warp, or its limit already used), and the evt
//   follows. bvt_params_get gives back what was set.
int bvt_params_check(const struct koan_sched_params *p)
{
	if (p->weight == 0 || p->weight > KOAN_BVT_WEIGHT_MAX)
		return -KOAN_EINVAL;
	if (p->warp_us > KOAN_BVT_WARP_MAX_US || p->warpl_us > KOAN_BVT_WARPL_MAX_US ||
	    p->warpu_us > KOAN_BVT_WARPU_MAX_US)
		return -KOAN_EINVAL;
	if (p->warp_us > 0 && p->warpl_us == 0)
		return -KOAN_EINVAL;
	return 0;
}

void bvt_params_set(struct bvt_dom *d, const struct koan_sched_params *p)
{
	d->weight = p->weight;
	d->warp = (uint64_t)p->warp_us * US;
	d->warpl_ns = (uint64_t)p->warpl_us * US;
	d->warpu_ns = (uint64_t)p->warpu_us * US;
	if (d->warped && (d->warp == 0 || d->warp_used_ns >= d->warpl_ns))
		d->warped = false;
	d->evt = evt_of(d);
}

void bvt_params_get(const struct bvt_dom *d, struct koan_sched_params *p)
{
	p->weight = d->weight;
	p->warp_us = (uint32_t)(d->warp / US);
	p->warpl_us = (uint32_t)(d->warpl_ns / US);
	p->warpu_us = (uint32_t)(d->warpu_ns / US);
}
// STUB
//> int bvt_params_check(const struct koan_sched_params *p)
//> {
//> 	EXERCISE_TODO("lab6.1", "bvt_params_check() in hv/bvt.c accepts every parameter");
//> 	(void)p;
//> 	return 0;
//> }
//>
//> void bvt_params_set(struct bvt_dom *d, const struct koan_sched_params *p)
//> {
//> 	(void)d, (void)p, (void)evt_of;
//> }
//>
//> void bvt_params_get(const struct bvt_dom *d, struct koan_sched_params *p)
//> {
//> 	(void)d;
//> 	*p = (struct koan_sched_params){ 0 };
//> }
// END EXERCISE

// BEGIN EXERCISE lab6.2: what a turn costs (lab6-scheduler/README.md, Exercise 2)
//   bvt_vt_for: the virtual time of ran_ns of CPU at `weight` (1 ..
//   KOAN_BVT_WEIGHT_MAX): ran_ns * KOAN_BVT_WEIGHT_DEFAULT / weight, with the
//   remainder of the division kept in *carry (always below `weight`) and
//   added to the next call's, so that many short turns cost exactly what one
//   long turn of the same total does. ran_ns below 2^50.
//   bvt_account: d ran ran_ns in a turn that ended at `now`: its CPU, its
//   avt (by bvt_vt_for, with its own carry); while warped, the CPU it ran
//   warped, and when that reaches its warp limit the warp ends and may not
//   begin again before now + warpu. The evt follows (avt, less the warp
//   while warped).
uint64_t bvt_vt_for(uint32_t weight, uint64_t ran_ns, uint32_t *carry)
{
	uint64_t scaled = ran_ns * KOAN_BVT_WEIGHT_DEFAULT + *carry;

	*carry = (uint32_t)(scaled % weight);
	return scaled / weight;
}

void bvt_account(struct bvt_dom *d, uint64_t ran_ns, uint64_t now)
{
	d->cpu_ns += ran_ns;
	d->avt += bvt_vt_for(d->weight, ran_ns, &d->vt_carry);
	if (d->warped) {
		d->warp_used_ns += ran_ns;
		if (d->warp_used_ns >= d->warpl_ns) {
			d->warped = false;
			d->unwarp_until_ns = now + d->warpu_ns;
		}
	}
	d->evt = evt_of(d);
}
// STUB
//> uint64_t bvt_vt_for(uint32_t weight, uint64_t ran_ns, uint32_t *carry)
//> {
//> 	EXERCISE_TODO("lab6.2", "bvt_vt_for() in hv/bvt.c: every turn costs nothing");
//> 	(void)weight, (void)ran_ns, (void)carry;
//> 	return 0;
//> }
//>
//> void bvt_account(struct bvt_dom *d, uint64_t ran_ns, uint64_t now)
//> {
//> 	(void)d, (void)ran_ns, (void)now;
//> }
// END EXERCISE

// BEGIN EXERCISE lab6.3: waking up (lab6-scheduler/README.md, Exercise 3)
//   bvt_wake: d, not queued, becomes runnable at `now`. The wake-up rule:
//   an avt behind the system's virtual time is raised to it (sleeping earns
//   no credit; an avt ahead stays). A warp begins if d has one and `now` is
//   not before its unwarp time (the CPU it ran warped counts from 0 again).
//   The evt follows; d is queued. With `counted` (a wake-up from sched_op
//   block) the wake-up is counted and its time kept, for the latency of the
//   dispatch that follows (bvt_dispatched).
//   bvt_dequeue: d leaves the queue; a warp in effect ends (without the
//   unwarp requirement: the domain stopped by itself), a latency not yet
//   measured is forgotten, and the evt follows.
void bvt_wake(const struct bvt_sys *sys, struct bvt_dom *d, uint64_t now, bool counted)
{
	if (vt_before(d->avt, sys->svt))
		d->avt = sys->svt;
	d->warped = d->warp > 0 && now >= d->unwarp_until_ns;
	d->warp_used_ns = 0;
	d->evt = evt_of(d);
	d->queued = true;
	if (counted) {
		d->wakeups++;
		d->wake_pending = true;
		d->woken_ns = now;
	}
}

void bvt_dequeue(struct bvt_dom *d)
{
	d->queued = false;
	d->warped = false;
	d->wake_pending = false;
	d->evt = evt_of(d);
}
// STUB
//> void bvt_wake(const struct bvt_sys *sys, struct bvt_dom *d, uint64_t now, bool counted)
//> {
//> 	EXERCISE_TODO("lab6.3", "bvt_wake() in hv/bvt.c queues a domain as it was");
//> 	(void)sys, (void)now, (void)counted;
//> 	d->queued = true;
//> }
//>
//> void bvt_dequeue(struct bvt_dom *d)
//> {
//> 	d->queued = false;
//> }
// END EXERCISE

// BEGIN EXERCISE lab6.4: the dispatch decision (lab6-scheduler/README.md, Exercise 4)
//   bvt_update_svt: the lowest avt of the queued domains (vt_before, so
//   across the wrap at 2^64) becomes sys->svt; none queued: unchanged.
//   bvt_allowance_ns: the CPU `run` may still use before its evt, now
//   run_evt, exceeds other_evt by the context-switch allowance: the gap
//   other_evt - run_evt (signed, wrapping; may be negative) in its own CPU
//   time (times its weight over KOAN_BVT_WEIGHT_DEFAULT), plus
//   BVT_CTX_ALLOW_NS; 0 when that is not positive. Any gap, even one near
//   2^63, gives an answer without overflow.
//   bvt_evt_now: run's evt had it been accounted for ran_ns more (nothing
//   changed in it).
//   bvt_pick: the index of the queued domain of lowest evt (the lowest
//   index among equals), or -1; *turn_ns its allowance against the next
//   lowest evt of the queue, at most BVT_TURN_MAX_NS (which it is also
//   when it is alone).
#define GAP_MAX ((int64_t)1 << 40) /* vns: far beyond any real gap, and safe to scale */

void bvt_update_svt(struct bvt_sys *sys, struct bvt_dom *const *doms, unsigned n)
{
	bool any = false;
	uint64_t lowest = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct bvt_dom *d = doms[i];
		if (d && d->queued && (!any || vt_before(d->avt, lowest))) {
			lowest = d->avt;
			any = true;
		}
	}
	if (any)
		sys->svt = lowest;
}

uint64_t bvt_allowance_ns(const struct bvt_dom *run, uint64_t run_evt, uint64_t other_evt)
{
	int64_t gap = (int64_t)(other_evt - run_evt);

	if (gap > GAP_MAX)
		gap = GAP_MAX;
	if (gap < -GAP_MAX)
		gap = -GAP_MAX;
	int64_t ns = gap * (int64_t)run->weight / (int64_t)KOAN_BVT_WEIGHT_DEFAULT +
		     (int64_t)BVT_CTX_ALLOW_NS;
	return ns > 0 ? (uint64_t)ns : 0;
}

uint64_t bvt_evt_now(const struct bvt_dom *run, uint64_t ran_ns)
{
	uint32_t carry = run->vt_carry;
	uint64_t avt = run->avt + bvt_vt_for(run->weight, ran_ns, &carry);

	return run->warped ? avt - run->warp : avt;
}

int bvt_pick(struct bvt_dom *const *doms, unsigned n, uint64_t *turn_ns)
{
	int best = -1, next = -1;

	for (unsigned i = 0; i < n; i++) {
		const struct bvt_dom *d = doms[i];
		if (!d || !d->queued)
			continue;
		if (best < 0 || vt_before(d->evt, doms[best]->evt)) {
			next = best;
			best = (int)i;
		} else if (next < 0 || vt_before(d->evt, doms[next]->evt)) {
			next = (int)i;
		}
	}
	*turn_ns = BVT_TURN_MAX_NS;
	if (best >= 0 && next >= 0) {
		uint64_t allowed = bvt_allowance_ns(doms[best], doms[best]->evt, doms[next]->evt);
		if (allowed < *turn_ns)
			*turn_ns = allowed;
	}
	return best;
}
// STUB
//> void bvt_update_svt(struct bvt_sys *sys, struct bvt_dom *const *doms, unsigned n)
//> {
//> 	(void)sys, (void)doms, (void)n;
//> }
//>
//> uint64_t bvt_allowance_ns(const struct bvt_dom *run, uint64_t run_evt, uint64_t other_evt)
//> {
//> 	(void)run, (void)run_evt, (void)other_evt;
//> 	return BVT_TURN_MAX_NS;
//> }
//>
//> uint64_t bvt_evt_now(const struct bvt_dom *run, uint64_t ran_ns)
//> {
//> 	(void)ran_ns;
//> 	return run->evt;
//> }
//>
//> int bvt_pick(struct bvt_dom *const *doms, unsigned n, uint64_t *turn_ns)
//> {
//> 	EXERCISE_TODO("lab6.4", "bvt_pick() in hv/bvt.c takes the first queued domain");
//> 	*turn_ns = BVT_TURN_MAX_NS;
//> 	for (unsigned i = 0; i < n; i++)
//> 		if (doms[i] && doms[i]->queued)
//> 			return (int)i;
//> 	return -1;
//> }
// END EXERCISE

// BEGIN EXERCISE lab6.5: yielding, and the latency of a dispatch (lab6-scheduler/README.md, Exercise 5)
//   bvt_yield: d (queued) asked to give up the CPU: its avt moves to just
//   after (one virtual ns past) the highest avt of the other queued domains
//   when it is not already beyond it, its warp ends (without the unwarp
//   requirement), and the evt follows; it never moves back. Alone in the
//   queue it keeps its avt.
//   bvt_dispatched: d was chosen at `now`: one more dispatch; if a counted
//   wake-up waits for it, its latency (now - the wake-up's time, at most
//   UINT32_MAX) becomes the last, the longest if it is, and is added to the
//   sum; then no wake-up waits.
void bvt_yield(struct bvt_dom *d, struct bvt_dom *const *doms, unsigned n)
{
	bool any = false;
	uint64_t highest = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct bvt_dom *o = doms[i];
		if (o && o != d && o->queued && (!any || vt_before(highest, o->avt))) {
			highest = o->avt;
			any = true;
		}
	}
	if (any && !vt_before(highest, d->avt))
		d->avt = highest + 1;
	d->warped = false;
	d->evt = evt_of(d);
}

void bvt_dispatched(struct bvt_dom *d, uint64_t now)
{
	d->dispatches++;
	if (!d->wake_pending)
		return;
	uint64_t lat = now - d->woken_ns;
	uint32_t ns = lat > UINT32_MAX ? UINT32_MAX : (uint32_t)lat;
	d->latency_last_ns = ns;
	if (ns > d->latency_max_ns)
		d->latency_max_ns = ns;
	d->latency_sum_ns += ns;
	d->wake_pending = false;
}
// STUB
//> void bvt_yield(struct bvt_dom *d, struct bvt_dom *const *doms, unsigned n)
//> {
//> 	EXERCISE_TODO("lab6.5", "bvt_yield() in hv/bvt.c: a yield changes nothing");
//> 	(void)d, (void)doms, (void)n;
//> }
//>
//> void bvt_dispatched(struct bvt_dom *d, uint64_t now)
//> {
//> 	(void)now;
//> 	d->dispatches++;
//> }
// END EXERCISE
