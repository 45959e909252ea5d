/* spin: never ends. For the grader's own tests: a hung student kernel. */
#include "guest.h"

void guest_main(const struct koan_start_info *si)
{
	(void)si;
	gprintf("spinning forever\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}
