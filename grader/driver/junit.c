#include "junit.h"

#include <stdint.h>
#include <string.h>

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

static void append_escaped_char(struct textbuf *out, const char *seq,
				size_t len, uint32_t cp, bool attribute)
{
	if (!attribute && (cp == '\n' || cp == '\t')) {
		textbuf_putc(out, (char)cp);
		return;
	}
	switch (cp) {
	case '&':
		textbuf_puts(out, "&amp;");
		break;
	case '<':
		textbuf_puts(out, "&lt;");
		break;
	case '>':
		textbuf_puts(out, "&gt;");
		break;
	case '"':
		textbuf_puts(out, "&quot;");
		break;
	case '\'':
		textbuf_puts(out, "&apos;");
		break;
	/* As character references they survive attribute-value and
	 * line-end normalisation. */
	case '\n':
		textbuf_puts(out, "&#10;");
		break;
	case '\r':
		textbuf_puts(out, "&#13;");
		break;
	case '\t':
		textbuf_puts(out, "&#9;");
		break;
	default:
		textbuf_append(out, seq, len);
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

static void append_escaped(struct textbuf *out, const char *text, size_t len,
			   bool attribute)
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

static double lab_seconds(const struct result_set *set, int lab)
{
	double seconds = 0.0;

	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].lab == lab)
			seconds += set->items[i].seconds;
	}
	return seconds;
}

static void append_testcase(struct textbuf *out, const struct result_set *set,
			    const struct test_result *result)
{
	struct textbuf details = TEXTBUF_INIT;

	textbuf_printf(out, "    <testcase classname=\"lab%d\" name=\"", result->lab);
	xml_append_attribute(out, result->test->name);
	textbuf_printf(out, "\" time=\"%.3f\"", result->seconds);
	switch (result->outcome) {
	case OUTCOME_PASSED:
		textbuf_puts(out, "/>\n");
		break;
	case OUTCOME_NOT_RUN:
		textbuf_puts(out, ">\n      <skipped message=\"");
		xml_append_attribute(out, result->summary);
		textbuf_puts(out, "\"/>\n    </testcase>\n");
		break;
	case OUTCOME_FAILED:
		result_compose_details(set, result, JUNIT_MAX_TEST_OUTPUT, &details);
		textbuf_puts(out, ">\n      <failure message=\"");
		xml_append_attribute(out, result->summary);
		textbuf_puts(out, "\">");
		xml_append_text(out, textbuf_str(&details), details.len);
		textbuf_puts(out, "</failure>\n    </testcase>\n");
		break;
	}
	textbuf_free(&details);
}

static void append_suite(struct textbuf *out, const struct result_set *set,
			 int lab)
{
	struct tally tally = result_tally(set, lab);
	int tests = tally.passed + tally.failed + tally.not_run;

	textbuf_printf(out, "  <testsuite name=\"lab%d\" tests=\"%d\" failures=\"%d\" "
		       "errors=\"0\" skipped=\"%d\" time=\"%.3f\"",
		       lab, tests, tally.failed, tally.not_run,
		       lab_seconds(set, lab));
	if (tests == 0) {
		textbuf_puts(out, "/>\n");
		return;
	}
	textbuf_puts(out, ">\n");
	for (size_t i = 0; i < set->count; i++) {
		if (set->items[i].lab == lab)
			append_testcase(out, set, &set->items[i]);
	}
	textbuf_puts(out, "  </testsuite>\n");
}

bool junit_write(const char *path, const struct result_set *set)
{
	struct tally tally = result_tally(set, 0);
	struct textbuf out = TEXTBUF_INIT;

	textbuf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	textbuf_printf(&out, "<testsuites name=\"koan\" tests=\"%zu\" failures=\"%d\" "
		       "errors=\"0\" skipped=\"%d\" time=\"%.3f\">\n",
		       set->count, tally.failed, tally.not_run, set->seconds);
	for (int lab = 1; lab <= set->max_lab; lab++) {
		if (!set->filtered || result_count_in_lab(set, lab) > 0)
			append_suite(&out, set, lab);
	}
	textbuf_puts(&out, "</testsuites>\n");

	bool ok = write_whole_file(path, out.data, out.len);
	textbuf_free(&out);
	return ok;
}
