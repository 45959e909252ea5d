/* Gradescope's results.json. */
#ifndef KOAN_JSON_H
#define KOAN_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"
#include "textbuf.h"

#define JSON_MAX_TEST_OUTPUT (8 * 1024)

/* Appends `len` bytes of `text` as a JSON string literal (with quotes);
 * invalid UTF-8 bytes become '?'. */
void json_append_string(struct textbuf *out, const char *text, size_t len);

/* Writes results.json; on failure prints why and returns false. */
bool gradescope_write(const char *path, const struct result_set *set);

#endif
