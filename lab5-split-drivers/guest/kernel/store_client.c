/*
 * The guest kernel's store client (guest/include/store_client.h).
 */
#include "events.h"
#include "guest.h"
#include "hypercall.h"
#include "store_client.h"

static volatile unsigned store_events;
static bool virq_bound;

int32_t xs_op(struct koan_store_op *op)
{
	return hypercall3(KOAN_HC_STORE_OP, (uint32_t)(uintptr_t)op, 0, 0);
}

static void set_path(struct koan_store_op *op, uint32_t cmd, const char *path)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->path_len = (uint32_t)strlen(path);
	if (op->path_len >= sizeof(op->path))
		op->path_len = sizeof(op->path); /* refused by the store: too long */
	memcpy(op->path, path, op->path_len < sizeof(op->path) ? op->path_len : sizeof(op->path));
}

int32_t xs_read(const char *path, char *buf, uint32_t size)
{
	struct koan_store_op op;

	set_path(&op, KOAN_STOREOP_READ, path);
	int32_t err = xs_op(&op);
	if (err)
		return err;
	uint32_t n = op.value_len < size ? op.value_len : size - 1;
	memcpy(buf, op.value, n);
	buf[n] = '\0';
	return (int32_t)op.value_len;
}

int32_t xs_write(const char *path, const char *value)
{
	struct koan_store_op op;

	set_path(&op, KOAN_STOREOP_WRITE, path);
	op.value_len = (uint32_t)strlen(value);
	if (op.value_len > sizeof(op.value))
		return -KOAN_EINVAL;
	memcpy(op.value, value, op.value_len);
	return xs_op(&op);
}

int32_t xs_remove(const char *path)
{
	struct koan_store_op op;

	set_path(&op, KOAN_STOREOP_REMOVE, path);
	return xs_op(&op);
}

uint32_t xs_read_u32(const char *path, uint32_t fallback)
{
	char buf[16];
	uint32_t n;

	if (xs_read(path, buf, sizeof(buf)) < 0 || !parse_u32(buf, &n))
		return fallback;
	return n;
}

int32_t xs_write_u32(const char *path, uint32_t value)
{
	char buf[16];

	ksnprintf(buf, sizeof(buf), "%u", value);
	return xs_write(path, buf);
}

uint32_t xs_read_node_u32(const char *dir, const char *name, uint32_t fallback)
{
	char path[STORE_PATH_BYTES];

	ksnprintf(path, sizeof(path), "%s/%s", dir, name);
	return xs_read_u32(path, fallback);
}

int32_t xs_write_node_u32(const char *dir, const char *name, uint32_t value)
{
	char path[STORE_PATH_BYTES];

	ksnprintf(path, sizeof(path), "%s/%s", dir, name);
	return xs_write_u32(path, value);
}

/* A watch fired: count it, and take the fired bits, which re-arms the
 * event (the store raises KOAN_VIRQ_STORE only when none were set). The
 * bits themselves are kept for xs_fired(). */
static volatile uint32_t fired_bits;

static void on_store_event(uint32_t port)
{
	struct koan_store_op op = { .cmd = KOAN_STOREOP_WATCH_FIRED };

	(void)port;
	if (xs_op(&op) == 0)
		fired_bits |= op.fired;
	store_events++;
}

int32_t xs_watch(const char *path)
{
	struct koan_store_op op;

	if (!virq_bound) {
		int32_t port = evtchn_bind_virq(KOAN_VIRQ_STORE);
		if (port < 0)
			return port;
		events_bind((uint32_t)port, on_store_event);
		virq_bound = true;
	}
	set_path(&op, KOAN_STOREOP_WATCH, path);
	int32_t err = xs_op(&op);
	return err ? err : (int32_t)op.watch;
}

uint32_t xs_fired(void)
{
	struct koan_store_op op = { .cmd = KOAN_STOREOP_WATCH_FIRED };

	events_disable();
	uint32_t fired = fired_bits;
	fired_bits = 0;
	if (xs_op(&op) == 0)
		fired |= op.fired;
	events_enable();
	return fired;
}

unsigned xs_event_count(void)
{
	return store_events;
}

void xs_wait(void)
{
	events_block();
}
