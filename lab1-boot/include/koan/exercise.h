/*
 * The stub that stands in for an unfinished exercise.
 *
 * Skeleton files are generated from the solutions by tools/skel: each
 * exercise region is replaced by a call of EXERCISE_TODO and a safe return.
 * The call prints, once per exercise, which exercise is missing and where the
 * handout explains it, so an unfinished exercise is never silent.
 *
 * The hypervisor, the guest kernel and the host unit tests each provide
 * their own exercise_todo(), printing wherever that environment prints.
 */
#ifndef KOAN_EXERCISE_H
#define KOAN_EXERCISE_H

void exercise_todo(const char *id, const char *what);

#define EXERCISE_TODO(id, what) exercise_todo(id, what)

/* The hypervisor's messages wait for the start of a line; the console and
 * the result channel call this when they reach one. */
void exercise_flush(void);

/* Shared by the three implementations: has `id` been reported already? */
int exercise_first_report(const char *id);

#endif
