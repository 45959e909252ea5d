/*
 * A decoder for the few privileged instructions lab 1 emulates. Opcodes from
 * the Intel SDM Vol. 2 (IN, OUT, CLI, STI, HLT):
 *
 *   E4 ib  in  al, imm8      EC  in  al, dx
 *   E5 ib  in  eax, imm8     ED  in  eax, dx      (66 prefix: ax instead of eax)
 *   E6 ib  out imm8, al      EE  out dx, al
 *   E7 ib  out imm8, eax     EF  out dx, eax      (66 prefix: ax)
 *   FA cli   FB sti   F4 hlt
 */
#include <koan/decode.h>
#include <koan/exercise.h>

#define PREFIX_OPSIZE 0x66

enum priv_op decode_privileged(const uint8_t *code, size_t avail, struct priv_insn *out)
{
	// BEGIN EXERCISE lab1.7: decode a privileged instruction (lab1-boot/README.md, Exercise 7)
	//   In: the `avail` bytes at the guest's eip (at least 1, at most 15).
	//   Out: the op, and in *out the op, the instruction's length, and for in
	//   and out the access size (1, 2 or 4), whether the port is in %dx, and
	//   an immediate port, for the instructions of the table above. One 0x66
	//   prefix is part of the instruction on the wide in and out forms only
	//   (it makes them 2 bytes wide). PRIV_UNKNOWN for anything else, and for
	//   an instruction cut short by avail: never read code[avail] or beyond.
	size_t i = 0;
	unsigned wide = 4;

	*out = (struct priv_insn){ .op = PRIV_UNKNOWN };
	if (avail > 0 && code[0] == PREFIX_OPSIZE) {
		wide = 2;
		i = 1;
	}
	if (i >= avail)
		return PRIV_UNKNOWN;

	uint8_t op = code[i++];
	if (i > 1 && (op < 0xE4 || op > 0xEF || (op & 1) == 0))
		return PRIV_UNKNOWN; /* the prefix only makes sense on wide in/out */
	switch (op) {
	case 0xFA: out->op = PRIV_CLI; break;
	case 0xFB: out->op = PRIV_STI; break;
	case 0xF4: out->op = PRIV_HLT; break;
	case 0xE4:
	case 0xE5:
	case 0xE6:
	case 0xE7:
		if (i >= avail)
			return PRIV_UNKNOWN;
		out->port = code[i++];
		out->op = op <= 0xE5 ? PRIV_IN : PRIV_OUT;
		out->size = (op & 1) ? wide : 1;
		break;
	case 0xEC:
	case 0xED:
	case 0xEE:
	case 0xEF:
		out->port_in_dx = 1;
		out->op = op <= 0xED ? PRIV_IN : PRIV_OUT;
		out->size = (op & 1) ? wide : 1;
		break;
	default: return PRIV_UNKNOWN;
	}
	out->length = (unsigned)i;
	return out->op;
	// STUB
	//> EXERCISE_TODO("lab1.7", "decode_privileged() in hv/decode.c decodes nothing yet");
	//> (void)code, (void)avail;
	//> *out = (struct priv_insn){ .op = PRIV_UNKNOWN };
	//> return PRIV_UNKNOWN;
	// END EXERCISE
}

const char *priv_op_name(enum priv_op op)
{
	switch (op) {
	case PRIV_OUT: return "out";
	case PRIV_IN: return "in";
	case PRIV_CLI: return "cli";
	case PRIV_STI: return "sti";
	case PRIV_HLT: return "hlt";
	default: return "unknown";
	}
}
