# Lab 6 (scheduler): Borrowed Virtual Time in place of lab 3's round robin
# (a scheduler of higher rank), dom0's control of weights and warps, and an
# idle domain that halts the CPU.
L6 := lab6-scheduler

HV_SRCS += $(addprefix $(L6)/hv/, bvt.c sched_bvt.c sched_ctl.c cpu_halt.S)
HOST_SRCS += $(L6)/hv/bvt.c
TEST_SRCS += $(sort $(wildcard $(L6)/tests/*.c $(L6)/tests/hidden/*.c))

INCLUDE_DIRS += $(L6)/include
GRADED_DEFS += $(L6)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L6)/tests/hidden/graded.def)

GUEST_KERNEL_SRCS += $(addprefix $(L6)/guest/kernel/, sched_ctl.c shell_sched.c)
GUEST_PROGRAMS += $(addprefix $(L6)/guest/programs/, worker.c schedctl.c waker.c)
GUEST_INCLUDE_DIRS += $(L6)/guest/include

# make plots: the handout's figures (lab6-scheduler/figures/), with gnuplot,
# from runs of the complete lab 6 under -icount.
plots: all
	$(Q)tools/plots $(B) $(L6)/figures
.PHONY: plots
