/* Running the selected tests as child processes, a few at a time, each
 * with a deadline and an output cap; their ends go to verdict.c. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "orphans.h"
#include "signals.h"
#include "spawn.h"
#include "util.h"
#include "verdict.h"

/* After a test's main process has exited, how long to keep reading
 * output from the pipe, which something that left the process group may
 * still hold open. */
#define DRAIN_GRACE_SECONDS 2.0
/* Upper bound on one poll() wait, in case a wake-up is ever missed. */
#define MAX_WAIT_MS 1000
/* How often to look again for a killed test that has not exited yet. */
#define RECHECK_KILLED_SECONDS 0.1

struct slot {
	struct test_result *result;
	pid_t pid; /* 0 while the slot is free */
	int fd;	   /* output pipe; -1 once closed */
	bool reaped;
	bool killed; /* the grader sent SIGKILL to the group */
	struct child_end end;
	double started;
	double deadline;    /* the time limit expires */
	double drain_until; /* give up on the pipe after the exit */
};

struct runner {
	struct slot *slots;
	int slot_count;
	struct pollfd *pollfds; /* room for slot_count + 1 */
	int *poll_owner;	/* slot index of each pollfds entry */
	int active;
	int devnull_fd;
	int wake_fd;
	const char *tests_path;
	bool all_started; /* false if the grader failed to start one */
	const struct run_progress *progress;
	size_t done; /* tests whose result is recorded */
};

/* For the atexit handler: a fatal error must not leave tests running. */
static struct runner *current_runner;

static void kill_slot(struct slot *slot)
{
	if (slot->pid > 0 && !slot->reaped) {
		kill_test_group(slot->pid);
		slot->killed = true;
	}
}

static void kill_all(struct runner *runner)
{
	for (int i = 0; i < runner->slot_count; i++)
		kill_slot(&runner->slots[i]);
}

static void kill_all_at_exit(void)
{
	if (current_runner) {
		kill_all(current_runner);
		current_runner = NULL;
		orphans_kill_all();
	}
}

static bool is_running_test(pid_t pid, void *ctx)
{
	const struct runner *runner = ctx;

	for (int i = 0; i < runner->slot_count; i++) {
		if (runner->slots[i].pid == pid && !runner->slots[i].reaped)
			return true;
	}
	return false;
}

/* Once all tests are over, whatever is left must have escaped a test's
 * process group: stop it. */
static void kill_leftovers(void)
{
	int killed = orphans_kill_all();

	if (killed > 0)
		warn("stopped %d process%s that tests left running", killed,
		     killed == 1 ? "" : "es");
}

static void close_output(struct slot *slot)
{
	if (slot->fd >= 0) {
		close(slot->fd);
		slot->fd = -1;
	}
}

static struct slot *free_slot(struct runner *runner)
{
	for (int i = 0; i < runner->slot_count; i++) {
		if (runner->slots[i].pid == 0)
			return &runner->slots[i];
	}
	return NULL;
}

static void tell_finished(struct runner *runner, const struct test_result *result)
{
	runner->done++;
	if (runner->progress && runner->progress->finished)
		runner->progress->finished(runner->progress->ctx, result, runner->done);
}

/* Starts a test in `slot`. Returns false if it could not start for lack
 * of resources while other tests run: it should be tried again once one
 * of them has finished. Any other failure is recorded in the result. */
static bool start_test(struct runner *runner, struct slot *slot, struct test_result *result)
{
	const struct graded_test *test = result->test;
	int fd = -1;
	pid_t pid;

	memset(slot, 0, sizeof(*slot));
	slot->fd = -1;
	slot->started = monotonic_seconds();
	pid = spawn_test(runner->tests_path, test->name, runner->devnull_fd, &fd);
	if (pid < 0) {
		int err = errno;

		if ((err == EAGAIN || err == ENOMEM) && runner->active > 0)
			return false;
		result_record_failure(result, "grader-error", true,
				      "grader error: could not start the test (%s)", strerror(err));
		warn("could not start test %s: %s", test->name, strerror(err));
		runner->all_started = false;
		tell_finished(runner, result);
		return true;
	}
	slot->result = result;
	slot->pid = pid;
	slot->fd = fd;
	slot->end.limit_s = test->timeout_s + EXTRA_SECONDS;
	slot->end.cap_kib = OUTPUT_CAP_BYTES / 1024;
	slot->deadline = slot->started + slot->end.limit_s;
	runner->active++;
	return true;
}

