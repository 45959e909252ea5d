/*
 * KOAN_HC_SCHED_OP. Yield ends the domain's turn; block too (lab 4 will make
 * it wait for an event; until then there is nothing to wait for); shutdown
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
	case KOAN_SCHED_YIELD:
	case KOAN_SCHED_BLOCK: {
		struct trap_frame *tf = hypercall_frame();
		tf->eax = 0; /* its result, when it runs again */
		domain_yield(tf);
	}
	case KOAN_SCHED_SHUTDOWN:
		if (arg >= sizeof(shutdown_reasons) / sizeof(shutdown_reasons[0]))
			return -KOAN_EINVAL;
		report("shutdown dom=%u reason=%s", current_domain()->id, shutdown_reasons[arg]);
		domain_halt("shutdown by hypercall");
	default: return -KOAN_ENOSYS;
	}
}

HYPERCALL(KOAN_HC_SCHED_OP, do_sched_op);
