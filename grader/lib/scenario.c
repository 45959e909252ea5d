/*
 * Running QEMU for a scenario. Everything a broken hypervisor can do to us
 * is bounded here: a hang (the timeout), a flood of output (the caps), a
 * triple fault (-no-reboot turns it into an exit), a QEMU that will not
 * start (its stderr is kept and shown).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "koan_test.h"
#include "scenario.h"

#define CONSOLE_CAP (512 * 1024)
#define RESULTS_CAP (256 * 1024)
#define QEMU_ERRORS_CAP (16 * 1024)
#define DEFAULT_MEM_MB 128
#define DEFAULT_TIMEOUT_MS 10000

/* Exit statuses: the hypervisor writes 0x10 or 0x11 to isa-debug-exit and
 * QEMU exits with (value << 1) | 1 (include/koan/platform.h). */
#define STATUS_ALL_DONE 33
#define STATUS_PANIC 35
#define STATUS_RESET 0 /* -no-reboot: a triple fault ends QEMU with 0 */

static char *removal_dirs[4];

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void remove_scenario_dirs(void)
{
	for (int i = 0; i < 4; i++)
		if (removal_dirs[i])
			remove_dir(removal_dirs[i]);
}

static void remember_for_removal(const char *dir)
{
	static bool registered;

	if (!registered) {
		atexit(remove_scenario_dirs);
		registered = true;
	}
	for (int i = 0; i < 4; i++) {
		if (!removal_dirs[i]) {
			removal_dirs[i] = strdup(dir);
			return;
		}
	}
}

static void link_into(const char *dir, const char *target_rel, const char *name)
{
	char target[512], link[512], cwd[256];

	if (!getcwd(cwd, sizeof(cwd)))
		ck_abort_msg("getcwd: %s", strerror(errno));
	snprintf(target, sizeof(target), "%s/%s/%s", cwd, build_dir(), target_rel);
	snprintf(link, sizeof(link), "%s/%s", dir, name);
	if (symlink(target, link) != 0)
		ck_abort_msg("symlink %s: %s", link, strerror(errno));
}

void scenario_init(struct scenario *sc)
{
	const char *tmp = getenv("TMPDIR");
	char guests[512];
	DIR *d;
	struct dirent *e;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->dir, sizeof(sc->dir), "%s/koan-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(sc->dir))
		ck_abort_msg("mkdtemp: %s", strerror(errno));
	remember_for_removal(sc->dir);
	link_into(sc->dir, "koan.elf", "koan.elf");
	snprintf(guests, sizeof(guests), "%s/guests", build_dir());
	d = opendir(guests);
	if (!d)
		ck_abort_msg("no guests in %s: was the build run?", guests);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char rel[300];
		if (n > 4 && strcmp(e->d_name + n - 4, ".elf") == 0) {
			snprintf(rel, sizeof(rel), "guests/%s", e->d_name);
			link_into(sc->dir, rel, e->d_name);
		}
	}
	closedir(d);
}

void scenario_write_file(const struct scenario *sc, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sc->dir, name);
	unlink(path);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		ck_abort_msg("cannot write %s: %s", path, strerror(errno));
}

