/* --build-failed: no test runs; every test fails with an excerpt of the
 * compiler's log. */
#ifndef KOAN_BUILDLOG_H
#define KOAN_BUILDLOG_H

#include "results.h"

#define BUILD_LOG_MAX_ERROR_LINES 30
#define BUILD_LOG_TAIL_LINES 15

/* Reads the excerpt of `log_path` into set->build_excerpt and records
 * every selected test as failed with that excerpt as its output. */
void mark_build_failed(struct result_set *set, const char *log_path);

#endif
