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

/* Reloads every segment register after lgdt (gdtload.S). */
void gdt_reload_segments(uint16_t cs, uint16_t ds);

#endif /* __ASSEMBLER__ */

#endif
