/*
 * The interrupt descriptor table: an interrupt gate for each of the 32
 * exception vectors. DPL 0 everywhere, so `int n` from a guest raises #GP
 * instead of entering the hypervisor; lab 3 adds a gate ring 1 may use.
 */
#include <koan/gdt.h>
#include <koan/trap.h>
#include <koan/x86.h>

#define IDT_ENTRIES 256
#define GATE_INTR32 0xEu /* 32-bit interrupt gate: clears IF on entry */
#define GATE_TRAP32 0xFu /* 32-bit trap gate: leaves IF as it is */
#define GATE_P 0x80u

extern const uint32_t trap_vectors[NR_EXCEPTIONS];

/* In the trampoline (hv/guard.c): read by the CPU on every trap, whichever
 * page directory is loaded. */
static uint64_t idt[IDT_ENTRIES] __attribute__((aligned(8), section(".entry.data")));

/* A gate descriptor (SDM Vol. 3A, 6.11): the offset split round the
 * selector, then present, DPL and the gate's type. */
static uint64_t gate_make(uint32_t offset, uint16_t selector, unsigned dpl, unsigned type)
{
	return (uint64_t)(offset & 0xFFFF) | (uint64_t)selector << 16 |
	       (uint64_t)(GATE_P | (dpl & 3) << 5 | type) << 40 | (uint64_t)(offset >> 16) << 48;
}

void idt_set_gate(unsigned vector, uint32_t handler, unsigned dpl)
{
	idt[vector] = gate_make(handler, HV_CS, dpl, GATE_INTR32);
}

/* A gate straight into a guest's ring-1 code (lab 3's fast system call):
 * the hypervisor is not involved when it is used. */
void idt_set_guest_gate(unsigned vector, uint16_t selector, uint32_t offset, unsigned dpl)
{
	idt[vector] = gate_make(offset, selector, dpl, GATE_TRAP32);
}

void idt_clear_gate(unsigned vector)
{
	idt[vector] = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < NR_EXCEPTIONS; v++)
		idt_set_gate(v, trap_vectors[v], 0);
	struct pseudo_desc pd = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	lidt(&pd);
}

static const char *const exception_names[NR_EXCEPTIONS] = {
	[T_DE] = "divide error (#DE)",
	[T_DB] = "debug (#DB)",
	[T_NMI] = "non-maskable interrupt",
	[T_BP] = "breakpoint (#BP)",
	[T_OF] = "overflow (#OF)",
	[T_BR] = "bound range exceeded (#BR)",
	[T_UD] = "invalid opcode (#UD)",
	[T_NM] = "device not available (#NM)",
	[T_DF] = "double fault (#DF)",
	[T_TS] = "invalid TSS (#TS)",
	[T_NP] = "segment not present (#NP)",
	[T_SS] = "stack-segment fault (#SS)",
	[T_GP] = "general protection (#GP)",
	[T_PF] = "page fault (#PF)",
	[T_MF] = "x87 floating-point error (#MF)",
	[T_AC] = "alignment check (#AC)",
	[T_MC] = "machine check (#MC)",
	[T_XM] = "SIMD floating-point (#XM)",
};

const char *trap_name(uint32_t vector)
{
	if (vector < NR_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	return vector < NR_EXCEPTIONS ? "reserved exception" : "interrupt";
}
