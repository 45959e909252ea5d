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
#include <koan/panic.h>
#include <koan/timer.h>
#include <koan/trap.h>

extern const struct hypercall __hypercalls_start[], __hypercalls_end[];
extern char hypercall_entry[];

static const struct hypercall *table[HYPERCALL_TABLE_SIZE];

/* Every HYPERCALL() in its slot. Two for one number, or a number beyond the
 * table, is a mistake in the hypervisor's build: it stops at boot. */
static void build_hypercall_table(void)
{
	for (const struct hypercall *h = __hypercalls_start; h < __hypercalls_end; h++) {
		if (h->nr >= HYPERCALL_TABLE_SIZE)
			panic("hypercall %s: number %u is beyond the table", h->name, h->nr);
		if (table[h->nr])
			panic("hypercalls %s and %s both have number %u", table[h->nr]->name,
			      h->name, h->nr);
		table[h->nr] = h;
	}
}

INITCALL(INIT_EARLY, build_hypercall_table);

const struct hypercall *hypercall_lookup(uint32_t nr)
{
	return nr < HYPERCALL_TABLE_SIZE ? table[nr] : 0;
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
	//   In: the frame of an `int $0x82` from the guest kernel. The call's
	//   number is in the saved %eax and its five arguments in %ebx, %ecx,
	//   %edx, %esi, %edi, in that order (README, "Registers in and out").
	//   Out: true, the call made through its registered handler and its
	//   result in the saved %eax (the guest resumes after its int); a number
	//   with no handler gets -KOAN_ENOSYS. Every other saved register is as
	//   the guest left it.
	const struct hypercall *h = hypercall_lookup(tf->eax);
	struct hypercall_args args = { { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi } };

	tf->eax = h ? (uint32_t)h->fn(&args) : (uint32_t)-KOAN_ENOSYS;
	return true;
	// STUB
	//> EXERCISE_TODO("lab3.1", "dispatch() in hv/hypercall.c dispatches nothing yet");
	//> (void)tf;
	//> return false;
	// END EXERCISE
}

static struct {
	bool requested;
	struct hypercall_args rest;
} continuation;

int32_t hypercall_continue(const struct hypercall_args *rest)
{
	continuation.requested = true;
	continuation.rest = *rest;
	return 0; /* not seen: the call is made again instead */
}

bool hypercall_take_continuation(struct hypercall_args *rest)
{
	if (!continuation.requested)
		return false;
	continuation.requested = false;
	*rest = continuation.rest;
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
	uint32_t nr = tf->eax;
	struct hypercall_args rest;

	/* The gate's DPL keeps ring 3 out; this is for any other way in. */
	if (!trap_from_guest_kernel(tf))
		return false;
	frame = tf; /* for the few hypercalls that do not return (yield) */
	continuation.requested = false;
	if (!dispatch(tf))
		domain_crash(tf, "a hypercall that nothing dispatched (is Exercise lab3.1 done?)");
	if (hypercall_take_continuation(&rest)) {
		tf->eip -= INT_0X82_BYTES;
		tf->eax = nr;
		tf->ebx = rest.arg[0], tf->ecx = rest.arg[1], tf->edx = rest.arg[2];
		tf->esi = rest.arg[3], tf->edi = rest.arg[4];
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

GUEST_TRAP_HANDLER(KOAN_HYPERCALL_VECTOR, TRAP_PRIO_SERVICE, do_hypercall);

static void install_hypercall_gate(void)
{
	idt_set_gate(KOAN_HYPERCALL_VECTOR, (uint32_t)(uintptr_t)hypercall_entry, 1);
}

INITCALL(INIT_SUBSYS, install_hypercall_gate);
