/* Looking up options on a command line. */
#include <koan/cmdline.h>
#include <koan/kstring.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
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
