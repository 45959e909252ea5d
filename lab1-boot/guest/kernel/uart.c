/*
 * The guest's console and result channel: an ordinary polling 16550 driver,
 * as an unmodified kernel would have. In lab 1 every in/out here traps into
 * the hypervisor, which emulates it (public/ports.h).
 */
#include <stdarg.h>

#include <koan/x86.h>
#include <public/ports.h>

#include "guest.h"

static void uart_putc(uint16_t base, char c)
{
	while (!(inb(base + KOAN_UART_LSR) & KOAN_UART_LSR_THRE))
		;
	outb(base, (uint8_t)c);
}

void gputc(char c)
{
	uart_putc(KOAN_PORT_CONSOLE, c);
}

void gputs(const char *s)
{
	while (*s)
		gputc(*s++);
}

static void emit_console(void *ctx, char c)
{
	(void)ctx;
	gputc(c);
}

static void emit_results(void *ctx, char c)
{
	(void)ctx;
	uart_putc(KOAN_PORT_RESULTS, c);
}

int gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvformat(emit_console, 0, fmt, ap);
	va_end(ap);
	return n;
}

void result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvformat(emit_results, 0, fmt, ap);
	va_end(ap);
	uart_putc(KOAN_PORT_RESULTS, '\n');
}
