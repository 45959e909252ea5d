/*
 * The x87 FPU, for guest programs that test how the hypervisor shares it
 * (koan/fpu.h). The guests are built without x87 code (-mno-80387): every
 * FPU instruction is here, in assembly.
 */
#ifndef KOAN_GUEST_X87_H
#define KOAN_GUEST_X87_H

#include <stdint.h>

#define X87_RC_SHIFT 10 /* the rounding-control field of the control word */
#define X87_RC_NEAREST 0u
#define X87_RC_TOWARD_ZERO 3u
#define X87_SAVE_BYTES 108 /* fnsave's image; the eight registers from byte 28 */
#define X87_SAVE_REGS 28

static inline uint16_t x87_control_word(void)
{
	uint16_t cw;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static inline void x87_set_rounding(unsigned rc)
{
	uint16_t cw = (uint16_t)((x87_control_word() & ~(3u << X87_RC_SHIFT)) | rc << X87_RC_SHIFT);
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

/* 2.7 rounded to an integer under the current rounding mode: 3 to nearest,
 * 2 toward zero. */
static inline int32_t x87_round_2_7(void)
{
	static const uint64_t two_point_seven = 0x400599999999999Aull; /* the double */
	int32_t out;
	__asm__ volatile("fldl %1; fistpl %0" : "=m"(out) : "m"(two_point_seven));
	return out;
}

#endif
