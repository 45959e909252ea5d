/*
 * Trap-and-emulate: what lab 1 does when a ring-1 guest executes one of the
 * privileged instructions of koan/decode.h. The CPU raises #GP; we decode the instruction at
 * the guest's EIP, carry out its effect on the domain's *virtual* machine,
 * and step EIP over it. Every such instruction costs a trap into ring 0 and
 * a decode: the price the paper's paravirtualization avoids (section 2, and
 * the figures you will measure in lab 3).
 */
#include <koan/console.h>
#include <koan/decode.h>
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/fmt.h>
#include <koan/trap.h>
#include <public/ports.h>

#define MAX_INSN_BYTES 15 /* the longest x86 instruction */
#define UART_PORTS 8

// BEGIN EXERCISE lab1.13: carry out the instruction (lab1-boot/README.md, Exercise 7)
//   emulate_privileged(tf), the #GP handler of trap-and-emulate. It deals
//   (returns true, tf->eip moved past the instruction) only with a #GP of
//   error code 0 from the guest kernel (ring 1: trap_from_guest_kernel())
//   at an instruction that guest_read() can read and decode_privileged()
//   knows. Its effect is on the domain's virtual machine, never the real
//   one: cli and sti clear and set d->virtual_if; hlt ends the domain
//   (domain_halt("hlt"): nothing resumes it); in and out reach the two
//   virtual UARTs of public/ports.h. A byte out to KOAN_PORT_CONSOLE goes
//   to domain_console_byte(), to KOAN_PORT_RESULTS to domain_results_byte();
//   the UARTs' other registers take writes and ignore them. Reading the
//   line-status register (KOAN_UART_LSR) says ready (THRE and TEMT), the
//   other registers read 0. An access of 1, 2 or 4 bytes uses that much of
//   %eax (al, ax, eax) and leaves the rest of %eax alone. An in or out on
//   any other port crashes the domain (domain_crash(), with a reason naming
//   the port). Anything else: return false (another handler, or trap(),
//   decides).
static bool in_uart(uint16_t port, uint16_t base)
{
	return port >= base && port < base + UART_PORTS;
}

/* The two virtual UARTs of public/ports.h. Returns false for other ports. */
static bool port_write(struct domain *d, uint16_t port, uint32_t value)
{
	if (port == KOAN_PORT_CONSOLE)
		domain_console_byte(d, (char)value);
	else if (port == KOAN_PORT_RESULTS)
		domain_results_byte(d, (char)value);
	else if (!in_uart(port, KOAN_PORT_CONSOLE) && !in_uart(port, KOAN_PORT_RESULTS))
		return false;
	/* Other UART registers (baud rate, FIFO control, ...): accepted, ignored. */
	return true;
}

static bool port_read(uint16_t port, uint32_t *value)
{
	if (port == KOAN_PORT_CONSOLE + KOAN_UART_LSR || port == KOAN_PORT_RESULTS + KOAN_UART_LSR)
		*value = KOAN_UART_LSR_THRE | KOAN_UART_LSR_TEMT; /* always ready */
	else if (in_uart(port, KOAN_PORT_CONSOLE) || in_uart(port, KOAN_PORT_RESULTS))
		*value = 0;
	else
		return false;
	return true;
}

static uint32_t size_mask(unsigned size)
{
	return size == 4 ? 0xFFFFFFFFu : (1u << (size * 8)) - 1;
}

static void emulate_in_out(struct domain *d, struct trap_frame *tf, const struct priv_insn *pi)
{
	uint16_t port = pi->port_in_dx ? (uint16_t)tf->edx : pi->port;
	uint32_t mask = size_mask(pi->size);
	char why[64];

	if (pi->op == PRIV_OUT) {
		if (port_write(d, port, tf->eax & mask))
			return;
	} else {
		uint32_t value;
		if (port_read(port, &value)) {
			tf->eax = (tf->eax & ~mask) | (value & mask);
			return;
		}
	}
	ksnprintf(why, sizeof(why), "%s on I/O port 0x%x, which is not emulated",
		  priv_op_name(pi->op), port);
	domain_crash(tf, why);
}

static bool emulate_privileged(struct trap_frame *tf)
{
	struct domain *d = current_domain();
	uint8_t code[MAX_INSN_BYTES];
	struct priv_insn pi;
	uint32_t n = guest_read(d, tf->eip, code, sizeof(code));

	/* Only the guest kernel (ring 1) has a virtual UART and a virtual IF;
	 * its applications (ring 3, from lab 3 on) have neither. */
	if (!trap_from_guest_kernel(tf) || n == 0 || tf->error != 0)
		return false; /* not ring 1, not an instruction we could read, or a segment fault */
	switch (decode_privileged(code, n, &pi)) {
	case PRIV_OUT:
	case PRIV_IN: emulate_in_out(d, tf, &pi); break;
	case PRIV_CLI: d->virtual_if = false; break;
	case PRIV_STI: d->virtual_if = true; break;
	case PRIV_HLT:
		/* Nothing can wake a domain in lab 1 (events come in lab 4): a halt
		 * is the end of the domain. */
		domain_halt("hlt");
	default:
		/* Not ours: another lab's handler may know it (lab 2 emulates
		 * writes to %cr3); if none does, trap() crashes the domain. */
		return false;
	}
	tf->eip += pi.length;
	return true;
}

// STUB
//> static bool emulate_privileged(struct trap_frame *tf)
//> {
//> 	EXERCISE_TODO("lab1.13", "emulate_privileged() in hv/emulate.c emulates nothing yet");
//> 	(void)tf;
//> 	return false;
//> }
// END EXERCISE

GUEST_TRAP_HANDLER(T_GP, TRAP_PRIO_EMULATE, emulate_privileged);
