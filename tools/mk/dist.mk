# The student handout, the compile database, the preflight, cleaning.

HANDOUT_TAR := build/koan-handout.tar.gz

# Everything git tracks, less the solutions and the instructor-only tests.
handout:
	@mkdir -p build
	@git ls-files | grep -v -e '^solutions/' -e '/tests/hidden/' -e '^\.ci/' >build/handout.list
	@tar -czf $(HANDOUT_TAR) --transform 's|^|koan/|' -T build/handout.list
	@echo "Wrote $(HANDOUT_TAR): $$(wc -l <build/handout.list) files, no solutions/, no hidden tests"

# compile_commands.json for editors (clangd and friends), for this configuration.
compdb:
	@{ echo '['; sep=''; \
	  $(foreach s,$(HV_SRCS) $(LIB_SRCS),printf '%s{"directory":"%s","file":"%s","command":"%s"}\n' "$$sep" "$(CURDIR)" "$(call resolve,$(s))" "$(subst ",\\\",$(CC32) $(HV_CFLAGS)) -c $(call resolve,$(s))"; sep=','; ) \
	  $(foreach s,$(GUEST_KERNEL_SRCS) $(GUEST_PROGRAMS),printf '%s{"directory":"%s","file":"%s","command":"%s"}\n' "$$sep" "$(CURDIR)" "$(call resolve,$(s))" "$(subst ",\\\",$(CC32) $(GUEST_CFLAGS)) -c $(call resolve,$(s))"; sep=','; ) \
	  $(foreach s,$(TEST_SRCS) $(GRADER_LIB_SRCS),printf '%s{"directory":"%s","file":"%s","command":"%s"}\n' "$$sep" "$(CURDIR)" "$(s)" "$(subst ",\\\",$(HOSTCC) $(HOST_CFLAGS)) -c $(s)"; sep=','; ) \
	  echo ']'; } >compile_commands.json
	@echo "Wrote compile_commands.json for $(CONFIG)"

doctor:
	@tools/doctor

clean:
	rm -rf build

.PHONY: handout compdb doctor clean
