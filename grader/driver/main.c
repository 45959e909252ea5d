/* koan-grade: runs the graded tests of the Koan labs and reports the
 * score (terminal report, Gradescope results.json, JUnit XML).
 * This file: the command line and the overall sequence. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildlog.h"
#include "expect.h"
#include "json.h"
#include "junit.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "tests_table.h"
#include "util.h"

#define MAX_LAB 999
#define MAX_JOBS 1024

/* Exit status when --expect found unexpected results. */
#define EXIT_UNEXPECTED 1

struct options {
	int lab;
	const char *tests_path;
	int jobs; /* 0: one per online CPU */
	const char *results_path;
	const char *junit_path;
	const char *build_log; /* --build-failed */
	const char *only;
	struct expectation expect;
	bool no_color;
};

static const char usage_text[] =
	"usage: koan-grade --lab N --tests PATH [--jobs J] [--results FILE]\n"
	"                  [--junit FILE] [--build-failed LOGFILE] [--only SUBSTRING]\n"
	"                  [--expect all-pass|lab-fails=K] [--no-color]\n"
	"\n"
	"Runs the graded tests of labs 1..N (each as `PATH --run NAME`) and\n"
	"prints a report; see grader/README.md.\n";

static _Noreturn void bad_usage(const char *fmt, const char *arg)
{
	fputs("koan-grade: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage_text, stderr);
	exit(EXIT_GRADER_ERROR);
}

static int parse_count(const char *option, const char *text, int max)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < 1 || value > max) {
		fprintf(stderr, "koan-grade: %s wants a number from 1 to %d, not \"%s\"\n", option,
			max, text);
		exit(EXIT_GRADER_ERROR);
	}
	return (int)value;
}

enum option_id {
	OPT_LAB = 256,
	OPT_TESTS,
	OPT_JOBS,
	OPT_RESULTS,
	OPT_JUNIT,
	OPT_BUILD_FAILED,
	OPT_ONLY,
	OPT_EXPECT,
	OPT_NO_COLOR,
	OPT_HELP,
};

static void apply_option(struct options *opts, int id, const char *arg)
{
	switch (id) {
	case OPT_LAB: opts->lab = parse_count("--lab", arg, MAX_LAB); break;
	case OPT_TESTS: opts->tests_path = arg; break;
	case OPT_JOBS: opts->jobs = parse_count("--jobs", arg, MAX_JOBS); break;
	case OPT_RESULTS: opts->results_path = arg; break;
	case OPT_JUNIT: opts->junit_path = arg; break;
	case OPT_BUILD_FAILED: opts->build_log = arg; break;
	case OPT_ONLY: opts->only = arg; break;
	case OPT_EXPECT:
		if (!expectation_parse(arg, &opts->expect))
			bad_usage("--expect wants all-pass or lab-fails=K, not \"%s\"", arg);
		break;
	case OPT_NO_COLOR: opts->no_color = true; break;
	case OPT_HELP: fputs(usage_text, stdout); exit(EXIT_SUCCESS);
	default: bad_usage("%s", "unknown option (see the usage below)");
	}
}

static void parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option long_options[] = {
		{ "lab", required_argument, NULL, OPT_LAB },
		{ "tests", required_argument, NULL, OPT_TESTS },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "results", required_argument, NULL, OPT_RESULTS },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "build-failed", required_argument, NULL, OPT_BUILD_FAILED },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "expect", required_argument, NULL, OPT_EXPECT },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int id;

	memset(opts, 0, sizeof(*opts));
	opterr = 0; /* bad_usage() explains instead */
	while ((id = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		if (id == 'h')
			id = OPT_HELP;
		else if (id == ':')
			bad_usage("%s needs a value", argv[optind - 1]);
		else if (id == '?')
			bad_usage("unknown option %s", argv[optind - 1]);
		apply_option(opts, id, optarg);
	}
	if (optind < argc)
		bad_usage("unexpected argument \"%s\"", argv[optind]);
	if (opts->lab == 0)
		bad_usage("%s", "--lab N is required");
	if (!opts->tests_path && !opts->build_log)
		bad_usage("%s", "--tests PATH is required");
	if (opts->expect.mode == EXPECT_LAB_FAILS && opts->expect.lab > opts->lab)
		bad_usage("%s", "--expect lab-fails=K needs K <= --lab N");
}

