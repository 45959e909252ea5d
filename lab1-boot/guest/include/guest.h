/*
 * The guest kernel's interface to the programs linked with it. Lab 1's guest
 * kernel is tiny: it takes the start-info block, offers a console, a result
 * channel for the grader, and a way to stop. Later labs grow it (hypercalls,
 * page tables, events), in the spirit of Xen's Mini-OS.
 */
#ifndef KOAN_GUEST_H
#define KOAN_GUEST_H

#include <stdint.h>

#include <koan/cmdline.h>
#include <koan/fmt.h>
#include <koan/kstring.h>
#include <public/start_info.h>

/* Each program defines this; the kernel calls it with the start info. */
void guest_main(const struct koan_start_info *si);

/* Console: console_write() is the UART (COM1, trap-and-emulate) in lab 1;
 * a later lab's guest kernel may replace it. uart_write() is always the UART. */
void console_write(const char *s, unsigned n);
void uart_write(const char *s, unsigned n);
void gputc(char c);
void gputs(const char *s);
int gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on the result channel; the hypervisor prefixes "dN ". */
void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Stop this domain for good (cli; hlt). */
void guest_exit(void) __attribute__((noreturn));

/* The start info, for code that did not get it as an argument. */
extern const struct koan_start_info *start_info;

/* The value of `key=` on our command line, or NULL. */
const char *guest_arg(const char *key, char *buf, unsigned size);

/* A test program's operations, by the name its command line gives (op=). */
struct guest_op {
	const char *name;
	void (*run)(void);
};

/* The operation op= names, or NULL (none named, or no such one). */
const struct guest_op *guest_find_op(const struct guest_op *ops, unsigned n);

/* A decimal number (parse_u32, koan/cmdline.h), or 0 if s is not one. */
static inline unsigned atou(const char *s)
{
	uint32_t n;

	return parse_u32(s, &n) ? n : 0;
}

/* The next number of a xorshift32 sequence (Marsaglia, 2003): the random
 * test guests', reproducible from their seed (a state of 0 stays 0). */
static inline uint32_t xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static inline unsigned current_ring(void)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

#endif
