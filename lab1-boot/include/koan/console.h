/*
 * The hypervisor's two output channels:
 *  - the console (COM1), for people: kprintf();
 *  - the result channel (COM2), for the grader: report(), one line per
 *    event, "hv <event> key=value ...". Guest lines arrive there as
 *    "dN <line>" (see public/ports.h).
 */
#ifndef KOAN_CONSOLE_H
#define KOAN_CONSOLE_H

#include <stdbool.h>

#include <stdarg.h>

void console_init(void);
void kputs(const char *s);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

/* One line on the result channel; `fmt` has no "hv " and no newline. */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Raw bytes onto each channel: the hypervisor's own. */
void console_putc(char c);
void results_putc(char c);

/* Is the console (the result channel) at the start of a line? */
bool console_at_line_start(void);
bool results_at_line_start(void);

/* A byte a guest writes to the console: its line starts with "[dN] ", and
 * never continues a line someone else began. Control characters other than
 * newline and tab are dropped. */
void console_guest_putc(unsigned dom, char c);
/* End the console's current line if domain `dom` left it unfinished. */
void console_end_line(unsigned dom);

#endif
