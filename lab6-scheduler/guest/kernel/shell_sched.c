/*
 * Lab 6's part of dom0shell (lab 3's shell.h): the toolstack's scheduler
 * commands.
 *   weight D W        domain D's weight (1 .. 10000; 100 by default)
 *   warp D W L U      its warp, warp limit and unwarp requirement, in us
 *   sched D           its parameters, virtual times, CPU and latencies
 *                     (D = 32767: the idle domain's CPU)
 */
#include "guest.h"
#include "sched_ctl.h"
#include "shell.h"

static bool numbers(char **args, unsigned n, uint32_t *out)
{
	for (unsigned i = 0; i < n; i++) {
		if (!parse_u32(args[i], &out[i])) {
			gprintf("'%s' is not a number\n", args[i]);
			result("bad-number");
			return false;
		}
	}
	return true;
}

static void set_params(const char *what, uint32_t d, const struct koan_sched_params *p)
{
	int32_t err = sched_set(d, p);

	if (err) {
		gprintf("%s %u: error %d%s\n", what, d, err,
			err == -KOAN_EINVAL ? " (out of range: see help)" : "");
		result("%s %u error=%d", what, d, err);
		return;
	}
	gprintf("domain %u: weight %u, warp %u us, limit %u us, unwarp %u us\n", d, p->weight,
		p->warp_us, p->warpl_us, p->warpu_us);
	result("%s %u ok", what, d);
}

/* The parameters as they are, to change one of them. */
static bool current_params(const char *what, uint32_t d, struct koan_sched_params *p)
{
	struct koan_sched_ctl op;
	int32_t err = sched_get(d, &op);

	if (err) {
		gprintf("%s %u: error %d\n", what, d, err);
		result("%s %u error=%d", what, d, err);
		return false;
	}
	*p = op.params;
	return true;
}

static void run_weight(char **args)
{
	uint32_t v[2];
	struct koan_sched_params p;

	if (!numbers(args, 2, v) || !current_params("weight", v[0], &p))
		return;
	p.weight = v[1];
	set_params("weight", v[0], &p);
}

static const struct shell_command weight_cmd = { "weight", "D W", 2, run_weight };
SHELL_COMMAND(weight_cmd);

static void run_warp(char **args)
{
	uint32_t v[4];
	struct koan_sched_params p;

	if (!numbers(args, 4, v) || !current_params("warp", v[0], &p))
		return;
	p.warp_us = v[1];
	p.warpl_us = v[2];
	p.warpu_us = v[3];
	set_params("warp", v[0], &p);
}

static const struct shell_command warp_cmd = { "warp", "D WARP_US LIMIT_US UNWARP_US", 4,
					       run_warp };
SHELL_COMMAND(warp_cmd);

static void run_sched(char **args)
{
	uint32_t d;
	struct koan_sched_ctl op;

	if (!numbers(args, 1, &d))
		return;
	int32_t err = sched_get(d, &op);
	if (err) {
		gprintf("sched %u: error %d\n", d, err);
		result("sched %u error=%d", d, err);
		return;
	}
	const struct koan_sched_info *i = &op.info;
	unsigned avg = i->wakeups ? (unsigned)(i->latency_sum_ns / i->wakeups) : 0;
	gprintf("domain %u: weight %u warp %u/%u/%u us; avt %u evt %u svt %u us; cpu %u us; "
		"%u dispatches, %u wake-ups, latency max %u avg %u ns%s%s\n",
		d, op.params.weight, op.params.warp_us, op.params.warpl_us, op.params.warpu_us,
		(unsigned)(i->avt / 1000), (unsigned)(i->evt / 1000), (unsigned)(i->svt / 1000),
		(unsigned)(i->cpu_ns / 1000), i->dispatches, i->wakeups, i->latency_max_ns, avg,
		i->runnable ? ", runnable" : "", i->warped ? ", warped" : "");
	result("sched %u weight=%u warp=%u warpl=%u warpu=%u cpu-us=%u runnable=%u warped=%u", d,
	       op.params.weight, op.params.warp_us, op.params.warpl_us, op.params.warpu_us,
	       (unsigned)(i->cpu_ns / 1000), i->runnable, i->warped);
}

static const struct shell_command sched_cmd = { "sched", "D", 1, run_sched };
SHELL_COMMAND(sched_cmd);
