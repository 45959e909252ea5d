/*
 * The hypercall gate and the dispatcher.
 *
 * IDT entry 0x82 is an interrupt gate with DPL 1: `int $0x82` from ring 1
 * enters the hypervisor, from ring 3 it raises #GP instead (SDM Vol. 3A,
 * 6.12.1.1), so a guest's applications cannot make hypercalls behind their
 * kernel's back. Xen used the same vector and rule.
 */
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/init.h>
#include <koan/trap.h>

extern const struct hypercall __hypercalls_start[], __hypercalls_end[];
extern char hypercall_entry[];

const struct hypercall *hypercall_find(const struct hypercall *table, uint32_t n, uint32_t nr)
{
	for (uint32_t i = 0; i < n; i++)
		if (table[i].nr == nr)
			return &table[i];
	return 0;
}

static struct trap_frame *frame; /* of the hypercall being handled */

struct trap_frame *hypercall_frame(void)
{
	return frame;
}

/* A hypercall from the current domain: its number and arguments are in the
 * saved registers, and so will its result be. */
static bool dispatch(struct trap_frame *tf)
{
	// BEGIN EXERCISE lab3.1: dispatch a hypercall (lab3-hypercalls/README.md, Exercise 1)
	//   Find the handler for the number in %eax among the registered ones
	//   (hypercall_find on __hypercalls_start .. __hypercalls_end), call it
	//   with %ebx, %ecx, %edx, %esi, %edi, and leave its result in the saved
	//   %eax; an unknown number gets -KOAN_ENOSYS. Return true: the guest
	//   then resumes after its int $0x82.
	// Your code here: replace the stub below.
	EXERCISE_TODO("lab3.1", "dispatch() in hv/hypercall.c dispatches nothing yet");
	(void)tf;
	return false;
	// END EXERCISE
}

static bool do_hypercall(struct trap_frame *tf)
{
	frame = tf; /* for the few hypercalls that do not return (yield) */
	return dispatch(tf);
}

GUEST_TRAP_HANDLER(KOAN_HYPERCALL_VECTOR, do_hypercall);

static void install_hypercall_gate(void)
{
	idt_set_gate(KOAN_HYPERCALL_VECTOR, (uint32_t)(uintptr_t)hypercall_entry, 1);
}

INITCALL(INIT_SUBSYS, install_hypercall_gate);
