/*
 * Koan public ABI, lab 4: the shared-info page.
 *
 * One page per domain that the hypervisor and the guest kernel both write:
 * the guest maps its machine frame (start info, shared_info_mfn) at an
 * address of its choice, read-write, like any frame of its own. It holds
 * the event bitmaps, the guest's virtual interrupt flag and the time (the
 * paper, section 3.3, and Xen 2.0's shared_info_t).
 *
 * Events. Each port has a PENDING bit (set by the hypervisor, cleared by
 * the guest) and a MASK bit (set and cleared by the guest; the hypervisor
 * only reads it, but for KOAN_EVTCHNOP_UNMASK). Raising port p:
 *   1. set PENDING[p]; if it was set already, stop (an event is one bit);
 *   2. if MASK[p] is set, stop (unmasking will deliver it);
 *   3. set bit p / 32 of pending_sel; if it was set already, stop;
 *   4. set upcall_pending, and wake the domain if it blocked;
 * in that order, so that a guest that scans selector, then words, then
 * bits, never misses one. The guest clears upcall_pending before it scans,
 * and takes the selector with one atomic exchange.
 *
 * upcall_mask is the guest's interrupt flag: 1 while it is inside its
 * callback, or wherever it would have used cli. The hypervisor sets it when
 * it enters the callback; the guest clears it (its sti), and then must check
 * upcall_pending itself: an event raised while it was masked did not enter
 * the callback.
 *
 * Time. system_time_ns is nanoseconds since boot at the cycle count
 * tsc_timestamp; the guest adds (rdtsc - tsc_timestamp) / tsc_per_ms * 10^6.
 * Wall-clock time at system time 0 is wc_sec + wc_nsec. The hypervisor
 * makes time_version odd while it writes the time fields and even after:
 * a reader takes the version, reads, and starts again if the version was
 * odd or has changed (a sequence lock).
 *
 * Stable from ABI version 4 on.
 */
#ifndef KOAN_PUBLIC_SHARED_INFO_H
#define KOAN_PUBLIC_SHARED_INFO_H

#include <stdint.h>

#include <public/event_channel.h>
#include <public/memory.h>

#define KOAN_EVTCHN_WORDS (KOAN_EVTCHN_BITMAP_PORTS / 32u)

struct koan_vcpu_info {
	uint8_t upcall_pending; /* IN/OUT: set by the hypervisor (step 4), cleared by the guest */
	uint8_t upcall_mask;	/* IN/OUT: the guest's virtual interrupt flag, inverted */
	uint16_t pad;
	uint32_t pending_sel; /* IN/OUT: bit w: word w of evtchn_pending may have bits set */
};

struct koan_shared_info {
	struct koan_vcpu_info vcpu;		    /* @0 */
	uint32_t evtchn_pending[KOAN_EVTCHN_WORDS]; /* @8 */
	uint32_t evtchn_mask[KOAN_EVTCHN_WORDS];    /* @136 */
	uint32_t time_version;			    /* @264: odd while the hypervisor writes */
	uint32_t tsc_per_ms;			    /* @268: cycle-counter ticks per ms */
	uint64_t tsc_timestamp;			    /* @272 */
	uint64_t system_time_ns;		    /* @280: at tsc_timestamp */
	uint64_t wc_sec;			    /* @288: wall clock at system time 0 */
	uint32_t wc_nsec;			    /* @296 */
	uint32_t pad;
};

_Static_assert(sizeof(struct koan_shared_info) == 304, "ABI layout");
_Static_assert(sizeof(struct koan_shared_info) <= KOAN_PAGE_SIZE, "one page");

#define KOAN_START_INFO_VERSION_EVENTS 3u

/* From lab 4 on, the start info continues with this field (version 3). */
struct koan_start_info_events {
	struct koan_start_info_paging paging; /* base.version = KOAN_START_INFO_VERSION_EVENTS */
	uint32_t shared_info_mfn;	      /* OUT: the shared-info page's machine frame */
};

_Static_assert(sizeof(struct koan_start_info_events) == sizeof(struct koan_start_info_paging) + 4,
	       "start_info layout is ABI: fields only added at the end");

#endif
