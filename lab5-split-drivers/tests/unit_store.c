/*
 * Lab 5, Exercise 4: the store's paths and permissions (hv/store_rules.c)
 * and its nodes and watches (hv/store_tree.c), on the host. The rules are
 * the store's isolation: a frontend that could write outside its own
 * directory could rewrite another frontend's ring reference, or the
 * backend's answer to it; one that could read anywhere would see every
 * other domain's devices.
 */
#include <stdio.h>
#include <string.h>

#include <koan/store.h>
#include <public/event_channel.h>
#include <public/hypercall.h>
#include <public/store.h>

#include "koan_test.h"

static struct store st;

/* Paths as C strings; their length is strlen's. */
static bool path_ok(const char *p)
{
	return store_path_ok(p, (uint32_t)strlen(p));
}

static bool within(const char *p, const char *dir)
{
	return store_path_within(p, (uint32_t)strlen(p), dir, (uint32_t)strlen(dir));
}

static bool may_write(unsigned dom, const char *p)
{
	return store_may_write(dom, p, (uint32_t)strlen(p));
}

static bool may_read(unsigned dom, const char *p)
{
	return store_may_read(dom, p, (uint32_t)strlen(p));
}

static int put(unsigned dom, const char *p, const char *value)
{
	return store_write(&st, dom, p, (uint32_t)strlen(p), value, (uint32_t)strlen(value));
}

static void put_ok(unsigned dom, const char *p, const char *value)
{
	int r = put(dom, p, value);
	ck_assert_msg(r == 0, "domain %u writing %s: %d", dom, p, r);
}

static int rm(const char *p)
{
	return store_remove(&st, p, (uint32_t)strlen(p));
}

static bool present(const char *p)
{
	char v[KOAN_STORE_VALUE_MAX];
	uint32_t len = 0;

	return store_read(&st, p, (uint32_t)strlen(p), v, &len) == 0;
}

static void expect_value(const char *p, const char *value)
{
	char v[KOAN_STORE_VALUE_MAX + 1];
	uint32_t len = 999;
	int r = store_read(&st, p, (uint32_t)strlen(p), v, &len);

	ck_assert_msg(r == 0, "reading %s: %d, expected its value \"%s\"", p, r, value);
	ck_assert_msg(len == strlen(value) && memcmp(v, value, len) == 0,
		      "reading %s: %u bytes \"%.*s\", expected \"%s\"", p, len,
		      (int)(len < sizeof(v) ? len : 0), v, value);
}

static uint32_t watch_ok(unsigned dom, const char *p)
{
	uint32_t id = 999;
	int r = store_watch(&st, dom, p, (uint32_t)strlen(p), &id);

	ck_assert_msg(r == 0, "domain %u watching %s: %d", dom, p, r);
	return id;
}

static uint32_t fire(const char *p)
{
	return store_fire(&st, p, (uint32_t)strlen(p));
}

#define PATH_OK(p) ck_assert_msg(path_ok(p), "the good path \"%s\" was refused", p)
#define PATH_BAD(p) ck_assert_msg(!path_ok(p), "the bad path \"%s\" was accepted", p)

