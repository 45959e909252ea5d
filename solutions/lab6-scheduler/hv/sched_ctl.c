/*
 * KOAN_HC_SCHED_CTL (public/sched_ctl.h): dom0 sets a domain's BVT
 * parameters and reads its virtual times and CPU. As with every control
 * operation, the policy (who gets what weight) is dom0's; the hypervisor
 * only checks that what it is told is sane (the Xen paper, section 2.2).
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/sched_bvt.h>

static bool alive(const struct domain *d)
{
	return d->state == DOM_READY || d->state == DOM_RUNNING || d->state == DOM_RUNNABLE ||
	       d->state == DOM_PAUSED || d->state == DOM_BLOCKED;
}

// BEGIN EXERCISE lab6.9: dom0's control of the scheduler (lab6-scheduler/README.md, Exercise 8)
//   In: the address of a koan_sched_ctl in dom0's memory, read in whole and,
//   for a get, written back whole. Only domain 0 may call (-KOAN_EPERM); an
//   op it cannot read or write is -KOAN_EFAULT; a domain that is not alive
//   -KOAN_ESRCH; an unknown command -KOAN_ENOSYS. A get of
//   KOAN_SCHED_IDLE_DOMAIN gives the idle domain's CPU (bvt_idle_ns()) and
//   the system's virtual time, every other field 0. A set is checked whole
//   (bvt_params_check) before anything changes; dom0 may set its own. A
//   get's info is the domain's policy state as it is, every field of
//   struct koan_sched_info filled (public/sched_ctl.h).
static void fill_info(const struct bvt_dom *b, struct koan_sched_info *info)
{
	*info = (struct koan_sched_info){
		.cpu_ns = b->cpu_ns,
		.avt = b->avt,
		.evt = b->evt,
		.svt = bvt_system()->svt,
		.runnable = b->queued,
		.warped = b->warped,
		.dispatches = b->dispatches,
		.wakeups = b->wakeups,
		.latency_max_ns = b->latency_max_ns,
		.latency_last_ns = b->latency_last_ns,
		.latency_sum_ns = b->latency_sum_ns,
	};
}

static int32_t do_sched_ctl(const struct hypercall_args *a)
{
	struct koan_sched_ctl op;

	if (current_domain()->id != 0)
		return -KOAN_EPERM;
	if (copy_from_guest(&op, a->arg[0], sizeof(op)))
		return -KOAN_EFAULT;
	if (op.cmd == KOAN_SCHEDCTL_GET && op.domain == KOAN_SCHED_IDLE_DOMAIN) {
		op.params = (struct koan_sched_params){ 0 };
		op.info = (struct koan_sched_info){ .cpu_ns = bvt_idle_ns(),
						    .svt = bvt_system()->svt };
		return copy_to_guest(a->arg[0], &op, sizeof(op)) ? -KOAN_EFAULT : 0;
	}
	struct domain *d = domain_by_id(op.domain);
	if (op.cmd != KOAN_SCHEDCTL_GET && op.cmd != KOAN_SCHEDCTL_SET)
		return -KOAN_ENOSYS;
	if (!d || !alive(d))
		return -KOAN_ESRCH;
	struct bvt_dom *b = bvt_of(d);
	if (op.cmd == KOAN_SCHEDCTL_SET) {
		int err = bvt_params_check(&op.params);
		if (err)
			return err;
		bvt_params_set(b, &op.params);
		return 0;
	}
	bvt_params_get(b, &op.params);
	fill_info(b, &op.info);
	return copy_to_guest(a->arg[0], &op, sizeof(op)) ? -KOAN_EFAULT : 0;
}
// STUB
//> static int32_t do_sched_ctl(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab6.9", "do_sched_ctl() in hv/sched_ctl.c controls nothing yet");
//> 	(void)a, (void)alive;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_SCHED_CTL, do_sched_ctl);
