/*
 * QEMU scenarios: boot the hypervisor with some guest modules, wait until
 * the machine stops (or a timeout or an output cap stops it), and keep what
 * it printed: the console (COM1) and the result channel (COM2).
 */
#ifndef KOAN_SCENARIO_H
#define KOAN_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#define SCENARIO_MAX_MODULES 12 /* lab 6: dom0 and eight weighted domains */

struct scenario {
	/* Filled by scenario_init(): a fresh folder where the run happens, with
	 * koan.elf and every guest of the build linked in. A test may add files
	 * (a damaged ELF image, say) before scenario_run(). */
	char dir[256];

	const char *hv_args;			   /* hypervisor command line */
	const char *modules[SCENARIO_MAX_MODULES]; /* "hello.elf token=x": file in dir, then args */
	unsigned mem_mb;			   /* 0: 128 */
	unsigned timeout_ms;			   /* 0: 10000 */
	bool kvm;				   /* use KVM (check kvm_usable() first) */
	bool real_time;				   /* no -icount: guest time = host time */
	const char *console_input;		   /* typed on the console (COM1), or NULL */
	const char *iso;			   /* boot this ISO instead of -kernel */
	const char *disk; /* a raw disk image in dir, the machine's first IDE disk (lab 5) */
};

enum outcome {
	OUTCOME_DONE,	      /* the hypervisor ended normally: all domains finished */
	OUTCOME_PANIC,	      /* the hypervisor panicked */
	OUTCOME_TRIPLE_FAULT, /* the CPU reset (triple fault) */
	OUTCOME_TIMEOUT,      /* still running when time was up */
	OUTCOME_OUTPUT_CAP,   /* printed more than the cap */
	OUTCOME_QEMU_ERROR,   /* QEMU failed or ended in a way we do not expect */
};

struct run {
	enum outcome outcome;
	int qemu_status; /* exit status, or -signal */
	char *console;	 /* COM1, NUL-terminated, without CRs */
	size_t console_len;
	char *results; /* COM2 */
	size_t results_len;
	char *qemu_errors; /* QEMU's own stderr */
	double wall_s;
	double first_guest_line_s; /* when "[dN]" first appeared; < 0 if never */
	const struct scenario *sc;
	/* A fresh token per module, put on its command line as runtoken=TOKEN. Each
	 * guest kernel echoes it first ("dN runtoken=TOKEN"), and every domain that
	 * started must have: result lines that were not computed in this run
	 * cannot carry it (scenario_check_run_tokens). */
	char run_tokens[SCENARIO_MAX_MODULES][9];
};

void scenario_init(struct scenario *sc);
/* Runs it; never hangs (the timeout), never fails to return. */
void scenario_run(const struct scenario *sc, struct run *r);

const char *outcome_text(enum outcome o);

/* Called when a test's body has ended (KTEST): fails the test if one of its
 * runs had a started domain whose results lack that domain's run token. */
void scenario_check_run_tokens(void);

/* Write `len` bytes to a new file `name` in the scenario's folder. */
void scenario_write_file(const struct scenario *sc, const char *name, const void *data, size_t len);

/* Read a whole file of the build (relative to build_dir()); aborts the test if it cannot. */
void *read_build_file(const char *rel, size_t *len);

#endif
