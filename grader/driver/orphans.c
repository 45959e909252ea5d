/* Finding and killing the processes a test left behind outside its
 * process group, so that no QEMU outlives a grading run. */
#include "orphans.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* Each round kills one generation of descendants; stop eventually even
 * if something keeps forking faster than it is killed. */
#define MAX_KILL_ROUNDS 50

void orphans_adopt(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		warn("cannot become a child subreaper (%s): processes that "
		     "leave a test's process group may survive it",
		     strerror(errno));
}

void orphans_reap_exited(bool (*is_test)(pid_t pid, void *ctx), void *ctx)
{
	for (;;) {
		siginfo_t info;

		memset(&info, 0, sizeof(info));
		/* Peek first: the exit status of a test must stay for the
		 * runner to collect. */
		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
			return; /* ECHILD: no children at all */
		if (info.si_pid == 0 || is_test(info.si_pid, ctx))
			return;
		while (waitpid(info.si_pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/* True if /proc/PID/stat shows a live (not zombie) child of `parent`.
 * The command name field may contain spaces and parentheses, so parse
 * after its last ')'. */
static bool is_live_child(const char *pid_text, pid_t parent)
{
	char path[64], stat[512];
	FILE *file;
	size_t len;
	char state;
	int ppid;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid_text);
	file = fopen(path, "re");
	if (!file)
		return false; /* it exited meanwhile */
	len = fread(stat, 1, sizeof(stat) - 1, file);
	fclose(file);
	stat[len] = '\0';

	char *after_name = strrchr(stat, ')');
	if (!after_name || sscanf(after_name + 1, " %c %d", &state, &ppid) != 2)
		return false;
	return ppid == parent && state != 'Z';
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

/* SIGKILLs every live child of the grader; returns how many. (Zombies
 * are left to the caller's reaping.) */
static int kill_children(void)
{
	pid_t self = getpid();
	DIR *proc = opendir("/proc");
	struct dirent *entry;
	int killed = 0;

	if (!proc) {
		warn("cannot list /proc: %s", strerror(errno));
		return 0;
	}
	while ((entry = readdir(proc)) != NULL) {
		if (!all_digits(entry->d_name) || !is_live_child(entry->d_name, self))
			continue;
		/* Our own child: its pid cannot be reused before we reap it. */
		pid_t pid = (pid_t)atol(entry->d_name);
		if (getpgid(pid) == pid)
			(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
		killed++;
	}
	closedir(proc);
	return killed;
}

static void reap_all_exited(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int orphans_kill_all(void)
{
	int total = 0;

	for (int round = 0; round < MAX_KILL_ROUNDS; round++) {
		int killed = kill_children();

		/* Killed children become zombies quickly; wait for each so
		 * that their own orphans are re-parented to us in time for
		 * the next round. */
		for (int i = 0; i < killed; i++) {
			while (waitpid(-1, NULL, 0) < 0 && errno == EINTR)
				;
		}
		reap_all_exited();
		total += killed;
		if (killed == 0)
			break;
	}
	return total;
}
