/* For pipe2(). */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void write_stderr(const char *s)
{
	ssize_t ignored = write(STDERR_FILENO, s, strlen(s));
	(void)ignored;
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static _Noreturn void exec_test(const char *tests_path, const char *test_name, int devnull_fd,
				int pipe_fd, pid_t grader)
{
	char *const argv[] = { (char *)tests_path, "--run", (char *)test_name, NULL };
	struct sigaction dfl;

	setpgid(0, 0);
	/* If the grader is killed outright, take the test down with it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != grader)
		_exit(127);
	/* The grader ignores SIGPIPE; an ignored signal stays ignored
	 * across exec, so give the test the normal behaviour back. */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGPIPE, &dfl, NULL);

	if (dup2(devnull_fd, STDIN_FILENO) < 0 || dup2(pipe_fd, STDOUT_FILENO) < 0 ||
	    dup2(pipe_fd, STDERR_FILENO) < 0)
		_exit(127);
	execv(tests_path, argv);

	int err = errno;
	write_stderr("koan-grade: cannot execute ");
	write_stderr(tests_path);
	write_stderr(": ");
	write_stderr(strerror(err));
	write_stderr("\n");
	_exit(127);
}

pid_t spawn_test(const char *tests_path, const char *test_name, int devnull_fd, int *output_fd)
{
	int fds[2];
	pid_t grader = getpid();
	pid_t pid;

	/* Both ends close-on-exec: the child gets the write end only as its
	 * dup2'ed stdout/stderr, and no other test's pipe at all. */
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		/* The child's stdout must block like any ordinary pipe. */
		int flags = fcntl(fds[1], F_GETFL);
		if (flags < 0 || fcntl(fds[1], F_SETFL, flags & ~O_NONBLOCK) < 0)
			_exit(127);
		exec_test(tests_path, test_name, devnull_fd, fds[1], grader);
	}
	/* Same call as in the child, so that the group exists before the
	 * grader may try to kill it; whichever runs first wins and the
	 * other's failure (EACCES after exec) does not matter. */
	(void)setpgid(pid, pid);
	close(fds[1]);
	*output_fd = fds[0];
	return pid;
}

void kill_test_group(pid_t pid)
{
	/* ESRCH (the group is already gone) is the expected failure. */
	(void)kill(-pid, SIGKILL);
	/* In case setpgid failed, the leader itself at least. */
	(void)kill(pid, SIGKILL);
}
