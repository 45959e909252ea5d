# Koan: a teaching hypervisor, built lab by lab. README.md says where to start.
#
# Every target that builds or grades takes:
#   LAB=n        build labs 1..n together (default: the lab you are on, from
#                conf/lab.mk: `make set-lab LAB=n` moves it; without that
#                file, as in the instructor's kit, the last lab in the tree)
#   SOL=list     take these labs from solutions/: none (default), all, or e.g. 1,2
#   RESULTS=f    (grade) also write Gradescope's results.json to f
# Builds go to build/lab<n>-sol<list>/, so configurations never mix.
#
# `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.SUFFIXES:
Q := $(if $(V),,@)

include tools/mk/config.mk

# ---------------------------------------------------------------------------
# Which labs, from where.

empty :=
space := $(empty) $(empty)
comma := ,
labnum = $(patsubst lab%,%,$(firstword $(subst -, ,$(firstword $(subst /, ,$(1))))))

LAB_DIRS_ALL := $(sort $(wildcard lab[1-9]-*))
LAB_NUMS_ALL := $(foreach d,$(LAB_DIRS_ALL),$(call labnum,$(d)))
LAB_MAX := $(lastword $(LAB_NUMS_ALL))

# The lab you are on (make handout writes conf/lab.mk; make set-lab moves it).
-include conf/lab.mk
LAB ?= $(or $(LAB_CURRENT),$(LAB_MAX))
SOL ?= none
ifeq ($(filter $(LAB),$(LAB_NUMS_ALL)),)
$(error LAB=$(LAB): there is no such lab here (labs: $(LAB_NUMS_ALL)))
endif
LAB_NUMS := $(shell seq 1 $(LAB))
LAB_DIRS := $(foreach d,$(LAB_DIRS_ALL),$(if $(filter $(call labnum,$(d)),$(LAB_NUMS)),$(d)))

# Labs whose solutions this tree has (a student handout has none, or the
# ones the instructor has released). SOL=all means all of those.
SOL_AVAILABLE := $(foreach d,$(LAB_DIRS_ALL),$(if $(wildcard solutions/$(d)),$(call labnum,$(d))))
ifeq ($(SOL),all)
SOL_NUMS := $(SOL_AVAILABLE)
else ifeq ($(SOL),none)
SOL_NUMS :=
else
SOL_NUMS := $(sort $(subst $(comma),$(space),$(SOL)))
ifneq ($(filter-out $(LAB_NUMS_ALL),$(SOL_NUMS)),)
$(error SOL=$(SOL): give all, none, or lab numbers such as 1,2 (labs: $(LAB_NUMS_ALL)))
endif
ifneq ($(filter-out $(SOL_AVAILABLE),$(SOL_NUMS)),)
$(error SOL=$(SOL): this tree has no solutions/ for lab $(filter-out $(SOL_AVAILABLE),$(SOL_NUMS)))
endif
endif
SOL_USED := $(filter $(LAB_NUMS),$(SOL_NUMS))
SOL_TAG := $(if $(SOL_USED),$(subst $(space),,$(SOL_USED)),none)
# HIDDEN=no leaves the instructor's hidden tests out, as in a student's kit
# (its own build folder, so that the two never mix).
HIDDEN ?= yes
# CHALLENGES=yes grades the tests of the optional exercises too (tests/
# challenges.def of each lab): they count only when the instructor says so.
CHALLENGES ?= no
CONFIG := lab$(LAB)-sol$(SOL_TAG)$(if $(filter no,$(HIDDEN)),-nohidden)$(if $(filter yes,$(CHALLENGES)),-challenges)
B := build/$(CONFIG)

# A source file is named by its path in the lab folder; it is read from
# solutions/ when its lab is in SOL and solutions/ has it.
resolve = $(if $(and $(filter $(call labnum,$(1)),$(SOL_USED)),$(wildcard solutions/$(1))),solutions/$(1),$(1))

# ---------------------------------------------------------------------------
# What the labs contribute (each lab.mk appends to these lists).

HV_SRCS :=          # the hypervisor
LIB_SRCS :=         # freestanding library: hypervisor and guests
GUEST_KERNEL_SRCS := # the guest kernel, linked into every guest program
GUEST_PROGRAMS :=   # guest programs: one .c file each, named NAME.c
HOST_SRCS :=        # pure C under test, compiled for the host
TEST_SRCS :=        # graded tests (check), compiled for the host
INCLUDE_DIRS :=
GUEST_INCLUDE_DIRS :=
GRADED_DEFS :=      # graded-test lists, visible to students
HIDDEN_DEFS :=      # instructor-only graded-test lists
CHALLENGE_DEFS :=   # tests of the optional exercises (CHALLENGES=yes)
HV_LDS :=
GUEST_LDS :=

