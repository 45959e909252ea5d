/* Starting one test child. */
#ifndef KOAN_SPAWN_H
#define KOAN_SPAWN_H

#include <sys/types.h>

/* Starts `tests_path --run test_name` as the leader of a new process
 * group, with stdin from `devnull_fd` and stdout+stderr into a new pipe
 * whose (non-blocking) read end is stored in *output_fd. Returns the pid,
 * or -1 with errno set if the pipe or the process cannot be created. */
pid_t spawn_test(const char *tests_path, const char *test_name, int devnull_fd, int *output_fd);

/* SIGKILLs the whole process group led by `pid` (the test and whatever
 * it started, such as QEMU). */
void kill_test_group(pid_t pid);

#endif
