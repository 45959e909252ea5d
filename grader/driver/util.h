/* Small helpers shared by the whole driver: checked allocation, fatal
 * errors, the monotonic clock and writing a whole file. */
#ifndef KOAN_UTIL_H
#define KOAN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit status for bad options and internal errors. */
#define EXIT_GRADER_ERROR 2

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/* Prints "koan-grade: <message>" on stderr. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "koan-grade: <message>" on stderr and exits with
 * EXIT_GRADER_ERROR (atexit handlers still kill running tests). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seconds on the monotonic clock (unaffected by clock changes). */
double monotonic_seconds(void);

/* Writes `len` bytes to `path` (created or truncated). On failure prints
 * a message naming the file and returns false. */
bool write_whole_file(const char *path, const char *data, size_t len);

#endif
