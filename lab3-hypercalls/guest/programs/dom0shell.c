/*
 * dom0shell: a small shell for domain 0 on the machine's console, to look
 * at and manage the other domains by hand (KOAN_HC_CONTROL_OP):
 *   help, list, create MODULE, pause DOMAIN, unpause DOMAIN, destroy DOMAIN,
 *   quit
 * It reads the console with the console hypercall (dom0 only), giving up
 * the CPU while nothing is typed, so the other domains keep running. Later
 * labs register more commands and a better way to wait (shell.h).
 */
#include <stdbool.h>

#include "guest.h"
#include "hypercall.h"
#include "shell.h"

extern const struct shell_command *const __start_shell_commands[] __attribute__((weak));
extern const struct shell_command *const __stop_shell_commands[] __attribute__((weak));
extern const struct shell_waiter *const __start_shell_waiters[] __attribute__((weak));
extern const struct shell_waiter *const __stop_shell_waiters[] __attribute__((weak));

static void wait_for_input(void)
{
	const struct shell_waiter *const *w = __start_shell_waiters;

	if (w && w < __stop_shell_waiters)
		(*w)->wait_for_input();
	else
		hc_sched_op(KOAN_SCHED_YIELD, 0);
}

#define STATE_NAME_(name, value, text) [KOAN_DOMSTATE_##name] = text,
static const char *const state_names[KOAN_DOMSTATE_COUNT] = { KOAN_DOMSTATES(STATE_NAME_) };
#undef STATE_NAME_

static int32_t control(struct koan_control_op *op)
{
	return hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)op, 0, 0);
}

static const char *error_text(int32_t err)
{
	switch (-err) {
	case KOAN_EPERM: return "not allowed";
	case KOAN_ESRCH: return "no such domain (or it has ended, or it is this one)";
	case KOAN_EINVAL: return "not possible in that state (or no such module)";
	case KOAN_EFAULT: return "bad address";
	default: return "failed";
	}
}

/* Read one line into buf, echoing it; yields while nothing is typed. */
static void read_line(char *buf, unsigned size)
{
	unsigned n = 0;

	for (;;) {
		char c;
		if (hc_console_read(&c, 1) != 1) {
			wait_for_input();
			continue;
		}
		if (c == '\r' || c == '\n') {
			gputc('\n');
			buf[n] = '\0';
			return;
		}
		if ((c == 0x7F || c == '\b') && n > 0) {
			n--;
			gputs("\b \b");
		} else if (c >= ' ' && c < 0x7F && n + 1 < size) {
			buf[n++] = c;
			gputc(c);
		}
	}
}

static void cmd_list(void)
{
	static struct koan_domain_info info[16];
	struct koan_control_op op = { KOAN_CTL_LIST, 0, 0, 16, (uint32_t)(uintptr_t)info };
	int32_t err = control(&op);

	if (err < 0) {
		gprintf("list: %s\n", error_text(err));
		return;
	}
	gprintf(" id  state     pages  command line\n");
	for (uint32_t i = 0; i < op.count; i++) {
		const char *st =
			info[i].state < KOAN_DOMSTATE_COUNT ? state_names[info[i].state] : "?";
		gprintf("%3u  %-8s %6u  %s\n", info[i].id, st, info[i].nr_pages, info[i].cmdline);
		result("list id=%u state=%s pages=%u", info[i].id, st, info[i].nr_pages);
	}
}

/* Cut a line into its words (separated by spaces); returns how many, or
 * max + 1 if there are more than `max`. */