KTEST(lab5_store_path_ok)
{
	char p[KOAN_STORE_PATH_MAX + 8];

	PATH_OK("/a");
	PATH_OK("/local");
	PATH_OK("/local/domain/3/device/vbd/0/ring-ref");
	PATH_OK("/local/domain/0/backend/vbd/3/0/state");
	PATH_OK("/A-Z_a-z.0-9");
	PATH_OK("/a/b/c/d/e/f");
	PATH_OK("/0");
	PATH_BAD("");
	PATH_BAD("/");
	PATH_BAD("a");
	PATH_BAD("local/domain/3");
	PATH_BAD("a/");
	PATH_BAD("/a/");
	PATH_BAD("/local/domain/3/");
	PATH_BAD("//");
	PATH_BAD("//a");
	PATH_BAD("/a//b");
	PATH_BAD("/a/b//");
	PATH_BAD("/a b");
	PATH_BAD("/a*b");
	PATH_BAD("/a\\b");
	PATH_BAD("/a:b");
	PATH_BAD("/a\nb");
	PATH_BAD("/caf\xc3\xa9");
	PATH_BAD("/a~");
	/* A NUL inside the guest's length. */
	ck_assert(!store_path_ok("/a\0b", 4));
	ck_assert(!store_path_ok("/ab\0", 4));
	ck_assert(!store_path_ok("\0/ab", 4));
	/* Only `len` bytes count: what follows is not read. */
	ck_assert(store_path_ok("/abc/", 4));
	ck_assert(store_path_ok("/a//", 2));
	ck_assert(!store_path_ok("/a/b", 3));
	ck_assert(!store_path_ok("/a", 0));
	ck_assert(!store_path_ok("/a", 1));
	/* The longest path is KOAN_STORE_PATH_MAX - 1 bytes. */
	memset(p, 'x', sizeof(p));
	p[0] = '/';
	p[30] = '/';
	ck_assert_msg(store_path_ok(p, KOAN_STORE_PATH_MAX - 1), "a path of %u bytes was refused",
		      KOAN_STORE_PATH_MAX - 1);
	ck_assert_msg(!store_path_ok(p, KOAN_STORE_PATH_MAX), "a path of %u bytes was accepted",
		      KOAN_STORE_PATH_MAX);
	ck_assert(!store_path_ok(p, KOAN_STORE_PATH_MAX + 1));
	ck_assert(!store_path_ok(p, 0xFFFFFFFFu));
	ck_assert(!store_path_ok(p, 0x80000000u + 10));
	ck_assert(store_path_ok(p, 10));
}

KTEST(lab5_store_path_within)
{
	ck_assert(within("/a/b", "/a"));
	ck_assert(within("/a/b/c", "/a"));
	ck_assert(within("/a/b/c", "/a/b"));
	ck_assert(within("/a", "/a"));
	ck_assert(within("/local/domain/3/device", "/local/domain/3"));
	ck_assert(within("/local/domain/3", "/local/domain/3"));
	ck_assert(!within("/ab", "/a"));
	ck_assert(!within("/a-b", "/a"));
	ck_assert(!within("/local/domain/31", "/local/domain/3"));
	ck_assert(!within("/local/domain/31/x", "/local/domain/3"));
	ck_assert(!within("/a", "/a/b"));
	ck_assert(!within("/b", "/a"));
	ck_assert(!within("/b/a", "/a"));
	ck_assert(!within("/local/domain/4/x", "/local/domain/3"));
	/* Lengths, not NULs, end the paths. */
	ck_assert(store_path_within("/a/b", 2, "/a", 2));
	ck_assert(store_path_within("/a/b", 4, "/a/c", 2));
	ck_assert(!store_path_within("/a/b", 2, "/a/b", 4));
	ck_assert(!store_path_within("/abc", 3, "/a", 2));
}

KTEST(lab5_store_may_write)
{
	/* dom0 everywhere. */
	ck_assert(may_write(0, "/a"));
	ck_assert(may_write(0, "/local/domain/0/backend/vbd/3/0/state"));
	ck_assert(may_write(0, "/local/domain/3/device/vbd/0/state"));
	ck_assert(may_write(0, "/local/domain/3"));
	/* Another domain in its own directory only. */
	ck_assert(may_write(3, "/local/domain/3"));
	ck_assert(may_write(3, "/local/domain/3/device"));
	ck_assert(may_write(3, "/local/domain/3/device/vbd/0/ring-ref"));
	ck_assert(!may_write(3, "/local/domain/31"));
	ck_assert(!may_write(3, "/local/domain/31/x"));
	ck_assert(!may_write(3, "/local/domain/3x"));
	ck_assert(!may_write(3, "/local/domain/4"));
	ck_assert(!may_write(3, "/local/domain/4/device/vbd/0/ring-ref"));
	ck_assert(!may_write(3, "/local/domain/0/backend/vbd/3/0/state"));
	ck_assert(!may_write(3, "/local/domain/0"));
	ck_assert(!may_write(3, "/local/domain"));
	ck_assert(!may_write(3, "/local"));
	ck_assert(!may_write(3, "/a"));
	ck_assert(!may_write(3, "/local/domain/03"));
	ck_assert(!may_write(3, "/local/domains/3"));
	ck_assert(!may_write(3, "/other/domain/3"));
	/* Two digits. */
	ck_assert(may_write(12, "/local/domain/12/x"));
	ck_assert(!may_write(12, "/local/domain/1/x"));
	ck_assert(!may_write(12, "/local/domain/1"));
	ck_assert(!may_write(1, "/local/domain/12/x"));
	ck_assert(may_write(1, "/local/domain/1/x"));
}

