# Lab 3 (hypercalls): the paravirtual interface (the hypercall gate and
# dispatcher, checked guest-memory access, console, MMU, trap table, stack
# switch, sched_op, multicall, dom0's control operations), round-robin
# scheduling with a timer, dom0's shell, and make bench.
L3 := lab3-hypercalls

HV_SRCS += $(addprefix $(L3)/hv/, hypercall_entry.S hypercall.c guest_range.c guest_access.c \
	console_io.c sched_op.c version.c fpu_taskswitch.c pt_update.c mmu_ops.c multicall.c virtual_idt.c bounce.c \
	sched_rr.c timer_entry.S timer.c clock.c control.c)
GUEST_KERNEL_SRCS += $(addprefix $(L3)/guest/kernel/, console_hc.c traps.S traps.c)
GUEST_PROGRAMS += $(addprefix $(L3)/guest/programs/, hcprobe.c mmuprobe.c hcfuzz.c usertask.c bench.c \
	turns.c dom0shell.c bystander.c cpuprobe.c hog.c)

HOST_SRCS += $(addprefix $(L3)/hv/, guest_range.c)
TEST_SRCS += $(sort $(wildcard $(L3)/tests/*.c $(L3)/tests/hidden/*.c))

INCLUDE_DIRS += $(L3)/include
GUEST_INCLUDE_DIRS += $(L3)/guest/include
GRADED_DEFS += $(L3)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L3)/tests/hidden/graded.def)

DEMO_MODULES := $(DEMO_MODULES),hcprobe.elf op=console token=paravirtual
BENCH_MODULES := bench.elf
