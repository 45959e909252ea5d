/* Turning how a test child ended into a pass, a failure or "not run". */
#ifndef KOAN_VERDICT_H
#define KOAN_VERDICT_H

#include <stdbool.h>

#include "results.h"

/* Exit status of a test that could not run (e.g. no KVM). */
#define EXIT_NOT_RUN 77

struct child_end {
	int wait_status; /* from waitpid() */
	bool timed_out;	 /* the grader killed it at its time limit */
	bool over_cap;	 /* the grader killed it for printing too much */
	int limit_s;	 /* the time limit that applied */
	int cap_kib;	 /* the output cap that applied */
};

/* Records the outcome; result->output must hold what the test printed. */
void record_verdict(struct test_result *result, const struct child_end *end);

/* "SIGSEGV" for 11 and so on; "unknown signal" for unusual numbers. */
const char *signal_abbrev(int sig);

#endif
