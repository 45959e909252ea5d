/*
 * Borrowed Virtual Time, the policy (hv/bvt.c): pure C over the state below,
 * tested on the host. The mechanism that calls it, with the clock and the
 * domains, is hv/sched_bvt.c. Times are nanoseconds of the hypervisor's
 * clock; virtual times are "virtual ns" (public/sched_ctl.h), compared as
 * Xen and TCP compare sequence numbers: a before b when (int64_t)(a - b) < 0,
 * so that they may wrap around 2^64 (no virtual time is ever 2^63 away from
 * another that matters).
 */
#ifndef KOAN_BVT_H
#define KOAN_BVT_H

#include <stdbool.h>
#include <stdint.h>

#include <public/sched_ctl.h>

/* C, the context-switch allowance (the paper's): a domain runs until its
 * evt exceeds the next one's by this much of its own CPU time, and a
 * waking domain preempts only when its evt is lower by more than that. */
#define BVT_CTX_ALLOW_NS 1000000u /* 1 ms */
/* The longest turn, even with nothing else runnable (a wake-up that does
 * not preempt waits at most this long). */
#define BVT_TURN_MAX_NS 20000000u /* 20 ms */

struct bvt_dom {
	/* Parameters (dom0's, public/sched_ctl.h), in the units used below. */
	uint32_t weight;
	uint64_t warp;	   /* virtual ns */
	uint64_t warpl_ns; /* CPU it may run warped */
	uint64_t warpu_ns; /* no warp for this long after it used its limit */
	/* State. */
	bool queued;		  /* in the run queue: runnable as the policy sees it */
	uint64_t avt, evt;	  /* actual and effective virtual time */
	uint32_t vt_carry;	  /* what a division of the last advance left over */
	bool warped;		  /* warp in effect: evt = avt - warp */
	uint64_t warp_used_ns;	  /* CPU run warped since this warp began */
	uint64_t unwarp_until_ns; /* no warp before this time */
	uint64_t cpu_ns;	  /* CPU it has run */
	/* Dispatch latency: from a wake-up to the turn that follows it. */
	bool wake_pending;
	uint64_t woken_ns;
	uint32_t dispatches, wakeups;
	uint32_t latency_max_ns, latency_last_ns;
	uint64_t latency_sum_ns;
};

struct bvt_sys {
	uint64_t svt; /* the lowest avt of the queued domains, as of the last pick */
};

/* Is virtual time a before b (wrapping)? */
static inline bool vt_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

/* A new domain's parameters: the default weight, no warp; not queued. */
void bvt_dom_init(struct bvt_dom *d);

/* 0 if dom0 may set these parameters, else -KOAN_EINVAL (public/sched_ctl.h). */
int bvt_params_check(const struct koan_sched_params *p);
/* Set checked parameters: a warp in effect is recomputed under the new ones. */
void bvt_params_set(struct bvt_dom *d, const struct koan_sched_params *p);
void bvt_params_get(const struct bvt_dom *d, struct koan_sched_params *p);

/* Virtual time for `ran_ns` of CPU at `weight`, exact over many calls: the
 * division's remainder is kept in *carry for the next. */
uint64_t bvt_vt_for(uint32_t weight, uint64_t ran_ns, uint32_t *carry);

/* d ran `ran_ns` in a turn that ended at `now`: its CPU, avt, warp and evt. */
void bvt_account(struct bvt_dom *d, uint64_t ran_ns, uint64_t now);

/* d became runnable at `now` (woken, unpaused, created): the wake-up rule,
 * its warp, its evt; queued. Not for a domain already queued. `counted`: a
 * wake-up from sched_op block, whose dispatch latency is measured. */
void bvt_wake(const struct bvt_sys *sys, struct bvt_dom *d, uint64_t now, bool counted);
/* d is no longer runnable (blocked, paused, ended): out of the queue, unwarped. */
void bvt_dequeue(struct bvt_dom *d);

/* The lowest avt of the queued domains becomes the system's virtual time
 * (unchanged when none is queued). */
void bvt_update_svt(struct bvt_sys *sys, struct bvt_dom *const *doms, unsigned n);

/* The queued domain to run (lowest evt; the lowest index among equals), or
 * -1 when none is queued; *turn_ns: how long it may run (bvt_allowance_ns
 * against the next lowest evt, at most BVT_TURN_MAX_NS). */
int bvt_pick(struct bvt_dom *const *doms, unsigned n, uint64_t *turn_ns);

/* How much longer (CPU ns) `run`, whose evt is `run_evt` now, may run before
 * its evt exceeds `other_evt` by the context-switch allowance; 0: switch now. */
uint64_t bvt_allowance_ns(const struct bvt_dom *run, uint64_t run_evt, uint64_t other_evt);

/* `run` has run `ran_ns` of its turn: its evt as of now. */
uint64_t bvt_evt_now(const struct bvt_dom *run, uint64_t ran_ns);

/* sched_op yield: d goes behind every other queued domain, and so gains
 * nothing by yielding. */
void bvt_yield(struct bvt_dom *d, struct bvt_dom *const *doms, unsigned n);

/* A dispatch of d at `now`: counts it, and the latency of a wake-up it follows. */
void bvt_dispatched(struct bvt_dom *d, uint64_t now);

#endif
