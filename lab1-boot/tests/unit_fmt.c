/* Lab 1, Exercise 1: the formatter, compared with the C library's printf. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/fmt.h>

#include "koan_test.h"

/* Format `v` with `fmt` both ways and compare; a macro, so that it works for
 * every argument type. */
#define SAME_AS_LIBC(fmt, v)                                                                     \
	do {                                                                                     \
		char ours_[128], libc_[128];                                                     \
		__typeof__(v) v_ = (v); /* evaluate once: v may call rand() */                   \
		ksnprintf(ours_, sizeof(ours_), fmt, v_);                                        \
		snprintf(libc_, sizeof(libc_), fmt, v_);                                         \
		ck_assert_msg(strcmp(ours_, libc_) == 0,                                         \
			      "ksnprintf(\"%s\", ...) gave \"%s\", expected \"%s\"", fmt, ours_, \
			      libc_);                                                            \
	} while (0)

KTEST(lab1_fmt_numbers)
{
	static const char *const ufmts[] = { "%u", "%x", "%X", "%08x", "%8u", "%-8u|", "%02x" };
	static const char *const dfmts[] = { "%d", "%i", "%5d", "%-6d|", "%05d" };
	unsigned edge_u[] = { 0, 1, 9, 10, 15, 16, 255, 4096, 0xDEADBEEF, UINT_MAX };
	int edge_d[] = { 0, -1, 7, -42, 100000, INT_MAX, INT_MIN };

	srand((unsigned)getpid());
	for (size_t f = 0; f < sizeof(ufmts) / sizeof(ufmts[0]); f++) {
		for (size_t i = 0; i < sizeof(edge_u) / sizeof(edge_u[0]); i++)
			SAME_AS_LIBC(ufmts[f], edge_u[i]);
		for (int i = 0; i < 200; i++)
			SAME_AS_LIBC(ufmts[f], (unsigned)rand() * 2654435761u);
	}
	for (size_t f = 0; f < sizeof(dfmts) / sizeof(dfmts[0]); f++) {
		for (size_t i = 0; i < sizeof(edge_d) / sizeof(edge_d[0]); i++)
			SAME_AS_LIBC(dfmts[f], edge_d[i]);
		for (int i = 0; i < 200; i++)
			SAME_AS_LIBC(dfmts[f], rand() - RAND_MAX / 2);
	}
	SAME_AS_LIBC("%lld", LLONG_MIN);
	SAME_AS_LIBC("%llx", (long long)0x123456789ABCDEFll);
	SAME_AS_LIBC("%llu", -1ll);
}

KTEST(lab1_fmt_strings)
{
	char buf[64];
	char small[6];
	const char *word = random_token();
	int n;

	ksnprintf(buf, sizeof(buf), "[%s|%6s|%-6.3s|%c%%]", word, "ab", word, 'Z');
	char want[64];
	snprintf(want, sizeof(want), "[%s|%6s|%-6.3s|%c%%]", word, "ab", word, 'Z');
	ck_assert_str_eq(buf, want);

	/* Truncation: always terminated, and the return value is the full length. */
	n = ksnprintf(small, sizeof(small), "%s-%u", word, 12345u);
	ck_assert_int_eq(n, (int)strlen(word) + 6);
	ck_assert_int_eq((int)strlen(small), (int)sizeof(small) - 1);
	ck_assert_msg(strncmp(small, word, sizeof(small) - 1) == 0, "truncated text is wrong");
	/* Numbers inside a longer format still need Exercise 1. */
	ksnprintf(buf, sizeof(buf), "%s=%u", word, 4711u);
	snprintf(want, sizeof(want), "%s=%u", word, 4711u);
	ck_assert_str_eq(buf, want);
}
