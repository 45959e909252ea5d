/* Signal plumbing of the runner: SIGCHLD wakes up its poll() through a
 * self-pipe, and SIGINT/SIGTERM/SIGHUP ask it to stop. */
#ifndef KOAN_SIGNALS_H
#define KOAN_SIGNALS_H

/* Installs the handlers; returns the fd that becomes readable whenever a
 * signal arrived. Dies on failure. */
int signals_install(void);

/* Empties the wake-up pipe. */
void signals_drain(void);

/* The stop signal received (SIGINT, SIGTERM or SIGHUP), or 0. */
int signals_stop_requested(void);

/* Puts the previous handlers back and closes the pipe. */
void signals_restore(void);

/* Dies from `sig` as if the grader had not caught it (so that the shell
 * sees the interruption), falling back to exit(128 + sig). */
_Noreturn void signals_die_by(int sig);

#endif
