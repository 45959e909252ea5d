/* Looking up options on a command line. */
#include <koan/cmdline.h>
#include <koan/kstring.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

bool parse_u32(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		uint32_t digit = (uint32_t)(*s - '0');
		if (*s < '0' || *s > '9' || v > (0xFFFFFFFFu - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*out = v;
	return true;
}

bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (is_space(*p))
			p++;
		const char *word = p;
		while (*p && !is_space(*p))
			p++;
		size_t wlen = (size_t)(p - word);
		if (wlen < klen || strncmp(word, key, klen) != 0)
			continue;
		if (wlen == klen || word[klen] == '=') {
			const char *val = wlen == klen ? word + klen : word + klen + 1;
			size_t vlen = (size_t)(p - val);
			if (size > 0) {
				size_t n = vlen < size - 1 ? vlen : size - 1;
				memcpy(buf, val, n);
				buf[n] = '\0';
			}
			return true;
		}
	}
	return false;
}
