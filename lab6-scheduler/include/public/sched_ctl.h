/*
 * Koan public ABI, lab 6: dom0's control of the scheduler, Borrowed Virtual
 * Time (Duda and Cheriton, SOSP 1999; the Xen paper, section 3.3.1).
 *
 * Each domain has a weight: its share of the CPU while it is runnable is
 * its weight over the sum of the runnable domains' weights. Its actual
 * virtual time (avt) advances by the time it runs times
 * KOAN_BVT_WEIGHT_DEFAULT / weight (so a domain of the default weight has
 * one nanosecond of virtual time for one of the CPU's); the runnable domain
 * with the lowest effective virtual time (evt) runs. A latency-sensitive
 * domain may be given a warp: when it wakes, its evt is its avt less
 * `warp_us`, so it runs sooner, but for at most `warpl_us` of CPU before it
 * unwarps, and then not again for `warpu_us` (the warp limit and the unwarp
 * requirement, Xen 2.0's warpl and warpu). Its avt, and so its share, are
 * not changed by warping: what it borrows it pays back.
 *
 * KOAN_HC_SCHED_CTL (op): dom0 only (others: -KOAN_EPERM); an op dom0
 * cannot read or write: -KOAN_EFAULT; a domain that is not alive:
 * -KOAN_ESRCH; an unknown command: -KOAN_ENOSYS.
 *   KOAN_SCHEDCTL_GET  fill `params` and `info` of `domain` (or of the idle
 *                      domain, KOAN_SCHED_IDLE_DOMAIN: its CPU is the time
 *                      the machine was halted)
 *   KOAN_SCHEDCTL_SET  set `params` of `domain` (dom0's own too); absurd
 *                      values are refused with -KOAN_EINVAL and change
 *                      nothing: a weight outside 1 .. KOAN_BVT_WEIGHT_MAX, a
 *                      warp, limit or requirement above its maximum, or a
 *                      warp without a limit (it would never unwarp)
 */
#ifndef KOAN_PUBLIC_SCHED_CTL_H
#define KOAN_PUBLIC_SCHED_CTL_H

#include <stdint.h>

#include <public/hypercall.h>

#define KOAN_HC_SCHED_CTL 36 /* op: a struct koan_sched_ctl (Xen's domctl number) */

#define KOAN_SCHEDCTL_GET 1
#define KOAN_SCHEDCTL_SET 2

#define KOAN_SCHED_IDLE_DOMAIN 0x7FFFu /* Xen's IDLE_DOMAIN_ID */

#define KOAN_BVT_WEIGHT_DEFAULT 100u
#define KOAN_BVT_WEIGHT_MAX 10000u
#define KOAN_BVT_WARP_MAX_US 1000000u	/* 1 s of virtual time */
#define KOAN_BVT_WARPL_MAX_US 1000000u	/* 1 s of CPU */
#define KOAN_BVT_WARPU_MAX_US 10000000u /* 10 s */

struct koan_sched_params {
	uint32_t weight;
	uint32_t warp_us;  /* 0: never warps */
	uint32_t warpl_us; /* CPU it may run warped before it unwarps */
	uint32_t warpu_us; /* then no warp for this long */
};

struct koan_sched_info {	  /* OUT of KOAN_SCHEDCTL_GET */
	uint64_t cpu_ns;	  /* CPU it has run (idle: halted) */
	uint64_t avt, evt;	  /* its virtual times, in virtual ns */
	uint64_t svt;		  /* the system's: the lowest avt of the runnable */
	uint32_t runnable;	  /* 1 while it is in the run queue */
	uint32_t warped;	  /* 1 while its warp is in effect */
	uint32_t dispatches;	  /* times it was chosen to run */
	uint32_t wakeups;	  /* times it was woken */
	uint32_t latency_max_ns;  /* from a wake-up to its dispatch, the longest */
	uint32_t latency_last_ns; /* and the last */
	uint64_t latency_sum_ns;  /* over all `wakeups` dispatched */
};

struct koan_sched_ctl {
	uint32_t cmd;			 /* IN */
	uint32_t domain;		 /* IN */
	struct koan_sched_params params; /* IN for set, OUT for get */
	struct koan_sched_info info;	 /* OUT for get */
};

_Static_assert(sizeof(struct koan_sched_params) == 16, "ABI layout");
_Static_assert(sizeof(struct koan_sched_info) == 64, "ABI layout");
_Static_assert(sizeof(struct koan_sched_ctl) == 88, "ABI layout");

#endif
