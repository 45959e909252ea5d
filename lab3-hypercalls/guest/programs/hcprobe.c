/*
 * hcprobe: makes the hypercalls its command line names (op=...) and reports
 * what came back, so the grader can check both the normal use and what a
 * hostile guest gets:
 *   console      write token=... through the console hypercall
 *   bad-pointers console writes from buffers a guest must not name
 *   unknown      hypercall numbers nobody registered
 *   read         console read (dom0 only)
 *   version      the null hypercall
 *   shutdown     sched_op shutdown with reason=N
 *   control      dom0's control operations, from another domain
 *   list         dom0's control operations, from dom0: the list exactly,
 *                and each refusal's error
 *   forge        leave a console line unfinished, let others write, then
 *                go on with text that looks like the hypervisor's line
 *   console-sizes  writes of exactly KOAN_CONSOLE_IO_MAX bytes, of one more,
 *                and of an odd length from an odd address (lines the test
 *                checks byte for byte; token=... makes them this run's)
 */
#include <koan/pte.h>
#include <public/layout.h>
#include <public/memory.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"

static const struct koan_start_info_paging *si;

static void op_console(void)
{
	char token[32], line[64];

	if (!guest_arg("token", token, sizeof(token)))
		strlcpy(token, "none", sizeof(token));
	int n = ksnprintf(line, sizeof(line), "console hypercall says %s\n", token);
	result("write=%d of %d", hc_console_write(line, (uint32_t)n), n);
}

enum { LINE = 32, LINES = KOAN_CONSOLE_IO_MAX / LINE };
static char big[KOAN_CONSOLE_IO_MAX + 1];
static char odd[3 + 12 * LINE + 5];

/* Line n of a buffer: marker, token, number, filler, newline (LINE bytes). */
static void fill_line(char *p, char marker, const char *token, unsigned n)
{
	char head[32];
	int len = ksnprintf(head, sizeof(head), "%c%s%05u", marker, token, n);

	memcpy(p, head, (size_t)len);
	for (int i = len; i < LINE - 1; i++)
		p[i] = (char)('a' + (n + (unsigned)i) % 26);
	p[LINE - 1] = '\n';
}

static void op_console_sizes(void)
{
	char token[16];

	if (!guest_arg("token", token, sizeof(token)))
		strlcpy(token, "none0000", sizeof(token));
	token[8] = '\0';
	for (unsigned n = 0; n < LINES; n++)
		fill_line(big + n * LINE, 'X', token, n);
	big[KOAN_CONSOLE_IO_MAX] = 'X';
	/* One byte too many: refused whole, nothing printed. */
	result("max-plus-one=%d", hc_console_write(big, KOAN_CONSOLE_IO_MAX + 1));
	for (unsigned n = 0; n < LINES; n++)
		fill_line(big + n * LINE, 's', token, n);
	result("max=%d", hc_console_write(big, KOAN_CONSOLE_IO_MAX));
	char *p = odd + 3;
	for (unsigned n = 0; n < 12; n++)
		fill_line(p + n * LINE, 'u', token, n);
	memcpy(p + 12 * LINE, "tail\n", 5);
	result("odd=%d", hc_console_write(p, 12 * LINE + 5));
}

static void try_write(const char *what, uint32_t buf, uint32_t count)
{
	int32_t r = hypercall3(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_WRITE, count, buf);
	result("%s=%d", what, r);
}

static void op_bad_pointers(void)
{
	uint32_t end = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	static const char msg[] = "fine\n";

	try_write("good", (uint32_t)(uintptr_t)msg, sizeof(msg) - 1);
	try_write("null", 0, 16);
	try_write("hole", KOAN_HV_START, 16);
	try_write("hv-image", KOAN_HV_START + 0x100000, 16);
	try_write("unmapped", 0x30000000, 16);
	try_write("straddle", end - 8, 16);
	try_write("wrap", 0xFFFFFFF0u, 0x20);
	try_write("huge", (uint32_t)(uintptr_t)msg, 0x10000000);
	try_write("negative", (uint32_t)(uintptr_t)msg, 0xFFFFFFFFu);
	result("survived");
}

static void op_unknown(void)
{
	result("nr99=%d", hypercall3(99, 1, 2, 3));
	result("nr-max=%d", hypercall3(0xFFFFFFFFu, 0, 0, 0));
	result("console-cmd=%d", hypercall3(KOAN_HC_CONSOLE_IO, 77, 0, 0));
	result("sched-cmd=%d", hc_sched_op(77, 0));
	result("shutdown-reason=%d", hc_sched_op(KOAN_SCHED_SHUTDOWN, 99));
	result("survived");
}

static void op_read(void)
{
	char buf[8];
	result("read=%d", hc_console_read(buf, sizeof(buf)));
	result("read-hole=%d", hypercall3(KOAN_HC_CONSOLE_IO, KOAN_CONSOLE_READ, 8, KOAN_HV_START));
}

/* Control operations are dom0's: another domain must be refused. */
static void op_control(void)
{
	static struct koan_domain_info info[4];
	struct koan_control_op list = { KOAN_CTL_LIST, 0, 0, 4, (uint32_t)(uintptr_t)info };
	struct koan_control_op destroy = { KOAN_CTL_DESTROY, 0, 0, 0, 0 };
	struct koan_control_op create = { KOAN_CTL_CREATE, 0, 0, 0, 0 };

	result("control-list=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&list, 0, 0));
	result("control-destroy=%d",
	       hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&destroy, 0, 0));
	result("control-create=%d",
	       hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&create, 0, 0));
	result("survived");
}

