/*
 * kprintf() onto COM1 and report() onto COM2. Newlines go out as CR LF so a
 * terminal shows them properly; the grader ignores the CRs.
 */
#include <koan/console.h>
#include <koan/fmt.h>
#include <koan/serial.h>

void console_init(void)
{
	serial_init(COM1);
	serial_init(COM2);
}

void console_putc(char c)
{
	if (c == '\n')
		serial_putc(COM1, '\r');
	serial_putc(COM1, c);
}

void results_putc(char c)
{
	serial_putc(COM2, c);
}

static void emit_console(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

static void emit_results(void *ctx, char c)
{
	(void)ctx;
	results_putc(c);
}

void kputs(const char *s)
{
	while (*s)
		console_putc(*s++);
}

int kvprintf(const char *fmt, va_list ap)
{
	return kvformat(emit_console, 0, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	results_putc('h');
	results_putc('v');
	results_putc(' ');
	kvformat(emit_results, 0, fmt, ap);
	results_putc('\n');
	va_end(ap);
}
