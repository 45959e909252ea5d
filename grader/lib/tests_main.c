/*
 * koan-tests: every graded test of the configuration, and the grader's own
 * self-tests, in one program.
 *
 *   koan-tests --list        the test names
 *   koan-tests --run NAME    run one test; exit 0 passed, 77 not run, 1 failed
 *   koan-tests               run them all (check's own report)
 *
 * The grade driver (grader/driver) runs `--run` for each graded test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koan_test.h"
#include "verdict_channel.h"

#define GRADED(ident, name, kind, points, timeout_s, hint) extern const TTest *ident;
#include "graded-tests.inc"
#include "grader/selftest/selftest.def"
#undef GRADED

struct entry {
	const char *name;
	const TTest *const *test;
	int timeout_s;
};

#define GRADED(ident, name, kind, points, timeout_s, hint) { name, &ident, timeout_s },
static const struct entry entries[] = {
#include "graded-tests.inc"
#include "grader/selftest/selftest.def"
};
#undef GRADED

#define NR_ENTRIES (sizeof(entries) / sizeof(entries[0]))

static Suite *suite_of(const struct entry *e)
{
	Suite *s = suite_create("koan");
	TCase *tc = tcase_create(e->name);

	tcase_set_timeout(tc, e->timeout_s);
	tcase_add_test(tc, *e->test);
	suite_add_tcase(s, tc);
	return s;
}

/* The verdict: check's result, and how the body said it ended. Student
 * code runs only in check's child process; nothing it does there can end
 * this process, or make an early end look like the body's. */
static int run_one(const struct entry *e)
{
	SRunner *sr = srunner_create(suite_of(e));
	int status;

	koan_current_test = e->name;
	setvbuf(stdout, NULL, _IOLBF, 0);
	verdict_channel_open();
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_SILENT);
	TestResult **results = srunner_results(sr);
	TestResult *tr = results[0];
	const char *msg = tr_msg(tr);
	enum test_end end = verdict_channel_result();

	if (tr_rtype(tr) == CK_PASS && end == TEST_END_DONE) {
		status = 0;
	} else if (tr_rtype(tr) == CK_PASS) {
		printf("FAILED: the test did not run to its end: its process ended early "
		       "(the code under test called exit, or a signal ended it)\n");
		status = 1;
	} else if (tr_rtype(tr) == CK_ERROR && end == TEST_END_NOT_RUN && msg &&
		   strstr(msg, "return value 77")) {
		status = 77; /* koan_not_run(): its reason is already printed */
	} else {
		printf("FAILED: %s\n", msg ? msg : "(no message)");
		if (tr_rtype(tr) == CK_ERROR)
			printf("(the test itself stopped: a crash, a time-out, or an early "
			       "exit)\n");
		status = 1;
	}
	free(results);
	srunner_free(sr);
	return status;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < NR_ENTRIES; i++)
			printf("%s\n", entries[i].name);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--run") == 0) {
		for (size_t i = 0; i < NR_ENTRIES; i++)
			if (strcmp(entries[i].name, argv[2]) == 0)
				return run_one(&entries[i]);
		fprintf(stderr, "koan-tests: no test named %s\n", argv[2]);
		return 2;
	}
	if (argc == 1) {
		Suite *s = suite_create("koan");
		for (size_t i = 0; i < NR_ENTRIES; i++) {
			TCase *tc = tcase_create(entries[i].name);
			tcase_set_timeout(tc, entries[i].timeout_s);
			tcase_add_test(tc, *entries[i].test);
			suite_add_tcase(s, tc);
		}
		SRunner *sr = srunner_create(s);
		srunner_run_all(sr, CK_NORMAL);
		int failed = srunner_ntests_failed(sr);
		srunner_free(sr);
		return failed ? 1 : 0;
	}
	fprintf(stderr, "usage: koan-tests [--list | --run NAME]\n");
	return 2;
}