KTEST(lab5_store_may_read)
{
	/* dom0 everything; a domain what it may write. */
	ck_assert(may_read(0, "/local/domain/3/device/vbd/0/ring-ref"));
	ck_assert(may_read(0, "/a"));
	ck_assert(may_read(3, "/local/domain/3"));
	ck_assert(may_read(3, "/local/domain/3/device/vbd/0/ring-ref"));
	ck_assert(!may_read(3, "/local/domain/4/device/vbd/0/ring-ref"));
	ck_assert(!may_read(3, "/local/domain/31/x"));
	ck_assert(!may_read(3, "/a"));
	/* What dom0 keeps for it: backend/TYPE/N. */
	ck_assert(may_read(3, "/local/domain/0/backend/vbd/3/x"));
	ck_assert(may_read(3, "/local/domain/0/backend/vbd/3/0/state"));
	ck_assert(may_read(3, "/local/domain/0/backend/vbd/3"));
	ck_assert(may_read(3, "/local/domain/0/backend/vif/3/0/mac"));
	ck_assert(may_read(4, "/local/domain/0/backend/vbd/4/x"));
	ck_assert(may_read(12, "/local/domain/0/backend/console/12/x"));
	/* ... and nothing else of dom0's. */
	ck_assert(!may_read(3, "/local/domain/0/backend/vbd/4/x"));
	ck_assert(!may_read(3, "/local/domain/0/backend/vbd/31/x"));
	ck_assert(!may_read(3, "/local/domain/0/backend/vbd/31"));
	ck_assert(!may_read(1, "/local/domain/0/backend/vbd/12/x"));
	ck_assert(!may_read(3, "/local/domain/0/backend/vbd/x/3"));
	ck_assert(!may_read(3, "/local/domain/0/backend/vbd"));
	ck_assert(!may_read(3, "/local/domain/0/backend/3"));
	ck_assert(!may_read(3, "/local/domain/0/backend/3/x"));
	ck_assert(!may_read(3, "/local/domain/0/backend"));
	ck_assert(!may_read(3, "/local/domain/0/backends/vbd/3/x"));
	ck_assert(!may_read(3, "/local/domain/0/other"));
	ck_assert(!may_read(3, "/local/domain/0/other/vbd/3/x"));
	ck_assert(!may_read(3, "/local/domain/0"));
	ck_assert(!may_read(3, "/local/domain/1/backend/vbd/3/x"));
	/* Lengths, not NULs: the part after len is not the domain's. */
	ck_assert(!store_may_read(3, "/local/domain/0/backend/vbd/3", 27));
	ck_assert(!store_may_read(3, "/local/domain/0/backend/vbd/3/x", 27));
	ck_assert(!store_may_read(3, "/local/domain/0/backend/vbdx/3/y", 27));
	ck_assert(store_may_read(3, "/local/domain/0/backend/vbd/3x/y", 29));
	ck_assert(store_may_read(3, "/local/domain/0/backend/vbd/31", 29));
	ck_assert(store_may_read(3, "/local/domain/31", 15));
	ck_assert(!store_may_read(3, "/local/domain/3", 13));
	ck_assert(store_may_write(3, "/local/domain/31", 15));
	ck_assert(!store_may_write(3, "/local/domain/31", 16));
}