/* Starts tests while there are free slots and tests to start. */
static void start_more(struct runner *runner, struct result_set *set, size_t *next)
{
	struct slot *slot;

	while (*next < set->count && (slot = free_slot(runner)) != NULL) {
		if (!start_test(runner, slot, &set->items[*next]))
			return;
		(*next)++;
	}
}

/* Reads what is available; past the cap the test is stopped. */
static void read_output(struct slot *slot)
{
	char chunk[16384];
	struct textbuf *output = &slot->result->output;
	size_t room = OUTPUT_CAP_BYTES - output->len;
	size_t want = room + 1 < sizeof(chunk) ? room + 1 : sizeof(chunk);
	ssize_t got = read(slot->fd, chunk, want);

	if (got < 0) {
		if (errno != EINTR && errno != EAGAIN)
			close_output(slot);
		return;
	}
	if (got == 0) {
		close_output(slot);
		return;
	}
	if ((size_t)got <= room) {
		textbuf_append(output, chunk, (size_t)got);
		return;
	}
	textbuf_append(output, chunk, room);
	slot->end.over_cap = true;
	kill_slot(slot);
	close_output(slot);
}

/* Reaps the test's main process if it has exited. */
static void reap_if_exited(struct slot *slot, double now)
{
	siginfo_t info;
	int status;

	memset(&info, 0, sizeof(info));
	/* WNOWAIT leaves the process a zombie, so its pid, which is also
	 * the process group id, cannot be reused yet: killing the group now
	 * safely removes whatever the test left running (QEMU...). */
	if (waitid(P_PID, (id_t)slot->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
		if (errno == EINTR)
			return;
		die("waitid(%d): %s", (int)slot->pid, strerror(errno));
	}
	if (info.si_pid != slot->pid)
		return;
	kill_test_group(slot->pid);
	while (waitpid(slot->pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid(%d): %s", (int)slot->pid, strerror(errno));
	}
	slot->end.wait_status = status;
	slot->reaped = true;
	slot->drain_until = now + DRAIN_GRACE_SECONDS;
}

/* The next time at which this slot needs attention without any event. */
static double next_check(const struct slot *slot, double now)
{
	if (!slot->reaped)
		return slot->killed ? now + RECHECK_KILLED_SECONDS : slot->deadline;
	return slot->drain_until;
}

static int poll_timeout_ms(const struct runner *runner, double now)
{
	double wait = MAX_WAIT_MS / 1000.0;

	for (int i = 0; i < runner->slot_count; i++) {
		const struct slot *slot = &runner->slots[i];

		if (slot->pid > 0 && next_check(slot, now) - now < wait)
			wait = next_check(slot, now) - now;
	}
	/* Round up: waking up just before a deadline would only spin. */
	return wait <= 0 ? 0 : (int)(wait * 1000.0) + 1;
}

/* Waits for output, a child's exit, a signal or the next deadline, and
 * reads the output that arrived. */
static void wait_and_read(struct runner *runner)
{
	struct pollfd *fds = runner->pollfds;
	int *owner = runner->poll_owner;
	nfds_t count = 0;

	fds[count].fd = runner->wake_fd;
	fds[count].events = POLLIN;
	owner[count++] = -1;
	for (int i = 0; i < runner->slot_count; i++) {
		if (runner->slots[i].pid > 0 && runner->slots[i].fd >= 0) {
			fds[count].fd = runner->slots[i].fd;
			fds[count].events = POLLIN;
			owner[count++] = i;
		}
	}

	int ready = poll(fds, count, poll_timeout_ms(runner, monotonic_seconds()));
	if (ready < 0) {
		if (errno == EINTR)
			return;
		die("poll: %s", strerror(errno));
	}
	signals_drain();
	for (nfds_t i = 1; i < count; i++) {
		struct slot *slot = &runner->slots[owner[i]];

		if (fds[i].revents != 0 && slot->fd >= 0)
			read_output(slot);
	}
}

/* Handles exits and deadlines; returns true when the slot is finished. */
static bool update_slot(struct slot *slot, double now)
{
	if (!slot->reaped)
		reap_if_exited(slot, now);
	if (!slot->reaped && !slot->killed && now >= slot->deadline) {
		slot->end.timed_out = true;
		kill_slot(slot);
	}
	if (slot->reaped && slot->fd >= 0 && now >= slot->drain_until)
		close_output(slot);
	return slot->reaped && slot->fd < 0;
}

static void finish_slot(struct runner *runner, struct slot *slot, double now)
{
	slot->result->seconds = now - slot->started;
	record_verdict(slot->result, &slot->end);
	tell_finished(runner, slot->result);
	slot->pid = 0;
	slot->result = NULL;
	runner->active--;
}

/* SIGINT/SIGTERM/SIGHUP: stop every test, wait for them, then die. */
static _Noreturn void abort_run(struct runner *runner, int sig)
{
	int stopped = 0;

	kill_all(runner);
	for (int i = 0; i < runner->slot_count; i++) {
		struct slot *slot = &runner->slots[i];

		if (slot->pid <= 0)
			continue;
		stopped++;
		while (!slot->reaped && waitpid(slot->pid, NULL, 0) < 0 && errno == EINTR)
			;
		slot->reaped = true;
	}
	current_runner = NULL;
	orphans_kill_all();
	warn("interrupted by %s; stopped %d running test%s", signal_abbrev(sig), stopped,
	     stopped == 1 ? "" : "s");
	signals_die_by(sig);
}

bool run_tests(struct result_set *set, const char *tests_path, int jobs,
	       const struct run_progress *progress)
{
	static bool atexit_registered;
	struct runner runner;
	size_t next = 0;

	memset(&runner, 0, sizeof(runner));
	runner.tests_path = tests_path;
	runner.all_started = true;
	runner.progress = progress;
	runner.slot_count = jobs;
	runner.slots = xcalloc((size_t)jobs, sizeof(runner.slots[0]));
	runner.pollfds = xcalloc((size_t)jobs + 1, sizeof(runner.pollfds[0]));
	runner.poll_owner = xcalloc((size_t)jobs + 1, sizeof(runner.poll_owner[0]));
	runner.devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (runner.devnull_fd < 0)
		die("cannot open /dev/null: %s", strerror(errno));
	runner.wake_fd = signals_install();
	orphans_adopt();
	current_runner = &runner;
	if (!atexit_registered && atexit(kill_all_at_exit) == 0)
		atexit_registered = true;

	while (next < set->count || runner.active > 0) {
		if (signals_stop_requested())
			abort_run(&runner, signals_stop_requested());
		start_more(&runner, set, &next);
		if (runner.active == 0)
			continue;
		wait_and_read(&runner);
		double now = monotonic_seconds();
		for (int i = 0; i < runner.slot_count; i++) {
			struct slot *slot = &runner.slots[i];

			if (slot->pid > 0 && update_slot(slot, now))
				finish_slot(&runner, slot, now);
		}
		orphans_reap_exited(is_running_test, &runner);
	}

	current_runner = NULL;
	kill_leftovers();
	signals_restore();
	close(runner.devnull_fd);
	free(runner.slots);
	free(runner.pollfds);
	free(runner.poll_owner);
	return runner.all_started;
}
