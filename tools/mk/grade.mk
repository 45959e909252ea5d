# Grading one configuration, and the kit's own check.
#
#   make grade LAB=n [SOL=...] [RESULTS=results.json] [JUNIT=file] [JOBS=j] [ONLY=text]
#
# The build happens first, with its output in $(B)/build.log. If it fails,
# the grader still runs and reports every test as failed, with the
# compiler's errors: a build failure is a grade, not a crash.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
JUNIT ?= $(B)/junit.xml
RESULTS ?=
EXPECT ?=
ONLY ?=

grade-build: hypervisor guests tests

grade:
	@echo "Building $(CONFIG) (labs 1-$(LAB); solutions: $(SOL_TAG)); log in $(B)/build.log"
	@mkdir -p $(B); if $(MAKE) -k --no-print-directory grade-build >$(B)/build.log 2>&1; then \
		rm -f $(B)/build.failed; else touch $(B)/build.failed; fi
	@$(MAKE) --no-print-directory $(B)/koan-grade >$(B)/driver-build.log 2>&1 || \
		{ cat $(B)/driver-build.log; echo "grade: the grader itself failed to build"; exit 2; }
	@$(B)/koan-grade --lab $(LAB) --tests $(B)/koan-tests --jobs $(JOBS) --junit $(JUNIT) \
		$(if $(RESULTS),--results $(RESULTS)) $(if $(EXPECT),--expect $(EXPECT)) \
		$(if $(ONLY),--only $(ONLY)) \
		$$([ -f $(B)/build.failed ] && echo --build-failed $(B)/build.log)

# The kit's own test suite: skeletons in sync with the solutions, every
# graded test passing on the solutions and failing on its lab's skeleton,
# and the grader's self-tests. Ends with "N passed, N failed".
check:
	@tools/check-all

# How strong the graded tests of lab LAB are: mutants of its solution
# regions, each graded (tools/mutate; instructors; takes a while).
MUTANTS_MAX ?= 0
mutants:
	@tools/mutate $(LAB) $(if $(filter-out 0,$(MUTANTS_MAX)),--max $(MUTANTS_MAX))

.PHONY: grade grade-build check mutants