KTEST(lab5_store_write_read)
{
	char v[KOAN_STORE_VALUE_MAX + 8];
	uint32_t len;

	store_init(&st);
	put_ok(3, "/local/domain/3/a", "hello");
	expect_value("/local/domain/3/a", "hello");
	ck_assert_uint_eq(store_nodes_of(&st, 3), 1);
	/* Replaced, by dom0: the value changes, not the owner. */
	put_ok(0, "/local/domain/3/a", "bye");
	expect_value("/local/domain/3/a", "bye");
	ck_assert_uint_eq(store_nodes_of(&st, 3), 1);
	ck_assert_uint_eq(store_nodes_of(&st, 0), 0);
	put_ok(3, "/local/domain/3/a", "");
	expect_value("/local/domain/3/a", "");
	ck_assert_uint_eq(store_nodes_of(&st, 3), 1);
	/* Distinct paths, distinct nodes; a prefix is not a node. */
	put_ok(3, "/local/domain/3/a/b", "under a");
	put_ok(3, "/local/domain/3/ab", "beside a");
	expect_value("/local/domain/3/a", "");
	expect_value("/local/domain/3/a/b", "under a");
	expect_value("/local/domain/3/ab", "beside a");
	ck_assert_uint_eq(store_nodes_of(&st, 3), 3);
	ck_assert_int_eq(store_read(&st, "/local/domain/3", 15, v, &len), -KOAN_ENOENT);
	ck_assert_int_eq(store_read(&st, "/local/domain/3/x", 17, v, &len), -KOAN_ENOENT);
	/* Values: any bytes, up to KOAN_STORE_VALUE_MAX of them. */
	static const char bytes[5] = { 'a', 0, 'b', (char)0xFF, 0 };
	ck_assert_int_eq(store_write(&st, 3, "/local/domain/3/bin", 19, bytes, 5), 0);
	len = 0;
	ck_assert_int_eq(store_read(&st, "/local/domain/3/bin", 19, v, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert(memcmp(v, bytes, 5) == 0);
	memset(v, 'v', sizeof(v));
	ck_assert_int_eq(store_write(&st, 3, "/local/domain/3/a", 17, v, KOAN_STORE_VALUE_MAX), 0);
	len = 0;
	memset(v, 0, sizeof(v));
	ck_assert_int_eq(store_read(&st, "/local/domain/3/a", 17, v, &len), 0);
	ck_assert_uint_eq(len, KOAN_STORE_VALUE_MAX);
	ck_assert_uint_eq((unsigned char)v[0], 'v');
	ck_assert_uint_eq((unsigned char)v[KOAN_STORE_VALUE_MAX - 1], 'v');
	/* One byte more: refused, the node as it was, no new node. */
	memset(v, 'w', sizeof(v));
	ck_assert_int_eq(store_write(&st, 3, "/local/domain/3/a", 17, v, KOAN_STORE_VALUE_MAX + 1),
			 -KOAN_EINVAL);
	ck_assert_int_eq(
		store_write(&st, 3, "/local/domain/3/new", 19, v, KOAN_STORE_VALUE_MAX + 1),
		-KOAN_EINVAL);
	ck_assert_int_eq(store_write(&st, 0, "/local/domain/3/new", 19, v, 0xFFFFFFFFu),
			 -KOAN_EINVAL);
	ck_assert(!present("/local/domain/3/new"));
	len = 0;
	ck_assert_int_eq(store_read(&st, "/local/domain/3/a", 17, v, &len), 0);
	ck_assert_uint_eq(len, KOAN_STORE_VALUE_MAX);
	ck_assert_uint_eq((unsigned char)v[0], 'v');
	ck_assert_uint_eq(store_nodes_of(&st, 3), 4);
	/* The path written is the one read: only len bytes of it. */
	ck_assert_int_eq(store_write(&st, 4, "/local/domain/4/k-and-more", 17, "4k", 2), 0);
	expect_value("/local/domain/4/k", "4k");
	ck_assert(!present("/local/domain/4/k-and-more"));
}

KTEST(lab5_store_quota)
{
	char p[KOAN_STORE_PATH_MAX];

	store_init(&st);
	for (unsigned i = 0; i < KOAN_STORE_QUOTA; i++) {
		snprintf(p, sizeof(p), "/local/domain/3/n%u", i);
		put_ok(3, p, "x");
	}
	ck_assert_uint_eq(store_nodes_of(&st, 3), KOAN_STORE_QUOTA);
	ck_assert_int_eq(put(3, "/local/domain/3/one-more", "x"), -KOAN_ENOSPC);
	ck_assert(!present("/local/domain/3/one-more"));
	ck_assert_uint_eq(store_nodes_of(&st, 3), KOAN_STORE_QUOTA);
	/* A node it has may still change; other domains have their own quota;
	 * dom0 writing in domain 3's directory does not count against 3's. */
	put_ok(3, "/local/domain/3/n7", "changed");
	expect_value("/local/domain/3/n7", "changed");
	put_ok(4, "/local/domain/4/a", "x");
	put_ok(0, "/local/domain/3/backend-says", "x");
	ck_assert_uint_eq(store_nodes_of(&st, 3), KOAN_STORE_QUOTA);
	ck_assert_uint_eq(store_nodes_of(&st, 4), 1);
	/* A removal makes room again. */
	ck_assert_int_eq(rm("/local/domain/3/n0"), 0);
	put_ok(3, "/local/domain/3/one-more", "x");
	ck_assert_int_eq(put(3, "/local/domain/3/two-more", "x"), -KOAN_ENOSPC);

	/* dom0 has no quota: it fills the table... */
	unsigned used = KOAN_STORE_QUOTA + 2, n = 0;
	while (used < STORE_MAX_NODES) {
		snprintf(p, sizeof(p), "/local/domain/0/n%u", n++);
		put_ok(0, p, "y");
		used++;
	}
	ck_assert_uint_eq(store_nodes_of(&st, 0), STORE_MAX_NODES - KOAN_STORE_QUOTA - 1);
	/* ...and then nobody has room for a new node, a replacement still fits. */
	ck_assert_int_eq(put(0, "/local/domain/0/full", "y"), -KOAN_ENOSPC);
	ck_assert_int_eq(put(4, "/local/domain/4/b", "x"), -KOAN_ENOSPC);
	ck_assert(!present("/local/domain/0/full"));
	ck_assert(!present("/local/domain/4/b"));
	put_ok(4, "/local/domain/4/a", "replaced");
	put_ok(0, "/local/domain/0/n0", "replaced");
	ck_assert_int_eq(rm("/local/domain/0/n5"), 0);
	put_ok(4, "/local/domain/4/b", "x");
	ck_assert_int_eq(put(0, "/local/domain/0/full", "y"), -KOAN_ENOSPC);
}

KTEST(lab5_store_remove)
{
	store_init(&st);
	put_ok(0, "/a", "1");
	put_ok(0, "/a/b", "2");
	put_ok(0, "/a/b/c", "3");
	put_ok(0, "/a/d", "4");
	put_ok(0, "/ab", "5");
	put_ok(0, "/a-b/x", "6");
	put_ok(0, "/b/a", "7");
	put_ok(0, "/x/y", "8");
	put_ok(0, "/x/z", "9");
	put_ok(0, "/xy", "10");

	/* A leaf. */
	ck_assert_int_eq(rm("/a/b/c"), 0);
	ck_assert(!present("/a/b/c"));
	ck_assert(present("/a/b"));
	/* A directory and everything within it, nothing beside it. */
	ck_assert_int_eq(rm("/a"), 0);
	ck_assert(!present("/a"));
	ck_assert(!present("/a/b"));
	ck_assert(!present("/a/d"));
	ck_assert(present("/ab"));
	ck_assert(present("/a-b/x"));
	ck_assert(present("/b/a"));
	/* A directory that is no node itself. */
	ck_assert_int_eq(rm("/x"), 0);
	ck_assert(!present("/x/y"));
	ck_assert(!present("/x/z"));
	ck_assert(present("/xy"));
	/* Nothing there. */
	ck_assert_int_eq(rm("/a"), -KOAN_ENOENT);
	ck_assert_int_eq(rm("/x"), -KOAN_ENOENT);
	ck_assert_int_eq(rm("/zzz"), -KOAN_ENOENT);
	ck_assert_int_eq(rm("/a-b/x/y"), -KOAN_ENOENT);
	ck_assert_int_eq(rm("/b/a/c"), -KOAN_ENOENT);
	ck_assert(present("/ab"));
	ck_assert(present("/a-b/x"));
	ck_assert(present("/b/a"));
	ck_assert(present("/xy"));
	ck_assert_uint_eq(store_nodes_of(&st, 0), 4);
	/* Removed nodes may be written again. */
	put_ok(0, "/a/b", "again");
	expect_value("/a/b", "again");
}

KTEST(lab5_store_watch_ids)
{
	char p[KOAN_STORE_PATH_MAX];

	store_init(&st);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/a"), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/b"), 1);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/a"),
			  2);				      /* twice the same path: two watches */
	ck_assert_uint_eq(watch_ok(4, "/local/domain/4"), 0); /* each domain its own ids */
	ck_assert_int_eq(store_unwatch(&st, 3, 1), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/c"), 1); /* the lowest free */
	ck_assert_int_eq(store_unwatch(&st, 3, 0), 0);
	ck_assert_int_eq(store_unwatch(&st, 3, 2), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/d"), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/e"), 2);
	for (uint32_t id = 3; id < KOAN_STORE_MAX_WATCHES; id++) {
		snprintf(p, sizeof(p), "/local/domain/3/w%u", id);
		ck_assert_uint_eq(watch_ok(3, p), id);
	}
	uint32_t id = 999;
	ck_assert_int_eq(store_watch(&st, 3, "/local/domain/3/z", 17, &id), -KOAN_ENOSPC);
	ck_assert_uint_eq(watch_ok(4, "/local/domain/4/x"), 1);
	ck_assert_int_eq(store_unwatch(&st, 3, 9), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/z"), 9);

	/* Unwatching what is not one of the domain's watches. */
	ck_assert_int_eq(store_unwatch(&st, 3, KOAN_STORE_MAX_WATCHES), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 3, 0xFFFFFFFFu), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 3, 0x80000000u), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 4, 2), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 5, 0), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 4, 1), 0);
	ck_assert_int_eq(store_unwatch(&st, 4, 1), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 4, 0), 0);
	ck_assert_int_eq(store_unwatch(&st, 4, 0), -KOAN_EINVAL);
}

