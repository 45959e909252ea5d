/* How a test child ended (exit status, signal, deadline, output cap)
 * turned into passed, failed or not run, with a one-line reason. */
#include "verdict.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util.h"

/* Not-run reasons longer than this are cut (they are shown inline). */
#define MAX_REASON_BYTES 300

const char *signal_abbrev(int sig)
{
	static const struct {
		int number;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" },	    { SIGINT, "SIGINT" },   { SIGQUIT, "SIGQUIT" },
		{ SIGILL, "SIGILL" },	    { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" },	    { SIGFPE, "SIGFPE" },   { SIGKILL, "SIGKILL" },
		{ SIGUSR1, "SIGUSR1" },	    { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" },	    { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
		{ SIGSTKFLT, "SIGSTKFLT" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
		{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" }, { SIGSYS, "SIGSYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].number == sig)
			return names[i].name;
	}
	return "unknown signal";
}

/* The text after "NOT RUN:" on the first line that starts with it, or
 * NULL. The caller frees it. */
static char *find_not_run_reason(const struct textbuf *output)
{
	static const char prefix[] = "NOT RUN:";
	const char *text = textbuf_str(output);
	const char *end = text + output->len;

	for (const char *line = text; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t len = eol ? (size_t)(eol - line) : (size_t)(end - line);

		if (len >= sizeof(prefix) - 1 && memcmp(line, prefix, sizeof(prefix) - 1) == 0) {
			const char *reason = line + sizeof(prefix) - 1;
			const char *stop = line + len;

			while (reason < stop && (*reason == ' ' || *reason == '\t'))
				reason++;
			while (stop > reason && (stop[-1] == '\r' || stop[-1] == ' '))
				stop--;
			size_t reason_len = (size_t)(stop - reason);
			if (reason_len > MAX_REASON_BYTES)
				reason_len = MAX_REASON_BYTES;
			return xstrndup(reason, reason_len);
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	return NULL;
}

static void record_not_run(struct test_result *result)
{
	char *reason = find_not_run_reason(&result->output);

	if (reason && reason[0])
		result_record_not_run(result, false, "%s", reason);
	else
		result_record_not_run(result, true,
				      "no reason given: the test printed no \"NOT RUN:\" line");
	free(reason);
}

static void record_exit(struct test_result *result, int code)
{
	if (code == 0)
		result_record_pass(result);
	else if (code == EXIT_NOT_RUN)
		record_not_run(result);
	else if (result->output.len == 0)
		result_record_failure(result, "exit-status", true,
				      "the test exited with status %d without printing anything",
				      code);
	else
		result_record_failure(result, "exit-status", false,
				      "the test exited with status %d", code);
}

void record_verdict(struct test_result *result, const struct child_end *end)
{
	int status = end->wait_status;

	/* The grader's own kills come first: they explain the SIGKILL. */
	if (end->over_cap)
		result_record_failure(result, "output-cap", true,
				      "output cap exceeded (%d KiB): the test printed too much",
				      end->cap_kib);
	else if (end->timed_out)
		result_record_failure(result, "timeout", true,
				      "timed out: the grader stopped this test after %d s",
				      end->limit_s);
	else if (WIFSIGNALED(status))
		result_record_failure(result, "signal", true,
				      "the test process died (signal %d: %s)", WTERMSIG(status),
				      signal_abbrev(WTERMSIG(status)));
	else if (WIFEXITED(status))
		record_exit(result, WEXITSTATUS(status));
	else
		result_record_failure(result, "grader-error", true,
				      "the test ended in an unexpected way (wait status %#x)",
				      (unsigned)status);
}
