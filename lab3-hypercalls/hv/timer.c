/*
 * The timer that ends a domain's turn: the PIT (8253/8254) on IRQ 0 at
 * the scheduler's rate (100 Hz; lab 6's 1 kHz), through the PIC (8259A) moved to vectors 0x20-0x2F so that its
 * interrupts do not collide with the CPU's exceptions. The hypervisor
 * itself always runs with interrupts off; the tick only ever interrupts a
 * guest.
 */
#include <koan/clock.h>
#include <koan/domain.h>
#include <koan/init.h>
#include <koan/timer.h>
#include <koan/trap.h>
#include <koan/x86.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define PIC_READ_IRR 0x0A     /* OCW3: a read of the command port gives the IRR */
#define IRQ_BASE TIMER_VECTOR /* IRQ 0 */

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182u

extern char timer_entry[]; /* hv/timer_entry.S */

static void pic_remap(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: initialise, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_BASE);     /* ICW2: vectors 0x20-0x27 */
	outb(PIC2_DATA, IRQ_BASE + 8); /*       and 0x28-0x2F */
	outb(PIC1_DATA, 0x04);	       /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xFE); /* only IRQ 0, the timer */
	outb(PIC2_DATA, 0xFF);
	outb(PIC1_CMD, PIC_READ_IRR); /* reads of PIC1_CMD return the requests waiting */
}

static uint16_t pit_period; /* input cycles a tick: PIT_HZ / the scheduler's rate */

static void pit_start(void)
{
	pit_period = (uint16_t)(PIT_HZ / scheduler_tick_hz());
	outb(PIT_CMD, 0x34); /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
	outb(PIT_CH0, pit_period & 0xFF);
	outb(PIT_CH0, pit_period >> 8);
}

/* Channel 0's count now: from pit_period down to 1, then again. */
static uint16_t pit_count(void)
{
	outb(PIT_CMD, 0x00); /* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	return (uint16_t)(lo | inb(PIT_CH0) << 8);
}

static void timer_init(void)
{
	idt_set_gate(TIMER_VECTOR, (uint32_t)(uintptr_t)timer_entry, 0);
	pic_remap();
	pit_start();
	clock_calibrate(pit_count, pit_period);
}

INITCALL(INIT_SUBSYS, timer_init);

void timer_irq_done(void)
{
	outb(PIC1_CMD, PIC_EOI);
}

bool timer_tick_pending(void)
{
	return inb(PIC1_CMD) & 1; /* IRQ 0 requested, not yet acknowledged */
}

/*
 * A turn lasts as long as the scheduler says (scheduler_turn_ns(): lab 3's
 * round robin, 50 ms), ended by the first tick after that. By the clock,
 * not by counting ticks: ticks that arrive while the hypervisor
 * works (a long hypercall's unit of work) wait as one, and a turn counted in
 * ticks would last as many units of work as the guest could fit in. The
 * turn starts when the domain is entered, so a tick already waiting then
 * does not end it at once.
 */
static uint64_t turn_start;

static void turn_begins(struct domain *d)
{
	(void)d;
	turn_start = clock_ns();
}

static const struct domain_hooks turn_hooks = { .start = turn_begins };
DOMAIN_HOOKS(turn_hooks);

static bool timer_tick(struct trap_frame *tf)
{
	outb(PIC1_CMD, PIC_EOI);
	uint64_t turn = scheduler_turn_ns();

	if (!current_domain() || !turn || clock_ns() - turn_start < turn)
		return true;
	domain_yield(tf); /* the turn is over */
}

GUEST_TRAP_HANDLER(TIMER_VECTOR, TRAP_PRIO_SERVICE, timer_tick);
