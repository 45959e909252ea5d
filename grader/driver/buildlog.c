/* A failed build as a grade: the excerpt of the build log that the report
 * shows, and every selected test recorded as failed by it. */
#include "buildlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Longer log lines are cut (a single make command line can be huge). */
#define MAX_LINE_BYTES 400

struct excerpt {
	char *errors[BUILD_LOG_MAX_ERROR_LINES];
	size_t error_count;
	char *tail[BUILD_LOG_TAIL_LINES]; /* ring buffer of the last lines */
	size_t line_count;
};

/* True if the occurrence of a word at `hit` is part of a compiler option
 * such as -Werror or -Wno-error=foo, as found in echoed command lines. */
static bool inside_warning_option(const char *line, const char *hit)
{
	const char *start = hit;

	while (start > line && start[-1] != ' ' && start[-1] != '\t' && start[-1] != '[')
		start--;
	return strncmp(start, "-W", 2) == 0;
}

static bool mentions(const char *line, const char *word)
{
	for (const char *hit = strstr(line, word); hit; hit = strstr(hit + 1, word)) {
		if (!inside_warning_option(line, hit))
			return true;
	}
	return false;
}

static bool is_error_line(const char *line)
{
	return mentions(line, "error") || mentions(line, "Error");
}

static char *clip_line(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len <= MAX_LINE_BYTES)
		return xstrndup(line, len);

	struct textbuf clipped = TEXTBUF_INIT;
	textbuf_append(&clipped, line, MAX_LINE_BYTES);
	textbuf_puts(&clipped, " [...]");
	return clipped.data;
}

static void collect_line(struct excerpt *ex, const char *line, size_t len)
{
	char *clipped = clip_line(line, len);
	size_t slot = ex->line_count % BUILD_LOG_TAIL_LINES;

	if (ex->error_count < BUILD_LOG_MAX_ERROR_LINES && is_error_line(clipped))
		ex->errors[ex->error_count++] = xstrdup(clipped);
	free(ex->tail[slot]);
	ex->tail[slot] = clipped;
	ex->line_count++;
}

static void format_excerpt(struct excerpt *ex, struct textbuf *out)
{
	size_t tail_count =
		ex->line_count < BUILD_LOG_TAIL_LINES ? ex->line_count : BUILD_LOG_TAIL_LINES;

	if (ex->error_count > 0) {
		textbuf_puts(out, "Errors reported by the build:\n");
		for (size_t i = 0; i < ex->error_count; i++)
			textbuf_printf(out, "%s\n", ex->errors[i]);
	} else {
		textbuf_puts(out, "No line of the build log mentions an error.\n");
	}
	if (tail_count == 0) {
		textbuf_puts(out, "The build log is empty.\n");
		return;
	}
	if (tail_count == ex->line_count)
		textbuf_puts(out, "The whole build log:\n");
	else
		textbuf_printf(out, "Last %zu lines of the build log:\n", tail_count);
	for (size_t i = ex->line_count - tail_count; i < ex->line_count; i++)
		textbuf_printf(out, "%s\n", ex->tail[i % BUILD_LOG_TAIL_LINES]);
}

static void free_excerpt(struct excerpt *ex)
{
	for (size_t i = 0; i < ex->error_count; i++)
		free(ex->errors[i]);
	for (size_t i = 0; i < BUILD_LOG_TAIL_LINES; i++)
		free(ex->tail[i]);
}

/* Streams the log so that a huge log needs no more memory than the
 * lines that are kept. Returns false if it cannot be read. */
static bool read_excerpt(const char *path, struct textbuf *out)
{
	struct excerpt ex;
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t len;
	FILE *log = fopen(path, "re");

	if (!log) {
		textbuf_printf(out, "(The build log %s cannot be read: %s.)\n", path,
			       strerror(errno));
		return false;
	}
	memset(&ex, 0, sizeof(ex));
	errno = 0;
	while ((len = getline(&line, &line_cap, log)) >= 0)
		collect_line(&ex, line, (size_t)len);
	bool ok = !ferror(log);
	if (!ok)
		textbuf_printf(out, "(Reading the build log %s failed: %s.)\n", path,
			       strerror(errno));
	free(line);
	fclose(log);
	format_excerpt(&ex, out);
	free_excerpt(&ex);
	return ok;
}

void mark_build_failed(struct result_set *set, const char *log_path)
{
	set->build_failed = true;
	if (!read_excerpt(log_path, &set->build_excerpt))
		warn("cannot read the build log %s", log_path);

	for (size_t i = 0; i < set->count; i++) {
		struct test_result *result = &set->items[i];

		textbuf_truncate(&result->output, 0);
		textbuf_puts(&result->output, "The build failed, so this test could not run.\n");
		textbuf_append(&result->output, set->build_excerpt.data, set->build_excerpt.len);
		result->seconds = 0.0;
		result_record_failure(result, "build", true, "the build failed");
	}
}