include $(foreach d,$(LAB_DIRS),$(d)/lab.mk)
ifeq ($(HIDDEN),no)
TEST_SRCS := $(filter-out %/tests/hidden/%,$(TEST_SRCS))
HIDDEN_DEFS :=
endif
ifneq ($(CHALLENGES),yes)
CHALLENGE_DEFS :=
endif
include tools/mk/build.mk
include tools/mk/run.mk
include tools/mk/grade.mk
include tools/mk/dist.mk

help:
	@echo "Koan: a teaching hypervisor, built lab by lab. README.md says where to start."
	@echo
	@echo "Targets:"
	@echo "  make                 build the hypervisor and the guests ($(B)/)"
	@echo "  make qemu            boot it, console on this terminal (quit: Ctrl-a x)"
	@echo "  make qemu-nox        the same (Koan's QEMU is always serial-only)"
	@echo "  make qemu-gdb        the same, waiting for GDB; then 'make gdb' in another terminal"
	@echo "  make gdb             GDB with the hypervisor's and the guests' symbols (type 'koan')"
	@echo "  make print-gdbport   the port qemu-gdb and gdb use ($(GDBPORT))"
	@echo "  make print-config    the build folder name of this LAB and SOL ($(CONFIG))"
	@echo "  make iso             a bootable GRUB2 ISO ($(B)/koan.iso)"
	@echo "  make qemu-iso        boot that ISO"
	@echo "  make grade           grade labs 1..LAB"
	@echo "  make demo            boot the complete hypervisor (all labs solved); ends by itself"
	@echo "  make bench           the paravirtualization benchmark, under both guards (lab 3 on)"
	@echo "  make plots           lab 6's figures: CPU shares and dispatch latency (gnuplot PNGs)"
	@echo "  make set-lab LAB=n   move the kit to lab n: plain make works on labs 1..n from then on"
	@echo "  make format          reformat every C file of the tree (.clang-format)"
	@echo "  make check           the kit's own test suite (instructors, developers, CI)"
	@echo "  make mutants LAB=n   how many small mutants of lab n's solutions its tests catch"
	@echo "  make doctor          check the tools this kit needs"
	@echo "  make handout         the student tarball (no solutions/, no hidden tests)"
	@echo "  make compdb          compile_commands.json for editors (clangd)"
	@echo "  make clean           remove build/"
	@echo
	@echo "Variables (VAR=value on the command line):"
	@echo "  LAB=n                labs 1..n (now $(LAB): conf/lab.mk, or the last lab in the tree)"
	@echo "  SOL=none|all|1,2     labs taken from solutions/ (now $(SOL))"
	@echo "  MODULES=\"a.elf x=1,b.elf\"  the guests qemu and gdb boot: files of $(B)/guests/, each"
	@echo "                       with its command line, separated by commas"
	@echo "  HVARGS=\"guard=xpti\"  the hypervisor's command line (guard=segments|xpti, selftest=...)"
	@echo "  MEM=n                the machine's RAM in MB (default 128)"
	@echo "  ICOUNT=1             qemu: guest time follows the instructions (-icount): the same run every time"
	@echo "  GDBPORT=n            qemu-gdb's and gdb's port (default: from your user id)"
	@echo "  ONLY=text            grade only the tests whose name contains text"
	@echo "  RESULTS=file         grade: also write Gradescope's results.json"
	@echo "  JUNIT=file           grade: where the JUnit XML goes ($(B)/junit.xml)"
	@echo "  JOBS=n               grade: tests run at once (default: the CPUs, $(JOBS))"
	@echo "  EXPECT=all-pass|lab-fails=n  grade: check every test's outcome (make check)"
	@echo "  HIDDEN=no            leave out the hidden tests, as a student's kit does"
	@echo "  CHALLENGES=yes       grade the optional exercises' tests too (tests/challenges.def)"
	@echo "  MUTANTS_MAX=n        mutants: grade a random sample of n mutants only"
	@echo "  HANDOUT_LAB=n        handout: the lab the students' kit starts on (default 1)"
	@echo "  V=1                  show every command"

.PHONY: all help
