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

/* Prints the rest once the results are in. Its last line is
 * "N passed, M failed" (plus ", K skipped" when K > 0): CI reads it. */
void report_print_results(FILE *out, const struct result_set *set, bool color);

#endif
