/*
 * Lab 4 inside the hypervisor: what each domain keeps for events, and how
 * the rest of the hypervisor raises one (hv/event_channel.c, hv/shared_info.c,
 * hv/upcall.c, hv/event_timer.c).
 */
#ifndef KOAN_EVENTS_H
#define KOAN_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/domain.h>
#include <koan/evtchn.h>
#include <public/shared_info.h>

struct callbacks {
	uint32_t event_cs, event_eip; /* event_eip 0: no delivery */
	uint32_t failsafe_cs, failsafe_eip;
};

struct events_domain {
	uint32_t shared_info_mfn;    /* FRAME_NONE until created */
	struct koan_shared_info *si; /* its page, mapped; NULL unless alive */
	struct evtchn_table ports;
	struct callbacks cb;
	uint64_t timer_deadline_ns; /* 0: no timer */
	uint32_t upcalls;	    /* entries into the callback, reported at its end */
	bool start_info_written;    /* the start info names the shared-info frame */
};

struct events_domain *events_of(const struct domain *d);

/* The domain's shared-info page, through the hypervisor's map; NULL for a
 * domain without one (refused, or ended). */
struct koan_shared_info *shared_info_of(const struct domain *d);

/* The event table of domain `dom` if it is alive (not refused or ended). */
struct evtchn_table *evtchn_table_of(unsigned dom);

/* Raise `port` of d: its bit, and a wake-up if it blocked (hv/event_channel.c). */
void events_raise(struct domain *d, uint32_t port);
/* Raise the port d bound to `virq`, if it bound one. */
void events_raise_virq(struct domain *d, uint32_t virq);

/* Write the current time into d's shared info (hv/shared_info.c). */
void shared_info_update_time(struct domain *d);

#endif
