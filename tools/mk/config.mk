# Tools and flags. Override on the command line, e.g. `make QEMU=/opt/qemu/bin/qemu-system-i386`.

CC32 ?= gcc -m32
HOSTCC ?= gcc
OBJDUMP ?= objdump
NM ?= nm
QEMU ?= qemu-system-i386
GDB ?= gdb
GRUB_MKRESCUE ?= grub-mkrescue
PKG_CONFIG ?= pkg-config

# Freestanding 32-bit code: the hypervisor and the guests. Frame pointers stay
# so that backtraces work; no SSE/x87, since we never save that state. The
# debug info names the tree as "." (GDB runs from the top), so that a module's
# size, which the handouts show, does not depend on where the kit was cloned.
DEBUG_PREFIX_MAP := -fdebug-prefix-map=$(CURDIR)=.
CFLAGS32 := -std=gnu11 -O2 -g $(DEBUG_PREFIX_MAP) -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 \
	-Wall -Wextra -Werror
ASFLAGS32 := -g $(DEBUG_PREFIX_MAP) -Wa,--noexecstack
LDFLAGS32 := -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=0x1000 \
	-Wl,--no-warn-rwx-segments -Wl,-z,noexecstack

# Host code: unit tests and the grader.
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck)
HOST_CFLAGS_BASE := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-format-truncation

# QEMU: headless, no reboot on a triple fault, and the exit device the
# hypervisor uses to end the run (PLATFORM-NOTES.md).
MEM ?= 128
QEMU_FLAGS := -m $(MEM) -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4
