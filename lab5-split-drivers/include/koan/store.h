/*
 * Lab 5's store inside the hypervisor (public/store.h): the nodes and
 * watches (hv/store_tree.c) and the rules for paths and permissions
 * (hv/store_rules.c), all pure C and tested on the host; hv/store_op.c is
 * the hypercall, and raises KOAN_VIRQ_STORE for the watches that fire.
 */
#ifndef KOAN_STORE_H
#define KOAN_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/store.h>

#define STORE_MAX_NODES 256u
#define STORE_MAX_DOMAINS 16u

struct store_node {
	bool used;
	uint16_t owner; /* the domain that wrote it (its quota) */
	uint8_t path_len, value_len;
	char path[KOAN_STORE_PATH_MAX];
	char value[KOAN_STORE_VALUE_MAX];
};

struct store_watch {
	bool used;
	uint8_t path_len;
	char path[KOAN_STORE_PATH_MAX];
};

struct store {
	struct store_node nodes[STORE_MAX_NODES];
	struct store_watch watches[STORE_MAX_DOMAINS][KOAN_STORE_MAX_WATCHES];
	uint32_t fired[STORE_MAX_DOMAINS]; /* a bit per watch id */
};

/* hv/store_rules.c. A path as public/store.h describes it? */
bool store_path_ok(const char *path, uint32_t len);
/* Is `path` (a good one) at or below `dir` (a good one)? "/a/b" is below
 * "/a", "/ab" is not. */
bool store_path_within(const char *path, uint32_t len, const char *dir, uint32_t dir_len);
/* May domain `dom` write (or remove) `path`? read it (or watch it)? */
bool store_may_write(unsigned dom, const char *path, uint32_t len);
bool store_may_read(unsigned dom, const char *path, uint32_t len);

/* hv/store_tree.c. Each returns 0 or a negative KOAN_E*; paths are
 * checked good by the caller, permissions too. */
void store_init(struct store *s);
int store_read(const struct store *s, const char *path, uint32_t len, char *value,
	       uint32_t *value_len);
int store_write(struct store *s, unsigned dom, const char *path, uint32_t len, const char *value,
		uint32_t value_len);
/* Remove path and every node below it; -KOAN_ENOENT if there was none. */
int store_remove(struct store *s, const char *path, uint32_t len);
int store_watch(struct store *s, unsigned dom, const char *path, uint32_t len, uint32_t *id);
int store_unwatch(struct store *s, unsigned dom, uint32_t id);
/* A change at `path`: set the bit of every watch at, above or below it
 * (a removed directory takes what was below it), of every domain. Returns
 * the domains whose fired bits went from none to some (a bit per domain),
 * for the caller to raise their KOAN_VIRQ_STORE. */
uint32_t store_fire(struct store *s, const char *path, uint32_t len);
/* Everything of a domain that ended: its directory (/local/domain/N),
 * what it holds against its quota, its watches. */
void store_forget_domain(struct store *s, unsigned dom);
/* Nodes `dom` holds against its quota. */
unsigned store_nodes_of(const struct store *s, unsigned dom);

#endif
