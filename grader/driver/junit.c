/* JUnit XML as the Ant schema has it (which Jenkins and GitLab read): one
 * suite per lab, times in whole milliseconds so that they add up. */
#include "junit.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"
#include "util.h"

/* Failure bodies can hold the whole captured output plus the frame. */
#define JUNIT_MAX_TEST_OUTPUT (72 * 1024)

/* Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD]
 *        | [#x10000-#x10FFFF] (utf8_decode already rejects surrogates). */
static bool xml_allows(uint32_t cp)
{
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	return cp != 0xFFFE && cp != 0xFFFF;
}

static void append_escaped_char(struct textbuf *out, const char *seq, size_t len, uint32_t cp,
				bool attribute)
{
	if (!attribute && (cp == '\n' || cp == '\t')) {
		textbuf_putc(out, (char)cp);
		return;
	}
	switch (cp) {
	case '&': textbuf_puts(out, "&amp;"); break;
	case '<': textbuf_puts(out, "&lt;"); break;
	case '>': textbuf_puts(out, "&gt;"); break;
	case '"': textbuf_puts(out, "&quot;"); break;
	case '\'': textbuf_puts(out, "&apos;"); break;
	/* As character references they survive attribute-value and
	 * line-end normalisation. */
	case '\n': textbuf_puts(out, "&#10;"); break;
	case '\r': textbuf_puts(out, "&#13;"); break;
	case '\t': textbuf_puts(out, "&#9;"); break;
	default: textbuf_append(out, seq, len);
	}
}

struct xml_ctx {
	struct textbuf *out;
	bool attribute;
};

static void xml_char(void *ctx, const char *seq, size_t n, uint32_t cp)
{
	struct xml_ctx *x = ctx;

	if (cp == UTF8_INVALID)
		textbuf_putc(x->out, '?');
	else if (xml_allows(cp))
		append_escaped_char(x->out, seq, n, cp, x->attribute);
}

static void append_escaped(struct textbuf *out, const char *text, size_t len, bool attribute)
{
	struct xml_ctx x = { out, attribute };

	utf8_each(text, len, xml_char, &x);
}

void xml_append_text(struct textbuf *out, const char *text, size_t len)
{
	append_escaped(out, text, len, false);
}

void xml_append_attribute(struct textbuf *out, const char *text)
{
	append_escaped(out, text, strlen(text), true);
}

/* Times are whole milliseconds, so that the sums printed are exactly
 * the sums of the figures printed. */
static long long millis(double seconds)
{
	return seconds > 0 ? (long long)(seconds * 1000.0 + 0.5) : 0;
}

static void append_time(struct textbuf *out, long long ms)
{
	textbuf_printf(out, " time=\"%lld.%03lld\"", ms / 1000, ms % 1000);
}

static long long lab_millis(const struct result_set *set, int lab)
{
	long long ms = 0;

	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].lab == lab)
			ms += millis(set->items[i].seconds);
	}
	return ms;
}

static void append_testcase(struct textbuf *out, const struct result_set *set,
			    const struct test_result *result)
{
	struct textbuf details = TEXTBUF_INIT;

	textbuf_printf(out, "    <testcase classname=\"lab%d\" name=\"", result->lab);
	xml_append_attribute(out, result->test->name);
	textbuf_puts(out, "\"");
	append_time(out, millis(result->seconds));
	switch (result->outcome) {
	case OUTCOME_PASSED: textbuf_puts(out, "/>\n"); break;
	case OUTCOME_NOT_RUN:
		textbuf_puts(out, ">\n      <skipped message=\"");
		xml_append_attribute(out, result->summary);
		textbuf_puts(out, "\"/>\n    </testcase>\n");
		break;
	case OUTCOME_FAILED:
		result_compose_details(set, result, JUNIT_MAX_TEST_OUTPUT, &details);
		textbuf_puts(out, ">\n      <failure message=\"");
		xml_append_attribute(out, result->summary);
		textbuf_puts(out, "\" type=\"");
		xml_append_attribute(out, result->failure_type ? result->failure_type : "failure");
		textbuf_puts(out, "\">");
		xml_append_text(out, textbuf_str(&details), details.len);
		textbuf_puts(out, "</failure>\n    </testcase>\n");
		break;
	}
	textbuf_free(&details);
}

/* What every suite says of where and when it ran: strict consumers
 * (Ant's schema, which Jenkins and GitLab follow) require a timestamp
 * (local ISO 8601 without a zone; ours is UTC) and a hostname. */
struct run_place {
	char timestamp[32];
	char hostname[HOST_NAME_MAX + 1];
};

static void run_place_of(const struct result_set *set, struct run_place *place)
{
	struct tm tm;

	if (gmtime_r(&set->started_at, &tm) == NULL ||
	    strftime(place->timestamp, sizeof(place->timestamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(place->timestamp, "1970-01-01T00:00:00");
	if (gethostname(place->hostname, sizeof(place->hostname)) != 0 ||
	    place->hostname[0] == '\0')
		strcpy(place->hostname, "localhost");
	place->hostname[sizeof(place->hostname) - 1] = '\0';
}

static void append_suite(struct textbuf *out, const struct result_set *set,
			 const struct run_place *place, int lab, int id)
{
	struct tally tally = result_tally(set, lab);
	int tests = tally.passed + tally.failed + tally.not_run;

	textbuf_printf(out,
		       "  <testsuite name=\"lab%d\" id=\"%d\" package=\"koan\" "
		       "tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\"",
		       lab, id, tests, tally.failed, tally.not_run);
	append_time(out, lab_millis(set, lab));
	textbuf_printf(out, " timestamp=\"%s\" hostname=\"", place->timestamp);
	xml_append_attribute(out, place->hostname);
	textbuf_puts(out, "\">\n");
	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].lab == lab)
			append_testcase(out, set, &set->items[i]);
	}
	textbuf_puts(out, "  </testsuite>\n");
}

/* The suites' times add up to the total: both are the tests' own times,
 * summed (with parallel jobs, more than the wall time of the run). */
static long long total_millis(const struct result_set *set)
{
	long long ms = 0;

	for (int lab = 1; lab <= set->max_lab; lab++)
		ms += lab_millis(set, lab);
	return ms;
}

bool junit_write(const char *path, const struct result_set *set)
{
	struct tally tally = result_tally(set, 0);
	struct textbuf out = TEXTBUF_INIT;
	struct run_place place;
	int id = 0;

	run_place_of(set, &place);
	textbuf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	textbuf_printf(&out,
		       "<testsuites name=\"koan\" tests=\"%zu\" failures=\"%d\" "
		       "errors=\"0\"",
		       set->count, tally.failed);
	append_time(&out, total_millis(set));
	textbuf_puts(&out, ">\n");
	for (int lab = 1; lab <= set->max_lab; lab++) {
		if (!set->filtered || result_count_in_lab(set, lab) > 0)
			append_suite(&out, set, &place, lab, id++);
	}
	textbuf_puts(&out, "</testsuites>\n");

	bool ok = write_whole_file(path, out.data, out.len);
	textbuf_free(&out);
	return ok;
}
