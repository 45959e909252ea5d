/* Lab 1, Exercise 7: decoding the privileged instructions we emulate. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <koan/decode.h>

#include "koan_test.h"

struct case_ {
	uint8_t bytes[4];
	size_t len;
	enum priv_op op;
	unsigned length, size;
	int port_in_dx;
	uint16_t port;
};

static const struct case_ cases[] = {
	{ { 0xEE }, 1, PRIV_OUT, 1, 1, 1, 0 },		/* out %al, (%dx) */
	{ { 0xEF }, 1, PRIV_OUT, 1, 4, 1, 0 },		/* out %eax, (%dx) */
	{ { 0x66, 0xEF }, 2, PRIV_OUT, 2, 2, 1, 0 },	/* out %ax, (%dx) */
	{ { 0xE6, 0x80 }, 2, PRIV_OUT, 2, 1, 0, 0x80 }, /* out %al, $0x80 */
	{ { 0xE7, 0xF4 }, 2, PRIV_OUT, 2, 4, 0, 0xF4 }, /* out %eax, $0xf4 */
	{ { 0xEC }, 1, PRIV_IN, 1, 1, 1, 0 },		/* in (%dx), %al */
	{ { 0xED }, 1, PRIV_IN, 1, 4, 1, 0 },
	{ { 0x66, 0xED }, 2, PRIV_IN, 2, 2, 1, 0 },
	{ { 0xE4, 0x71 }, 2, PRIV_IN, 2, 1, 0, 0x71 },
	{ { 0x66, 0xE5, 0x60 }, 3, PRIV_IN, 3, 2, 0, 0x60 },
	{ { 0xFA }, 1, PRIV_CLI, 1, 0, 0, 0 },
	{ { 0xFB }, 1, PRIV_STI, 1, 0, 0, 0 },
	{ { 0xF4 }, 1, PRIV_HLT, 1, 0, 0, 0 },
};

/* Bytes placed right before an unmapped page: reading past them faults. */
static uint8_t *guarded(const uint8_t *bytes, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *two = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_msg(two != MAP_FAILED, "mmap failed");
	mprotect(two + page, (size_t)page, PROT_NONE);
	memcpy(two + page - len, bytes, len);
	return two + page - len;
}

KTEST(lab1_decode_privileged)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct priv_insn pi;
		enum priv_op op = decode_privileged(guarded(c->bytes, c->len), c->len, &pi);

		ck_assert_msg(op == c->op && pi.op == c->op,
			      "case %zu (first byte %02x): op %s, expected %s", i, c->bytes[0],
			      priv_op_name(op), priv_op_name(c->op));
		ck_assert_msg(pi.length == c->length, "case %zu (%02x): length %u, expected %u", i,
			      c->bytes[0], pi.length, c->length);
		if (c->op == PRIV_IN || c->op == PRIV_OUT) {
			ck_assert_msg(pi.size == c->size, "case %zu (%02x): size %u, expected %u",
				      i, c->bytes[0], pi.size, c->size);
			ck_assert_msg(pi.port_in_dx == c->port_in_dx, "case %zu: port in dx?", i);
			if (!c->port_in_dx)
				ck_assert_msg(pi.port == c->port,
					      "case %zu: port 0x%x, expected 0x%x", i, pi.port,
					      c->port);
		}
	}
}

KTEST(lab1_decode_refuses)
{
	static const uint8_t unknown[][3] = {
		{ 0x0F, 0x20, 0xD8 }, /* mov %cr3, %eax */
		{ 0x0F, 0x01, 0x15 }, /* lgdt */
		{ 0x0F, 0x09, 0x90 }, /* wbinvd */
		{ 0xCD, 0x80, 0x90 }, /* int $0x80 */
		{ 0x90, 0x90, 0x90 }, /* nop */
		{ 0x66, 0xFA, 0x90 }, /* a prefix on cli */
		{ 0x66, 0xEC, 0x90 }, /* a prefix on a byte in: it has no wide form */
		{ 0x66, 0xE6, 0x80 }, /* nor a byte out */
		{ 0x66, 0x66, 0xED }, /* two prefixes */
		{ 0xE8, 0x00, 0x00 }, /* call, between the in/out opcodes */
		{ 0xEA, 0x00, 0x00 }, /* a far jump, also among them */
	};
	struct priv_insn pi;

	/* The decoder must decode something before refusing counts. */
	ck_assert_int_eq(decode_privileged(guarded((const uint8_t[]){ 0xFA }, 1), 1, &pi),
			 PRIV_CLI);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_msg(decode_privileged(guarded(unknown[i], 3), 3, &pi) == PRIV_UNKNOWN,
			      "bytes %02x %02x were decoded as %s", unknown[i][0], unknown[i][1],
			      priv_op_name(pi.op));
	/* Cut short: the immediate port byte is missing. A read past the end
	 * would touch the guard page and crash this test. */
	ck_assert_int_eq(decode_privileged(guarded((const uint8_t[]){ 0xE6 }, 1), 1, &pi),
			 PRIV_UNKNOWN);
	ck_assert_int_eq(decode_privileged(guarded((const uint8_t[]){ 0x66 }, 1), 1, &pi),
			 PRIV_UNKNOWN);
	ck_assert_int_eq(decode_privileged(guarded((const uint8_t[]){ 0xE4 }, 0), 0, &pi),
			 PRIV_UNKNOWN);
	/* Random bytes: never read past the end, whatever they are. */
	srand((unsigned)getpid());
	for (int i = 0; i < 2000; i++) {
		uint8_t b[3] = { (uint8_t)rand(), (uint8_t)rand(), (uint8_t)rand() };
		size_t n = 1 + (size_t)rand() % 3;
		decode_privileged(guarded(b, n), n, &pi);
	}
}
