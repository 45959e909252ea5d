/*
 * The two edges of every trap: what is checked when one arrives, before
 * trap() sees it, and what is made true of a frame before the CPU resumes a
 * guest from it. A frame reaches a guest in three ways (the CPU pushed it
 * when the guest trapped, the hypervisor built it, or a domain kept it while
 * others ran) and all three go through guest_return_prepare(): one place
 * where the rules hold, whatever a handler did to the frame.
 */
#include <koan/domain.h>
#include <koan/guard.h>
#include <koan/panic.h>
#include <koan/trap.h>
#include <koan/x86.h>
#include <public/layout.h>

/*
 * The EFLAGS bits a guest sets for itself, in ring 1 or 3 with IOPL 0: the
 * arithmetic flags, TF (single-step), DF, AC and ID. The others are the
 * hypervisor's. IOPL > 0 would let the guest reach the I/O ports, cli and
 * sti; VM would put it in virtual-8086 mode; NT would make its next iret a
 * task switch; IF is on whenever the scheduler needs the timer (lab 3), and
 * no guest may clear it: a guest with IF clear keeps the CPU. (SDM Vol. 3A,
 * 2.3: which flags CPL and IOPL let software change.)
 */
#define EFLAGS_GUEST_OWN                                                                     \
	(EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_TF | EFLAGS_DF | \
	 EFLAGS_OF | EFLAGS_AC | EFLAGS_ID)

uint32_t guest_eflags(uint32_t eflags, uint32_t forced)
{
	return (eflags & EFLAGS_GUEST_OWN) | EFLAGS_RESERVED1 | forced;
}

/* A frame the CPU may resume a guest from: its code and stack selectors are
 * the guest's (ring 1 or 3, matching) and it does not start in the hole. */
const char *guest_return_problem(const struct trap_frame *tf)
{
	if (tf->cs == KOAN_GUEST_KERNEL_CS && tf->ss != KOAN_GUEST_KERNEL_DS)
		return "ring-1 frame without the ring-1 stack selector";
	if (tf->cs == KOAN_GUEST_USER_CS && tf->ss != KOAN_GUEST_USER_DS)
		return "ring-3 frame without the ring-3 stack selector";
	if (tf->cs != KOAN_GUEST_KERNEL_CS && tf->cs != KOAN_GUEST_USER_CS)
		return "code selector is not a guest's";
	if (tf->eip >= KOAN_HV_START)
		return "eip lies in the hypervisor's area";
	return 0;
}

extern const struct return_hook __return_hooks_start[], __return_hooks_end[];

void guest_return_prepare(struct trap_frame *tf)
{
	for (const struct return_hook *h = __return_hooks_start; h < __return_hooks_end; h++)
		h->fn(current_domain(), tf);
	const char *problem = guest_return_problem(tf);

	if (problem)
		domain_crash(tf, problem);
	tf->eflags = guest_eflags(tf->eflags, scheduler_guest_eflags());
	guard_exit_prepare();
}

/*
 * A trap from virtual-8086 mode: the guest got there with an iret that QEMU's
 * TCG obeyed and a real CPU would have ignored. Nothing of that mode is part
 * of the ABI; the domain is crashed and nothing it left in the frame is ever
 * resumed. (It cannot run a single instruction there anyway: the first 4 MB,
 * the only addresses that mode reaches, are never mapped for a guest.)
 */
static void virtual_8086_trap(struct trap_frame *tf) __attribute__((noreturn));
static void virtual_8086_trap(struct trap_frame *tf)
{
	if (!current_domain())
		panic_trap(tf);
	domain_crash(tf, "virtual-8086 mode: a guest may not enter it (iret with EFLAGS.VM)");
}

/*
 * A debug trap in ring 0, at the hypervisor's own entry code: a guest's.
 * `mov %ss` (or pop %ss) holds back a single-step trap for one instruction;
 * if that instruction is an `int` into the hypervisor, the CPU delivers the
 * trap at the handler's first instruction, in ring 0 (the 2018 "POP SS"
 * pattern, CVE-2018-8897). The hypervisor never single-steps itself and
 * keeps every breakpoint off, so this one is the guest's: it is dropped
 * and the entry goes on. (The guest loses one single-step trap.)
 */
static bool stray_debug_trap(const struct trap_frame *tf)
{
	if (tf->vector != T_DB || trap_from_guest(tf) || !guard_in_entry_code(tf->eip))
		return false;
	write_dr6(0);
	return true;
}

void trap_entry(struct trap_frame *tf)
{
	guard_entry_check(tf);
	if (tf->eflags & EFLAGS_VM)
		virtual_8086_trap(tf);
	if (stray_debug_trap(tf))
		return;
	trap(tf);
	if (trap_from_guest(tf))
		guest_return_prepare(tf);
}
