/*
 * What a graded test file includes: check, the KTEST macro, and the helpers
 * for QEMU scenarios and for reporting a failure so that a student can act
 * on it.
 */
#ifndef KOAN_TEST_H
#define KOAN_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * KTEST(ident) { ... } defines a graded test. `ident` must also appear in a
 * GRADED(...) line of the lab's tests/graded.def, which gives its name,
 * points, time limit and hint. Like check's START_TEST, but the test is
 * visible to tests_main.c (not static), and its body reports on the
 * verdict channel that it ran to its end (verdict_channel.h): a process
 * ended early by the code under test does not pass.
 */
#define KTEST(ident)                                                                      \
	static void ident##_body(void);                                                   \
	static void ident##_fn(int _i CK_ATTRIBUTE_UNUSED)                                \
	{                                                                                 \
		ident##_body();                                                           \
		koan_test_completed();                                                    \
	}                                                                                 \
	static const TTest ident##_ttest = { "" #ident, ident##_fn, __FILE__, __LINE__ }; \
	const TTest *ident = &ident##_ttest;                                              \
	static void ident##_body(void)

/* Called by KTEST after the body: the test ran to its end. */
void koan_test_completed(void);

/* The test cannot run here (say why): reported as "not run", never as passed. */
void koan_not_run(const char *reason) __attribute__((noreturn));

/* The name of the test being run ("lab1/boot-banner"), for log file names. */
extern const char *koan_current_test;

/* A fresh random token of 8 hex digits, to put on a command line and look
 * for in the output: output that was not computed cannot contain it. */
const char *random_token(void);

/* The build folder of the configuration under test (build/lab1-sol1). */
const char *build_dir(void);

/* Has /dev/kvm usable? */
bool kvm_usable(void);

#endif
