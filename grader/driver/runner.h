/* Running the selected tests in parallel child processes, each with a
 * time limit and an output cap. */
#ifndef KOAN_RUNNER_H
#define KOAN_RUNNER_H

#include <stdbool.h>

#include "results.h"

#define OUTPUT_CAP_BYTES (64 * 1024) /* captured per test */
#define EXTRA_SECONDS 5		     /* added to each def's timeout_s */

/* Told about each test as soon as its result is recorded: `done` of
 * the set's tests have finished, this one included. */
struct run_progress {
	void (*finished)(void *ctx, const struct test_result *result, size_t done);
	void *ctx;
};

/* Runs every test of `set` as `tests_path --run NAME`, at most `jobs` at
 * a time, and records the results, telling `progress` (may be NULL) of
 * each. Returns false if the grader itself failed to start some test
 * (that test is recorded as failed). On SIGINT/SIGTERM/SIGHUP it kills
 * the running tests and dies by that signal. */
bool run_tests(struct result_set *set, const char *tests_path, int jobs,
	       const struct run_progress *progress);

#endif
