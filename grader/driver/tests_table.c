/* The table of graded tests compiled in from the labs' graded.def files. */
#include "tests_table.h"

#include <ctype.h>
#include <string.h>

#include "util.h"

#define GRADED(ident, name, kind, points, timeout_s, hint) \
	{ name, #kind, points, timeout_s, hint, KOAN_VISIBILITY },
static const struct graded_test graded_tests[] = {
#include "graded-tests.inc"
	/* End marker, so that the array is never empty (GCC rejects
	 * indexing a zero-length array) even if no lab has a test yet. */
	{ NULL, NULL, 0, 0, NULL, NULL }
};

size_t graded_test_count(void)
{
	return sizeof(graded_tests) / sizeof(graded_tests[0]) - 1;
}

const struct graded_test *graded_test_at(size_t index)
{
	return &graded_tests[index];
}

int graded_test_lab(const struct graded_test *test)
{
	const char *p = test->name;
	int lab = 0;

	if (strncmp(p, "lab", 3) != 0)
		return -1;
	p += 3;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (lab > 9999)
			return -1;
		lab = lab * 10 + (*p - '0');
	}
	return *p == '/' && p[1] != '\0' ? lab : -1;
}

void graded_tests_check(void)
{
	for (size_t i = 0; i < graded_test_count(); i++) {
		const struct graded_test *test = graded_test_at(i);

		if (graded_test_lab(test) < 1)
			die("graded test \"%s\": the name must start with labN/ (N >= 1)",
			    test->name);
		if (test->points < 0 || test->timeout_s <= 0)
			die("graded test \"%s\": points must be >= 0 and timeout_s > 0",
			    test->name);
	}
}
