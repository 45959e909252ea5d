/* The guest kernel's traps, system calls and ring 3 (lab 3). */
#ifndef KOAN_GUEST_TRAPS_H
#define KOAN_GUEST_TRAPS_H

#include <stdint.h>

/* What a trap stub saved (pushal), lowest address first. */
struct gregs {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
};

struct gframe {
	struct gregs r;
	uint32_t eip, cs, eflags;
};

struct gframe_error {
	struct gregs r;
	uint32_t error, eip, cs, eflags;
};

struct gframe_pf {
	struct gregs r;
	uint32_t cr2, error, eip, cs, eflags;
};

/* System calls, from ring 3: %eax = number, %ebx, %ecx = arguments. */
#define SYS_WRITE 0  /* (buffer, length) to the console */
#define SYS_RESULT 1 /* (buffer, length) a line on the result channel */
#define SYS_EXIT 2   /* (code) back to the kernel */
#define SYS_NULL 3   /* nothing: for timing */

/* Register the handlers and the ring-1 stack with the hypervisor.
 * Returns 0 or the first hypercall's error. */
int guest_traps_init(void);

/* What the kernel learned from the traps it handled, for programs to report. */
struct trap_log {
	unsigned simple; /* #DE and #UD handled */
	unsigned gp;	 /* #GP handled (details of the first) */
	uint32_t gp_error, gp_cs;
	uint32_t gp_last_error; /* and the last one's error code */
	unsigned page_faults;	/* demand-mapped pages */
	uint32_t pf_cr2, pf_error;
	unsigned syscalls;
};
extern struct trap_log trap_log;

/* Run `entry` in ring 3 on `user_stack_top`; returns its exit code. */
int enter_user(void (*entry)(void), uint32_t user_stack_top);

/* From ring 3: the system calls, through the fast gate or the slow one. */
int32_t usys(uint32_t nr, uint32_t a1, uint32_t a2);
int32_t usys_slow(uint32_t nr, uint32_t a1, uint32_t a2);

#endif
