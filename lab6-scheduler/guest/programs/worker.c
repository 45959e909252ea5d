/*
 * worker: a compute-bound domain that never blocks (lab 6's share tests).
 *   from_ms=F until_ms=U  count loop iterations while system time is in
 *                         [F, U) ms, then report them: the work it got done
 *                         is its share of the CPU, measured by itself
 *   end_ms=E              go on computing until E (default U), uncounted
 *   sleep_ms=S            first sleep S ms (a domain that slept, then computes)
 *   yield=yes             yield after every iteration (a domain that gives
 *                         the CPU back at once, again and again)
 * Every iteration is the same instructions, so under -icount iterations are
 * CPU time.
 */
#include "events.h"
#include "guest.h"
#include "hypercall.h"

void guest_main(const struct koan_start_info *si)
{
	char buf[16];
	uint64_t from = (uint64_t)atou(guest_arg("from_ms", buf, sizeof(buf)) ?: "0") * 1000000u;
	uint64_t until =
		(uint64_t)atou(guest_arg("until_ms", buf, sizeof(buf)) ?: "1000") * 1000000u;
	uint64_t end =
		guest_arg("end_ms", buf, sizeof(buf)) ? (uint64_t)atou(buf) * 1000000u : until;
	uint64_t nap = (uint64_t)atou(guest_arg("sleep_ms", buf, sizeof(buf)) ?: "0") * 1000000u;
	bool yield = guest_arg("yield", buf, sizeof(buf)) && strcmp(buf, "yes") == 0;
	uint32_t n = 0;
	uint64_t t;

	(void)si;
	if (events_init()) {
		result("events-init-failed");
		return;
	}
	if (nap) {
		events_enable();
		sleep_ns(nap);
	}
	while ((t = system_time_ns()) < end) {
		if (t >= from && t < until)
			n++;
		if (yield)
			hc_sched_op(KOAN_SCHED_YIELD, 0);
	}
	result("worker iterations=%u", n);
}
