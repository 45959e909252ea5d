/* Scenarios that need a CPU that enforces segment limits (KVM). */
#ifndef KOAN_KVM_H
#define KOAN_KVM_H

#include "scenario.h"

/* Run `sc` under KVM; report the test as not run (and do not return) where
 * KVM is missing or cannot boot the hypervisor. */
void run_under_kvm_or_skip(struct scenario *sc, struct run *r);

#endif
