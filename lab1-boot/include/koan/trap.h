/*
 * Traps: the frame the assembly entry (hv/trapentry.S) builds, and the ways
 * later code plugs into trap handling.
 */
#ifndef KOAN_TRAP_H
#define KOAN_TRAP_H

/* Offsets into struct trap_frame, for the assembly (checked below). */
#define TF_CS 60
#define TF_EFLAGS 64
#define TF_SIZE 76
#define TF_WORDS (TF_SIZE / 4)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <koan/x86.h>

/*
 * Saved state of the interrupted code, lowest address first. The CPU pushes
 * eflags, cs, eip (and esp, ss when it changes privilege level, i.e. when the
 * trap comes from a guest); trapentry.S pushes the rest.
 */
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax; /* pusha */
	uint32_t vector;
	uint32_t error; /* the CPU's error code, or 0 */
	uint32_t eip, cs, eflags;
	uint32_t esp, ss; /* valid only if the trap came from ring 1-3 */
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trapentry.S builds this layout");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "trapentry.S reads cs here");
_Static_assert(offsetof(struct trap_frame, eflags) == TF_EFLAGS, "trapentry.S reads eflags here");

#define T_DE 0 /* divide error */
#define T_DB 1
#define T_NMI 2
#define T_BP 3 /* int3 */
#define T_OF 4
#define T_BR 5
#define T_UD 6 /* invalid opcode */
#define T_NM 7
#define T_DF 8 /* double fault */
#define T_TS 10
#define T_NP 11
#define T_SS 12
#define T_GP 13 /* general protection */
#define T_PF 14 /* page fault */
#define T_MF 16
#define T_AC 17
#define T_MC 18
#define T_XM 19
#define NR_EXCEPTIONS 32

/*
 * Did the trap interrupt a guest? Ring 1 or 3 say so in CS's low bits; but
 * code in virtual-8086 mode runs at CPL 3 with any CS at all (CS=0 too), so
 * EFLAGS.VM counts as well. Only a guest can be in that mode: QEMU's TCG
 * lets a ring-1 iret enter it, where real CPUs ignore VM below ring 0
 * (PLATFORM-NOTES.md). Deciding by CS alone took such a trap for the
 * hypervisor's own and panicked.
 */
static inline bool trap_from_guest(const struct trap_frame *tf)
{
	return (tf->cs & 3) != 0 || (tf->eflags & EFLAGS_VM) != 0;
}

/* Is the interrupted code a guest's kernel (ring 1, not virtual-8086)? What
 * only the guest kernel may do (emulated privileged instructions) checks this:
 * from ring 3 the kernel gets the #GP instead, as on real hardware. */
static inline bool trap_from_guest_kernel(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 1 && !(tf->eflags & EFLAGS_VM);
}

const char *trap_name(uint32_t vector);

/*
 * A handler for traps that come from a guest. It returns true if it dealt
 * with the trap (the guest then resumes), false if not its business. Labs
 * register handlers with GUEST_TRAP_HANDLER instead of editing trap.c; the
 * dispatcher offers a trap to the handlers of its vector (and to those of
 * TRAP_ANY_VECTOR) in the order of their priority, lowest number first, so
 * which is asked first never depends on how the files are linked.
 */
struct guest_trap_handler {
	uint32_t vector;
	bool (*handle)(struct trap_frame *tf);
};

/* A handler offered every vector. */
#define TRAP_ANY_VECTOR 0xFFFFFFFFu

/* Priorities: two digits, as the linker sorts their names. */
#define TRAP_PRIO_EMULATE 20 /* an instruction emulated for the guest kernel (labs 1, 2) */
#define TRAP_PRIO_CPU 30     /* CPU state the hypervisor switches lazily (the FPU) */
#define TRAP_PRIO_EVENTS 35 /* what a tick owes the domains (lab 4), before the timer ends a turn */
#define TRAP_PRIO_SERVICE 40 /* the hypervisor's own vectors: hypercalls, the timer */
#define TRAP_PRIO_BOUNCE 90  /* the guest's own handler: the last resort before a crash */

#define GUEST_TRAP_HANDLER(vec, prio, fn) GUEST_TRAP_HANDLER_(vec, prio, fn)
#define GUEST_TRAP_HANDLER_(vec, prio, fn)                         \
	static const struct guest_trap_handler __trap_handler_##fn \
		__attribute__((used, section(".trap_handlers." #prio), aligned(4))) = { vec, fn }

/*
 * Exception table: an instruction of the hypervisor that may fault on
 * purpose, and where to go on if it does (like Linux's __ex_table). Used by
 * the segment-limit probe now, and for reading guest memory later.
 */
struct extable_entry {
	uint32_t insn;
	uint32_t fixup;
};

/* trapentry.S calls trap_entry(); it checks the frame, calls trap() (the
 * dispatcher, hv/trap.c) and, if the frame goes back to a guest, makes it
 * safe to resume (guest_return_prepare). */
void trap_entry(struct trap_frame *tf);
void trap(struct trap_frame *tf);
void idt_init(void);
/* Point IDT entry `vector` at `handler`, callable from rings <= dpl. */
void idt_set_gate(unsigned vector, uint32_t handler, unsigned dpl);
void idt_set_guest_gate(unsigned vector, uint16_t selector, uint32_t offset, unsigned dpl);
void idt_clear_gate(unsigned vector);

/* Resume the interrupted code with the state in *tf (trapentry.S). */
void trap_return(const struct trap_frame *tf) __attribute__((noreturn));

/* The iret in trap_return, which faults if the frame is bad. */
extern char trap_return_iret[];

#endif /* __ASSEMBLER__ */

#endif
