/* The terminal report: a line per test as it finishes, then the table per
 * lab, the score, the failures with their output and hints, and the counts. */
#include "report.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

#define MIN_NAME_WIDTH 36
#define MAX_SHOWN_LINE_BYTES 300 /* longer output lines are cut */

#define ANSI_RED "\033[31m"
#define ANSI_GREEN "\033[32m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

struct report {
	FILE *out;
	const struct result_set *set;
	bool color;
	int name_width;
};

static const char *plural(long count)
{
	return count == 1 ? "" : "s";
}

/* Prints `text` in the given colour (when colours are on), padded with
 * spaces to `width` columns. */
static void print_painted(const struct report *rep, const char *ansi, const char *text, int width)
{
	int pad = width - (int)strlen(text);

	if (rep->color)
		fprintf(rep->out, "%s%s%s", ansi, text, ANSI_RESET);
	else
		fputs(text, rep->out);
	for (; pad > 0; pad--)
		fputc(' ', rep->out);
}

static const char *status_label(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_PASSED: return "PASS";
	case OUTCOME_NOT_RUN: return "NOT RUN";
	case OUTCOME_FAILED: break;
	}
	return "FAIL";
}

static const char *status_color(enum outcome outcome)
{
	switch (outcome) {
	case OUTCOME_PASSED: return ANSI_GREEN;
	case OUTCOME_NOT_RUN: return ANSI_YELLOW;
	case OUTCOME_FAILED: break;
	}
	return ANSI_RED;
}

static void terminal_char(void *ctx, const char *seq, size_t n, uint32_t cp)
{
	FILE *out = ctx;

	if (cp != UTF8_INVALID && n > 1)
		fwrite(seq, 1, n, out);
	else if (cp == '\t' || (cp >= 0x20 && cp < 0x7F))
		fputc((int)cp, out);
	else
		fputc('?', out);
}

/* Prints foreign text (test output, build log) with control characters
 * and invalid UTF-8 replaced by '?', so that it cannot mess up the
 * terminal, and cut after MAX_SHOWN_LINE_BYTES. */
static void print_sanitized(const struct report *rep, const char *text, size_t len)
{
	size_t shown = utf8_cut(text, len, MAX_SHOWN_LINE_BYTES);

	utf8_each(text, shown, terminal_char, rep->out);
	if (shown < len)
		fputs(" [...]", rep->out);
}

/* Prints one line of foreign text indented by two spaces. */
static void print_foreign_line(const struct report *rep, const char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	fputs("  ", rep->out);
	print_sanitized(rep, line, len);
	fputc('\n', rep->out);
}

/* Prints the lines of `text`, at most max_lines of them (0: no limit). */
static void print_foreign_text(const struct report *rep, const char *text, size_t len,
			       size_t max_lines)
{
	const char *end = text + len;
	size_t printed = 0, skipped = 0;

	for (const char *line = text; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		const char *stop = eol ? eol : end;

		if (max_lines == 0 || printed < max_lines) {
			print_foreign_line(rep, line, (size_t)(stop - line));
			printed++;
		} else {
			skipped++;
		}
		line = eol ? eol + 1 : end;
	}
	if (skipped > 0)
		fprintf(rep->out, "  ... %zu more line%s\n", skipped, plural((long)skipped));
}

static void print_build_failed_block(const struct report *rep)
{
	const struct textbuf *excerpt = &rep->set->build_excerpt;

	fputs("==================================================================\n", rep->out);
	print_painted(rep, ANSI_BOLD ANSI_RED, "BUILD FAILED", 0);
	fputs(": the code does not compile, so no test could run.\n", rep->out);
	print_foreign_text(rep, textbuf_str(excerpt), excerpt->len, 0);
	fputs("Fix these errors first: every test scores 0 until the build works.\n", rep->out);
	fputs("==================================================================\n", rep->out);
}

static void print_header(const struct report *rep)
{
	const struct result_set *set = rep->set;

	fprintf(rep->out, "Koan grader: labs 1-%d, %zu test%s", set->max_lab, set->count,
		plural((long)set->count));
	if (set->build_failed)
		fputs(", none run (build failed)\n", rep->out);
	else
		fprintf(rep->out, ", %d job%s\n", set->jobs, plural(set->jobs));
}

