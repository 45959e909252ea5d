/*
 * The guest's virtual IDT (KOAN_HC_SET_TRAP_TABLE), its kernel stack
 * (KOAN_HC_STACK_SWITCH), and the gates that go with the running domain:
 * the fast system-call gate and the TSS's ring-1 stack.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/gdt.h>
#include <koan/hypercall.h>
#include <koan/init.h>
#include <koan/trap.h>
#include <koan/virtual_idt.h>
#include <public/layout.h>
#include <public/memory.h>

#define VECTORS 256

/* A domain's virtual IDT and its kernel stack. */
struct virtual_idt {
	struct virtual_gate gates[VECTORS];
	struct guest_stack stack;
};

DOMAIN_EXTENSION(struct virtual_idt, vidt_of);

const struct virtual_gate *virtual_gate(const struct domain *d, uint32_t vector)
{
	return vector < VECTORS && vidt_of(d)->gates[vector].address ? &vidt_of(d)->gates[vector]
								     : 0;
}

const struct guest_stack *guest_kernel_stack(const struct domain *d)
{
	return &vidt_of(d)->stack;
}

/* The fast system call is a real gate, and so only ever the running
 * domain's. */
static void install_fast_gate(const struct domain *d)
{
	const struct virtual_gate *g = virtual_gate(d, KOAN_FAST_SYSCALL_VECTOR);

	if (g && g->dpl == 3)
		idt_set_guest_gate(KOAN_FAST_SYSCALL_VECTOR, g->cs, g->address, 3);
	else
		idt_clear_gate(KOAN_FAST_SYSCALL_VECTOR);
}

// BEGIN EXERCISE lab3.9: the guest's trap table (lab3-hypercalls/README.md, Exercise 8)
//   In: the address of the guest's table of koan_trap_info, ended by an entry
//   whose address is 0 (at most 256 entries), or 0 to clear every gate. Each
//   entry sets the gate of its vector in the domain's virtual IDT. Refused
//   (the error is the result, the entries before it stay set): a vector the
//   guest may not handle, the CPU's exceptions and the two system-call
//   vectors aside (-KOAN_EINVAL); a code selector other than the guest
//   kernel's (-KOAN_EPERM); a handler at or above the M2P (-KOAN_EINVAL); an
//   unreadable table (the copy's error). Whatever the outcome, the real
//   fast-system-call gate then matches the virtual one (install_fast_gate).
/* A guest may handle the CPU's exceptions and its own system calls; never
 * the hypervisor's vectors (the timer's, the hypercall gate): a handler
 * there would take the tick that ends its turn. */
static bool guest_may_handle(uint32_t vector)
{
	return vector < NR_EXCEPTIONS || vector == KOAN_FAST_SYSCALL_VECTOR ||
	       vector == KOAN_SLOW_SYSCALL_VECTOR;
}

static int set_one(struct domain *d, const struct koan_trap_info *ti)
{
	if (!guest_may_handle(ti->vector))
		return -KOAN_EINVAL;
	if (ti->cs != KOAN_GUEST_KERNEL_CS)
		return -KOAN_EPERM; /* a ring-0 selector would hand the guest the CPU */
	if (ti->address >= KOAN_M2P_START)
		return -KOAN_EINVAL;
	vidt_of(d)->gates[ti->vector] =
		(struct virtual_gate){ ti->address, ti->cs, ti->flags & KOAN_TI_DPL_MASK };
	return 0;
}

static int32_t do_set_trap_table(const struct hypercall_args *a)
{
	uint32_t table_va = a->arg[0];
	struct domain *d = current_domain();
	int err = 0;

	if (table_va == 0) {
		for (unsigned v = 0; v < VECTORS; v++)
			vidt_of(d)->gates[v] = (struct virtual_gate){ 0 };
	}
	for (unsigned i = 0; table_va && i < VECTORS && !err; i++) {
		struct koan_trap_info ti;
		err = copy_from_guest(&ti, table_va + i * sizeof(ti), sizeof(ti));
		if (err || ti.address == 0)
			break;
		err = set_one(d, &ti);
	}
	install_fast_gate(d);
	return err;
}
// STUB
//> static int32_t do_set_trap_table(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.9", "do_set_trap_table() in hv/virtual_idt.c sets no gate yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_SET_TRAP_TABLE, do_set_trap_table);

// BEGIN EXERCISE lab3.10: the guest kernel's stack (lab3-hypercalls/README.md, Exercise 8)
//   In: a stack segment and a stack pointer for the guest kernel. Out: 0 with
//   both kept as the domain's kernel stack and loaded into the TSS (the CPU
//   switches to them when ring 3 traps); -KOAN_EINVAL unless the segment is
//   the guest kernel's data segment and the largest frame the CPU or the
//   hypervisor pushes below esp lies wholly in memory the guest may write
//   (README, "Bouncing an exception").
static int32_t do_stack_switch(const struct hypercall_args *a)
{
	uint32_t ss = a->arg[0];
	uint32_t esp = a->arg[1];
	struct domain *d = current_domain();

	/* The CPU pushes a ring-3 trap's frame below esp at ring 1's
	 * privilege, without asking us: all of it must be the guest's. An esp
	 * near 0 would wrap round to the top of the address space. */
	if (ss != KOAN_GUEST_KERNEL_DS || esp < GUEST_FRAME_MAX_BYTES ||
	    !guest_range_ok(esp - GUEST_FRAME_MAX_BYTES, GUEST_FRAME_MAX_BYTES, true))
		return -KOAN_EINVAL;
	vidt_of(d)->stack = (struct guest_stack){ ss, esp };
	tss_set_guest_kernel_stack(ss, esp);
	return 0;
}
// STUB
//> static int32_t do_stack_switch(const struct hypercall_args *a)
//> {
//> 	EXERCISE_TODO("lab3.10", "do_stack_switch() in hv/virtual_idt.c keeps no stack yet");
//> 	(void)a;
//> 	return -KOAN_ENOSYS;
//> }
// END EXERCISE

HYPERCALL(KOAN_HC_STACK_SWITCH, do_stack_switch);

static void domain_starts(struct domain *d)
{
	install_fast_gate(d);
	tss_set_guest_kernel_stack(vidt_of(d)->stack.ss, vidt_of(d)->stack.esp);
}

static void domain_ends(struct domain *d)
{
	for (unsigned v = 0; v < VECTORS; v++)
		vidt_of(d)->gates[v] = (struct virtual_gate){ 0 };
	vidt_of(d)->stack = (struct guest_stack){ 0 };
	/* The real gate and stack are the running domain's: dom0 destroying
	 * another domain must keep its own. */
	if (current_domain() == d) {
		idt_clear_gate(KOAN_FAST_SYSCALL_VECTOR);
		tss_set_guest_kernel_stack(0, 0);
	}
}

static const struct domain_hooks virtual_idt_hooks = { .start = domain_starts, .end = domain_ends };
DOMAIN_HOOKS(virtual_idt_hooks);

/* The slow system call enters the hypervisor through its own gate, which
 * ring 3 may use; bounce.c delivers it. */
extern char slow_syscall_entry[];

static void install_slow_syscall_gate(void)
{
	idt_set_gate(KOAN_SLOW_SYSCALL_VECTOR, (uint32_t)(uintptr_t)slow_syscall_entry, 3);
}

INITCALL(INIT_SUBSYS, install_slow_syscall_gate);
