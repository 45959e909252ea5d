# Lab 5 (split drivers): grant tables, shared rings, the store, and a block
# device whose backend in dom0 drives the machine's real (QEMU's) disk.
L5 := lab5-split-drivers

HV_SRCS += $(addprefix $(L5)/hv/, grant_rules.c grant_table.c grant_audit.c \
	grant_audit_report.c store_rules.c store_tree.c store_op.c disk_ports.c)
HOST_SRCS += $(addprefix $(L5)/hv/, grant_rules.c grant_audit.c store_rules.c store_tree.c) \
	$(L5)/lib/ring.c $(addprefix $(L5)/guest/kernel/, blkback_check.c)
# blkback_check.c is guest code compiled for the host too: its header
# ("blkback.h") is in guest/include, on the host's include path as well.
HOST_CFLAGS_BASE += -I$(L5)/guest/include
LIB_SRCS += $(L5)/lib/ring.c
TEST_SRCS += $(sort $(wildcard $(L5)/tests/*.c $(L5)/tests/hidden/*.c))

INCLUDE_DIRS += $(L5)/include
GRADED_DEFS += $(L5)/tests/graded.def
HIDDEN_DEFS += $(wildcard $(L5)/tests/hidden/graded.def)

GUEST_KERNEL_SRCS += $(addprefix $(L5)/guest/kernel/, gnttab.c store_client.c ata.c \
	blkfront.c blkback.c blkback_check.c)
GUEST_PROGRAMS += $(addprefix $(L5)/guest/programs/, blkback.c blktest.c grantprobe.c blkevil.c)
GUEST_INCLUDE_DIRS += $(L5)/guest/include

# The machine's disk, for make qemu, qemu-gdb, demo and bench: DISK=file, or
# a blank 4 MB image in the build folder, made when it is missing (make
# disk-blank makes it blank again). QEMU's first IDE disk; dom0's blkback
# serves it.
DISK ?= $(B)/disk.img
MACHINE_FLAGS += -drive file=$(abspath $(DISK)),format=raw,if=ide,index=0,media=disk
MACHINE_FILES += $(DISK)
$(DISK):
ifeq ($(DISK),$(B)/disk.img)
	@mkdir -p $(@D)
	$(Q)truncate -s 4M $@
else
	@echo "DISK=$(DISK): no such file (make disk-blank DISK=$(DISK) makes a blank 4 MB one)"; exit 1
endif

disk-blank:
	$(Q)rm -f $(DISK) && mkdir -p $(dir $(DISK)) && truncate -s 4M $(DISK)
.PHONY: disk-blank

# make bench: block reads through the split driver against dom0 reading the
# disk itself (tools/bench), next to the earlier labs' figures.
BENCH_BLOCK := yes
