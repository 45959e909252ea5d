/* The terminal report a student reads. */
#ifndef KOAN_REPORT_H
#define KOAN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "results.h"

#define REPORT_MAX_OUTPUT_LINES 40

/* Prints the whole report. Its last line is "N passed, M failed" (with
 * ", K skipped" when K > 0), which CI reads. */
void report_print(FILE *out, const struct result_set *set, bool color);

#endif
