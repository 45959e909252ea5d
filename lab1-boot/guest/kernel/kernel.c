/* The guest kernel's C entry and exit. */
#include <koan/cmdline.h>

#include "guest.h"

const struct koan_start_info *start_info;

void guest_kernel_start(const struct koan_start_info *si)
{
	start_info = si;
	if (si->magic != KOAN_START_INFO_MAGIC) {
		gputs("guest: bad start info magic; stopping\n");
		result("start-info-bad");
		guest_exit();
	}
	/* The grader's per-run token (runtoken=...), first, so that results not made
	 * by this run cannot pass for its own. */
	char run[16];
	if (guest_arg("runtoken", run, sizeof(run)))
		result("runtoken=%s", run);
	guest_main(si);
	guest_exit();
}

void guest_exit(void)
{
	for (;;)
		__asm__ volatile("cli; hlt"); /* trapped and emulated: ends the domain */
}

const char *guest_arg(const char *key, char *buf, unsigned size)
{
	return cmdline_get(start_info->cmdline, key, buf, size) ? buf : 0;
}

const struct guest_op *guest_find_op(const struct guest_op *ops, unsigned n)
{
	char name[32];

	if (!guest_arg("op", name, sizeof(name)))
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return 0;
}
