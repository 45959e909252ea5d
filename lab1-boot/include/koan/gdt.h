/* The hypervisor's GDT and TSS (one CPU). */
#ifndef KOAN_GDT_H
#define KOAN_GDT_H

#define HV_CS 0x08
#define HV_DS 0x10
#define TSS_SEL 0x38
#define PROBE_DS 0x40 /* a 4 KB data segment for the segment-limit probe */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

void gdt_init(void);

/* Did the guest descriptors pass the hypervisor's own checks? If not, why. */
const char *gdt_guest_problem(void);

/* The stack the CPU switches to when a guest traps (TSS ss0:esp0). */
void tss_set_kernel_stack(uint32_t esp0);

/* The stack the CPU switches to on a gate from ring 3 to ring 1 (TSS
 * ss1:esp1): the guest kernel's stack, from lab 3's stack_switch. */
void tss_set_guest_kernel_stack(uint32_t ss1, uint32_t esp1);

/* Ports below this have a bit in the TSS's I/O permission bitmap; those
 * from it on always trap outside ring 0. */
#define TSS_IO_PORTS 0x400u

/* Let rings 1-3 use ports first .. first + count - 1 directly (allowed), or
 * make them trap again: the bitmap is the CPU's, so whatever runs next
 * gets what it says (lab 5 opens the disk's ports while dom0 runs). */
void tss_io_ports(uint16_t first, uint16_t count, bool allowed);

/* Reloads every segment register after lgdt (gdtload.S). */
void gdt_reload_segments(uint16_t cs, uint16_t ds);

#endif /* __ASSEMBLER__ */

#endif
