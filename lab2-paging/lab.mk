# Lab 2 (paging): machine frames, the frame table, validated guest page
# tables, and a domain builder: direct paging as in Xen.
L2 := lab2-paging

HV_SRCS += $(addprefix $(L2)/hv/, frame_alloc.c frametab.c pt_rules.c builder_plan.c \
	builder_entry.c builder_tables.c ptwalk.c frametab_audit.c paging.c paging_model.c cr3_emulate.c)
GUEST_KERNEL_SRCS += $(addprefix $(L2)/guest/kernel/, mm.c)
GUEST_PROGRAMS += $(addprefix $(L2)/guest/programs/, memview.c ptprobe.c)

# The pure C the unit tests compile for the host.
HOST_SRCS += $(addprefix $(L2)/hv/, frame_alloc.c frametab.c pt_rules.c builder_plan.c \
	builder_entry.c builder_tables.c ptwalk.c frametab_audit.c)
TEST_SRCS += $(sort $(wildcard $(L2)/tests/*.c $(L2)/tests/hidden/*.c))

INCLUDE_DIRS += $(L2)/include
GUEST_INCLUDE_DIRS += $(L2)/guest/include
GRADED_DEFS += $(L2)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L2)/tests/hidden/graded.def)

DEMO_MODULES := $(DEMO_MODULES),ptprobe.elf op=cr3-other,memview.elf mem=3000
