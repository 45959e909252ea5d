/*
 * Decoding the privileged instructions a ring-1 guest may execute in lab 1,
 * for trap-and-emulate. Pure C, unit-tested on the host.
 *
 * x86 is not classically virtualizable (Popek and Goldberg): some sensitive
 * instructions, such as pushf/popf, do not trap in ring 1. The ones decoded
 * here do: with IOPL 0, in/out/cli/sti raise #GP in ring 1 (SDM Vol. 1, 18.2.1
 * and Vol. 3A, 2.8), and hlt raises #GP outside ring 0.
 */
#ifndef KOAN_DECODE_H
#define KOAN_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum priv_op {
	PRIV_UNKNOWN = 0, /* not something we emulate */
	PRIV_OUT,
	PRIV_IN,
	PRIV_CLI,
	PRIV_STI,
	PRIV_HLT,
};

struct priv_insn {
	enum priv_op op;
	unsigned length; /* bytes, prefixes included */
	unsigned size;	 /* in/out: operand size in bytes (1, 2 or 4) */
	int port_in_dx;	 /* in/out: 1 if the port is in %dx, 0 if immediate */
	uint16_t port;	 /* in/out with an immediate port: the port */
};

/*
 * Decode the instruction at `code` (`avail` bytes are readable). Handles
 * in/out in their byte, word (0x66 prefix) and dword forms, with an immediate
 * port or %dx, and cli, sti, hlt. Returns the op; on PRIV_UNKNOWN *out says
 * nothing more.
 */
enum priv_op decode_privileged(const uint8_t *code, size_t avail, struct priv_insn *out);

const char *priv_op_name(enum priv_op op);

/* A name for a privileged instruction the hypervisor does not emulate, in
 * buf ("mov %cr3, %eax"), or NULL: crash reports add it after the bytes.
 * An optional exercise (Challenge 3): NULL until it is done. */
const char *privileged_insn_name(const uint8_t *code, size_t avail, char *buf, size_t size);

#endif
