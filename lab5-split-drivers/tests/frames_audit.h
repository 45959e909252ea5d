/*
 * What every lab-5 QEMU test checks of the hypervisor's frame audit
 * (hv/grant_audit_report.c): after each domain's end, every frame's counts
 * added up, and at the end no orphaned frame was left.
 */
#ifndef KOAN_LAB5_FRAMES_AUDIT_H
#define KOAN_LAB5_FRAMES_AUDIT_H

#include "scenario.h"

/* Fail the run unless every "hv frames-audit" line says bad=0 and the last
 * says orphans=0; with domains > 0, there must be exactly that many. */
void expect_frames_sound(const struct run *r, int domains);

#endif
