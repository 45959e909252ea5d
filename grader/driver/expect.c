/* --expect: the results compared with what CI knows they must be (all
 * pass on the solutions; a lab's tests all fail on its skeleton). */
#include "expect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool expectation_parse(const char *text, struct expectation *out)
{
	static const char lab_fails[] = "lab-fails=";
	char *end;
	long lab;

	if (strcmp(text, "all-pass") == 0) {
		out->mode = EXPECT_ALL_PASS;
		out->lab = 0;
		return true;
	}
	if (strncmp(text, lab_fails, sizeof(lab_fails) - 1) != 0)
		return false;
	text += sizeof(lab_fails) - 1;
	errno = 0;
	lab = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || lab < 1 || lab > 9999)
		return false;
	out->mode = EXPECT_LAB_FAILS;
	out->lab = (int)lab;
	return true;
}

/* Prints why the result is unexpected, or returns false if it is fine. */
static bool report_if_unexpected(FILE *out, const struct test_result *result,
				 const struct expectation *expect)
{
	bool must_not_pass = expect->mode == EXPECT_LAB_FAILS && result->lab == expect->lab;

	if (must_not_pass && result->outcome == OUTCOME_PASSED) {
		fprintf(out, "unexpected: %s passed on the skeleton\n", result->test->name);
		return true;
	}
	if (!must_not_pass && result->outcome == OUTCOME_FAILED) {
		fprintf(out, "unexpected: %s failed\n", result->test->name);
		return true;
	}
	return false;
}

int expectation_check(FILE *out, const struct result_set *set, const struct expectation *expect,
		      bool build_failed)
{
	int as_expected = 0, unexpected = 0;

	/* Skeletons and solutions alike must compile: a test that "fails"
	 * because nothing was built proves nothing. */
	if (build_failed) {
		fprintf(out, "unexpected: the build failed\n");
		unexpected++;
	}

	for (size_t i = 0; i < set->count; i++) {
		/* On lab K's skeleton, earlier labs' tests may fail too (lab K
		 * is what they now run on): only lab K's tests are judged. */
		if (expect->mode == EXPECT_LAB_FAILS && set->items[i].lab != expect->lab)
			continue;
		if (report_if_unexpected(out, &set->items[i], expect))
			unexpected++;
		else
			as_expected++;
	}
	fprintf(out, "expect: %d passed, %d failed\n", as_expected, unexpected);
	return unexpected;
}
