/*
 * waker: a latency-sensitive domain (lab 6's warp tests): it sleeps until a
 * deadline, wakes on its timer, does a little work, and again.
 *   count=N period_us=P work_us=W
 *   trace=yes   also report each wake-up's lateness (make plots)
 * It reports the latency it saw from each deadline to running again (the
 * timer's tick included); the hypervisor reports its own figure, from the
 * wake-up to the dispatch (hv sched ... latency-max-ns).
 */
#include "events.h"
#include "guest.h"

void guest_main(const struct koan_start_info *si)
{
	char buf[16];
	unsigned count = atou(guest_arg("count", buf, sizeof(buf)) ?: "100");
	uint64_t period =
		(uint64_t)atou(guest_arg("period_us", buf, sizeof(buf)) ?: "5000") * 1000u;
	uint64_t work = (uint64_t)atou(guest_arg("work_us", buf, sizeof(buf)) ?: "50") * 1000u;
	uint64_t max = 0, sum = 0;
	bool trace = guest_arg("trace", buf, sizeof(buf)) && strcmp(buf, "yes") == 0;

	(void)si;
	if (events_init()) {
		result("events-init-failed");
		return;
	}
	events_enable();
	uint64_t start = system_time_ns();
	for (unsigned i = 1; i <= count; i++) {
		uint64_t deadline = start + i * period, now = system_time_ns();
		if (now < deadline)
			sleep_ns(deadline - now);
		now = system_time_ns();
		uint64_t late = now > deadline ? now - deadline : 0;
		sum += late;
		if (trace)
			result("late i=%u us=%u", i, (unsigned)(late / 1000));
		if (late > max)
			max = late;
		while (system_time_ns() < now + work)
			;
	}
	result("waker wakeups=%u late-max-us=%u late-avg-us=%u", count, (unsigned)(max / 1000),
	       count ? (unsigned)(sum / count / 1000) : 0);
}
