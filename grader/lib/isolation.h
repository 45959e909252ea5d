/*
 * What a guest's reach into the hypervisor's area must meet: a fault, the
 * kind of which depends on the guard the hypervisor chose at boot
 * (koan/guard.h), which it reports ("hv guard mode=... limits=...").
 */
#ifndef KOAN_ISOLATION_H
#define KOAN_ISOLATION_H

#include <stdbool.h>

#include "scenario.h"

/* The vector such an access must raise in this run: 13 (#GP, the segment
 * limit) in segments mode, 14 (#PF, not mapped or read-only) in xpti mode.
 * Fails the test if the run had no guard report, or used segments on a CPU
 * that does not enforce limits (nothing keeps ring 1 out there). */
const char *hole_fault_vector(const struct run *r);

/* Domain `dom` reached into the hole and was crashed for it, and nothing it
 * tried there "succeeded". */
void expect_hole_fault(const struct run *r, unsigned dom);

/* Run `sc` again under KVM, if this machine has a KVM that boots what TCG
 * boots; false (and nothing run) if not. KVM is never required. */
bool run_under_kvm_if_usable(struct scenario *sc, struct run *r);

#endif