void *read_build_file(const char *rel, size_t *len)
{
	char path[512];
	FILE *f;
	long size;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", build_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		ck_abort_msg("cannot open %s: %s (was the build run?)", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		ck_abort_msg("cannot read %s", path);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

static void append_escaped(char **p, const char *m)
{
	for (; *m; m++) {
		if (*m == ',')
			*(*p)++ = ',';
		*(*p)++ = *m;
	}
}

/* Join the modules for -initrd: "a.elf x=1 runtoken=T0,b.elf runtoken=T1"; a comma
 * inside one is ",,". Each module gets its run token (struct run). */
static char *initrd_argument(const struct scenario *sc, struct run *r)
{
	size_t cap = 16;
	for (int i = 0; i < SCENARIO_MAX_MODULES && sc->modules[i]; i++)
		cap += 2 * strlen(sc->modules[i]) + 32;
	char *s = calloc(1, cap), *p = s;
	for (int i = 0; i < SCENARIO_MAX_MODULES && sc->modules[i]; i++) {
		char tail[32];

		snprintf(r->run_tokens[i], sizeof(r->run_tokens[i]), "%s", random_token());
		snprintf(tail, sizeof(tail), " runtoken=%s", r->run_tokens[i]);
		if (i > 0)
			*p++ = ',';
		append_escaped(&p, sc->modules[i]);
		append_escaped(&p, tail);
	}
	return s;
}

/* The first run of this test whose results lack a run token, said once. */
static char token_problem[256];

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* Every "hv start dom=N" of a module that got a token needs "dN runtoken=TOKEN". */
static void note_run_tokens(const struct run *r)
{
	for (int d = 0; d < SCENARIO_MAX_MODULES && r->run_tokens[d][0]; d++) {
		char start[32], echo[48];

		snprintf(start, sizeof(start), "hv start dom=%d ", d);
		if (!r->results || !strstr(r->results, start))
			continue;
		snprintf(echo, sizeof(echo), "d%d runtoken=%s", d, r->run_tokens[d]);
		if (!has_line(r->results, echo) && !token_problem[0])
			snprintf(token_problem, sizeof(token_problem),
				 "domain %d started, but its results lack the line \"%s\" that its "
				 "guest kernel prints first: these results were not made by this "
				 "run",
				 d, echo);
	}
}

void scenario_check_run_tokens(void)
{
	if (token_problem[0])
		ck_abort_msg("%s", token_problem);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct sink {
	char *buf;
	size_t len, cap, limit;
	bool overflow;
};

static void sink_add(struct sink *s, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\r')
			continue;
		if (s->len + 1 >= s->limit) {
			s->overflow = true;
			return;
		}
		if (s->len + 2 > s->cap) {
			s->cap = s->cap ? 2 * s->cap : 4096;
			s->buf = realloc(s->buf, s->cap);
		}
		s->buf[s->len++] = data[i];
	}
}

static char *sink_string(struct sink *s, size_t *len)
{
	if (!s->buf)
		s->buf = calloc(1, 1);
	s->buf[s->len] = '\0';
	if (len)
		*len = s->len;
	return s->buf;
}

static bool guest_line_seen(const struct sink *s)
{
	return s->buf && memmem(s->buf, s->len, "[d", 2) != NULL;
}

static void build_argv(const struct scenario *sc, char *initrd, char **argv, char *mem, char *drive)
{
	int n = 0;
	const char *qemu = getenv("QEMU");

	argv[n++] = (char *)(qemu && *qemu ? qemu : "qemu-system-i386");
	snprintf(mem, 16, "%u", sc->mem_mb ? sc->mem_mb : DEFAULT_MEM_MB);
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-device";
	argv[n++] = "isa-debug-exit,iobase=0xf4,iosize=4";
	argv[n++] = "-serial";
	argv[n++] = "stdio";
	argv[n++] = "-serial";
	argv[n++] = "file:results.log";
	argv[n++] = "-accel";
	argv[n++] = sc->kvm ? "kvm" : "tcg";
	if (!sc->real_time && !sc->kvm) {
		/* Deterministic time: the clock, the timer and the cycle counter
		 * follow the instructions executed, not the host's clock or load,
		 * so a domain's turn ends at the same point in every run. */
		argv[n++] = "-icount";
		argv[n++] = "shift=0";
	}
	if (sc->disk) {
		/* A relative path: QEMU runs in the scenario's folder. */
		snprintf(drive, 320, "file=%s,format=raw,if=ide,index=0,media=disk", sc->disk);
		argv[n++] = "-drive";
		argv[n++] = drive;
	}
	if (sc->iso) {
		argv[n++] = "-cdrom";
		argv[n++] = (char *)sc->iso;
	} else {
		argv[n++] = "-kernel";
		argv[n++] = "koan.elf";
		argv[n++] = "-append";
		argv[n++] = (char *)(sc->hv_args ? sc->hv_args : "");
		if (initrd[0]) {
			argv[n++] = "-initrd";
			argv[n++] = initrd;
		}
	}
	argv[n] = NULL;
}

/* What QEMU reads as the console's keyboard: the scenario's input, from a
 * file in its folder, or nothing. */
static int console_input_fd(const struct scenario *sc)
{
	if (!sc->console_input)
		return open("/dev/null", O_RDONLY);
	scenario_write_file(sc, "console-input.txt", sc->console_input, strlen(sc->console_input));
	char path[512];
	snprintf(path, sizeof(path), "%s/console-input.txt", sc->dir);
	return open(path, O_RDONLY);
}

static pid_t start_qemu(const struct scenario *sc, char **argv, int out_fd, int err_fd)
{
	int input = console_input_fd(sc);
	pid_t pid = fork();

	if (pid < 0)
		ck_abort_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
		if (chdir(sc->dir) != 0)
			_exit(126);
		dup2(input, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(input);
	return pid;
}

static long file_size(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void read_results(const struct scenario *sc, struct sink *s)
{
	char path[512], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.log", sc->dir);
	f = fopen(path, "rb");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && !s->overflow)
		sink_add(s, buf, n);
	fclose(f);
}

static enum outcome classify(int status)
{
	switch (status) {
	case STATUS_ALL_DONE: return OUTCOME_DONE;
	case STATUS_PANIC: return OUTCOME_PANIC;
	case STATUS_RESET: return OUTCOME_TRIPLE_FAULT;
	default: return OUTCOME_QEMU_ERROR;
	}
}

void scenario_run(const struct scenario *sc, struct run *r)
{
	int out[2], err[2];
	char *argv[40], mem[16], drive[320];
	char *initrd;
	struct sink console = { .limit = CONSOLE_CAP }, errors = { .limit = QEMU_ERRORS_CAP };
	struct sink results = { .limit = RESULTS_CAP };
	unsigned timeout_ms = sc->timeout_ms ? sc->timeout_ms : DEFAULT_TIMEOUT_MS;
	bool timed_out = false, capped = false;
	int status = 0;

	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->first_guest_line_s = -1;
	initrd = initrd_argument(sc, r);
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
		ck_abort_msg("pipe: %s", strerror(errno));
	build_argv(sc, initrd, argv, mem, drive);
	double start = now_s();
	pid_t pid = start_qemu(sc, argv, out[1], err[1]);
	close(out[1]);
	close(err[1]);

	struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	int open_fds = 2;
	while (open_fds > 0) {
		double left_ms = timeout_ms - (now_s() - start) * 1000;
		if (left_ms <= 0) {
			timed_out = true;
			break;
		}
		int n = poll(fds, 2, left_ms < 50 ? (int)left_ms + 1 : 50);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[8192];
			ssize_t got = read(fds[i].fd, buf, sizeof(buf));
			if (got <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			sink_add(i == 0 ? &console : &errors, buf, (size_t)got);
		}
		if (r->first_guest_line_s < 0 && guest_line_seen(&console))
			r->first_guest_line_s = now_s() - start;
		if (console.overflow || file_size(sc->dir, "results.log") > RESULTS_CAP) {
			capped = true;
			break;
		}
	}
	if (timed_out || capped)
		kill(pid, SIGKILL);
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	if (waitpid(pid, &status, 0) < 0)
		status = 0;
	r->wall_s = now_s() - start;
	read_results(sc, &results);
	r->console = sink_string(&console, &r->console_len);
	r->results = sink_string(&results, &r->results_len);
	r->qemu_errors = sink_string(&errors, NULL);
	if (WIFEXITED(status))
		r->qemu_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->qemu_status = -WTERMSIG(status);
	if (timed_out)
		r->outcome = OUTCOME_TIMEOUT;
	else if (capped || results.overflow)
		r->outcome = OUTCOME_OUTPUT_CAP;
	else if (WIFEXITED(status))
		r->outcome = classify(r->qemu_status);
	else
		r->outcome = OUTCOME_QEMU_ERROR;
	note_run_tokens(r);
	free(initrd);
}

const char *outcome_text(enum outcome o)
{
	switch (o) {
	case OUTCOME_DONE: return "the hypervisor ended normally (all domains finished)";
	case OUTCOME_PANIC: return "the hypervisor panicked";
	case OUTCOME_TRIPLE_FAULT:
		return "the CPU reset: a triple fault (an exception while "
		       "handling a double fault; often a bad IDT, GDT or stack)";
	case OUTCOME_TIMEOUT: return "it was still running when time was up (a hang or a loop?)";
	case OUTCOME_OUTPUT_CAP: return "it printed too much and was stopped (a loop printing?)";
	case OUTCOME_QEMU_ERROR: return "QEMU failed or ended unexpectedly";
	}
	return "?";
}
