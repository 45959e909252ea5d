/*
 * Lab 3's tests run the guest under test as domain 0 and a bystander
 * (bystander.elf) as domain 1, which checks its own memory after the other
 * has done its worst.
 */
#ifndef KOAN_LAB3_BYSTANDER_H
#define KOAN_LAB3_BYSTANDER_H

#include "scenario.h"

/* Run `module` (a guest and its arguments) next to a bystander; returns the
 * bystander's token. */
const char *run_with_bystander(struct run *r, const char *module);

/* The same, with `hv_args` on the hypervisor's command line. */
const char *run_with_bystander_hv(struct run *r, const char *module, const char *hv_args);

/* The same with a bystander that keeps the CPU for `watch_ms` instead of
 * yielding, and watches how long others keep it (bystander.c's watch=). */
const char *run_with_watching_bystander(struct run *r, const char *module, unsigned watch_ms);

/* The bystander watched, and others never kept the CPU for more than
 * `max_gap_ms` at a time. */
void expect_bystander_timely(const struct run *r, unsigned max_gap_ms);

/* The longest a bystander may wait for the CPU: a turn of the other domain
 * (50 ms, ended by the first tick after it) and one unit of a long
 * hypercall's work, with room to spare. */
#define BYSTANDER_MAX_GAP_MS 100

/* The bystander ran to its end with its memory intact and the CPU never
 * kept from it for longer than BYSTANDER_MAX_GAP_MS, and the hypervisor
 * ended normally. */
void expect_bystander_intact(const struct run *r, const char *token);

/* The same, and the guest under test was not crashed and left a sound
 * frame table (the audit when it was destroyed). */
void expect_clean_end(const struct run *r, const char *token);

#endif
