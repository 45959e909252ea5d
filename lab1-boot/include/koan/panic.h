/* When the hypervisor itself is broken: stop, with as much evidence as we have. */
#ifndef KOAN_PANIC_H
#define KOAN_PANIC_H

#include <stdint.h>

struct trap_frame;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(const struct trap_frame *tf) __attribute__((noreturn));

/* Print the chain of saved frame pointers starting at `ebp`. */
void backtrace_from(uint32_t ebp);

void print_registers(const struct trap_frame *tf);

#endif
