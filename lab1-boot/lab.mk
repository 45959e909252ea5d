# Lab 1 (boot): the hypervisor's base, its first guest, and the kit's library.
L1 := lab1-boot

HV_SRCS += $(addprefix $(L1)/hv/, boot.S trapentry.S gdtload.S limits_probe.S \
	main.c console.c serial.c platform.c limits.c guard.c gdt.c segdesc.c idt.c trap.c panic.c symtab.c \
	multiboot.c elf.c domain.c identity_model.c guest_entry.c guest_return.c fpu.c decode.c insn_name.c emulate.c selftest.c exercise.c)
LIB_SRCS += $(addprefix $(L1)/lib/, fmt.c kstring.c strlcpy.c cmdline.c exercise_once.c)
GUEST_KERNEL_SRCS += $(addprefix $(L1)/guest/kernel/, start.S kernel.c uart.c exercise.c)
GUEST_PROGRAMS += $(addprefix $(L1)/guest/programs/, hello.c segments.c privop.c spin.c flood.c fpu.c)

# The pure C the unit tests compile for the host.
HOST_SRCS += $(addprefix $(L1)/lib/, fmt.c strlcpy.c cmdline.c exercise_once.c) \
	$(addprefix $(L1)/hv/, multiboot.c segdesc.c elf.c decode.c insn_name.c symtab.c guest_entry.c)
TEST_SRCS += $(sort $(wildcard $(L1)/tests/*.c $(L1)/tests/hidden/*.c))

INCLUDE_DIRS += $(L1)/include
GUEST_INCLUDE_DIRS += $(L1)/guest/include
GRADED_DEFS += $(L1)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L1)/tests/hidden/graded.def)
CHALLENGE_DEFS += $(L1)/tests/challenges.def
HV_LDS += $(L1)/hv/hv.ld
GUEST_LDS += $(L1)/guest/guest.ld

# What `make demo` boots (later labs append theirs).
DEMO_MODULES := hello.elf greeting=welcome-to-koan,segments.elf,privop.elf op=sti-hlt,privop.elf op=mov-cr3
