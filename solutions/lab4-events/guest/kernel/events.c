/*
 * The guest kernel's side of events (guest/include/events.h): the shared
 * info mapped over a page of our own, the two-level scan over the selector
 * and the bitmaps, a handler per port, the virtual interrupt flag, the time
 * and the one-shot timer.
 */
#include <koan/exercise.h>
#include <koan/pte.h>
#include <public/layout.h>

#include "events.h"
#include "guest.h"
#include "hypercall.h"
#include "mm.h"

volatile struct koan_shared_info *shared_info;
struct event_log event_log;

static event_handler handlers[KOAN_EVTCHN_MAX_PORTS];
static volatile bool timer_fired;

/* The page the shared info is mapped over (its own frame stays ours). */
static uint8_t shared_info_page[KOAN_PAGE_SIZE] __attribute__((aligned(KOAN_PAGE_SIZE)));

extern char hypervisor_callback[], failsafe_callback[];

int32_t evtchn_op(struct koan_evtchn_op *op)
{
	return hypercall3(KOAN_HC_EVENT_CHANNEL_OP, (uint32_t)(uintptr_t)op, 0, 0);
}

int32_t evtchn_alloc_unbound(uint32_t remote_dom)
{
	struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_ALLOC_UNBOUND };
	op.u.alloc_unbound.dom = KOAN_DOMID_SELF;
	op.u.alloc_unbound.remote_dom = remote_dom;
	int32_t err = evtchn_op(&op);
	return err ? err : (int32_t)op.u.alloc_unbound.port;
}

int32_t evtchn_bind_interdomain(uint32_t remote_dom, uint32_t remote_port)
{
	struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_BIND_INTERDOMAIN };
	op.u.bind_interdomain.dom1 = KOAN_DOMID_SELF;
	op.u.bind_interdomain.dom2 = remote_dom;
	op.u.bind_interdomain.port2 = remote_port;
	int32_t err = evtchn_op(&op);
	return err ? err : (int32_t)op.u.bind_interdomain.port1;
}

int32_t evtchn_bind_virq(uint32_t virq)
{
	struct koan_evtchn_op op = { .cmd = KOAN_EVTCHNOP_BIND_VIRQ };
	op.u.bind_virq.virq = virq;
	int32_t err = evtchn_op(&op);
	return err ? err : (int32_t)op.u.bind_virq.port;
}

static int32_t port_op(uint32_t cmd, uint32_t port)
{
	struct koan_evtchn_op op = { .cmd = cmd };
	op.u.send.port = port; /* close, send and unmask all start with the port */
	return evtchn_op(&op);
}

int32_t evtchn_send(uint32_t port)
{
	return port_op(KOAN_EVTCHNOP_SEND, port);
}

int32_t evtchn_close(uint32_t port)
{
	return port_op(KOAN_EVTCHNOP_CLOSE, port);
}

int32_t evtchn_unmask(uint32_t port)
{
	return port_op(KOAN_EVTCHNOP_UNMASK, port);
}

static uint32_t take_word(volatile uint32_t *w)
{
	uint32_t v = 0;
	__asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(*w) : : "memory");
	return v;
}

static void clear_bit(volatile uint32_t *w, unsigned bit)
{
	__asm__ volatile("lock btrl %1, %0" : "+m"(*w) : "Ir"(bit) : "memory");
}

static void set_bit(volatile uint32_t *w, unsigned bit)
{
	__asm__ volatile("lock btsl %1, %0" : "+m"(*w) : "Ir"(bit) : "memory");
}

// BEGIN EXERCISE lab4.11: the guest's scan, and its interrupt flag (lab4-events/README.md, Exercise 7)
//   events_do_upcall(), from hypervisor_callback with events masked: every
//   port pending and not masked gets its handler called once (handlers[],
//   or counted in event_log.unhandled), its PENDING bit cleared before the
//   call; selector first, then each word it names, taking the selector
//   with one atomic exchange (take_word) after clearing upcall_pending, so
//   that an event raised at any moment is seen now or upcalls again.
//   Counts event_log.upcalls and .events. events_disable()/events_enable():
//   the virtual cli and sti (upcall_mask); enable delivers at once what
//   arrived while masked (any hypercall's return does: hc_version()).
void events_do_upcall(void)
{
	event_log.upcalls++;
	shared_info->vcpu.upcall_pending = 0; /* first: what is raised from now on upcalls again */
	__asm__ volatile("" ::: "memory");
	uint32_t sel = take_word(&shared_info->vcpu.pending_sel);

	while (sel) {
		unsigned w = (unsigned)__builtin_ctz(sel);
		uint32_t bits;
		sel &= sel - 1;
		while ((bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w])) {
			unsigned b = (unsigned)__builtin_ctz(bits);
			uint32_t port = w * 32 + b;
			clear_bit(&shared_info->evtchn_pending[w], b); /* before: a new one stays */
			event_log.events++;
			if (port < KOAN_EVTCHN_MAX_PORTS && handlers[port])
				handlers[port](port);
			else
				event_log.unhandled++;
		}
	}
}