static unsigned split_words(char *line, char **words, unsigned max)
{
	unsigned n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		words[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

static void cmd_domain_op(const char *name, uint32_t cmd, char **words, unsigned nwords)
{
	const char *what = cmd == KOAN_CTL_CREATE ? "MODULE" : "DOMAIN";
	uint32_t n;

	if (nwords != 2) {
		gprintf("usage: %s %s\n", name, what);
		result("%s usage", name);
		return;
	}
	if (!parse_u32(words[1], &n)) {
		gprintf("%s: '%s' is not a %s number\n", name, words[1],
			cmd == KOAN_CTL_CREATE ? "module" : "domain");
		result("%s bad-number", name);
		return;
	}
	struct koan_control_op op = { cmd, n, n, 0, 0 };
	int32_t err = control(&op);
	if (err < 0) {
		gprintf("%s %u: %s\n", name, n, error_text(err));
		result("%s %u error=%d", name, n, err);
	} else if (err > 0) {
		/* The ABI's success is 0: anything else is the hypervisor's bug. */
		gprintf("%s %u: unexpected result %d\n", name, n, err);
		result("%s %u unexpected=%d", name, n, err);
	} else if (cmd == KOAN_CTL_CREATE) {
		gprintf("module %u is now domain %u\n", n, op.domain);
		result("create %u domain=%u", n, op.domain);
	} else {
		gprintf("%s %u: done\n", name, n);
		result("%s %u ok", name, n);
	}
}

static const struct {
	const char *name;
	uint32_t cmd;
} domain_ops[] = {
	{ "create", KOAN_CTL_CREATE },
	{ "pause", KOAN_CTL_PAUSE },
	{ "unpause", KOAN_CTL_UNPAUSE },
	{ "destroy", KOAN_CTL_DESTROY },
};

/* A later lab's command, if one has this name. */
static bool run_registered(char **words, unsigned n)
{
	for (const struct shell_command *const *c = __start_shell_commands;
	     c && c < __stop_shell_commands; c++) {
		if (strcmp(words[0], (*c)->name) != 0)
			continue;
		if (n != (*c)->nargs + 1) {
			gprintf("usage: %s %s\n", (*c)->name, (*c)->usage);
			result("%s usage", (*c)->name);
		} else {
			(*c)->run(words + 1);
		}
		return true;
	}
	return false;
}

/* One command line; false for quit. */
static bool run_command(char *line)
{
	char *words[SHELL_MAX_WORDS + 1];
	unsigned n = split_words(line, words, SHELL_MAX_WORDS);

	if (n == 0)
		return true;
	if (n <= SHELL_MAX_WORDS && run_registered(words, n))
		return true;
	for (unsigned i = 0; i < sizeof(domain_ops) / sizeof(domain_ops[0]); i++) {
		if (strcmp(words[0], domain_ops[i].name) == 0) {
			cmd_domain_op(domain_ops[i].name, domain_ops[i].cmd, words, n);
			return true;
		}
	}
	bool plain = strcmp(words[0], "help") == 0 || strcmp(words[0], "list") == 0 ||
		     strcmp(words[0], "quit") == 0;
	if (plain && n != 1) {
		gprintf("usage: %s (no arguments)\n", words[0]);
		result("%s usage", words[0]);
	} else if (strcmp(words[0], "help") == 0) {
		gprintf("list, create MODULE, pause DOMAIN, unpause DOMAIN, destroy DOMAIN, ");
		for (const struct shell_command *const *c = __start_shell_commands;
		     c && c < __stop_shell_commands; c++)
			gprintf("%s %s, ", (*c)->name, (*c)->usage);
		gprintf("quit\n");
	} else if (strcmp(words[0], "list") == 0) {
		cmd_list();
	} else if (strcmp(words[0], "quit") == 0) {
		return false;
	} else {
		gprintf("unknown command '%s': type help\n", words[0]);
		result("unknown-command");
	}
	return true;
}

void guest_main(const struct koan_start_info *si)
{
	char line[64];

	if (si->domain_id != 0) {
		gprintf("dom0shell: I must be domain 0\n");
		result("not-dom0");
		return;
	}
	gprintf("Koan dom0 shell. Type help.\n");
	do {
		gputs("koan> ");
		read_line(line, sizeof(line));
	} while (run_command(line));
	result("shell-quit");
	hc_sched_op(KOAN_SCHED_SHUTDOWN, KOAN_SHUTDOWN_POWEROFF);
}