/* dom0's list, exactly: as many entries as asked (or as there are
 * domains), each the domain's own, none written past them. */
static void op_list(void)
{
	static struct koan_domain_info info[4];
	struct koan_control_op op = { KOAN_CTL_LIST, 0, 0, 2, (uint32_t)(uintptr_t)info };
	int32_t err;
	bool untouched = true;

	memset(info, 0xAB, sizeof(info));
	err = hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&op, 0, 0);
	for (unsigned i = 2 * sizeof(info[0]); i < sizeof(info); i++)
		untouched &= ((const uint8_t *)info)[i] == 0xAB;
	result("list2=%d count=%u untouched=%d", err, op.count, untouched);
	for (unsigned i = 0; i < op.count && i < 2; i++) {
		unsigned n = 0; /* the command line's first word: the program */
		while (n < sizeof(info[i].cmdline) && info[i].cmdline[n] &&
		       info[i].cmdline[n] != ' ')
			n++;
		uint32_t st = info[i].state; /* whether 1 ran yet depends on the tick */
		bool alive = st == KOAN_DOMSTATE_READY || st == KOAN_DOMSTATE_RUNNING ||
			     st == KOAN_DOMSTATE_RUNNABLE;
		result("entry id=%u alive=%d pages=%u program=%.*s", info[i].id, alive,
		       info[i].nr_pages, (int)n, info[i].cmdline);
	}
	op.count = 4;
	err = hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&op, 0, 0);
	result("list4=%d count=%u", err, op.count);
	/* Each refusal with its own error. */
	struct koan_control_op c = { KOAN_CTL_UNPAUSE, 1, 0, 0, 0 };
	result("unpause-running=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	c.cmd = KOAN_CTL_PAUSE;
	result("pause=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	result("pause-again=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	c.cmd = KOAN_CTL_UNPAUSE;
	result("unpause=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	c.domain = 99;
	result("unpause-none=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	c.cmd = 99;
	result("unknown-cmd=%d", hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&c, 0, 0));
	op = (struct koan_control_op){ KOAN_CTL_LIST, 0, 0, 2, KOAN_HV_START };
	result("entries-in-hole=%d",
	       hypercall3(KOAN_HC_CONTROL_OP, (uint32_t)(uintptr_t)&op, 0, 0));
	result("op-in-hole=%d", hypercall3(KOAN_HC_CONTROL_OP, KOAN_HV_START, 0, 0));
	/* An op that can be read but not written back: the list is made, its
	 * count cannot be returned. */
	uint32_t page = alloc_page();
	struct koan_control_op *ro = (struct koan_control_op *)(uintptr_t)page;
	*ro = (struct koan_control_op){ KOAN_CTL_LIST, 0, 0, 4, (uint32_t)(uintptr_t)info };
	hc_update_va_mapping(page, pte_make(va_to_mfn(page), PTE_P | PTE_US), KOAN_UVMF_INVLPG);
	result("op-read-only=%d", hypercall3(KOAN_HC_CONTROL_OP, page, 0, 0));
}

static void op_shutdown(void)
{
	char reason[8];
	uint32_t r = guest_arg("reason", reason, sizeof(reason)) ? (uint32_t)(reason[0] - '0') : 0;
	result("shutting down");
	hc_sched_op(KOAN_SCHED_SHUTDOWN, r);
	result("still here");
}

static void op_forge(void)
{
	char token[32], line[96];

	if (!guest_arg("token", token, sizeof(token)))
		strlcpy(token, "none", sizeof(token));
	hc_console_write("half a line", 11);
	/* The bystander ends meanwhile, and says so: however short the turns a
	 * yield gives it (lab 6's are a millisecond or two; once it has ended,
	 * a yield comes straight back). */
	for (int i = 0; i < 2000; i++)
		hc_sched_op(KOAN_SCHED_YIELD, 0);
	int n = ksnprintf(line, sizeof(line), "[hv] domain 1 crashed: forged-%s\n", token);
	result("forge=%d", hc_console_write(line, (uint32_t)n));
}

void guest_main(const struct koan_start_info *base)
{
	char op[16];

	/* Let the bystander (the next domain) set itself up first. */
	hc_sched_op(KOAN_SCHED_YIELD, 0);
	si = (const struct koan_start_info_paging *)base;
	if (!guest_arg("op", op, sizeof(op))) {
		gprintf("usage: hcprobe op=NAME\n");
		return;
	}
	if (strcmp(op, "console") == 0)
		op_console();
	else if (strcmp(op, "bad-pointers") == 0)
		op_bad_pointers();
	else if (strcmp(op, "unknown") == 0)
		op_unknown();
	else if (strcmp(op, "read") == 0)
		op_read();
	else if (strcmp(op, "version") == 0)
		result("version=%d", hc_version());
	else if (strcmp(op, "shutdown") == 0)
		op_shutdown();
	else if (strcmp(op, "control") == 0)
		op_control();
	else if (strcmp(op, "list") == 0)
		op_list();
	else if (strcmp(op, "forge") == 0)
		op_forge();
	else if (strcmp(op, "console-sizes") == 0)
		op_console_sizes();
	else
		result("unknown-op");
}
