/* Strict UTF-8 decoding, so that JSON, XML and the terminal get only
 * well-formed text. */
#include "utf8.h"

#include <stdbool.h>

static bool is_continuation(unsigned char byte)
{
	return (byte & 0xC0) == 0x80;
}

size_t utf8_decode(const char *s, size_t avail, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	uint32_t value, smallest;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xE0) == 0xC0) {
		len = 2, value = u[0] & 0x1F, smallest = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3, value = u[0] & 0x0F, smallest = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4, value = u[0] & 0x07, smallest = 0x10000;
	} else {
		return 0;
	}
	if (avail < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (!is_continuation(u[i]))
			return 0;
		value = (value << 6) | (u[i] & 0x3F);
	}
	if (value < smallest || value > 0x10FFFF)
		return 0;
	if (value >= 0xD800 && value <= 0xDFFF)
		return 0;
	*cp = value;
	return len;
}

size_t utf8_cut(const char *s, size_t len, size_t limit)
{
	size_t cut;

	if (limit >= len)
		return len;
	/* Step back over at most three continuation bytes to the start of
	 * the sequence that the limit falls into. */
	cut = limit;
	for (int back = 0; back < 3 && cut > 0; back++) {
		if (!is_continuation((unsigned char)s[cut]))
			break;
		cut--;
	}
	return is_continuation((unsigned char)s[cut]) ? limit : cut;
}

void utf8_each(const char *text, size_t len,
	       void (*fn)(void *ctx, const char *seq, size_t n, uint32_t cp), void *ctx)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t seq = utf8_decode(text + i, len - i, &cp);

		if (seq == 0) {
			fn(ctx, text + i, 1, UTF8_INVALID);
			i++;
		} else {
			fn(ctx, text + i, seq, cp);
			i += seq;
		}
	}
}