static void print_row(const struct report *rep, const struct test_result *result)
{
	char score[64];

	if (result->outcome == OUTCOME_NOT_RUN)
		snprintf(score, sizeof(score), "-/%d", result->test->points);
	else
		snprintf(score, sizeof(score), "%d/%d", result_score(result), result->test->points);
	fprintf(rep->out, "  %-*s  %5s   ", rep->name_width, result->test->name, score);
	print_painted(rep, status_color(result->outcome), status_label(result->outcome), 7);
	fprintf(rep->out, "  %4.1fs", result->seconds);
	if (result->outcome == OUTCOME_NOT_RUN) {
		fputs("   (", rep->out);
		print_sanitized(rep, result->summary, strlen(result->summary));
		fputc(')', rep->out);
	}
	fputc('\n', rep->out);
}

static void print_lab(const struct report *rep, int lab)
{
	const struct result_set *set = rep->set;
	struct tally tally = result_tally(set, lab);

	if (result_count_in_lab(set, lab) == 0) {
		if (set->filtered)
			return; /* --only left nothing of this lab */
		fprintf(rep->out, "== lab%d ==\n  (no graded tests)\n", lab);
	} else {
		fprintf(rep->out, "== lab%d ==\n", lab);
		for (size_t i = 0; i < set->count; i++) {
			if (set->items[i].lab == lab)
				print_row(rep, &set->items[i]);
		}
	}
	fprintf(rep->out, "  lab%d subtotal: %d/%d\n", lab, tally.score, tally.max_score);
}

static void print_score(const struct report *rep)
{
	struct tally tally = result_tally(rep->set, 0);

	fprintf(rep->out, "Score: %d/%d", tally.score, tally.max_score);
	if (rep->set->build_failed)
		fputs("  (the build failed)", rep->out);
	else if (tally.not_run > 0)
		fprintf(rep->out, "  (%d test%s not run, excluded)", tally.not_run,
			plural(tally.not_run));
	fputc('\n', rep->out);
}

static void print_failure(const struct report *rep, const struct test_result *result)
{
	const struct textbuf *output = &result->output;
	const char *hint = result->test->hint;

	fprintf(rep->out, "\n-- %s: ", result->test->name);
	print_painted(rep, ANSI_RED, "FAIL", 0);
	fputs(" --\n", rep->out);
	if (result->summary_is_news)
		fprintf(rep->out, "  %s\n", result->summary);
	if (output->len > 0)
		print_foreign_text(rep, textbuf_str(output), output->len, REPORT_MAX_OUTPUT_LINES);
	else if (!result->summary_is_news)
		fputs("  (the test printed nothing)\n", rep->out);
	if (hint && hint[0])
		fprintf(rep->out, "  Hint: %s\n", hint);
}

static void print_failures(const struct report *rep)
{
	const struct result_set *set = rep->set;

	/* After a failed build every test says the same: already shown. */
	if (set->build_failed)
		return;
	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].outcome == OUTCOME_FAILED)
			print_failure(rep, &set->items[i]);
	}
}

static void print_counts(const struct report *rep)
{
	struct tally tally = result_tally(rep->set, 0);

	fprintf(rep->out, "\n%d passed, %d failed", tally.passed, tally.failed);
	if (tally.not_run > 0)
		fprintf(rep->out, ", %d skipped", tally.not_run);
	fputc('\n', rep->out);
}

static int name_width(const struct result_set *set)
{
	size_t width = MIN_NAME_WIDTH;

	for (size_t i = 0; i < set->count; i++) {
		size_t len = strlen(set->items[i].test->name);
		if (len > width)
			width = len;
	}
	return width > 200 ? 200 : (int)width;
}

void report_print_start(FILE *out, const struct result_set *set, bool color)
{
	struct report rep = { out, set, color, name_width(set) };

	if (set->build_failed)
		print_build_failed_block(&rep);
	print_header(&rep);
}

void report_print_results(FILE *out, const struct result_set *set, bool color)
{
	struct report rep = { out, set, color, name_width(set) };

	if (!set->build_failed && set->count > 0)
		fputc('\n', out); /* the table apart from the progress lines */
	for (int lab = 1; lab <= set->max_lab; lab++)
		print_lab(&rep, lab);
	print_score(&rep);
	print_failures(&rep);
	print_counts(&rep);
}

void report_print_progress(FILE *out, const struct result_set *set, bool color,
			   const struct test_result *result, size_t done)
{
	struct report rep = { out, set, color, name_width(set) };
	int digits = snprintf(NULL, 0, "%zu", set->count);

	fprintf(out, "[%*zu/%zu]", digits, done, set->count);
	print_row(&rep, result);
	fflush(out);
}
