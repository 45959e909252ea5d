/* A growable, always NUL-terminated byte buffer. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void textbuf_init(struct textbuf *tb)
{
	tb->data = NULL;
	tb->len = 0;
	tb->cap = 0;
}

void textbuf_free(struct textbuf *tb)
{
	free(tb->data);
	textbuf_init(tb);
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static void reserve(struct textbuf *tb, size_t extra)
{
	size_t needed;

	if (extra > SIZE_MAX - tb->len - 1)
		die("text buffer too large");
	needed = tb->len + extra + 1;
	if (needed <= tb->cap)
		return;
	size_t cap = tb->cap ? tb->cap : 64;
	while (cap < needed)
		cap = cap > SIZE_MAX / 2 ? needed : cap * 2;
	tb->data = xrealloc(tb->data, cap);
	tb->cap = cap;
}

void textbuf_append(struct textbuf *tb, const void *bytes, size_t len)
{
	reserve(tb, len);
	if (len > 0)
		memcpy(tb->data + tb->len, bytes, len);
	tb->len += len;
	tb->data[tb->len] = '\0';
}

void textbuf_puts(struct textbuf *tb, const char *s)
{
	textbuf_append(tb, s, strlen(s));
}

void textbuf_putc(struct textbuf *tb, char c)
{
	textbuf_append(tb, &c, 1);
}

void textbuf_vprintf(struct textbuf *tb, const char *fmt, va_list args)
{
	va_list copy;
	int needed;

	/* Try in the room that is there; grow and redo if it was too small. */
	reserve(tb, 64);
	va_copy(copy, args);
	needed = vsnprintf(tb->data + tb->len, tb->cap - tb->len, fmt, copy);
	va_end(copy);
	if (needed < 0)
		die("vsnprintf failed for format \"%s\"", fmt);
	if ((size_t)needed >= tb->cap - tb->len) {
		reserve(tb, (size_t)needed);
		vsnprintf(tb->data + tb->len, tb->cap - tb->len, fmt, args);
	}
	tb->len += (size_t)needed;
}

void textbuf_printf(struct textbuf *tb, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	textbuf_vprintf(tb, fmt, args);
	va_end(args);
}

void textbuf_truncate(struct textbuf *tb, size_t len)
{
	if (len >= tb->len)
		return;
	tb->len = len;
	tb->data[len] = '\0';
}

const char *textbuf_str(const struct textbuf *tb)
{
	return tb->data ? tb->data : "";
}
