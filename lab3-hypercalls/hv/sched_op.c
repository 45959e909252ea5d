/*
 * KOAN_HC_SCHED_OP. Yield ends the domain's turn; block waits for an event
 * (domain_block(): lab 4's wait policy; before it, the same as yield); shutdown
 * ends the domain with the reason it gives, which the result channel reports.
 */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/hypercall.h>

static const char *const shutdown_reasons[] = {
	[KOAN_SHUTDOWN_POWEROFF] = "poweroff",
	[KOAN_SHUTDOWN_REBOOT] = "reboot",
	[KOAN_SHUTDOWN_SUSPEND] = "suspend",
	[KOAN_SHUTDOWN_CRASH] = "crash",
};

static int32_t do_sched_op(const struct hypercall_args *a)
{
	uint32_t cmd = a->arg[0];
	uint32_t arg = a->arg[1];
	switch (cmd) {
	case KOAN_SCHED_YIELD: {
		struct trap_frame *tf = hypercall_frame();
		tf->eax = 0; /* its result, when it runs again */
		domain_sched_yield(tf);
	}
	case KOAN_SCHED_BLOCK:
		domain_block(hypercall_frame());
		return 0; /* not blocked: an event was pending */
	case KOAN_SCHED_SHUTDOWN:
		if (arg >= sizeof(shutdown_reasons) / sizeof(shutdown_reasons[0]))
			return -KOAN_EINVAL;
		report("shutdown dom=%u reason=%s", current_domain()->id, shutdown_reasons[arg]);
		domain_halt("shutdown by hypercall");
	default: return -KOAN_ENOSYS;
	}
}

HYPERCALL(KOAN_HC_SCHED_OP, do_sched_op);