/* Makes sure fds 0-2 are open, so that no pipe the grader creates later
 * ends up as one of them (dup2 onto itself would keep close-on-exec). */
static void ensure_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int null_fd = open("/dev/null", O_RDWR);
		if (null_fd < 0)
			exit(EXIT_GRADER_ERROR);
		if (null_fd != fd)
			close(null_fd); /* cannot happen: lowest free fd is fd */
	}
}

static int default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		return 1;
	return cpus > MAX_JOBS ? MAX_JOBS : (int)cpus;
}

static void check_tests_program(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		die("cannot use the tests program %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
		die("the tests program %s is not an executable file", path);
}

static bool use_color(const struct options *opts)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (opts->no_color || (no_color && no_color[0]))
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

/* Selects the tests (dies if --only matches none) and sets the number of
 * parallel jobs. */
static void select_tests(const struct options *opts, struct result_set *set)
{
	int jobs = opts->jobs ? opts->jobs : default_jobs();

	result_set_select(set, opts->lab, opts->only);
	if (opts->only && set->count == 0)
		die("no graded test of labs 1-%d has \"%s\" in its name", opts->lab, opts->only);
	if ((size_t)jobs > set->count)
		jobs = set->count > 0 ? (int)set->count : 1;
	set->jobs = jobs;
}

struct progress_printer {
	const struct result_set *set;
	bool color;
};

static void print_finished(void *ctx, const struct test_result *result, size_t done)
{
	const struct progress_printer *printer = ctx;

	report_print_progress(stdout, printer->set, printer->color, result, done);
}

/* Runs the tests, unless the build failed, printing each one's line as
 * it finishes. Returns false if the grader itself had a problem. */
static bool run_selected(const struct options *opts, struct result_set *set, bool color)
{
	struct progress_printer printer = { set, color };
	struct run_progress progress = { print_finished, &printer };

	if (set->build_failed || set->count == 0)
		return true;
	return run_tests(set, opts->tests_path, set->jobs, &progress);
}

static bool write_outputs(const struct options *opts, const struct result_set *set)
{
	bool ok = true;

	if (opts->results_path && !gradescope_write(opts->results_path, set))
		ok = false;
	if (opts->junit_path && !junit_write(opts->junit_path, set))
		ok = false;
	return ok;
}

int main(int argc, char **argv)
{
	double started = monotonic_seconds();
	struct options opts;
	struct result_set set;
	int unexpected = 0;
	bool color;

	ensure_standard_fds();
	/* A closed stdout (`| head`) must not stop results.json from being
	 * written; failed writes are noticed instead. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		die("signal(SIGPIPE): %s", strerror(errno));
	parse_options(argc, argv, &opts);
	graded_tests_check();
	color = use_color(&opts);

	select_tests(&opts, &set);
	set.started_at = time(NULL);
	if (opts.build_log)
		mark_build_failed(&set, opts.build_log);
	else if (set.count > 0)
		check_tests_program(opts.tests_path);
	report_print_start(stdout, &set, color);
	fflush(stdout);

	bool ok = run_selected(&opts, &set, color);
	set.seconds = monotonic_seconds() - started;
	if (!write_outputs(&opts, &set))
		ok = false;

	report_print_results(stdout, &set, color);
	if (opts.expect.mode != EXPECT_NOTHING)
		unexpected = expectation_check(stdout, &set, &opts.expect, opts.build_log != NULL);
	if (fflush(stdout) != 0 || ferror(stdout))
		ok = false; /* nothing to tell: stdout itself is broken */
	result_set_free(&set);

	if (!ok)
		return EXIT_GRADER_ERROR;
	if (opts.expect.mode != EXPECT_NOTHING && unexpected > 0)
		return EXIT_UNEXPECTED;
	return EXIT_SUCCESS;
}
