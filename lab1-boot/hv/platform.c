/* Small facts about the machine: mapped memory, how to stop. */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/kstring.h>
#include <koan/platform.h>
#include <koan/x86.h>

/* QEMU's isa-debug-exit device, at the port the build gives QEMU. */
#define DEBUG_EXIT_PORT 0xF4

const char *hv_cmdline = "";

extern const struct hv_option __hv_options_start[], __hv_options_end[];

bool hv_option_known(const char *name, size_t len)
{
	for (const struct hv_option *o = __hv_options_start; o < __hv_options_end; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return true;
	return false;
}

const void *phys_range(uint32_t phys, uint32_t len)
{
	if (phys >= HV_PHYS_MAPPED || len > HV_PHYS_MAPPED - phys)
		return 0;
	return phys_to_virt(phys);
}

extern uint32_t boot_page_directory[]; /* boot.S */

/*
 * boot.S maps the first 64 MB at virtual address 0 so that it can turn
 * paging on while running at its load address. After that nothing uses
 * that map: the hypervisor reaches machine memory at KOAN_HV_START, and
 * guests run on page directories of their own (lab 1's identity model
 * builds one). boot_page_directory is the hypervisor's alone from here on.
 */
void drop_low_identity_map(void)
{
	for (uint32_t pde = 0; pde < (HV_PHYS_MAPPED >> 22); pde++)
		boot_page_directory[pde] = 0;
	write_cr3(read_cr3()); /* flush the TLB */
}

void machine_exit(uint32_t code)
{
	outl(DEBUG_EXIT_PORT, code);
	/* Not under QEMU (or no exit device): stop here. */
	halt_forever();
	__builtin_unreachable();
}
