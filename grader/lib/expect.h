/*
 * Checking what a scenario printed. On a mismatch each helper prints what
 * was expected, how the run ended, the last lines of the console and the
 * result channel, and where the full logs are; then it fails the test.
 */
#ifndef KOAN_EXPECT_H
#define KOAN_EXPECT_H

#include "scenario.h"

/* The first result line that starts with `prefix`, or NULL. */
const char *find_result(const struct run *r, const char *prefix);

/* The value of `key=` in the first result line starting with `prefix`
 * (up to the next space; "why=" takes the rest of the line), copied into buf. */
bool result_value(const struct run *r, const char *prefix, const char *key, char *buf, size_t size);
/* The same, in the last line starting with `prefix`. */
bool last_result_value(const struct run *r, const char *prefix, const char *key, char *buf,
		       size_t size);

void expect_outcome(const struct run *r, enum outcome want);
void expect_result(const struct run *r, const char *line);	    /* an exact line */
void expect_result_prefix(const struct run *r, const char *prefix); /* a line starting so */
void expect_no_result_prefix(const struct run *r, const char *prefix);
void expect_console(const struct run *r, const char *text);	      /* a substring */
void expect_no_console_line(const struct run *r, const char *prefix); /* no line starts so */

/* Every line of a NULL-terminated list, exactly; and in that order. */
void expect_results(const struct run *r, const char *const *lines);
void expect_in_order(const struct run *r, const char *const *lines);

/* Domain `dom` was crashed for `vector` ("13"), its report saying `why_part`
 * if not NULL; and showing code at eip starting `code_start` ("0f.20"). */
void expect_crash(const struct run *r, unsigned dom, const char *vector, const char *why_part);
void expect_crash_code(const struct run *r, unsigned dom, const char *code_start);

/* Fail with a message of our own, and the run's evidence. */
void run_fail(const struct run *r, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

#endif
