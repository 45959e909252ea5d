/*
 * The timer that ends a domain's turn: the PIT (8253/8254) on IRQ 0 at
 * 100 Hz, a turn being TURN_TICKS of them, through the PIC (8259A) moved to vectors 0x20-0x2F so that its
 * interrupts do not collide with the CPU's exceptions. The hypervisor
 * itself always runs with interrupts off; the tick only ever interrupts a
 * guest.
 */
#include <koan/domain.h>
#include <koan/init.h>
#include <koan/sched.h>
#include <koan/trap.h>
#include <koan/x86.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIC_EOI 0x20
#define IRQ_BASE 0x20
#define TIMER_VECTOR IRQ_BASE

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_HZ 1193182u
#define TICK_HZ 100u

extern char timer_entry[]; /* hv/hypercall_entry.S */

static void pic_remap(void)
{
	outb(PIC1_CMD, 0x11); /* ICW1: initialise, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, IRQ_BASE);     /* ICW2: vectors 0x20-0x27 */
	outb(PIC2_DATA, IRQ_BASE + 8); /*       and 0x28-0x2F */
	outb(PIC1_DATA, 0x04);         /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xFE); /* only IRQ 0, the timer */
	outb(PIC2_DATA, 0xFF);
}

static void pit_start(void)
{
	uint16_t divisor = PIT_HZ / TICK_HZ;

	outb(PIT_CMD, 0x36); /* channel 0, lobyte/hibyte, mode 3 (square wave) */
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
}

static void timer_init(void)
{
	idt_set_gate(TIMER_VECTOR, (uint32_t)(uintptr_t)timer_entry, 0);
	pic_remap();
	pit_start();
}

INITCALL(INIT_SUBSYS, timer_init);

/* A turn lasts this many ticks (50 ms). Counting from the start of the turn
 * also means that a tick already pending when a domain enters (the
 * hypervisor runs with interrupts off) does not end its turn at once. */
#define TURN_TICKS 5

static unsigned turn_left;
static const struct domain *turn_of;

static bool timer_tick(struct trap_frame *tf)
{
	const struct domain *d = current_domain();

	outb(PIC1_CMD, PIC_EOI);
	if (d != turn_of) {
		turn_of = d;
		turn_left = TURN_TICKS;
	}
	if (!d || --turn_left > 0)
		return true;
	turn_of = 0;
	yield_current(tf); /* the turn is over */
}

GUEST_TRAP_HANDLER(TIMER_VECTOR, timer_tick);