/* Fire a change at p: the domains told, then each domain's fired bits. */
static void expect_fire(const char *p, uint32_t told, uint32_t f3, uint32_t f4, uint32_t f5)
{
	uint32_t got = fire(p);

	ck_assert_msg(got == told, "a change at %s told domains %#x, expected %#x", p, got, told);
	ck_assert_msg(st.fired[3] == f3 && st.fired[4] == f4 && st.fired[5] == f5,
		      "after a change at %s, the fired bits of domains 3, 4, 5 are %#x %#x %#x, "
		      "expected %#x %#x %#x",
		      p, st.fired[3], st.fired[4], st.fired[5], f3, f4, f5);
	for (unsigned d = 0; d < STORE_MAX_DOMAINS; d++)
		ck_assert_msg(d == 3 || d == 4 || d == 5 || st.fired[d] == 0,
			      "after a change at %s, domain %u without watches has fired bits %#x",
			      p, d, st.fired[d]);
}

/* As if every domain read (and so cleared) its fired bits. */
static void read_fired(void)
{
	memset(st.fired, 0, sizeof(st.fired));
}

KTEST(lab5_store_fire)
{
	store_init(&st);
	/* Domain 3: ids 0, 1, 2; domain 4: 0, 1; domain 5: 0. */
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/device"), 0);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3/device/vbd/0/state"), 1);
	ck_assert_uint_eq(watch_ok(3, "/local/domain/0/backend/vbd/3"), 2);
	ck_assert_uint_eq(watch_ok(4, "/local/domain/3"), 0);
	ck_assert_uint_eq(watch_ok(4, "/local/domain/3/devic"), 1); /* a prefix, not a directory */
	ck_assert_uint_eq(watch_ok(5, "/local/domain/3/device/vbd/0/state/x"), 0);

	/* At the path and above it, and below it (a removed directory takes
	 * what was below): every domain with a watch there is told. */
	expect_fire("/local/domain/3/device/vbd/0/state", (1u << 3) | (1u << 4) | (1u << 5),
		    (1u << 0) | (1u << 1), 1u << 0, 1u << 0);
	/* Again: the bits stay, nobody is told twice. */
	expect_fire("/local/domain/3/device/vbd/0/state", 0, 3, 1, 1);
	/* A new bit for a domain that has some already: set, not told. */
	expect_fire("/local/domain/0/backend/vbd/3/0/state", 0, 7, 1, 1);
	/* Once the bits are read, told again. */
	read_fired();
	expect_fire("/local/domain/0/backend/vbd/3/0/state", 1u << 3, 1u << 2, 0, 0);
	read_fired();
	expect_fire("/local/domain/3/device/vbd/0/state/x/y", (1u << 3) | (1u << 4) | (1u << 5), 3,
		    1, 1);
	/* Beside a watch, not within it: a name that only starts like it. */
	read_fired();
	expect_fire("/local/domain/3/devices", 1u << 4, 0, 1u << 0, 0);
	read_fired();
	expect_fire("/local/domain/3/device-x/vbd", 1u << 4, 0, 1u << 0, 0);
	read_fired();
	expect_fire("/local/domain/31", 0, 0, 0, 0);
	expect_fire("/local/domain/31/device/vbd/0/state", 0, 0, 0, 0);
	expect_fire("/local/domain/0/backend/vbd/31", 0, 0, 0, 0);
	expect_fire("/local/domain/0/backend/vbd/4", 0, 0, 0, 0);
	expect_fire("/local/domain/4", 0, 0, 0, 0);
	expect_fire("/other", 0, 0, 0, 0);
	/* Only below. */
	expect_fire("/local/domain/0/backend", 1u << 3, 1u << 2, 0, 0);
	read_fired();
	expect_fire("/local/domain/3/device/vbd/0", (1u << 3) | (1u << 4) | (1u << 5), 3, 1, 1);
	read_fired();
	expect_fire("/local", (1u << 3) | (1u << 4) | (1u << 5), 7, 3, 1);
	/* An unwatched watch does not fire. */
	read_fired();
	ck_assert_int_eq(store_unwatch(&st, 3, 1), 0);
	ck_assert_int_eq(store_unwatch(&st, 5, 0), 0);
	expect_fire("/local/domain/3/device/vbd/0/state", (1u << 3) | (1u << 4), 1, 1, 0);

	/* Every id of the highest domain number, and dom0's watches too. */
	store_init(&st);
	for (uint32_t i = 0; i < KOAN_STORE_MAX_WATCHES; i++)
		watch_ok(STORE_MAX_DOMAINS - 1, "/q");
	ck_assert_uint_eq(watch_ok(0, "/q/r/s"), 0);
	ck_assert_uint_eq(fire("/q/r"), (1u << 0) | (1u << (STORE_MAX_DOMAINS - 1)));
	ck_assert_uint_eq(st.fired[0], 1);
	ck_assert_uint_eq(st.fired[STORE_MAX_DOMAINS - 1], (1u << KOAN_STORE_MAX_WATCHES) - 1);
	ck_assert_int_eq(store_unwatch(&st, STORE_MAX_DOMAINS - 1, 6), 0);
	st.fired[STORE_MAX_DOMAINS - 1] = 0;
	ck_assert_uint_eq(fire("/q"), 1u << (STORE_MAX_DOMAINS - 1));
	ck_assert_uint_eq(st.fired[STORE_MAX_DOMAINS - 1],
			  ((1u << KOAN_STORE_MAX_WATCHES) - 1) & ~(1u << 6));
}

