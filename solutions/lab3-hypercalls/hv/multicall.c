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
#include <koan/exercise.h>
#include <koan/hypercall.h>

#include <koan/kstring.h>

#define ARGS_OFFSET __builtin_offsetof(struct koan_multicall, args)
#define RESULT_OFFSET __builtin_offsetof(struct koan_multicall, result)

_Static_assert(sizeof(((struct koan_multicall *)0)->args) == sizeof(struct hypercall_args),
	       "a multicall entry's arguments are a hypercall's");

// BEGIN EXERCISE lab3.11: several calls, one trap (lab3-hypercalls/README.md, Exercise 9)
//   In: the address of the guest's array of `count` koan_multicall entries
//   (any address; at most KOAN_MULTICALL_MAX). Each entry is dispatched like
//   a hypercall of its own, in order, and its result written back into the
//   entry; an unknown number gets -KOAN_ENOSYS there, and a multicall or a
//   sched_op inside a multicall -KOAN_EINVAL (README, "multicall"). Out: 0,
//   or -KOAN_EFAULT if the array cannot be read or written (entries before
//   it done), -KOAN_EINVAL for too many. Preemptible between entries, and
//   inside an entry whose own call asked to continue: that entry's arguments
//   become what its continuation left, and the multicall continues from it.
static int32_t call_one(const struct koan_multicall *call, struct hypercall_args *args)
{
	const struct hypercall *h = hypercall_lookup(call->op);

	if (!h)
		return -KOAN_ENOSYS;
	if (call->op == KOAN_HC_MULTICALL || call->op == KOAN_HC_SCHED_OP)
		return -KOAN_EINVAL; /* recursion; or leaving the batch half done */
	memcpy(args, call->args, sizeof(*args));
	return h->fn(args);
}

static int32_t continue_from(uint32_t entry_va, uint32_t left)
{
	struct hypercall_args rest = { { entry_va, left, 0, 0, 0 } };
	return hypercall_continue(&rest);
}

static int32_t do_multicall(const struct hypercall_args *a)
{
	uint32_t calls_va = a->arg[0];
	uint32_t count = a->arg[1];
	if (count > KOAN_MULTICALL_MAX)
		return -KOAN_EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		struct koan_multicall call;
		struct hypercall_args args;
		uint32_t va = calls_va + i * sizeof(call);
		if (i && hypercall_preempt_check())
			return continue_from(va, count - i);
		if (copy_from_guest(&call, va, sizeof(call)))
			return -KOAN_EFAULT;
		call.result = call_one(&call, &args);
		if (hypercall_take_continuation(&args)) {
			if (copy_to_guest(va + ARGS_OFFSET, args.arg, sizeof(args.arg)))
				return -KOAN_EFAULT;
			return continue_from(va, count - i);
		}
		if (copy_to_guest(va + RESULT_OFFSET, &call.result, sizeof(call.result)))
			return -KOAN_EFAULT;
	}
	return 0;
}
// STUB
//> static int32_t do_multicall(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.11", "do_multicall() in hv/multicall.c calls nothing yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_MULTICALL, do_multicall);
