/*
 * Koan public ABI, lab 1: the two serial ports a domain may use.
 *
 * Before lab 3 gives guests hypercalls, a guest talks to the world the way an
 * unmodified kernel would: with `in`/`out` on a 16550 UART. Ring 1 runs with
 * IOPL 0, so each of those instructions traps (#GP) and the hypervisor emulates
 * it (trap-and-emulate). Any other port is refused: the domain is crashed.
 *
 *   COM1 (0x3F8): the console. Bytes written to the data register appear on
 *                 the machine's console, each line prefixed "[dN] ".
 *   COM2 (0x2F8): the result channel, read by the grader. Each line a domain
 *                 writes appears as "dN <line>", so results are attributed to
 *                 the domain that sent them and a guest cannot forge the
 *                 hypervisor's own lines (which start with "hv ").
 *
 * Reading the line-status register (base + 5) returns "transmitter empty",
 * so a polling 16550 driver works unchanged.
 */
#ifndef KOAN_PUBLIC_PORTS_H
#define KOAN_PUBLIC_PORTS_H

#define KOAN_PORT_CONSOLE 0x3F8
#define KOAN_PORT_RESULTS 0x2F8
#define KOAN_UART_LSR 5		/* line status register offset */
#define KOAN_UART_LSR_THRE 0x20 /* transmit holding register empty */
#define KOAN_UART_LSR_TEMT 0x40 /* transmitter empty */

#endif
