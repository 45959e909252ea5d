/*
 * KOAN_HC_STORE_OP (public/store.h): the store's hypercall. The request is
 * copied in whole (a fixed-size struct: nothing the guest says is a length
 * the hypervisor loops over unchecked), the path checked, the permission
 * checked, and the watches that a change fires raise KOAN_VIRQ_STORE.
 */
#include <koan/console.h>
#include <koan/fmt.h>
#include <koan/domain.h>
#include <koan/events.h>
#include <koan/hypercall.h>
#include <koan/store.h>

static struct store store;
static bool store_ready;

static void raise_watchers(uint32_t woken)
{
	for (unsigned dom = 0; dom < STORE_MAX_DOMAINS; dom++) {
		struct domain *d = domain_by_id(dom);
		if ((woken >> dom) & 1 && d)
			events_raise_virq(d, KOAN_VIRQ_STORE);
	}
}

static int32_t do_store_op(unsigned dom, struct koan_store_op *op)
{
	uint32_t len = op->path_len;

	if (op->cmd == KOAN_STOREOP_WATCH_FIRED) {
		op->fired = dom < STORE_MAX_DOMAINS ? store.fired[dom] : 0;
		if (dom < STORE_MAX_DOMAINS)
			store.fired[dom] = 0;
		return 0;
	}
	if (op->cmd == KOAN_STOREOP_UNWATCH)
		return store_unwatch(&store, dom, op->watch);
	if (len >= KOAN_STORE_PATH_MAX || !store_path_ok(op->path, len))
		return -KOAN_EINVAL;
	switch (op->cmd) {
	case KOAN_STOREOP_READ:
		if (!store_may_read(dom, op->path, len))
			return -KOAN_EPERM;
		return store_read(&store, op->path, len, op->value, &op->value_len);
	case KOAN_STOREOP_WATCH:
		if (!store_may_read(dom, op->path, len))
			return -KOAN_EPERM;
		return store_watch(&store, dom, op->path, len, &op->watch);
	case KOAN_STOREOP_WRITE:
	case KOAN_STOREOP_REMOVE: {
		if (!store_may_write(dom, op->path, len))
			return -KOAN_EPERM;
		int32_t err =
			op->cmd == KOAN_STOREOP_WRITE
				? store_write(&store, dom, op->path, len, op->value, op->value_len)
				: store_remove(&store, op->path, len);
		if (err == 0)
			raise_watchers(store_fire(&store, op->path, len));
		return err;
	}
	default: return -KOAN_EINVAL;
	}
}

static int32_t store_op(const struct hypercall_args *a)
{
	struct koan_store_op op;
	unsigned dom = current_domain()->id;

	if (!store_ready) {
		store_init(&store);
		store_ready = true;
	}
	if (dom >= STORE_MAX_DOMAINS)
		return -KOAN_EPERM;
	if (copy_from_guest(&op, a->arg[0], sizeof(op)))
		return -KOAN_EFAULT;
	int32_t err = do_store_op(dom, &op);
	if (copy_to_guest(a->arg[0], &op, sizeof(op)))
		return -KOAN_EFAULT;
	return err;
}
HYPERCALL(KOAN_HC_STORE_OP, store_op);

/* A domain that ends leaves the store; whoever watched its directory (its
 * backend) hears of it. */
static void store_domain_end(struct domain *d)
{
	char dir[32];
	uint32_t len = (uint32_t)ksnprintf(dir, sizeof(dir), "/local/domain/%u", d->id);

	if (!store_ready)
		return;
	store_forget_domain(&store, d->id);
	raise_watchers(store_fire(&store, dir, len));
}

static const struct domain_hooks store_hooks = { .end = store_domain_end };
DOMAIN_HOOKS(store_hooks);
