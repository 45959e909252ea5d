/*
 * schedctl: dom0's scheduler toolstack in one run, for the tests and
 * `make plots` (the shell's weight, warp and sched commands do the same by
 * hand).
 *   weights=W1:W2:...    set domain 1's weight to W1, domain 2's to W2, ...
 *   warp=D:W:L:U         set domain D's warp, limit and unwarp (us)
 *   from_ms=F until_ms=U sample every domain's CPU every sample_ms (default
 *   sample_ms=S          100) from F to U ms of system time, and report the
 *                        CPU each had between F and U
 *   op=refuse            try absurd parameters on domain 1, report each error
 *   op=probe             (not as dom0) try to read and set; report the errors
 */
#include "events.h"
#include "guest.h"
#include "hypercall.h"
#include "sched_ctl.h"

#define MAX_DOMS 16

static unsigned nr_doms;
static uint64_t cpu_at_from[MAX_DOMS], idle_at_from;

static void set_weights(const char *list)
{
	unsigned dom = 1;

	for (const char *p = list; *p && dom < MAX_DOMS; dom++) {
		struct koan_sched_ctl op;
		uint32_t w = 0;
		while (*p >= '0' && *p <= '9')
			w = w * 10 + (uint32_t)(*p++ - '0');
		if (*p == ':')
			p++;
		int32_t err = sched_get(dom, &op);
		if (!err) {
			op.params.weight = w;
			err = sched_set(dom, &op.params);
		}
		result("set dom=%u weight=%u err=%d", dom, w, err);
		nr_doms = dom + 1;
	}
}

static void set_warp(const char *spec)
{
	uint32_t v[4] = { 0 };
	unsigned k = 0;

	for (const char *p = spec; *p && k < 4; p++) {
		if (*p == ':')
			k++;
		else if (*p >= '0' && *p <= '9')
			v[k] = v[k] * 10 + (uint32_t)(*p - '0');
	}
	struct koan_sched_ctl op;
	int32_t err = sched_get(v[0], &op);
	if (!err) {
		op.params.warp_us = v[1];
		op.params.warpl_us = v[2];
		op.params.warpu_us = v[3];
		err = sched_set(v[0], &op.params);
	}
	result("set dom=%u warp=%u warpl=%u warpu=%u err=%d", v[0], v[1], v[2], v[3], err);
}

static uint64_t cpu_of(unsigned dom)
{
	struct koan_sched_ctl op;
	return sched_get(dom, &op) ? 0 : op.info.cpu_ns;
}

static void sleep_until(uint64_t t)
{
	uint64_t now = system_time_ns();
	if (now < t)
		sleep_ns(t - now);
}

static void sample(uint64_t from, uint64_t until, uint64_t step)
{
	sleep_until(from);
	for (unsigned d = 0; d < nr_doms; d++)
		cpu_at_from[d] = cpu_of(d);
	idle_at_from = cpu_of(KOAN_SCHED_IDLE_DOMAIN);
	for (uint64_t t = from + step; t <= until; t += step) {
		sleep_until(t);
		for (unsigned d = 1; d < nr_doms; d++)
			result("sample t-ms=%u dom=%u cpu-us=%u", (unsigned)(t / 1000000), d,
			       (unsigned)((cpu_of(d) - cpu_at_from[d]) / 1000));
	}
	for (unsigned d = 0; d < nr_doms; d++)
		result("cpu dom=%u us=%u", d, (unsigned)((cpu_of(d) - cpu_at_from[d]) / 1000));
	result("cpu dom=idle us=%u",
	       (unsigned)((cpu_of(KOAN_SCHED_IDLE_DOMAIN) - idle_at_from) / 1000));
}

static void refuse(void)
{
	static const struct {
		const char *name;
		struct koan_sched_params p;
	} bad[] = {
		{ "weight-0", { 0, 0, 0, 0 } },
		{ "weight-max+1", { KOAN_BVT_WEIGHT_MAX + 1, 0, 0, 0 } },
		{ "weight-2^31", { 0x80000000u, 0, 0, 0 } },
		{ "warp-max+1", { 100, KOAN_BVT_WARP_MAX_US + 1, 1000, 0 } },
		{ "warpl-max+1", { 100, 1000, KOAN_BVT_WARPL_MAX_US + 1, 0 } },
		{ "warpu-max+1", { 100, 1000, 1000, KOAN_BVT_WARPU_MAX_US + 1 } },
		{ "warp-no-limit", { 100, 1000, 0, 0 } },
	};
	struct koan_sched_ctl op;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		result("refuse %s err=%d", bad[i].name, sched_set(1, &bad[i].p));
	sched_get(1, &op);
	result("after weight=%u warp=%u warpl=%u warpu=%u", op.params.weight, op.params.warp_us,
	       op.params.warpl_us, op.params.warpu_us);
	struct koan_sched_params most = { KOAN_BVT_WEIGHT_MAX, KOAN_BVT_WARP_MAX_US,
					  KOAN_BVT_WARPL_MAX_US, KOAN_BVT_WARPU_MAX_US };
	result("refuse most err=%d", sched_set(1, &most));
	result("refuse no-domain err=%d", sched_get(99, &op));
	op.cmd = 9;
	result("refuse bad-cmd err=%d",
	       hypercall3(KOAN_HC_SCHED_CTL, (uint32_t)(uintptr_t)&op, 0, 0));
	result("refuse bad-addr err=%d", hypercall3(KOAN_HC_SCHED_CTL, 0xFFFFFFF0u, 0, 0));
	result("refuse idle err=%d", sched_get(KOAN_SCHED_IDLE_DOMAIN, &op));
}

static void probe(uint32_t self)
{
	struct koan_sched_ctl op;
	struct koan_sched_params p = { KOAN_BVT_WEIGHT_MAX, KOAN_BVT_WARP_MAX_US,
				       KOAN_BVT_WARPL_MAX_US, 0 };

	result("probe get=%d", sched_get(0, &op));
	result("probe set-self=%d", sched_set(self, &p));
	result("probe set-dom0=%d", sched_set(0, &p));
}

void guest_main(const struct koan_start_info *si)
{
	char buf[64];

	if (events_init()) {
		result("events-init-failed");
		return;
	}
	events_enable();
	if (guest_arg("op", buf, sizeof(buf))) {
		if (strcmp(buf, "refuse") == 0)
			refuse();
		else if (strcmp(buf, "probe") == 0)
			probe(si->domain_id);
		return;
	}
	if (guest_arg("weights", buf, sizeof(buf)))
		set_weights(buf);
	if (guest_arg("warp", buf, sizeof(buf)))
		set_warp(buf);
	if (guest_arg("until_ms", buf, sizeof(buf))) {
		uint64_t until = (uint64_t)atou(buf) * 1000000u;
		uint64_t from =
			(uint64_t)atou(guest_arg("from_ms", buf, sizeof(buf)) ?: "0") * 1000000u;
		uint64_t step = (uint64_t)atou(guest_arg("sample_ms", buf, sizeof(buf)) ?: "100") *
				1000000u;
		if (!nr_doms)
			nr_doms = atou(guest_arg("doms", buf, sizeof(buf)) ?: "1");
		sample(from, until, step ? step : 100000000u);
	}
}
