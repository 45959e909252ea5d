/*
 * fpu: uses the x87 FPU, to show that its state is each domain's own
 * (op=...):
 *   leave  set the rounding mode to "toward zero" and fill every register
 *          with our token, then end: no later domain may see any of it
 *   check  look at the FPU as we find it (its control word, its registers)
 *          and round 2.7 to an integer: 3, unless another domain's rounding
 *          mode is in effect
 */
#include "guest.h"
#include "x87.h"

static void op_leave(void)
{
	char token[16];
	int32_t value = 12345;

	if (guest_arg("token", token, sizeof(token)))
		for (const char *c = token; *c; c++)
			value = value * 31 + *c;
	x87_set_rounding(X87_RC_TOWARD_ZERO);
	int32_t rounded = x87_round_2_7();
	for (int i = 0; i < 8; i++)
		__asm__ volatile("fildl %0" : : "m"(value));
	result("fpu left cw=0x%x round=%d", x87_control_word(), rounded);
}

static void op_check(void)
{
	uint8_t image[X87_SAVE_BYTES];
	int clean = 1;

	__asm__ volatile("fnsave %0" : "=m"(image)); /* then the FPU is reset */
	for (unsigned i = X87_SAVE_REGS; i < sizeof(image); i++)
		clean &= image[i] == 0;
	uint16_t cw = (uint16_t)(image[0] | image[1] << 8);
	result("fpu found cw=0x%x regs=%s round=%d", cw, clean ? "clean" : "dirty",
	       x87_round_2_7());
}

static const struct guest_op ops[] = {
	{ "leave", op_leave },
	{ "check", op_check },
};

void guest_main(const struct koan_start_info *si)
{
	const struct guest_op *op = guest_find_op(ops, sizeof(ops) / sizeof(ops[0]));

	(void)si;
	if (op)
		op->run();
	else
		result("usage: fpu op=leave|check");
}
