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

/* The largest length <= `limit` that does not cut a multi-byte sequence
 * of `s` (which has `len` bytes) in two. */
size_t utf8_cut(const char *s, size_t len, size_t limit);

#endif
