/* The terminal report a student reads. */
#ifndef KOAN_REPORT_H
#define KOAN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "results.h"

#define REPORT_MAX_OUTPUT_LINES 40

/* Prints the start of the report (the BUILD FAILED block if any, and the
 * header line), before the tests run so that the student sees something
 * at once. */
void report_print_start(FILE *out, const struct result_set *set, bool color);

/* Prints one test's line as soon as it has finished, with how many of
 * the selected tests are done ("[ 12/125]"), so that a long run shows
 * its progress. */
void report_print_progress(FILE *out, const struct result_set *set, bool color,
			   const struct test_result *result, size_t done);

/* Prints the rest once the results are in. Its last line is
 * "N passed, M failed" (plus ", K skipped" when K > 0): CI reads it. */
void report_print_results(FILE *out, const struct result_set *set, bool color);

#endif
