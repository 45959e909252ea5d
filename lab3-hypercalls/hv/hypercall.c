/*
 * The hypercall gate and the dispatcher.
 *
 * IDT entry 0x82 is an interrupt gate with DPL 1: `int $0x82` from ring 1
 * enters the hypervisor, from ring 3 it raises #GP instead (SDM Vol. 3A,
 * 6.12.1.1), so a guest's applications cannot make hypercalls behind their
 * kernel's back. Xen used the same vector and rule.
 */
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/init.h>
#include <koan/timer.h>
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

static struct {
	bool requested;
	uint32_t args[5];
} continuation;

int32_t hypercall_continue(uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
	continuation.requested = true;
	continuation.args[0] = a1, continuation.args[1] = a2, continuation.args[2] = a3;
	continuation.args[3] = a4, continuation.args[4] = a5;
	return 0; /* not seen: the call is made again instead */
}

bool hypercall_take_continuation(uint32_t args[5])
{
	if (!continuation.requested)
		return false;
	continuation.requested = false;
	for (int i = 0; i < 5; i++)
		args[i] = continuation.args[i];
	return true;
}

bool hypercall_preempt_check(void)
{
	return timer_tick_pending();
}

#define INT_0X82_BYTES 2 /* CD 82 */

/* How often each domain's calls were continued: the log says, at its end. */
DOMAIN_EXTENSION(uint32_t, continued_of);

static bool do_hypercall(struct trap_frame *tf)
{
	uint32_t nr = tf->eax, args[5];

	/* The gate's DPL keeps ring 3 out; this is for any other way in. */
	if (!trap_from_guest_kernel(tf))
		return false;
	frame = tf; /* for the few hypercalls that do not return (yield) */
	continuation.requested = false;
	if (!dispatch(tf))
		return false;
	if (hypercall_take_continuation(args)) {
		tf->eip -= INT_0X82_BYTES;
		tf->eax = nr;
		tf->ebx = args[0], tf->ecx = args[1], tf->edx = args[2];
		tf->esi = args[3], tf->edi = args[4];
		(*continued_of(current_domain()))++;
	}
	return true;
}

static void report_continued(struct domain *d)
{
	report("continued dom=%u calls=%u", d->id, *continued_of(d));
}

static const struct domain_hooks continuation_hooks = { .end = report_continued };
DOMAIN_HOOKS(continuation_hooks);

GUEST_TRAP_HANDLER(KOAN_HYPERCALL_VECTOR, do_hypercall);

static void install_hypercall_gate(void)
{
	idt_set_gate(KOAN_HYPERCALL_VECTOR, (uint32_t)(uintptr_t)hypercall_entry, 1);
}

INITCALL(INIT_SUBSYS, install_hypercall_gate);