KTEST(lab5_store_forget_domain)
{
	store_init(&st);
	put_ok(3, "/elsewhere/of-3", "3"); /* 3's, outside its directory */
	put_ok(3, "/local/domain/3", "dir");
	put_ok(3, "/local/domain/3/device/vbd/0/ring-ref", "8");
	put_ok(0, "/local/domain/3/backend-id", "0"); /* dom0's, in 3's directory */
	put_ok(0, "/local/domain/31/x", "31");
	put_ok(0, "/local/domain/3x", "3x");
	put_ok(4, "/local/domain/4/device/vbd/0/ring-ref", "9");
	put_ok(0, "/local/domain/0/backend/vbd/3/0/state", "4");
	put_ok(4, "/elsewhere/of-4", "4");
	put_ok(3, "/elsewhere/also-of-3", "3");
	watch_ok(3, "/local/domain/3/device");
	watch_ok(3, "/local/domain/0/backend/vbd/3");
	watch_ok(4, "/local/domain/4");
	watch_ok(4, "/local/domain/3");
	ck_assert_uint_eq(fire("/local/domain/3/device/vbd/0/state"), (1u << 3) | (1u << 4));
	ck_assert_uint_eq(fire("/local/domain/4/x"), 0);
	ck_assert_uint_eq(store_nodes_of(&st, 3), 4);

	store_forget_domain(&st, 3);
	/* Its directory, whoever wrote in it; its other nodes. */
	ck_assert(!present("/local/domain/3"));
	ck_assert(!present("/local/domain/3/device/vbd/0/ring-ref"));
	ck_assert(!present("/local/domain/3/backend-id"));
	ck_assert(!present("/elsewhere/of-3"));
	ck_assert(!present("/elsewhere/also-of-3"));
	ck_assert_uint_eq(store_nodes_of(&st, 3), 0);
	/* Nobody else's. */
	expect_value("/local/domain/31/x", "31");
	expect_value("/local/domain/3x", "3x");
	expect_value("/local/domain/4/device/vbd/0/ring-ref", "9");
	expect_value("/local/domain/0/backend/vbd/3/0/state", "4");
	expect_value("/elsewhere/of-4", "4");
	ck_assert_uint_eq(store_nodes_of(&st, 4), 2);
	ck_assert_uint_eq(store_nodes_of(&st, 0), 3);
	/* Its watches and fired bits, not the others'. */
	ck_assert_uint_eq(st.fired[3], 0);
	ck_assert_uint_eq(st.fired[4], 3);
	ck_assert_int_eq(store_unwatch(&st, 3, 0), -KOAN_EINVAL);
	ck_assert_int_eq(store_unwatch(&st, 3, 1), -KOAN_EINVAL);
	ck_assert_uint_eq(fire("/local/domain/3/device"), 0);
	ck_assert_uint_eq(st.fired[3], 0);
	st.fired[4] = 0;
	ck_assert_uint_eq(fire("/local/domain/4/y"), 1u << 4);
	ck_assert_uint_eq(st.fired[4], 1);
	/* A new domain 3 starts from nothing: watch id 0, a full quota. */
	ck_assert_uint_eq(watch_ok(3, "/local/domain/3"), 0);
	for (unsigned i = 0; i < KOAN_STORE_QUOTA; i++) {
		char p[KOAN_STORE_PATH_MAX];
		snprintf(p, sizeof(p), "/local/domain/3/n%u", i);
		put_ok(3, p, "x");
	}
	ck_assert_int_eq(put(3, "/local/domain/3/one-more", "x"), -KOAN_ENOSPC);
}
