/* Gradescope's results.json, with only the keys its specification defines. */
#include "json.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

static void append_escaped_byte(struct textbuf *out, unsigned char c)
{
	switch (c) {
	case '"': textbuf_puts(out, "\\\""); break;
	case '\\': textbuf_puts(out, "\\\\"); break;
	case '\n': textbuf_puts(out, "\\n"); break;
	case '\t': textbuf_puts(out, "\\t"); break;
	default:
		if (c < 0x20 || c == 0x7F)
			textbuf_printf(out, "\\u%04x", c);
		else
			textbuf_putc(out, (char)c);
	}
}

static void json_char(void *ctx, const char *seq, size_t n, uint32_t cp)
{
	struct textbuf *out = ctx;

	if (cp == UTF8_INVALID)
		textbuf_putc(out, '?');
	else if (n == 1)
		append_escaped_byte(out, (unsigned char)seq[0]);
	else
		textbuf_append(out, seq, n);
}

void json_append_string(struct textbuf *out, const char *text, size_t len)
{
	textbuf_putc(out, '"');
	utf8_each(text, len, json_char, out);
	textbuf_putc(out, '"');
}

static void append_cstring(struct textbuf *out, const char *text)
{
	json_append_string(out, text, strlen(text));
}

static bool shown_to_students(const struct test_result *result)
{
	return strcmp(result->test->visibility, "visible") == 0;
}

/* The overall "output": one summary line, or the build failure. Students
 * see it at once, so it counts only the tests they see at once: a count
 * that includes hidden tests would tell them how those went. */
static void append_summary(struct textbuf *out, const struct result_set *set)
{
	struct tally shown = { 0, 0, 0, 0, 0 };
	struct textbuf text = TEXTBUF_INIT;

	for (size_t i = 0; i < set->count; i++) {
		const struct test_result *result = &set->items[i];

		if (!shown_to_students(result))
			continue;
		shown.passed += result->outcome == OUTCOME_PASSED;
		shown.failed += result->outcome == OUTCOME_FAILED;
		shown.not_run += result->outcome == OUTCOME_NOT_RUN;
		shown.score += result_score(result);
		shown.max_score += result_max_score(result);
	}
	if (set->build_failed) {
		textbuf_puts(&text, "BUILD FAILED: the code does not compile, "
				    "so no test could run.\n\n");
		textbuf_append(&text, set->build_excerpt.data, set->build_excerpt.len);
		textbuf_putc(&text, '\n');
	}
	textbuf_printf(&text,
		       "Labs 1-%d, the tests shown here: %d/%d points. "
		       "%d passed, %d failed",
		       set->max_lab, shown.score, shown.max_score, shown.passed, shown.failed);
	if (shown.not_run > 0)
		textbuf_printf(&text, ", %d not run (not counted)", shown.not_run);
	textbuf_puts(&text, ".");
	json_append_string(out, text.data, text.len);
	textbuf_free(&text);
}

static void append_test(struct textbuf *out, const struct result_set *set,
			const struct test_result *result)
{
	struct textbuf details = TEXTBUF_INIT;

	result_compose_details(set, result, JSON_MAX_TEST_OUTPUT, &details);
	textbuf_puts(out, "    {\n      \"name\": ");
	append_cstring(out, result->test->name);
	textbuf_printf(out, ",\n      \"score\": %d,\n      \"max_score\": %d,\n",
		       result_score(result), result_max_score(result));
	/* Gradescope knows "passed" and "failed"; a test not run is
	 * neither (and scores 0 of 0). */
	if (result->outcome != OUTCOME_NOT_RUN)
		textbuf_printf(out, "      \"status\": \"%s\",\n",
			       result->outcome == OUTCOME_PASSED ? "passed" : "failed");
	textbuf_puts(out, "      \"output\": ");
	json_append_string(out, textbuf_str(&details), details.len);
	textbuf_puts(out, ",\n      \"visibility\": ");
	append_cstring(out, result->test->visibility);
	textbuf_puts(out, "\n    }");
	textbuf_free(&details);
}

bool gradescope_write(const char *path, const struct result_set *set)
{
	struct tally tally = result_tally(set, 0);
	struct textbuf out = TEXTBUF_INIT;

	/* Only keys Gradescope's specification defines: the maximum is the
	 * sum of the tests' max_score, which Gradescope works out. */
	textbuf_printf(&out, "{\n  \"score\": %d,\n", tally.score);
	textbuf_printf(&out, "  \"execution_time\": %lld,\n  \"output\": ",
		       (long long)(set->seconds + 0.5));
	append_summary(&out, set);
	textbuf_puts(&out, ",\n  \"tests\": [");
	for (size_t i = 0; i < set->count; i++) {
		textbuf_puts(&out, i == 0 ? "\n" : ",\n");
		append_test(&out, set, &set->items[i]);
	}
	textbuf_puts(&out, set->count ? "\n  ]\n}\n" : "]\n}\n");

	bool ok = write_whole_file(path, out.data, out.len);
	textbuf_free(&out);
	return ok;
}
