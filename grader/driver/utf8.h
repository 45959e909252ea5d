/* UTF-8 decoding, strict enough for JSON and XML output: overlong forms,
 * surrogates and code points above U+10FFFF count as invalid. */
#ifndef KOAN_UTF8_H
#define KOAN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at the start of `s` (`avail` bytes available).
 * Returns its length (1-4) and stores the code point in *cp, or returns 0
 * if the bytes there are not valid UTF-8. `avail` must be > 0. */
size_t utf8_decode(const char *s, size_t avail, uint32_t *cp);

/* A byte that is not part of valid UTF-8 reaches utf8_each's callback
 * alone, with this code point. */
#define UTF8_INVALID 0xFFFFFFFFu

/* Calls fn for each character of text[0 .. len): its bytes, their number
 * and its code point (UTF8_INVALID for a stray byte). The one loop that
 * the JSON, XML and terminal writers share. */
void utf8_each(const char *text, size_t len,
	       void (*fn)(void *ctx, const char *seq, size_t n, uint32_t cp), void *ctx);

/* The largest length <= `limit` that does not cut a multi-byte sequence
 * of `s` (which has `len` bytes) in two. */
size_t utf8_cut(const char *s, size_t len, size_t limit);

#endif
