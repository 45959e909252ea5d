# Running the hypervisor by hand.
#
#   make qemu [MODULES="hello.elf greeting=hi,privop.elf op=cli-hlt"] [HVARGS=...]
#   make qemu-gdb, then `make gdb` in a second terminal
#   make demo     the complete hypervisor (all labs solved), ending by itself
#   make iso      $(B)/koan.iso, bootable with GRUB2
#
# MODULES is QEMU's -initrd list: guest files of $(B)/guests/ with their
# command lines, separated by commas. QEMU runs in $(B)/guests/.

MODULES ?= hello.elf greeting=hello,segments.elf,privop.elf op=sti-hlt
HVARGS ?=
GDBPORT ?= $(shell echo $$(( $$(id -u) % 5000 + 25000 )))
# Each module's ELF file (the first word between commas), for GDB's symbols.
GDB_GUEST ?= $(firstword $(subst $(comma), ,$(MODULES)))
GDB_GUESTS = $(shell printf '%s\n' "$(MODULES)" | tr ',' '\n' | \
	awk '{ printf "%s\"%s\"", (NR > 1 ? ", " : ""), $$1 }')

# ICOUNT=1: guest time advances with the instructions executed (-icount),
# so that a run, and where a timer tick falls in it, is the same every time.
ICOUNT ?=
# Devices a lab gives the machine (lab 5: the disk, MACHINE_FILES made first).
MACHINE_FLAGS ?=
MACHINE_FILES ?=
QEMU_RUN = cd $(B)/guests && $(QEMU) $(QEMU_FLAGS) $(MACHINE_FLAGS) $(if $(ICOUNT),-icount shift=0) -serial mon:stdio -serial file:../results.log \
	-kernel ../koan.elf -append "$(HVARGS)" -initrd "$(MODULES)"

qemu qemu-nox: all $(MACHINE_FILES)
	@echo "*** Koan $(CONFIG): serial console here, results in $(B)/results.log. Quit: Ctrl-a x"
	$(QEMU_RUN) || [ $$? -eq 33 ]

qemu-gdb: all $(B)/gdbinit $(MACHINE_FILES)
	@echo "*** Waiting for GDB on port $(GDBPORT). In another terminal:"
	@echo "    make gdb LAB=$(LAB) SOL=$(SOL) MODULES='$(MODULES)'"
	$(QEMU_RUN) -S -gdb tcp:127.0.0.1:$(GDBPORT) || [ $$? -eq 33 ]

# The stub listens on this machine only (127.0.0.1): nobody else can attach.
$(B)/gdbinit: FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PORT@|$(GDBPORT)|' -e 's|@HV@|$(B)/koan.elf|' \
		-e 's|@GUEST@|$(B)/guests/$(basename $(GDB_GUEST)).elf|' \
		-e 's|@GUESTS@|$(GDB_GUESTS)|' -e 's|@GUESTDIR@|$(B)/guests|' \
		-e 's|@KOANPY@|tools/gdb/koan.py|' tools/gdbinit.in >$@

gdb: $(B)/gdbinit
	$(GDB) -q -x $(B)/gdbinit

print-config:
	@echo $(CONFIG)

print-gdbport:
	@echo $(GDBPORT)

# The demo: every lab from solutions/, a few guests (each lab's lab.mk adds
# its own to DEMO_MODULES), and an end by itself.
demo:
	@$(MAKE) --no-print-directory LAB=$(LAB_MAX) SOL=all demo-run

demo-run: all $(MACHINE_FILES)
	@echo "*** Koan demo: the complete hypervisor ($(CONFIG)) with $(words $(subst $(comma), ,$(comma)$(subst $(space),,$(DEMO_MODULES)))) guests"
	@cd $(B)/guests && timeout 60 $(QEMU) $(QEMU_FLAGS) $(MACHINE_FLAGS) -serial stdio -serial file:../results.log \
		-kernel ../koan.elf -initrd "$(DEMO_MODULES)" </dev/null; status=$$?; \
	if [ $$status -eq 33 ]; then echo "*** demo finished: every domain ended (QEMU exit status 33)"; \
	else echo "*** demo FAILED: QEMU exit status $$status (see make doctor)"; exit 1; fi

# The benchmark (from lab 3 on: each lab.mk may set BENCH_MODULES), under
# each guard mode, then what the guard costs (tools/bench). QEMU runs with
# -icount, so the cycle counts follow the instructions executed and do not
# change with the host's load.
BENCH_MODULES ?=
BENCH_BLOCK ?=
bench: all
	@if [ -z "$(BENCH_MODULES)" ]; then echo "bench: no benchmark in labs 1-$(LAB) (it comes with lab 3)"; exit 1; fi
	@QEMU="$(QEMU)" tools/bench $(B) "$(BENCH_MODULES)" "$(BENCH_BLOCK)"

# A bootable ISO: GRUB2 loads the hypervisor with `multiboot` and the guests
# with `module`, each with its command line.
$(B)/koan.iso: all tools/mkiso FORCE
	$(Q)tools/mkiso $@ $(B)/koan.elf $(B)/guests "$(MODULES)" "$(HVARGS)"
	@echo "Built $@: boot it with 'make qemu-iso' or write it to a USB stick"

iso: $(B)/koan.iso

qemu-iso: $(B)/koan.iso
	$(QEMU) $(QEMU_FLAGS) -serial mon:stdio -serial file:$(B)/results.log -cdrom $(B)/koan.iso || [ $$? -eq 33 ]

.PHONY: qemu qemu-nox qemu-gdb gdb print-config print-gdbport demo demo-run iso qemu-iso bench
