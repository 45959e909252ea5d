/*
 * Does this CPU enforce segment limits? Lab 1's protection of the hypervisor
 * from ring 1 rests on them, and QEMU's TCG does not check them on memory
 * accesses while KVM and real CPUs do (PLATFORM-NOTES.md). So we find out at
 * boot, say so, and tell the guests (KOAN_SIF_LIMITS_ENFORCED).
 *
 * Registered as an initcall: the way every later lab adds boot-time work.
 */
#include <koan/console.h>
#include <koan/init.h>
#include <koan/platform.h>

static bool limits_enforced;

int probe_limit_fault(void); /* limits_probe.S */

bool segment_limits_enforced(void)
{
	return limits_enforced;
}

static const char *const limits_lesson =
	"segment limits: NOT enforced by this CPU (QEMU's TCG ignores them).\n"
	"  Ring 1 can read the hypervisor's memory here: an emulator is not a\n"
	"  security boundary. Run under KVM or on hardware to see them enforced.\n";

static void probe_segment_limits(void)
{
	limits_enforced = probe_limit_fault() != 0;
	if (limits_enforced)
		kprintf("segment limits: enforced by this CPU\n");
	else
		kprintf("%s", limits_lesson);
	report("limits enforced=%d", limits_enforced);
}

INITCALL(INIT_EARLY, probe_segment_limits);
