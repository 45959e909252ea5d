/*
 * The guest kernel's events (lab 4), in the spirit of Mini-OS: the shared
 * info mapped, a handler per port called from the hypervisor's upcall, the
 * virtual interrupt flag instead of cli/sti, time, and sleeping.
 */
#ifndef KOAN_GUEST_EVENTS_H
#define KOAN_GUEST_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>
#include <public/shared_info.h>

/* Our shared-info page, once events_init() has mapped it. */
extern volatile struct koan_shared_info *shared_info;

/* Map the shared info, register the callbacks and bind the one-shot timer.
 * Events stay masked (upcall_mask) until events_enable(). 0 or an error. */
int events_init(void);

typedef void (*event_handler)(uint32_t port);
/* Call `h` for each event on `port` (from the upcall, events masked), and
 * unmask the port. */
void events_bind(uint32_t port, event_handler h);

/* The virtual interrupt flag: off, on (delivering what waits), saved. */
void events_disable(void);
void events_enable(void);

/* The upcall's scan, from hypervisor_callback (events_entry.S). */
void events_do_upcall(void);

/* Sleep until some event arrives (sched_op block). */
void events_block(void);

/* The event-channel operations (public/event_channel.h): a port or 0 on
 * success, a negative KOAN_E* on failure. */
int32_t evtchn_op(struct koan_evtchn_op *op);
int32_t evtchn_alloc_unbound(uint32_t remote_dom);
int32_t evtchn_bind_interdomain(uint32_t remote_dom, uint32_t remote_port);
int32_t evtchn_bind_virq(uint32_t virq);
int32_t evtchn_send(uint32_t port);
int32_t evtchn_close(uint32_t port);
int32_t evtchn_unmask(uint32_t port);

/* Nanoseconds since the hypervisor booted (shared info and the TSC). */
uint64_t system_time_ns(void);
/* Sleep at least `ns` (the one-shot timer). */
void sleep_ns(uint64_t ns);

/* Counts for programs to report. */
struct event_log {
	unsigned upcalls;   /* entries into the callback */
	unsigned events;    /* handlers called */
	unsigned unhandled; /* events on a port with no handler */
	unsigned timer;	    /* KOAN_VIRQ_TIMER events */
};
extern struct event_log event_log;

#endif
