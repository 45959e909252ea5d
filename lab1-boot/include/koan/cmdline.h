/* Command lines: "name key=value flag ...". Pure C. */
#ifndef KOAN_CMDLINE_H
#define KOAN_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Copy the value of `key=` in `cmdline` into buf (NUL-terminated, truncated to
 * size - 1). A bare `key` gives "". Returns false if the key is absent.
 */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* A decimal number that fits in 32 bits, and nothing else: "", "12x" and
 * "4294967296" are refused (false), never cut short or wrapped. */
bool parse_u32(const char *s, uint32_t *out);

#endif
