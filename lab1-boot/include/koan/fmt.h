/*
 * A small printf-style formatter for freestanding code.
 * Conversions: %c %s %d %i %u %x %X %p %%, flags '-' and '0', a width,
 * a precision for %s (also as ".*"), and the length modifiers l and ll.
 */
#ifndef KOAN_FMT_H
#define KOAN_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_emit_fn)(void *ctx, char c);

/* Formats into `emit`, one character at a time; returns how many it emitted. */
int kvformat(fmt_emit_fn emit, void *ctx, const char *fmt, va_list ap);

/* Like snprintf: always NUL-terminates when size > 0, returns the full length. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
