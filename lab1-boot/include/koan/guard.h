/*
 * How ring 1 is kept out of the hypervisor (hv/guard.c): the guard mode,
 * chosen at boot.
 *
 *  segments  the paper's design (section 2.1.1): the hypervisor's 64 MB
 *            are mapped at the top of every address space, supervisor
 *            only, and the guest segments end below them. Entering the
 *            hypervisor costs no page-directory switch and no TLB flush.
 *            Only as strong as the CPU's segment-limit checks, which
 *            QEMU's TCG does not make: there ring 1 reads and writes all
 *            of it, other domains' memory included.
 *  xpti      what Xen did for PV guests in 2018 against Meltdown: a guest's
 *            address space maps only a small trampoline of the hypervisor
 *            (the entry code, the IDT, GDT and TSS read-only, the entry
 *            stack), and every entry from a guest switches to the
 *            hypervisor's own page directory and back on the way out. Holds
 *            on every CPU; costs two %cr3 loads and a TLB flush per trap.
 *
 * By default: segments where the boot probe finds limits enforced, else
 * xpti. `guard=segments` or `guard=xpti` on the hypervisor's command line
 * forces one (guard=segments under TCG is for measuring, not for use).
 */
#ifndef KOAN_GUARD_H
#define KOAN_GUARD_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/trap.h>

enum guard_mode { GUARD_SEGMENTS, GUARD_XPTI };

/* The mode for a CPU that does (or does not) enforce segment limits, and
 * the command line's guard= value (NULL if none). False if the value is
 * not a mode (*mode is then the default). Pure. */
bool guard_choose(bool limits_enforced, const char *option, enum guard_mode *mode);
const char *guard_mode_name(enum guard_mode mode);

/* Probe the CPU, read guard= on the command line, build the trampoline and
 * say which mode it is (hv/main.c, at boot). */
void guard_init(const char *cmdline);
enum guard_mode guard_mode(void);

/* Fill the hypervisor's slots (KOAN_HV_START and up) of a guest's page
 * directory, or clear them: the whole hypervisor, or only the trampoline. */
void guard_set_hv_slots(uint32_t *directory, bool present);

/* The page directory (physical address) the current guest runs on; 0: none
 * (its domain is being destroyed). In segments mode it is loaded now, and
 * the hypervisor runs on it too; in xpti mode on the way out to the guest. */
void guest_address_space_set(uint32_t cr3);

/* On every entry (before trap()) and before every exit to a guest. */
void guard_entry_check(const struct trap_frame *tf);
void guard_exit_prepare(void);

/* Is eip in the trampoline's code (the trap entries)? For lab 3's #DB rule. */
bool guard_in_entry_code(uint32_t eip);

#endif
