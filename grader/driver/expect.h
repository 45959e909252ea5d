/* --expect: checking the grader against known solutions in CI. */
#ifndef KOAN_EXPECT_H
#define KOAN_EXPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "results.h"

enum expect_mode {
	EXPECT_NOTHING,
	EXPECT_ALL_PASS,  /* no test may fail (not run is fine) */
	EXPECT_LAB_FAILS, /* lab K runs on its skeleton: none may pass */
};

struct expectation {
	enum expect_mode mode;
	int lab; /* K of lab-fails=K */
};

/* Parses "all-pass" or "lab-fails=K"; false if it is neither. */
bool expectation_parse(const char *text, struct expectation *out);

/* Prints an "unexpected: ..." line per test that did not behave as
 * expected, then "expect: P passed, F failed" as the last line. Returns
 * the number of unexpected results (F). */
int expectation_check(FILE *out, const struct result_set *set, const struct expectation *expect,
		      bool build_failed);

#endif
