/*
 * What a later lab's guest kernel adds to dom0shell, by registration: more
 * commands (lab 4: connect two domains, show a domain's ports, sleep), and
 * a better way to wait for a key than giving up the CPU (lab 4: block until
 * console input arrives as an event). The linker gathers both (the
 * sections' __start_ and __stop_ symbols); without a later lab, none.
 */
#ifndef KOAN_GUEST_SHELL_H
#define KOAN_GUEST_SHELL_H

/* A command line's words at most: the name and up to five arguments
 * (lab 6's warp D W L U). */
#define SHELL_MAX_WORDS 6

struct shell_command {
	const char *name;
	const char *usage; /* its arguments, for help and errors */
	unsigned nargs;	   /* how many words follow the name */
	void (*run)(char **args);
};

#define SHELL_COMMAND(cmd)                                     \
	static const struct shell_command *const __shell_##cmd \
		__attribute__((used, section("shell_commands"), aligned(4))) = &cmd

struct shell_waiter {
	void (*wait_for_input)(void); /* returns when a key may be waiting */
};

#define SHELL_WAITER(w)                                            \
	static const struct shell_waiter *const __shell_waiter_##w \
		__attribute__((used, section("shell_waiters"), aligned(4))) = &w

#endif
