/* The driver's small helpers: checked allocation, fatal errors, whole-file
 * writes, the monotonic clock. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void out_of_memory(void)
{
	die("out of memory");
}

void *xmalloc(size_t size)
{
	void *ptr = malloc(size ? size : 1);

	if (!ptr)
		out_of_memory();
	return ptr;
}

void *xcalloc(size_t count, size_t size)
{
	void *ptr = calloc(count ? count : 1, size ? size : 1);

	if (!ptr)
		out_of_memory();
	return ptr;
}

void *xrealloc(void *ptr, size_t size)
{
	void *grown = realloc(ptr, size ? size : 1);

	if (!grown)
		out_of_memory();
	return grown;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

static void vmessage(const char *fmt, va_list args)
{
	fflush(stdout);
	fputs("koan-grade: ", stderr);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vmessage(fmt, args);
	va_end(args);
}

_Noreturn void die(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vmessage(fmt, args);
	va_end(args);
	exit(EXIT_GRADER_ERROR);
}

double monotonic_seconds(void)
{
	struct timespec now;

	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		die("clock_gettime(CLOCK_MONOTONIC): %s", strerror(errno));
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t written = write(fd, data, len);

		if (written < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		data += written;
		len -= (size_t)written;
	}
	return true;
}

bool write_whole_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		warn("cannot create %s: %s", path, strerror(errno));
		return false;
	}
	if (!write_all(fd, data, len)) {
		warn("cannot write %s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	if (close(fd) != 0) {
		warn("cannot write %s: %s", path, strerror(errno));
		return false;
	}
	return true;
}
