/* Host builds of the hypervisor's pure C (the unit tests) use the C library's
 * string functions; this header stands in for lab1-boot/include/koan/kstring.h. */
#ifndef KOAN_KSTRING_H
#define KOAN_KSTRING_H
#include <string.h>
size_t strlcpy(char *dst, const char *src, size_t size);
#endif
