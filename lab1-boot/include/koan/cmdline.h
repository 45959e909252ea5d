/* Command lines: "name key=value flag ...". Pure C. */
#ifndef KOAN_CMDLINE_H
#define KOAN_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy the value of `key=` in `cmdline` into buf (NUL-terminated, truncated to
 * size - 1). A bare `key` gives "". Returns false if the key is absent.
 */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

#endif
