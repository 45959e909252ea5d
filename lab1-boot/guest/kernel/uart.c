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

/* The whole UART path, one trapped `out` (and `in`) per byte: kept for
 * comparison when later labs give the console a hypercall. */
void uart_write(const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		uart_putc(KOAN_PORT_CONSOLE, s[i]);
}

/* Where console output goes. Weak: a later lab's guest kernel may give a
 * strong definition (lab 3 sends it through a hypercall). */
__attribute__((weak)) void console_write(const char *s, unsigned n)
{
	uart_write(s, n);
}

void gputc(char c)
{
	console_write(&c, 1);
}

void gputs(const char *s)
{
	console_write(s, strlen(s));
}

int gprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (unsigned)n : sizeof(buf) - 1);
	return n;
}

static void emit_results(void *ctx, char c)
{
	(void)ctx;
	uart_putc(KOAN_PORT_RESULTS, c);
}

void result(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvformat(emit_results, 0, fmt, ap);
	va_end(ap);
	uart_putc(KOAN_PORT_RESULTS, '\n');
}
