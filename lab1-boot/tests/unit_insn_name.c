/* Lab 1, optional exercise lab1.14: naming the privileged instructions the
 * hypervisor does not emulate (graded with CHALLENGES=yes). */
#include <stdio.h>
#include <string.h>

#include <koan/decode.h>

#include "koan_test.h"

static void expect_name(const uint8_t *code, size_t avail, const char *want)
{
	char buf[32];
	const char *got = privileged_insn_name(code, avail, buf, sizeof(buf));

	if (!want) {
		ck_assert_msg(!got, "%02x %02x %02x (%zu bytes) named \"%s\", not one of ours",
			      code[0], avail > 1 ? code[1] : 0, avail > 2 ? code[2] : 0, avail,
			      got);
		return;
	}
	ck_assert_msg(got && strcmp(got, want) == 0,
		      "%02x %02x %02x (%zu bytes): got %s%s%s, expected \"%s\"", code[0], code[1],
		      avail > 2 ? code[2] : 0, avail, got ? "\"" : "", got ? got : "NULL",
		      got ? "\"" : "", want);
}

KTEST(lab1_challenge_insn_names)
{
	static const char *const regs[8] = { "%eax", "%ecx", "%edx", "%ebx",
					     "%esp", "%ebp", "%esi", "%edi" };
	char want[32];

	for (unsigned cr = 0; cr < 8; cr++)
		for (unsigned r = 0; r < 8; r++) {
			/* mod 11 as assemblers write it, and mod 00: the CPU ignores it. */
			for (unsigned mod = 0; mod < 4; mod += 3) {
				uint8_t from[3] = { 0x0F, 0x20, (uint8_t)(mod << 6 | cr << 3 | r) };
				uint8_t to[3] = { 0x0F, 0x22, (uint8_t)(mod << 6 | cr << 3 | r) };
				snprintf(want, sizeof(want), "mov %%cr%u, %s", cr, regs[r]);
				expect_name(from, 3, want);
				snprintf(want, sizeof(want), "mov %s, %%cr%u", regs[r], cr);
				expect_name(to, 3, want);
			}
		}
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0x15 }, 3, "lgdt"); /* lgdt disp32 */
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0x18 }, 3, "lidt"); /* lidt (%eax) */
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0x50 }, 3, "lgdt"); /* lgdt disp8(%eax) */
	expect_name((const uint8_t[]){ 0x0F, 0x09 }, 2, "wbinvd");
	/* Not ours: sgdt, smsw, the register forms of 0F 01, other opcodes. */
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0x05 }, 3, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0x20 }, 3, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0xD0 }, 3, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x01, 0xD8 }, 3, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x21, 0xC0 }, 3, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x08 }, 2, NULL);
	expect_name((const uint8_t[]){ 0xEC, 0x0F, 0x20 }, 3, NULL);
	/* Too few bytes: never a guess, never a read past them. */
	expect_name((const uint8_t[]){ 0x0F, 0x20 }, 2, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x01 }, 2, NULL);
	expect_name((const uint8_t[]){ 0x0F }, 1, NULL);
	expect_name((const uint8_t[]){ 0x0F, 0x09 }, 1, NULL);
	/* A buffer too small for the name. */
	char small[8];
	ck_assert_msg(!privileged_insn_name((const uint8_t[]){ 0x0F, 0x22, 0xD8 }, 3, small,
					    sizeof(small)),
		      "a name that does not fit in 8 bytes was written anyway");
	ck_assert_msg(privileged_insn_name((const uint8_t[]){ 0x0F, 0x09 }, 2, small,
					   sizeof(small)) == small &&
			      strcmp(small, "wbinvd") == 0,
		      "wbinvd fits in 8 bytes");
}
