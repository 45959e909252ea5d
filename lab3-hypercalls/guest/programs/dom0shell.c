/*
 * dom0shell: a small shell for domain 0 on the machine's console, to look
 * at and manage the other domains by hand (KOAN_HC_CONTROL_OP):
 *   help, list, create MODULE, pause DOMAIN, unpause DOMAIN, destroy DOMAIN,
 *   quit
 * It reads the console with the console hypercall (dom0 only), giving up
 * the CPU while nothing is typed, so the other domains keep running.
 */
#include <stdbool.h>

#include "guest.h"
#include "hypercall.h"

static const char *const state_names[] = { "refused", "ready",  "running", "runnable",
					   "paused",  "halted", "crashed" };

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
			hc_sched_op(KOAN_SCHED_YIELD, 0);
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
		const char *st = info[i].state < 7 ? state_names[info[i].state] : "?";
		gprintf("%3u  %-8s %6u  %s\n", info[i].id, st, info[i].nr_pages, info[i].cmdline);
		result("list id=%u state=%s pages=%u", info[i].id, st, info[i].nr_pages);
	}
}

/* "pause 3": the number after the command, or -1 if there is none. */
static int number_arg(const char *line)
{
	const char *p = strchr(line, ' ');

	while (p && *p == ' ')
		p++;
	return p && *p >= '0' && *p <= '9' ? (int)atou(p) : -1;
}

static void cmd_domain_op(const char *name, uint32_t cmd, const char *line)
{
	int n = number_arg(line);
	struct koan_control_op op = { cmd, (uint32_t)n, (uint32_t)n, 0, 0 };

	if (n < 0) {
		gprintf("usage: %s %s\n", name, cmd == KOAN_CTL_CREATE ? "MODULE" : "DOMAIN");
		result("%s usage", name);
		return;
	}
	int32_t err = control(&op);
	if (err < 0) {
		gprintf("%s %d: %s\n", name, n, error_text(err));
		result("%s %d error=%d", name, n, err);
	} else if (cmd == KOAN_CTL_CREATE) {
		gprintf("module %d is now domain %u\n", n, op.domain);
		result("create %d domain=%u", n, op.domain);
	} else {
		gprintf("%s %d: done\n", name, n);
		result("%s %d ok", name, n);
	}
}

static bool starts(const char *line, const char *word)
{
	size_t n = strlen(word);
	return strncmp(line, word, n) == 0 && (line[n] == '\0' || line[n] == ' ');
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
	for (;;) {
		gputs("koan> ");
		read_line(line, sizeof(line));
		if (line[0] == '\0')
			continue;
		if (starts(line, "help"))
			gprintf("list, create MODULE, pause DOMAIN, unpause DOMAIN, destroy DOMAIN, quit\n");
		else if (starts(line, "list"))
			cmd_list();
		else if (starts(line, "create"))
			cmd_domain_op("create", KOAN_CTL_CREATE, line);
		else if (starts(line, "pause"))
			cmd_domain_op("pause", KOAN_CTL_PAUSE, line);
		else if (starts(line, "unpause"))
			cmd_domain_op("unpause", KOAN_CTL_UNPAUSE, line);
		else if (starts(line, "destroy"))
			cmd_domain_op("destroy", KOAN_CTL_DESTROY, line);
		else if (starts(line, "quit"))
			break;
		else {
			gprintf("unknown command '%s': type help\n", line);
			result("unknown-command");
		}
	}
	result("shell-quit");
	hc_sched_op(KOAN_SCHED_SHUTDOWN, KOAN_SHUTDOWN_POWEROFF);
}
