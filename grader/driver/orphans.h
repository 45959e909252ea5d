/* Processes that escape a test's process group (QEMU -daemonize, setsid)
 * would survive the group kill. The grader makes itself a "child
 * subreaper", so such processes become its children once their parent
 * is gone; these helpers reap and finally kill them. */
#ifndef KOAN_ORPHANS_H
#define KOAN_ORPHANS_H

#include <stdbool.h>
#include <sys/types.h>

/* Makes the grader the reaper of its orphaned descendants. */
void orphans_adopt(void);

/* Reaps adopted children that have exited. `is_test(pid, ctx)` tells the
 * grader's own test processes apart: those are left alone. */
void orphans_reap_exited(bool (*is_test)(pid_t pid, void *ctx), void *ctx);

/* Kills and reaps every remaining child (and what they leave behind).
 * Call only when no test is running: every child is then an orphan.
 * Returns how many processes were killed. */
int orphans_kill_all(void);

#endif
