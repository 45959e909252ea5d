/*
 * The shared-info bitmaps (public/shared_info.h): raising an event and
 * unmasking a port, in the order that lets a guest scan without a lock.
 * Pure C. The hypervisor runs only while the guest is stopped (one CPU), so
 * plain reads and writes are enough here; the guest's side uses single
 * locked instructions for the same bits.
 */
#include <koan/evtchn.h>
#include <koan/exercise.h>

static bool test_and_set(uint32_t *word, unsigned bit)
{
	bool was = (*word >> bit) & 1;
	*word |= 1u << bit;
	return was;
}

// BEGIN EXERCISE lab4.5: raise an event, unmask a port (lab4-events/README.md, Exercise 2)
//   evtchn_raise: the four steps of public/shared_info.h for `port`, each
//   only if the one before changed something: PENDING, then (unless MASK
//   is set) the selector bit of its word, then upcall_pending. Returns true
//   only when upcall_pending went from 0 to 1 (the domain must then wake).
//   evtchn_unmask: clears MASK; if the port is PENDING, steps 3 and 4, with
//   the same result. A port >= KOAN_EVTCHN_BITMAP_PORTS touches nothing
//   (false). test_and_set() above is yours to use.
static bool signal_upcall(struct koan_shared_info *si, uint32_t port)
{
	if (test_and_set(&si->vcpu.pending_sel, port / 32))
		return false;
	if (si->vcpu.upcall_pending)
		return false;
	si->vcpu.upcall_pending = 1;
	return true;
}

bool evtchn_raise(struct koan_shared_info *si, uint32_t port)
{
	if (port >= KOAN_EVTCHN_BITMAP_PORTS)
		return false;
	if (test_and_set(&si->evtchn_pending[port / 32], port % 32))
		return false; /* already pending: an event is one bit */
	if ((si->evtchn_mask[port / 32] >> (port % 32)) & 1)
		return false; /* masked: the unmask delivers it */
	return signal_upcall(si, port);
}

bool evtchn_unmask(struct koan_shared_info *si, uint32_t port)
{
	if (port >= KOAN_EVTCHN_BITMAP_PORTS)
		return false;
	si->evtchn_mask[port / 32] &= ~(1u << (port % 32));
	if (!evtchn_is_pending(si, port))
		return false;
	return signal_upcall(si, port);
}
// STUB
//> bool evtchn_raise(struct koan_shared_info *si, uint32_t port)
//> {
//> 	EXERCISE_TODO("lab4.5", "evtchn_raise() in hv/evtchn_bits.c raises nothing yet");
//> 	(void)si, (void)port, (void)test_and_set;
//> 	return false;
//> }
//>
//> bool evtchn_unmask(struct koan_shared_info *si, uint32_t port)
//> {
//> 	EXERCISE_TODO("lab4.5", "evtchn_unmask() in hv/evtchn_bits.c unmasks nothing yet");
//> 	(void)si, (void)port;
//> 	return false;
//> }
// END EXERCISE

bool evtchn_is_pending(const struct koan_shared_info *si, uint32_t port)
{
	return port < KOAN_EVTCHN_BITMAP_PORTS &&
	       ((si->evtchn_pending[port / 32] >> (port % 32)) & 1);
}
