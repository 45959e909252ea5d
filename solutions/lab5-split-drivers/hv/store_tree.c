/*
 * The store's nodes and watches (koan/store.h). Pure C. A flat table of
 * nodes: a directory is only a prefix of paths, so "remove a directory"
 * removes every node within it, and a watch on a directory fires for
 * changes anywhere within it.
 */
#include <koan/exercise.h>
#include <koan/fmt.h>
#include <koan/kstring.h>
#include <koan/store.h>

void store_init(struct store *s)
{
	memset(s, 0, sizeof(*s));
}

static struct store_node *find(const struct store *s, const char *path, uint32_t len)
{
	for (unsigned i = 0; i < STORE_MAX_NODES; i++) {
		const struct store_node *n = &s->nodes[i];
		if (n->used && n->path_len == len && memcmp(n->path, path, len) == 0)
			return (struct store_node *)n;
	}
	return 0;
}

unsigned store_nodes_of(const struct store *s, unsigned dom)
{
	unsigned count = 0;

	for (unsigned i = 0; i < STORE_MAX_NODES; i++)
		count += s->nodes[i].used && s->nodes[i].owner == dom;
	return count;
}

int store_read(const struct store *s, const char *path, uint32_t len, char *value,
	       uint32_t *value_len)
{
	const struct store_node *n = find(s, path, len);

	if (!n)
		return -KOAN_ENOENT;
	memcpy(value, n->value, n->value_len);
	*value_len = n->value_len;
	return 0;
}

// BEGIN EXERCISE lab5.8: nodes and watches (lab5-split-drivers/README.md, Exercise 4)
//   store_write: replace the node's value, or make a new node owned by
//   dom. -KOAN_EINVAL for a value over KOAN_STORE_VALUE_MAX; -KOAN_ENOSPC
//   when a new node does not fit: the table is full, or dom (not dom0)
//   already holds KOAN_STORE_QUOTA nodes. A replaced node keeps its owner.
//   store_remove: every node at or below path (store_path_within) goes;
//   -KOAN_ENOENT if none was there.
//   store_watch: dom's lowest free watch id, watching path; -KOAN_ENOSPC
//   when dom has KOAN_STORE_MAX_WATCHES. store_unwatch: the watch goes, and
//   its fired bit with it; -KOAN_EINVAL for an id that is not one of dom's
//   watches.
//   store_fire: described in koan/store.h; the dom bit in the result only
//   for a domain that had no fired bit before.
//   store_forget_domain: removes /local/domain/N and everything within,
//   every other node N still owns, N's watches and fired bits.
int store_write(struct store *s, unsigned dom, const char *path, uint32_t len, const char *value,
		uint32_t value_len)
{
	if (value_len > KOAN_STORE_VALUE_MAX)
		return -KOAN_EINVAL;
	struct store_node *n = find(s, path, len);
	if (!n) {
		if (dom != 0 && store_nodes_of(s, dom) >= KOAN_STORE_QUOTA)
			return -KOAN_ENOSPC;
		for (unsigned i = 0; i < STORE_MAX_NODES && !n; i++)
			if (!s->nodes[i].used)
				n = &s->nodes[i];
		if (!n)
			return -KOAN_ENOSPC;
		n->used = true;
		n->owner = (uint16_t)dom;
		n->path_len = (uint8_t)len;
		memcpy(n->path, path, len);
	}
	n->value_len = (uint8_t)value_len;
	memcpy(n->value, value, value_len);
	return 0;
}

int store_remove(struct store *s, const char *path, uint32_t len)
{
	int err = -KOAN_ENOENT;

	for (unsigned i = 0; i < STORE_MAX_NODES; i++) {
		struct store_node *n = &s->nodes[i];
		if (n->used && store_path_within(n->path, n->path_len, path, len)) {
			n->used = false;
			err = 0;
		}
	}
	return err;
}

int store_watch(struct store *s, unsigned dom, const char *path, uint32_t len, uint32_t *id)
{
	if (dom >= STORE_MAX_DOMAINS)
		return -KOAN_EINVAL;
	for (uint32_t w = 0; w < KOAN_STORE_MAX_WATCHES; w++) {
		struct store_watch *sw = &s->watches[dom][w];
		if (sw->used)
			continue;
		sw->used = true;
		sw->path_len = (uint8_t)len;
		memcpy(sw->path, path, len);
		*id = w;
		return 0;
	}
	return -KOAN_ENOSPC;
}

int store_unwatch(struct store *s, unsigned dom, uint32_t id)
{
	if (dom >= STORE_MAX_DOMAINS || id >= KOAN_STORE_MAX_WATCHES || !s->watches[dom][id].used)
		return -KOAN_EINVAL;
	s->watches[dom][id].used = false;
	s->fired[dom] &= ~(1u << id);
	return 0;
}

uint32_t store_fire(struct store *s, const char *path, uint32_t len)
{
	uint32_t woken = 0;

	for (unsigned dom = 0; dom < STORE_MAX_DOMAINS; dom++) {
		uint32_t before = s->fired[dom];
		for (unsigned w = 0; w < KOAN_STORE_MAX_WATCHES; w++) {
			const struct store_watch *sw = &s->watches[dom][w];
			if (sw->used && (store_path_within(path, len, sw->path, sw->path_len) ||
					 store_path_within(sw->path, sw->path_len, path, len)))
				s->fired[dom] |= 1u << w;
		}
		if (!before && s->fired[dom])
			woken |= 1u << dom;
	}
	return woken;
}

void store_forget_domain(struct store *s, unsigned dom)
{
	char dir[32];
	uint32_t len = (uint32_t)ksnprintf(dir, sizeof(dir), "/local/domain/%u", dom);

	store_remove(s, dir, len);
	for (unsigned i = 0; i < STORE_MAX_NODES; i++)
		if (s->nodes[i].owner == dom)
			s->nodes[i].used = false;
	if (dom < STORE_MAX_DOMAINS) {
		memset(s->watches[dom], 0, sizeof(s->watches[dom]));
		s->fired[dom] = 0;
	}
}
// STUB
//> int store_write(struct store *s, unsigned dom, const char *path, uint32_t len, const char *value,
//> 		uint32_t value_len)
//> {
//> 	EXERCISE_TODO("lab5.8", "the store's nodes in hv/store_tree.c keep nothing yet");
//> 	(void)s, (void)dom, (void)path, (void)len, (void)value, (void)value_len;
//> 	return -KOAN_ENOSPC;
//> }
//>
//> int store_remove(struct store *s, const char *path, uint32_t len)
//> {
//> 	(void)s, (void)path, (void)len;
//> 	return -KOAN_ENOENT;
//> }
//>
//> int store_watch(struct store *s, unsigned dom, const char *path, uint32_t len, uint32_t *id)
//> {
//> 	(void)s, (void)dom, (void)path, (void)len, (void)id;
//> 	return -KOAN_ENOSPC;
//> }
//>
//> int store_unwatch(struct store *s, unsigned dom, uint32_t id)
//> {
//> 	(void)s, (void)dom, (void)id;
//> 	return -KOAN_EINVAL;
//> }
//>
//> uint32_t store_fire(struct store *s, const char *path, uint32_t len)
//> {
//> 	(void)s, (void)path, (void)len;
//> 	return 0;
//> }
//>
//> void store_forget_domain(struct store *s, unsigned dom)
//> {
//> 	(void)s, (void)dom;
//> }
// END EXERCISE
