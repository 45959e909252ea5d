/* Small facts about the machine: mapped memory, segment limits, how to stop. */
#include <koan/console.h>
#include <koan/platform.h>
#include <koan/x86.h>

/* QEMU's isa-debug-exit device, at the port the build gives QEMU. */
#define DEBUG_EXIT_PORT 0xF4

const char *hv_cmdline = "";
static bool limits_enforced;

const void *phys_range(uint32_t phys, uint32_t len)
{
	if (phys >= HV_PHYS_MAPPED || len > HV_PHYS_MAPPED - phys)
		return 0;
	return phys_to_virt(phys);
}

int probe_limit_fault(void); /* limits_probe.S */

/*
 * QEMU's TCG does not check segment limits on memory accesses; KVM and real
 * CPUs do (PLATFORM-NOTES.md). Lab 1's protection of the hypervisor from
 * ring 1 rests on them, so we find out and say so rather than assume.
 */
void probe_segment_limits(void)
{
	limits_enforced = probe_limit_fault() != 0;
}

bool segment_limits_enforced(void)
{
	return limits_enforced;
}

void machine_exit(uint32_t code)
{
	outl(DEBUG_EXIT_PORT, code);
	/* Not under QEMU (or no exit device): stop here. */
	halt_forever();
	__builtin_unreachable();
}
