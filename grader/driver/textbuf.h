/* A growable byte buffer that is always NUL-terminated once anything has
 * been added (the bytes themselves may contain NULs). */
#ifndef KOAN_TEXTBUF_H
#define KOAN_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

struct textbuf {
	char *data; /* NULL until the first append */
	size_t len; /* bytes in use, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
};

#define TEXTBUF_INIT       \
	{                  \
		NULL, 0, 0 \
	}

void textbuf_init(struct textbuf *tb);
void textbuf_free(struct textbuf *tb);
void textbuf_append(struct textbuf *tb, const void *bytes, size_t len);
void textbuf_puts(struct textbuf *tb, const char *s);
void textbuf_putc(struct textbuf *tb, char c);
void textbuf_printf(struct textbuf *tb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textbuf_vprintf(struct textbuf *tb, const char *fmt, va_list args)
	__attribute__((format(printf, 2, 0)));
/* Shortens the contents to `len` bytes (no-op if already shorter). */
void textbuf_truncate(struct textbuf *tb, size_t len);
/* The contents as a C string; "" when nothing was added. */
const char *textbuf_str(const struct textbuf *tb);

#endif
