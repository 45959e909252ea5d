/* For pipe2(). */
#define _GNU_SOURCE
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static const int handled_signals[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP };
#define HANDLED_COUNT (sizeof(handled_signals) / sizeof(handled_signals[0]))

static struct sigaction saved_actions[HANDLED_COUNT];
static int wake_pipe[2] = { -1, -1 };
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	int saved_errno = errno;
	char byte = 0;

	if (sig != SIGCHLD)
		stop_signal = sig;
	/* If the pipe is full a wake-up is already pending. */
	ssize_t ignored = write(wake_pipe[1], &byte, 1);
	(void)ignored;
	errno = saved_errno;
}

int signals_install(void)
{
	struct sigaction action;

	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		die("cannot create a pipe: %s", strerror(errno));
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_signal;
	action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&action.sa_mask);
	for (size_t i = 0; i < HANDLED_COUNT; i++)
		sigaddset(&action.sa_mask, handled_signals[i]);

	for (size_t i = 0; i < HANDLED_COUNT; i++) {
		if (sigaction(handled_signals[i], &action, &saved_actions[i]) != 0)
			die("sigaction: %s", strerror(errno));
	}
	return wake_pipe[0];
}

void signals_drain(void)
{
	char bytes[64];

	while (read(wake_pipe[0], bytes, sizeof(bytes)) > 0)
		;
}

int signals_stop_requested(void)
{
	return stop_signal;
}

void signals_restore(void)
{
	for (size_t i = 0; i < HANDLED_COUNT; i++) {
		if (sigaction(handled_signals[i], &saved_actions[i], NULL) != 0)
			die("sigaction: %s", strerror(errno));
	}
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	wake_pipe[0] = wake_pipe[1] = -1;
}

_Noreturn void signals_die_by(int sig)
{
	struct sigaction dfl;
	sigset_t unblock;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigemptyset(&unblock);
	sigaddset(&unblock, sig);
	if (sigaction(sig, &dfl, NULL) == 0 && sigprocmask(SIG_UNBLOCK, &unblock, NULL) == 0)
		raise(sig);
	_exit(128 + sig);
}
