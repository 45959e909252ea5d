/*
 * The disk belongs to dom0 (the paper, section 3.2: the hypervisor drives
 * no device it need not; domain 0 runs the real driver, the backend). While
 * dom0 runs, the TSS's I/O bitmap opens the primary ATA controller's ports
 * to it, so its driver uses in/out (and rep insw) with no trap at all;
 * whenever any other domain is about to run they are closed again, and an
 * in or out there traps and, not emulated, crashes that domain (lab 1).
 */
#include <koan/domain.h>
#include <koan/gdt.h>

#include <public/disk_ports.h>

static bool open_now;

static void disk_ports_for(struct domain *d, struct trap_frame *tf)
{
	bool want = d->id == 0;

	(void)tf;
	if (want == open_now)
		return;
	tss_io_ports(ATA_PRIMARY_BASE, ATA_PRIMARY_PORTS, want);
	tss_io_ports(ATA_PRIMARY_CONTROL, 1, want);
	open_now = want;
}
RETURN_TO_GUEST(disk_ports_for);
