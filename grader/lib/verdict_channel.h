/*
 * How a test's end reaches the judge. A test body runs in check's child
 * process, next to the code under test; that code may end the process
 * itself (exit(0), _exit(0), a signal), which check alone would take for a
 * pass. So a test passes only if check says so and the body also ran to its
 * end and said so here, with a nonce the judge chose for this run.
 */
#ifndef KOAN_VERDICT_CHANNEL_H
#define KOAN_VERDICT_CHANNEL_H

enum test_end {
	TEST_END_NONE,	  /* nothing came: the body did not reach its end */
	TEST_END_DONE,	  /* the body returned */
	TEST_END_NOT_RUN, /* koan_not_run() */
};

/* The judge, before the test: a fresh nonce and the channel. */
void verdict_channel_open(void);

/* The test's own process: report how it ended (once; later calls and
 * anything else on the channel are ignored by the judge). */
void verdict_channel_report(enum test_end end);

/* The judge, after the test: what the first well-formed report said. */
enum test_end verdict_channel_result(void);

#endif
