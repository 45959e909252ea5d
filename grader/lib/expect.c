/* Checking a scenario's output, and failing with the evidence. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "koan_test.h"

#define EXCERPT_LINES 20

/* Start of the line that contains the `n`th line from the end. */
static const char *last_lines(const char *text, size_t len, int n)
{
	const char *p = text + len;

	if (p > text && p[-1] == '\n')
		p--;
	while (p > text) {
		if (p[-1] == '\n' && --n == 0)
			break;
		p--;
	}
	return p;
}

static void print_excerpt(const char *title, const char *text, size_t len)
{
	if (len == 0) {
		printf("%s: (nothing)\n", title);
		return;
	}
	const char *p = last_lines(text, len, EXCERPT_LINES);
	printf("%s%s:\n", title, p > text ? " (last lines)" : "");
	while (*p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("  | %.*s\n", n > 200 ? 200 : n, p);
		p = nl ? nl + 1 : p + n;
	}
}

/* Keep the full logs of a failed run in the build folder for the student. */
static void save_logs(const struct run *r, char *where, size_t size)
{
	char dir[512], name[128], path[700];
	FILE *f;

	snprintf(name, sizeof(name), "%s", koan_current_test ? koan_current_test : "test");
	for (char *c = name; *c; c++)
		if (*c == '/')
			*c = '-';
	snprintf(dir, sizeof(dir), "%s/logs", build_dir());
	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/%s.log", dir, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(where, size, "(could not save the logs)");
		return;
	}
	fprintf(f, "== console (COM1) ==\n%s\n== result channel (COM2) ==\n%s\n", r->console,
		r->results);
	if (r->qemu_errors[0])
		fprintf(f, "== QEMU's errors ==\n%s\n", r->qemu_errors);
	fclose(f);
	snprintf(where, size, "%s", path);
}

void run_fail(const struct run *r, const char *fmt, ...)
{
	char msg[1024], logs[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("what went wrong: %s\n", msg);
	printf("how the run ended: %s, after %.2f s", outcome_text(r->outcome), r->wall_s);
	if (r->outcome == OUTCOME_QEMU_ERROR)
		printf(" (QEMU exit status %d)", r->qemu_status);
	printf("\n");
	if (r->qemu_errors[0])
		print_excerpt("QEMU said", r->qemu_errors, strlen(r->qemu_errors));
	print_excerpt("console", r->console, r->console_len);
	print_excerpt("result channel", r->results, r->results_len);
	save_logs(r, logs, sizeof(logs));
	printf("full logs: %s\n", logs);
	fflush(stdout);
	ck_abort_msg("%s", msg);
	abort(); /* not reached */
}

/* The first line of `text` that starts with `prefix`, or NULL. */
static const char *find_line(const char *text, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p = text;

	while (*p) {
		if (strncmp(p, prefix, plen) == 0)
			return p;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

const char *find_result(const struct run *r, const char *prefix)
{
	return find_line(r->results, prefix);
}

void expect_no_console_line(const struct run *r, const char *prefix)
{
	if (find_line(r->console, prefix))
		run_fail(r, "a console line starts with \"%s\"", prefix);
}

/* The last result line that starts with `prefix`, or NULL. */
static const char *find_last_result(const struct run *r, const char *prefix)
{
	const char *line = find_result(r, prefix), *last = NULL;

	while (line) {
		last = line;
		const char *nl = strchr(line, '\n');
		if (!nl)
			break;
		struct run rest = *r;
		rest.results = (char *)nl + 1;
		line = find_result(&rest, prefix);
	}
	return last;
}

static bool value_in_line(const char *line, const char *key, char *buf, size_t size);

bool result_value(const struct run *r, const char *prefix, const char *key, char *buf, size_t size)
{
	return value_in_line(find_result(r, prefix), key, buf, size);
}

bool last_result_value(const struct run *r, const char *prefix, const char *key, char *buf,
		       size_t size)
{
	return value_in_line(find_last_result(r, prefix), key, buf, size);
}

static bool value_in_line(const char *line, const char *key, char *buf, size_t size)
{
	char pat[64];

	if (!line)
		return false;
	const char *end = strchr(line, '\n');
	if (!end)
		end = line + strlen(line);
	snprintf(pat, sizeof(pat), " %s=", key);
	const char *v = memmem(line, (size_t)(end - line), pat, strlen(pat));
	if (!v)
		return false;
	v += strlen(pat);
	const char *stop = strcmp(key, "why") == 0 ? end : v;
	while (stop < end && *stop != ' ')
		stop++;
	size_t n = (size_t)(stop - v) < size - 1 ? (size_t)(stop - v) : size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return true;
}

static bool has_line(const struct run *r, const char *line)
{
	size_t n = strlen(line);
	const char *p = r->results;

	while ((p = strstr(p, line))) {
		if ((p == r->results || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
		p++;
	}
	return false;
}

void expect_outcome(const struct run *r, enum outcome want)
{
	if (r->outcome != want)
		run_fail(r, "expected the run to end so: %s", outcome_text(want));
}

void expect_result(const struct run *r, const char *line)
{
	if (!has_line(r, line))
		run_fail(r, "expected the result line \"%s\"", line);
}

void expect_result_prefix(const struct run *r, const char *prefix)
{
	if (!find_result(r, prefix))
		run_fail(r, "expected a result line starting \"%s\"", prefix);
}

void expect_no_result_prefix(const struct run *r, const char *prefix)
{
	if (find_result(r, prefix))
		run_fail(r, "expected no result line starting \"%s\"", prefix);
}

void expect_console(const struct run *r, const char *text)
{
	if (!strstr(r->console, text))
		run_fail(r, "expected the console to show \"%s\"", text);
}

void expect_results(const struct run *r, const char *const *lines)
{
	for (; *lines; lines++)
		expect_result(r, *lines);
}

void expect_in_order(const struct run *r, const char *const *lines)
{
	const char *at = r->results;

	for (; *lines; lines++) {
		const char *p = at;
		size_t n = strlen(*lines);
		while ((p = strstr(p, *lines)) &&
		       !((p == r->results || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0')))
			p++;
		if (!p)
			run_fail(r, "expected \"%s\" after the lines before it", *lines);
		at = p + n;
	}
}

void expect_crash(const struct run *r, unsigned dom, const char *vector, const char *why_part)
{
	char prefix[32], value[160];

	snprintf(prefix, sizeof(prefix), "hv crash dom=%u ", dom);
	if (!result_value(r, prefix, "vector", value, sizeof(value)))
		run_fail(r, "domain %u should have been crashed with a report", dom);
	if (strcmp(value, vector) != 0)
		run_fail(r, "domain %u was crashed for vector %s, expected %s", dom, value, vector);
	if (why_part) {
		result_value(r, prefix, "why", value, sizeof(value));
		if (!strstr(value, why_part))
			run_fail(r, "domain %u's crash report should say \"%s\"", dom, why_part);
	}
}

void expect_crash_code(const struct run *r, unsigned dom, const char *code_start)
{
	char prefix[32], value[64];

	snprintf(prefix, sizeof(prefix), "hv crash dom=%u ", dom);
	if (!result_value(r, prefix, "code", value, sizeof(value)) ||
	    strncmp(value, code_start, strlen(code_start)) != 0)
		run_fail(r, "domain %u's crash report should show the code at eip, starting %s",
			 dom, code_start);
}
