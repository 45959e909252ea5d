/*
 * The hypervisor's table of its own function symbols, for backtraces.
 * The build links the hypervisor twice: the first link's `nm` output is
 * turned into a sorted table (tools/mksyms) that the second link includes.
 */
#ifndef KOAN_SYMTAB_H
#define KOAN_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint32_t addr;
	const char *name;
};

/* The generated table, sorted by address (ascending). */
extern const struct ksym ksyms[];
extern const size_t ksyms_count;

/*
 * The symbol containing `addr`: the entry with the greatest address that is
 * <= addr, or NULL if addr lies before the first symbol or the table is
 * empty. `tab` is sorted by address and holds `n` entries.
 */
const struct ksym *symtab_lookup(const struct ksym *tab, size_t n, uint32_t addr);

#endif
