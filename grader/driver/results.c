/* Selecting the tests of a run, recording their outcomes and adding them up. */
#include "results.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

static bool name_matches(const struct graded_test *test, const char *only)
{
	return only == NULL || strstr(test->name, only) != NULL;
}

static void add_result(struct result_set *set, const struct graded_test *test, int lab)
{
	struct test_result *result = &set->items[set->count++];

	memset(result, 0, sizeof(*result));
	result->test = test;
	result->lab = lab;
	result->outcome = OUTCOME_FAILED;
	textbuf_init(&result->output);
}

void result_set_select(struct result_set *set, int max_lab, const char *only)
{
	size_t total = graded_test_count();

	memset(set, 0, sizeof(*set));
	textbuf_init(&set->build_excerpt);
	set->items = xcalloc(total, sizeof(set->items[0]));
	set->max_lab = max_lab;
	set->filtered = only != NULL;

	for (int lab = 1; lab <= max_lab; lab++) {
		for (size_t i = 0; i < total; i++) {
			const struct graded_test *test = graded_test_at(i);

			if (graded_test_lab(test) == lab && name_matches(test, only))
				add_result(set, test, lab);
		}
	}
}

void result_set_free(struct result_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		textbuf_free(&set->items[i].output);
		free(set->items[i].summary);
	}
	free(set->items);
	textbuf_free(&set->build_excerpt);
	memset(set, 0, sizeof(*set));
}

static void record(struct test_result *result, enum outcome outcome, const char *type,
		   bool summary_is_news, const char *fmt, va_list args)
{
	struct textbuf summary = TEXTBUF_INIT;

	textbuf_vprintf(&summary, fmt, args);
	free(result->summary);
	result->summary = summary.data ? summary.data : xstrdup("");
	result->outcome = outcome;
	result->failure_type = type;
	result->summary_is_news = summary_is_news;
}

void result_record_failure(struct test_result *result, const char *type, bool summary_is_news,
			   const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	record(result, OUTCOME_FAILED, type, summary_is_news, fmt, args);
	va_end(args);
}

void result_record_not_run(struct test_result *result, bool summary_is_news, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	record(result, OUTCOME_NOT_RUN, NULL, summary_is_news, fmt, args);
	va_end(args);
}

void result_record_pass(struct test_result *result)
{
	free(result->summary);
	result->summary = NULL;
	result->outcome = OUTCOME_PASSED;
	result->failure_type = NULL;
	result->summary_is_news = false;
}

int result_score(const struct test_result *result)
{
	return result->outcome == OUTCOME_PASSED ? result->test->points : 0;
}

int result_max_score(const struct test_result *result)
{
	return result->outcome == OUTCOME_NOT_RUN ? 0 : result->test->points;
}

struct tally result_tally(const struct result_set *set, int lab)
{
	struct tally tally = { 0, 0, 0, 0, 0 };

	for (size_t i = 0; i < set->count; i++) {
		const struct test_result *result = &set->items[i];

		if (lab != 0 && result->lab != lab)
			continue;
		switch (result->outcome) {
		case OUTCOME_PASSED: tally.passed++; break;
		case OUTCOME_FAILED: tally.failed++; break;
		case OUTCOME_NOT_RUN: tally.not_run++; break;
		}
		tally.score += result_score(result);
		tally.max_score += result_max_score(result);
	}
	return tally;
}

size_t result_count_in_lab(const struct result_set *set, int lab)
{
	size_t count = 0;

	for (size_t i = 0; i < set->count; i++)
		count += set->items[i].lab == lab;
	return count;
}

/* The first and last parts of the details: what the grader has to say
 * before and after the test's own output. */
static void compose_frame(const struct result_set *set, const struct test_result *result,
			  struct textbuf *head, struct textbuf *tail)
{
	const char *hint = result->test->hint;

	switch (result->outcome) {
	case OUTCOME_PASSED: break;
	case OUTCOME_NOT_RUN:
		/* Otherwise the output's own "NOT RUN:" line says it. */
		if (result->summary_is_news)
			textbuf_printf(head, "NOT RUN: %s\n", result->summary);
		break;
	case OUTCOME_FAILED:
		if (set->build_failed)
			break; /* the output already explains everything */
		textbuf_printf(head, "FAILED: %s\n", result->summary);
		if (hint && hint[0])
			textbuf_printf(tail, "\nHint: %s\n", hint);
		break;
	}
	if (head->len > 0 && result->output.len > 0)
		textbuf_putc(head, '\n');
}

void result_compose_details(const struct result_set *set, const struct test_result *result,
			    size_t cap, struct textbuf *out)
{
	static const char marker[] = "\n[... truncated]\n";
	struct textbuf head = TEXTBUF_INIT, tail = TEXTBUF_INIT;
	const struct textbuf *body = &result->output;
	size_t body_len = body->len;

	compose_frame(set, result, &head, &tail);
	if (head.len + body_len + tail.len > cap) {
		size_t frame = head.len + tail.len + strlen(marker);
		size_t room = frame < cap ? cap - frame : 0;

		body_len = utf8_cut(textbuf_str(body), body->len, room);
	}
	size_t start = out->len;
	textbuf_append(out, head.data, head.len);
	textbuf_append(out, body->data, body_len);
	if (body_len < body->len)
		textbuf_puts(out, marker);
	textbuf_append(out, tail.data, tail.len);
	/* Only an absurdly long hint can still be over the cap. */
	if (out->len - start > cap)
		textbuf_truncate(out, start + utf8_cut(out->data + start, out->len - start, cap));
	textbuf_free(&head);
	textbuf_free(&tail);
}
