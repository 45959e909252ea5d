/*
 * hello: the first guest. Says who and where it is, on the console and on
 * the result channel, echoing anything in `token=` so the grader can tell
 * that this run's command line really arrived.
 */
#include "guest.h"

void guest_main(const struct koan_start_info *si)
{
	char token[64];

	gprintf("hello from domain %u, running in ring %u\n", si->domain_id, current_ring());
	gprintf("my command line is \"%s\"\n", si->cmdline);
	gprintf("my image spans 0x%08x-0x%08x\n", si->image_start, si->image_end);
	result("ring=%u", current_ring());
	result("domain=%u", si->domain_id);
	if (guest_arg("token", token, sizeof(token)))
		result("token=%s", token);
	result("bye");
}
