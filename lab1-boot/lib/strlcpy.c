/*
 * strlcpy: copy a string into a buffer of `size` bytes, truncating, and
 * always terminating it. Returns strlen(src), so truncation shows as a
 * result >= size. Shared by the hypervisor, the guests and the host tests.
 */
#include <koan/kstring.h>

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
