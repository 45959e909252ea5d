/* Names for the privileged instructions lab 1 does not emulate, so that a
 * crash report says what the guest tried (Challenge 3). Pure C. */
#include <koan/decode.h>
#include <koan/exercise.h>
#include <koan/kstring.h>

const char *privileged_insn_name(const uint8_t *code, size_t avail, char *buf, size_t size)
{
	// BEGIN EXERCISE lab1.14 (optional): name what is not emulated (lab1-boot/README.md, Challenge 3)
	//   In: `avail` bytes of a guest's code at its eip (perhaps fewer than
	//   an instruction) and a buffer. Out: buf, holding the instruction in
	//   AT&T syntax, for mov from a control register (0F 20 /r, "mov %cr0,
	//   %eax"), mov to one (0F 22 /r, "mov %ebx, %cr3"), lgdt and lidt
	//   (0F 01 /2 and /3 with a memory operand: "lgdt", "lidt") and wbinvd
	//   (0F 09); NULL for anything else, or bytes that stop short, or a
	//   buffer too small for the name. Never reads past code[avail - 1].
	static const char *const gpr[8] = {
		"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"
	};
	char cr[5] = { '%', 'c', 'r', '0', '\0' };
	char reg[5] = { '%', 'e', 'a', 'x', '\0' };
	const char *name = 0;

	if (avail < 2 || code[0] != 0x0F)
		return 0;
	if (code[1] == 0x09)
		name = "wbinvd";
	else if (avail < 3)
		return 0;
	uint8_t modrm = avail >= 3 ? code[2] : 0;
	unsigned mod = modrm >> 6, regf = (modrm >> 3) & 7, rm = modrm & 7;
	if (code[1] == 0x01 && mod != 3 && (regf == 2 || regf == 3))
		name = regf == 2 ? "lgdt" : "lidt";
	if (name)
		return strlcpy(buf, name, size) < size ? buf : 0;
	if (code[1] != 0x20 && code[1] != 0x22)
		return 0;
	/* The ModR/M byte of mov to or from %crN: reg is N, r/m the register
	 * (SDM Vol. 2B, MOV: the mod bits are ignored and taken as 11). */
	cr[3] = (char)('0' + regf);
	memcpy(reg + 1, gpr[rm], 3);
	if (size < sizeof("mov %cr0, %eax"))
		return 0;
	const char *src = code[1] == 0x20 ? cr : reg, *dst = code[1] == 0x20 ? reg : cr;
	strlcpy(buf, "mov ", size);
	memcpy(buf + 4, src, 4);
	memcpy(buf + 8, ", ", 2);
	memcpy(buf + 10, dst, 5);
	return buf;
	// STUB
	//> /* Optional: without it, crash reports show only the bytes. */
	//> (void)code, (void)avail, (void)buf, (void)size;
	//> return 0;
	// END EXERCISE
}
