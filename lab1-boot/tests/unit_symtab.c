/* Lab 1, Exercise 8: finding the function an address belongs to. */
#include <stdlib.h>
#include <unistd.h>

#include <koan/symtab.h>

#include "koan_test.h"

static const struct ksym *linear(const struct ksym *tab, size_t n, uint32_t addr)
{
	const struct ksym *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (tab[i].addr <= addr)
			best = &tab[i];
	return best;
}

KTEST(lab1_symtab_lookup)
{
	static struct ksym tab[1000];
	size_t n = 500 + (size_t)(getpid() % 500);
	uint32_t addr = 0xFC100000u;

	srand((unsigned)getpid());
	for (size_t i = 0; i < n; i++) {
		addr += 1 + (uint32_t)rand() % 300;
		tab[i] = (struct ksym){ addr, "f" };
	}
	for (int i = 0; i < 5000; i++) {
		uint32_t q = tab[0].addr - 50 + (uint32_t)rand() % (addr - tab[0].addr + 100);
		const struct ksym *got = symtab_lookup(tab, n, q);
		const struct ksym *want = linear(tab, n, q);
		ck_assert_msg(got == want, "lookup of 0x%x gave entry %ld, expected %ld", q,
			      got ? (long)(got - tab) : -1L, want ? (long)(want - tab) : -1L);
	}
	ck_assert_ptr_eq(symtab_lookup(tab, n, tab[0].addr), &tab[0]);
	ck_assert_ptr_eq(symtab_lookup(tab, n, tab[n - 1].addr + 5), &tab[n - 1]);
	ck_assert_ptr_null(symtab_lookup(tab, n, tab[0].addr - 1));
	ck_assert_ptr_null(symtab_lookup(tab, 0, tab[0].addr));
}
