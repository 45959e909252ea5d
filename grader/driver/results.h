/* The outcome of every selected test, and the totals derived from them. */
#ifndef KOAN_RESULTS_H
#define KOAN_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "tests_table.h"
#include "textbuf.h"

enum outcome {
	OUTCOME_PASSED,
	OUTCOME_FAILED,
	OUTCOME_NOT_RUN, /* exit status 77: neither adds nor removes points */
};

struct test_result {
	const struct graded_test *test;
	int lab;
	enum outcome outcome;
	double seconds;	       /* wall time of the test */
	struct textbuf output; /* what the test printed (capped) */
	/* One line: why the test failed ("exit status 1", "timed out: ...")
	 * or why it was not run. NULL when it passed. */
	char *summary;
	/* The summary tells something the output cannot show (the grader
	 * stopped the test, it died by a signal, it printed nothing). */
	bool summary_is_news;
	/* With OUTCOME_FAILED: the kind of failure, one word for JUnit's
	 * type attribute ("exit-status", "timeout", "output-cap", ...). */
	const char *failure_type;
};

struct result_set {
	struct test_result *items; /* ordered by lab, then table order */
	size_t count;
	int max_lab;   /* labs 1..max_lab were selected */
	bool filtered; /* --only was given */
	int jobs;
	bool build_failed;
	struct textbuf build_excerpt; /* with build_failed: the log excerpt */
	double seconds;		      /* wall time of the whole grading run */
	time_t started_at;	      /* when the grading run started (UTC) */
};

/* Totals over a group of results. */
struct tally {
	int passed, failed, not_run;
	int score, max_score; /* not-run tests count in neither */
};

/* Selects the tests of labs 1..max_lab whose name contains `only`
 * (NULL: all of them). */
void result_set_select(struct result_set *set, int max_lab, const char *only);
void result_set_free(struct result_set *set);

/* Records that a test failed, or was not run; the summary is
 * printf-formatted. `type` names the kind of failure (see above). */
void result_record_failure(struct test_result *result, const char *type, bool summary_is_news,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void result_record_not_run(struct test_result *result, bool summary_is_news, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void result_record_pass(struct test_result *result);

int result_score(const struct test_result *result);
int result_max_score(const struct test_result *result);

/* Totals of one lab, or of every selected test when lab is 0. */
struct tally result_tally(const struct result_set *set, int lab);
size_t result_count_in_lab(const struct result_set *set, int lab);

/* The detailed text of a result for results.json and JUnit: the
 * summary, the captured output and the hint, at most `cap` bytes with
 * the output cut short ("[... truncated]") when needed. */
void result_compose_details(const struct result_set *set, const struct test_result *result,
			    size_t cap, struct textbuf *out);

#endif
