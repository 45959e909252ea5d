/* Small facts about the machine: mapped memory, how to stop. */
#include <koan/console.h>
#include <koan/platform.h>
#include <koan/x86.h>

/* QEMU's isa-debug-exit device, at the port the build gives QEMU. */
#define DEBUG_EXIT_PORT 0xF4

const char *hv_cmdline = "";

const void *phys_range(uint32_t phys, uint32_t len)
{
	if (phys >= HV_PHYS_MAPPED || len > HV_PHYS_MAPPED - phys)
		return 0;
	return phys_to_virt(phys);
}

void machine_exit(uint32_t code)
{
	outl(DEBUG_EXIT_PORT, code);
	/* Not under QEMU (or no exit device): stop here. */
	halt_forever();
	__builtin_unreachable();
}
