/*
 * KOAN_HC_CONTROL_OP: dom0's control of the other domains (the paper,
 * section 2.2: control and management happen in a privileged domain, not
 * in the hypervisor, which only offers the mechanism).
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/kstring.h>

/* Not ended yet. A blocked domain (lab 4) is alive too: dom0 may pause or
 * destroy it like any other, and one unpaused goes on as runnable, its
 * block returning as if woken (a guest checks what it waited for anyway). */
static bool alive(const struct domain *d)
{
	return d->state == DOM_READY || d->state == DOM_RUNNING || d->state == DOM_RUNNABLE ||
	       d->state == DOM_PAUSED || d->state == DOM_BLOCKED;
}

/* Another domain, alive: the only kind dom0 may pause, unpause or destroy. */
static struct domain *other_domain(uint32_t id)
{
	struct domain *d = domain_at(id);
	return d && d != current_domain() && alive(d) ? d : 0;
}

static int ctl_create(struct koan_control_op *op)
{
	struct domain *d = domain_create_from_module(op->module);

	if (!d)
		return -KOAN_EINVAL;
	op->domain = d->id;
	return 0;
}

// BEGIN EXERCISE lab3.12: dom0's control operations (lab3-hypercalls/README.md, Exercise 10)
//   In: the address of a koan_control_op in dom0's memory; the op is read in,
//   done, and on success written back (a create's new id, a list's count).
//   Only domain 0 may call (-KOAN_EPERM), an unreadable or unwritable op is
//   -KOAN_EFAULT, an unknown command -KOAN_ENOSYS. Pause, unpause and destroy
//   act on another domain that is alive (else -KOAN_ESRCH; dom0 never acts
//   on itself): pausing a paused domain or unpausing one that is not paused
//   is -KOAN_EINVAL; an unpaused domain goes back to where it was (ready if
//   it never ran, else runnable). A list fills at most `count` entries of the
//   guest's array, in id order, and says how many.
static int ctl_pause(const struct koan_control_op *op)
{
	struct domain *d = other_domain(op->domain);

	if (!d)
		return -KOAN_ESRCH;
	if (d->state == DOM_PAUSED)
		return -KOAN_EINVAL;
	d->state = DOM_PAUSED;
	return 0;
}

static int ctl_unpause(const struct koan_control_op *op)
{
	struct domain *d = other_domain(op->domain);

	if (!d)
		return -KOAN_ESRCH;
	if (d->state != DOM_PAUSED)
		return -KOAN_EINVAL;
	d->state = d->started ? DOM_RUNNABLE : DOM_READY;
	return 0;
}

static int ctl_destroy(const struct koan_control_op *op)
{
	struct domain *d = other_domain(op->domain);

	if (!d)
		return -KOAN_ESRCH;
	domain_destroy(d, "by domain 0");
	return 0;
}

static int ctl_list(struct koan_control_op *op)
{
	uint32_t n = 0;

	for (struct domain *d; n < op->count && (d = domain_at(n)); n++) {
		struct koan_domain_info info = { d->id, (uint32_t)d->state, d->nr_pages, { 0 } };
		strlcpy(info.cmdline, d->cmdline, sizeof(info.cmdline));
		if (copy_to_guest(op->entries + n * sizeof(info), &info, sizeof(info)))
			return -KOAN_EFAULT;
	}
	op->count = n;
	return 0;
}

static int32_t do_control_op(const struct hypercall_args *a)
{
	uint32_t op_va = a->arg[0];
	struct koan_control_op op;
	int err;

	if (current_domain()->id != 0)
		return -KOAN_EPERM;
	if (copy_from_guest(&op, op_va, sizeof(op)))
		return -KOAN_EFAULT;
	switch (op.cmd) {
	case KOAN_CTL_CREATE: err = ctl_create(&op); break;
	case KOAN_CTL_PAUSE: err = ctl_pause(&op); break;
	case KOAN_CTL_UNPAUSE: err = ctl_unpause(&op); break;
	case KOAN_CTL_DESTROY: err = ctl_destroy(&op); break;
	case KOAN_CTL_LIST: err = ctl_list(&op); break;
	default: return -KOAN_ENOSYS;
	}
	if (!err && copy_to_guest(op_va, &op, sizeof(op)))
		return -KOAN_EFAULT;
	return err;
}
// STUB
//> static int32_t do_control_op(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.12", "do_control_op() in hv/control.c controls nothing yet");
//> 	(void)a, (void)ctl_create, (void)other_domain;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_CONTROL_OP, do_control_op);
