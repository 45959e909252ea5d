/*
 * Does this CPU enforce segment limits? The paper's protection of the
 * hypervisor from ring 1 rests on them, and QEMU's TCG does not check them
 * on memory accesses while KVM and real CPUs do (PLATFORM-NOTES.md). So we
 * find out at boot, say so, tell the guests (KOAN_SIF_LIMITS_ENFORCED), and
 * the guard (hv/guard.c) chooses how to keep ring 1 out accordingly.
 */
#include <koan/console.h>
#include <koan/platform.h>

static bool limits_enforced;

int probe_limit_fault(void); /* limits_probe.S */

bool segment_limits_enforced(void)
{
	return limits_enforced;
}

bool segment_limits_probe(void)
{
	limits_enforced = probe_limit_fault() != 0;
	if (limits_enforced)
		kprintf("segment limits: enforced by this CPU\n");
	else
		kprintf("segment limits: NOT enforced by this CPU (QEMU's TCG ignores them):\n"
			"  an emulator is not a security boundary, so the hypervisor keeps itself\n"
			"  out of the guests' address spaces instead (guard: xpti)\n");
	report("limits enforced=%d", limits_enforced);
	return limits_enforced;
}
