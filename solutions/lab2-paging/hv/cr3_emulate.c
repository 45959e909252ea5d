/*
 * `mov %reg, %cr3` from a guest: trapped (#GP, a privileged instruction in
 * ring 1) and emulated. The new directory must be one of the domain's own
 * frames and validate as a page directory, exactly like the builder's: so a
 * guest cannot point the MMU at memory it does not own, nor at a directory
 * it can still write. Lab 3 replaces this with the MMUEXT_NEW_BASEPTR
 * hypercall. Reading %cr3 is not emulated.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/paging.h>
#include <koan/pte.h>
#include <koan/trap.h>

#define MOV_TO_CR 0x22
#define MODRM_CR3_MASK 0xF8 /* mod = 11, reg = 3 (%cr3) */
#define MODRM_CR3 0xD8

// BEGIN EXERCISE lab2.16: emulate mov to %cr3 (lab2-paging/README.md, Exercise 7)
//   In: the frame of a #GP that a guest took. Out: false if it is not the
//   guest kernel's `mov %reg, %cr3` (0F 22 /3 with mod = 11: any other
//   instruction, one from ring 3, or code the hypervisor cannot read is
//   left to the next handler). True once it is handled: the directory
//   named by the register's frame number is the domain's base
//   (paging_switch_base) and the guest resumes after the instruction; a
//   refused directory is reported (report_pt_error) and crashes the domain
//   (Xen's rule: the guest asked for something it may not have).
/* The register a ModRM r/m field names, in struct trap_frame. */
static uint32_t gpr(const struct trap_frame *tf, unsigned rm)
{
	const uint32_t regs[8] = { tf->eax, tf->ecx, tf->edx, tf->ebx,
				   tf->esp, tf->ebp, tf->esi, tf->edi };
	return regs[rm & 7];
}

static bool emulate_cr3_write(struct trap_frame *tf)
{
	struct domain *d = current_domain();
	uint8_t code[3];

	/* Only the guest kernel has a virtual %cr3: from ring 3 the instruction
	 * is a #GP for the kernel to handle (lab 3 bounces it), as on hardware. */
	if (!trap_from_guest_kernel(tf))
		return false;
	if (guest_read(d, tf->eip, code, sizeof(code)) != sizeof(code) || code[0] != 0x0F ||
	    code[1] != MOV_TO_CR || (code[2] & MODRM_CR3_MASK) != MODRM_CR3)
		return false;
	if (!paging_switch_base(d, pte_mfn(gpr(tf, code[2] & 7)))) {
		report_pt_error(d, "a new page directory (mov to %cr3)");
		domain_crash(tf, "mov to %cr3: the new page directory was refused");
	}
	tf->eip += sizeof(code);
	return true;
}
// STUB
//> static bool emulate_cr3_write(struct trap_frame *tf)
//> {
//> 	EXERCISE_TODO("lab2.16", "emulate_cr3_write() in hv/cr3_emulate.c emulates nothing yet");
//> 	(void)tf;
//> 	return false;
//> }
// END EXERCISE

GUEST_TRAP_HANDLER(T_GP, TRAP_PRIO_EMULATE, emulate_cr3_write);
