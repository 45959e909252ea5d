/*
 * Koan public ABI: the virtual address-space layout every domain sees.
 *
 *   4 GB  +------------------------------+ 0xFFFFFFFF
 *         | hypervisor (the "hole")      |  64 MB, ring 0 only
 *         |   code, data, heap, machine  |  guest segment limits end just below it
 *         |   memory mapped at HV_START  |
 * HV_START+------------------------------+ 0xFC000000
 *         |                              |
 *         | guest kernel (ring 1) and    |  3 GB + 960 MB for the domain
 *         | guest applications (ring 3)  |
 *         |                              |
 *      0  +------------------------------+
 *
 * The paper (section 2.1.1, "Memory Management") reserves the top 64 MB of every
 * address space for Xen so that entering the hypervisor needs no TLB flush.
 *
 * Stable from ABI version 1 on.
 */
#ifndef KOAN_PUBLIC_LAYOUT_H
#define KOAN_PUBLIC_LAYOUT_H

#define KOAN_HV_START 0xFC000000u /* first byte of the hypervisor's region */
#define KOAN_HV_SIZE 0x04000000u  /* 64 MB */

/* Guest segments: base 0, limit ending one byte below KOAN_HV_START. */
#define KOAN_GUEST_SEG_LIMIT (KOAN_HV_START - 1u)

/*
 * Flat selectors the hypervisor's GDT provides to every domain.
 * The low two bits are the requested privilege level (RPL).
 */
#define KOAN_GUEST_KERNEL_CS 0x19 /* GDT entry 3, ring 1 code */
#define KOAN_GUEST_KERNEL_DS 0x21 /* GDT entry 4, ring 1 data */
#define KOAN_GUEST_USER_CS 0x2b	  /* GDT entry 5, ring 3 code */
#define KOAN_GUEST_USER_DS 0x33	  /* GDT entry 6, ring 3 data */

#endif
