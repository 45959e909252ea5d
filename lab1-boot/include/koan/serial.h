/* A 16550 UART driven by polling: the mechanism under console.c. */
#ifndef KOAN_SERIAL_H
#define KOAN_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3F8
#define COM2 0x2F8

void serial_init(uint16_t base);
void serial_putc(uint16_t base, char c);

/* A received byte, if one is waiting (never waits). */
int serial_try_getc(uint16_t base, char *c);
bool serial_rx_ready(uint16_t base); /* a byte waits to be read */

#endif
