/* flood: prints without end. For the grader's own tests: output caps. */
#include "guest.h"

void guest_main(const struct koan_start_info *si)
{
	(void)si;
	for (unsigned n = 0;; n++)
		gprintf("flood line %u: the grader must cut this off\n", n);
}
