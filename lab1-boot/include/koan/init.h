/*
 * Initcalls: how a lab adds its start-up code without editing lab 1's.
 * INITCALL(fn) puts a pointer to fn in the section .initcall.<level>; kmain()
 * calls them all, level by level, after the hypervisor's own set-up.
 * The same idea as Linux's initcalls.
 */
#ifndef KOAN_INIT_H
#define KOAN_INIT_H

typedef void (*initcall_fn)(void);

/* Levels, in calling order. */
#define INIT_EARLY 1  /* memory and CPU tables */
#define INIT_SUBSYS 2 /* subsystems: hypercalls, events, ... */
#define INIT_LATE 3   /* anything that needs the above */

/* Two steps so that `level` is expanded (INIT_EARLY -> 1) before it is
 * turned into the section name: the linker sorts the sections by name. */
#define INITCALL(level, fn) INITCALL_AT_(level, fn)
#define INITCALL_AT_(level, fn)                  \
	static const initcall_fn __initcall_##fn \
		__attribute__((used, section(".initcall." #level), aligned(4))) = fn

void run_initcalls(void);

#endif