void events_disable(void)
{
	shared_info->vcpu.upcall_mask = 1;
	__asm__ volatile("" ::: "memory");
}

void events_enable(void)
{
	shared_info->vcpu.upcall_mask = 0;
	__asm__ volatile("" ::: "memory");
	/* What arrived while masked did not upcall: any hypercall's return
	 * delivers it (Mini-OS forces one the same way). */
	if (shared_info->vcpu.upcall_pending)
		hc_version();
}
// STUB
//> void events_do_upcall(void)
//> {
//> 	EXERCISE_TODO("lab4.11",
//> 		      "events_do_upcall() in guest/kernel/events.c handles no event yet");
//> 	(void)take_word, (void)clear_bit, (void)handlers;
//> }
//>
//> void events_disable(void)
//> {
//> }
//>
//> void events_enable(void)
//> {
//> }
// END EXERCISE

void events_bind(uint32_t port, event_handler h)
{
	if (port >= KOAN_EVTCHN_MAX_PORTS)
		return;
	handlers[port] = h;
	evtchn_unmask(port);
}

void events_block(void)
{
	hc_sched_op(KOAN_SCHED_BLOCK, 0);
}

uint64_t system_time_ns(void)
{
	uint32_t version, per_ms;
	uint64_t tsc, base, now;

	do {
		version = shared_info->time_version;
		__asm__ volatile("" ::: "memory");
		tsc = shared_info->tsc_timestamp;
		base = shared_info->system_time_ns;
		per_ms = shared_info->tsc_per_ms;
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) || version != shared_info->time_version);
	__asm__ volatile("rdtsc" : "=A"(now));
	if (!per_ms)
		return base;
	uint64_t c = now - tsc;
	return base + c / per_ms * 1000000u + c % per_ms * 1000000u / per_ms;
}

static void on_timer(uint32_t port)
{
	(void)port;
	event_log.timer++;
	timer_fired = true;
}

void sleep_ns(uint64_t ns)
{
	uint64_t deadline = system_time_ns() + ns;

	while (system_time_ns() < deadline) {
		timer_fired = false;
		hypercall3(KOAN_HC_SET_TIMER_OP, (uint32_t)deadline, (uint32_t)(deadline >> 32), 0);
		while (!timer_fired)
			events_block();
	}
}

int events_init(void)
{
	const struct koan_start_info_events *si = (const void *)start_info;
	uint32_t va = (uint32_t)(uintptr_t)shared_info_page;
	int32_t err;

	if (start_info->version < KOAN_START_INFO_VERSION_EVENTS)
		return -KOAN_ENOSYS;
	err = hc_update_va_mapping(va, pte_make(si->shared_info_mfn, PTE_P | PTE_RW | PTE_US),
				   KOAN_UVMF_INVLPG);
	if (err)
		return err;
	shared_info = (volatile struct koan_shared_info *)shared_info_page;
	err = hypercall5(KOAN_HC_SET_CALLBACKS, KOAN_GUEST_KERNEL_CS,
			 (uint32_t)(uintptr_t)hypervisor_callback, KOAN_GUEST_KERNEL_CS,
			 (uint32_t)(uintptr_t)failsafe_callback, 0);
	if (err)
		return err;
	/* Every port masked until it has a handler (events_bind unmasks). */
	for (unsigned w = 0; w < KOAN_EVTCHN_WORDS; w++)
		shared_info->evtchn_mask[w] = 0xFFFFFFFFu;
	err = evtchn_bind_virq(KOAN_VIRQ_TIMER);
	if (err < 0)
		return err;
	events_bind((uint32_t)err, on_timer);
	(void)set_bit;
	return 0;
}
