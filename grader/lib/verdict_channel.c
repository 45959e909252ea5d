/* The channel of verdict_channel.h: a pipe the judge reads after the test,
 * and a nonce from /dev/urandom that a report must carry. */
#define _GNU_SOURCE /* pipe2() */
#include "verdict_channel.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NONCE_BYTES 16

static int channel[2] = { -1, -1 };
static char nonce[2 * NONCE_BYTES + 1];

void verdict_channel_open(void)
{
	unsigned char raw[NONCE_BYTES];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
		fprintf(stderr, "koan-tests: cannot read /dev/urandom\n");
		_exit(2);
	}
	close(fd);
	for (int i = 0; i < NONCE_BYTES; i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	if (pipe2(channel, O_CLOEXEC) != 0) { /* QEMU and tools never get it */
		perror("koan-tests: pipe");
		_exit(2);
	}
	/* Never blocks the judge: a report is one short write. */
	fcntl(channel[0], F_SETFL, O_NONBLOCK);
}

void verdict_channel_report(enum test_end end)
{
	char line[80];
	int n = snprintf(line, sizeof(line), "%s %s\n", end == TEST_END_DONE ? "done" : "not-run",
			 nonce);

	if (channel[1] >= 0 && write(channel[1], line, (size_t)n) != n)
		return; /* nothing came through: the judge sees no report */
}

enum test_end verdict_channel_result(void)
{
	char buf[4096];
	ssize_t n;
	char want_done[80], want_not_run[80];

	close(channel[1]);
	channel[1] = -1;
	n = read(channel[0], buf, sizeof(buf) - 1);
	close(channel[0]);
	channel[0] = -1;
	if (n <= 0)
		return TEST_END_NONE;
	buf[n] = '\0';
	/* The first line decides; it must carry this run's nonce. */
	char *eol = strchr(buf, '\n');
	if (eol)
		eol[1] = '\0';
	snprintf(want_done, sizeof(want_done), "done %s\n", nonce);
	snprintf(want_not_run, sizeof(want_not_run), "not-run %s\n", nonce);
	if (strcmp(buf, want_done) == 0)
		return TEST_END_DONE;
	if (strcmp(buf, want_not_run) == 0)
		return TEST_END_NOT_RUN;
	return TEST_END_NONE;
}
