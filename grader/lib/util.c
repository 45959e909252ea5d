/* Small helpers of the graded tests. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "koan_test.h"
#include "scenario.h"
#include "verdict_channel.h"

const char *koan_current_test;

void koan_not_run(const char *reason)
{
	printf("NOT RUN: %s\n", reason);
	fflush(stdout);
	verdict_channel_report(TEST_END_NOT_RUN);
	exit(77);
}

void koan_test_completed(void)
{
	scenario_check_run_tokens();
	fflush(stdout);
	verdict_channel_report(TEST_END_DONE);
}

const char *random_token(void)
{
	static char tokens[8][9];
	static int next;
	unsigned v = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0 || read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		v = (unsigned)time(NULL) ^ (unsigned)getpid() << 16;
	if (fd >= 0)
		close(fd);
	char *t = tokens[next++ % 8];
	snprintf(t, 9, "%08x", v);
	return t;
}

const char *build_dir(void)
{
	const char *env = getenv("KOAN_BUILD_DIR");
	return env && *env ? env : KOAN_BUILD_DIR;
}

bool kvm_usable(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
