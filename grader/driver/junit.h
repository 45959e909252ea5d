/* JUnit XML, for CI systems that display test results. */
#ifndef KOAN_JUNIT_H
#define KOAN_JUNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"
#include "textbuf.h"

/* Append text XML-escaped, as element content or as an attribute value
 * (between double quotes). Characters that XML 1.0 does not allow are
 * dropped; invalid UTF-8 bytes become '?'. */
void xml_append_text(struct textbuf *out, const char *text, size_t len);
void xml_append_attribute(struct textbuf *out, const char *text);

/* Writes the JUnit file; on failure prints why and returns false. */
bool junit_write(const char *path, const struct result_set *set);

#endif
