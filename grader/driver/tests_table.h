/* The compiled-in list of graded tests (generated graded-tests.inc). */
#ifndef KOAN_TESTS_TABLE_H
#define KOAN_TESTS_TABLE_H

#include <stddef.h>

struct graded_test {
	const char *name; /* "labN/short-name" */
	const char *kind; /* "UNIT" or "QEMU" */
	int points;
	int timeout_s;		/* the def's time limit; the grader adds slack */
	const char *hint;	/* shown to the student when the test fails */
	const char *visibility; /* Gradescope visibility, e.g. "visible" */
};

size_t graded_test_count(void);
const struct graded_test *graded_test_at(size_t index);

/* The lab number N of a name "labN/...", or -1 if it has no such prefix. */
int graded_test_lab(const struct graded_test *test);

/* Dies with a message if an entry of the table is malformed. */
void graded_tests_check(void);

#endif
