/*
 * kprintf() onto COM1 and report() onto COM2. Newlines go out as CR LF so a
 * terminal shows them properly; the grader ignores the CRs.
 */
#include <stdbool.h>

#include <koan/console.h>
#include <koan/exercise.h>
#include <koan/fmt.h>
#include <koan/serial.h>

void console_init(void)
{
	serial_init(COM1);
	serial_init(COM2);
}

static void com1_putc(char c)
{
	if (c == '\n')
		serial_putc(COM1, '\r');
	serial_putc(COM1, c);
}

/*
 * Who wrote the console's current line, and whether it is empty. Every line
 * that carries a guest's bytes starts with that guest's tag ("[d1] "), so no
 * guest can write a line that looks like the hypervisor's or another
 * domain's: whoever writes into a line someone else began starts a new one.
 * (Tracked per domain, a guest that left a line unfinished went on, after
 * the hypervisor's next line, at the start of a line without its tag.)
 */
#define WRITER_HV (-1)

static int line_writer = WRITER_HV;
static bool line_empty = true;

static void take_line(int writer)
{
	if (!line_empty && line_writer != writer) {
		com1_putc('\n');
		line_empty = true;
	}
	line_writer = writer;
}

static void put_in_line(char c)
{
	com1_putc(c);
	line_empty = c == '\n';
}

void console_putc(char c)
{
	take_line(WRITER_HV);
	put_in_line(c);
	if (c == '\n')
		exercise_flush();
}

bool console_at_line_start(void)
{
	return line_empty;
}

void console_guest_putc(unsigned dom, char c)
{
	if (c != '\n' && c != '\t' && (c < ' ' || c >= 0x7f))
		return; /* no control characters from guests: no cursor games */
	take_line((int)dom);
	if (line_empty) {
		char tag[16];
		ksnprintf(tag, sizeof(tag), "[d%u] ", dom);
		for (const char *p = tag; *p; p++)
			com1_putc(*p);
	}
	put_in_line(c);
}

void console_end_line(unsigned dom)
{
	if (!line_empty && line_writer == (int)dom)
		put_in_line('\n');
}

static bool results_line_empty = true;

void results_putc(char c)
{
	serial_putc(COM2, c);
	results_line_empty = c == '\n';
	if (c == '\n')
		exercise_flush();
}

bool results_at_line_start(void)
{
	return results_line_empty;
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
