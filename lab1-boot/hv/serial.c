/*
 * 16550 UART, polled. Register offsets from the PC16550D data sheet.
 */
#include <koan/serial.h>
#include <koan/x86.h>

#define UART_DATA 0 /* transmit holding / receive buffer (DLAB = 0) */
#define UART_IER 1  /* interrupt enable (DLAB = 0) */
#define UART_DLL 0  /* divisor latch low (DLAB = 1) */
#define UART_DLH 1  /* divisor latch high (DLAB = 1) */
#define UART_FCR 2  /* FIFO control */
#define UART_LCR 3  /* line control */
#define UART_MCR 4  /* modem control */
#define UART_LSR 5  /* line status */

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_DR 0x01 /* data ready */
#define LSR_THRE 0x20
#define BAUD_115200_DIVISOR 1

void serial_init(uint16_t base)
{
	outb(base + UART_IER, 0x00); /* polled: no interrupts */
	outb(base + UART_LCR, LCR_DLAB);
	outb(base + UART_DLL, BAUD_115200_DIVISOR);
	outb(base + UART_DLH, 0);
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, 0x07); /* enable and clear the FIFOs */
	outb(base + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_putc(uint16_t base, char c)
{
	/* Bounded wait: a missing UART (all ones on the bus) must not hang us. */
	for (int i = 0; i < 100000 && !(inb(base + UART_LSR) & LSR_THRE); i++)
		;
	outb(base + UART_DATA, (uint8_t)c);
}

bool serial_rx_ready(uint16_t base)
{
	return inb(base + UART_LSR) & LSR_DR;
}

int serial_try_getc(uint16_t base, char *c)
{
	if (!(inb(base + UART_LSR) & LSR_DR))
		return 0;
	*c = (char)inb(base + UART_DATA);
	return 1;
}
