# The student handout, the compile database, the preflight, cleaning.

HANDOUT_TAR := build/koan-handout.tar.gz
HANDOUT_LAB ?= 1

# The lab a kit is on, for plain make, make qemu and make grade.
write_lab_setting = printf '%s\n' \
	'\# The lab you are on: plain `make`, `make qemu` and `make grade` work on labs 1' \
	'\# to this one. Move on with `make set-lab LAB=n` (or give LAB=n to one command).' \
	'LAB_CURRENT := $(1)' >$(2)

set-lab:
	@mkdir -p conf
	@$(call write_lab_setting,$(LAB),conf/lab.mk)
	@echo "conf/lab.mk: from now on, make works on labs 1-$(LAB) ($(word $(LAB),$(LAB_DIRS_ALL)) is the newest)"

# Everything git tracks, less the solutions and the instructor-only tests,
# and conf/lab.mk set to lab HANDOUT_LAB (1 unless you say otherwise).
handout:
	@mkdir -p build/handout-conf/conf
	@git ls-files | grep -v -e '^solutions/' -e '/tests/hidden/' -e '^\.ci/' -e '^conf/' >build/handout.list
	@$(call write_lab_setting,$(HANDOUT_LAB),build/handout-conf/conf/lab.mk)
	@tar -czf $(HANDOUT_TAR) --transform 's|^|koan/|' -T build/handout.list -C build/handout-conf conf/lab.mk
	@echo "Wrote $(HANDOUT_TAR): $$(wc -l <build/handout.list) files and conf/lab.mk (lab $(HANDOUT_LAB)), no solutions/, no hidden tests"

# compile_commands.json for editors (clangd and friends), for this LAB and
# SOL: every C file with the command that builds it (from solutions/ when
# SOL takes it), plus the flag that keeps clang quiet about GCC-only warning
# options. Assembly files are left out: clang's tools read only C.
COMPDB ?= compile_commands.json
COMPDB_CLANG := -Wno-unknown-warning-option
compdb_entry = $(if $(filter %.c,$(1)),$(call resolve,$(1))	$(2) $(COMPDB_CLANG) -c $(call resolve,$(1))$(newline))
define newline


endef
COMPDB_LINES = $(foreach s,$(HV_SRCS) $(LIB_SRCS),$(call compdb_entry,$(s),$(CC32) $(HV_CFLAGS))) \
	$(foreach s,$(GUEST_KERNEL_SRCS) $(GUEST_PROGRAMS),$(call compdb_entry,$(s),$(CC32) $(GUEST_CFLAGS))) \
	$(foreach s,$(HOST_SRCS) $(TEST_SRCS) $(GRADER_LIB_SRCS),$(call compdb_entry,$(s),$(HOSTCC) $(HOST_CFLAGS))) \
	$(foreach s,$(DRIVER_SRCS),$(call compdb_entry,$(s),$(HOSTCC) $(DRIVER_CFLAGS)))

compdb: $(B)/graded-tests.inc
	$(file >$(B)/compdb.tsv,$(COMPDB_LINES))
	@sed 's/^ *//; /^$$/d' $(B)/compdb.tsv | tools/compdb-json "$(CURDIR)" >$(COMPDB)
	@echo "Wrote $(COMPDB) for $(CONFIG): $$(grep -c '"file"' $(COMPDB)) C files"

doctor:
	@tools/doctor

clean:
	rm -rf build

# One house style for every C file (.clang-format; make check fails on a
# file that is not in it).
format:
	@tools/format

.PHONY: handout set-lab compdb doctor clean format
