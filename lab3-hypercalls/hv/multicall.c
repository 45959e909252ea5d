/*
 * KOAN_HC_MULTICALL: several hypercalls for the price of one trap. Each
 * entry is dispatched like a hypercall of its own and gets its result; a
 * multicall inside a multicall is refused (it would only let a guest make
 * the hypervisor recurse), and so is sched_op: a yield or a shutdown does not
 * come back, and the rest of the batch would silently not happen.
 *
 * A multicall is preemptible as a whole (koan/hypercall.h): between two
 * entries, and inside one whose own call stops early. Then that entry's
 * arguments are rewritten in the guest's array to what is left of its work,
 * and the multicall continues from that entry (Xen does the same).
 */
#include <koan/hypercall.h>

extern const struct hypercall __hypercalls_start[], __hypercalls_end[];

#define ARGS_OFFSET __builtin_offsetof(struct koan_multicall, args)
#define RESULT_OFFSET __builtin_offsetof(struct koan_multicall, result)

static int32_t call_one(struct koan_multicall *call)
{
	uint32_t n = (uint32_t)(__hypercalls_end - __hypercalls_start);
	const struct hypercall *h = hypercall_find(__hypercalls_start, n, call->op);

	if (!h)
		return -KOAN_ENOSYS;
	if (call->op == KOAN_HC_MULTICALL || call->op == KOAN_HC_SCHED_OP)
		return -KOAN_EINVAL; /* recursion; or leaving the batch half done */
	return h->fn(call->args[0], call->args[1], call->args[2], call->args[3], call->args[4]);
}

static int32_t do_multicall(uint32_t calls_va, uint32_t count, uint32_t a3, uint32_t a4,
			    uint32_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (count > KOAN_MULTICALL_MAX)
		return -KOAN_EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		struct koan_multicall call;
		uint32_t va = calls_va + i * sizeof(call);
		if (i && hypercall_preempt_check())
			return hypercall_continue(va, count - i, 0, 0, 0);
		if (copy_from_guest(&call, va, sizeof(call)))
			return -KOAN_EFAULT;
		call.result = call_one(&call);
		if (hypercall_take_continuation(call.args)) {
			if (copy_to_guest(va + ARGS_OFFSET, call.args, sizeof(call.args)))
				return -KOAN_EFAULT;
			return hypercall_continue(va, count - i, 0, 0, 0);
		}
		if (copy_to_guest(va + RESULT_OFFSET, &call.result, sizeof(call.result)))
			return -KOAN_EFAULT;
	}
	return 0;
}

HYPERCALL(KOAN_HC_MULTICALL, do_multicall);
