/* The frame audit's lines, as every lab-5 QEMU test checks them (frames_audit.h). */
#include <stdio.h>
#include <string.h>

#include "expect.h"
#include "frames_audit.h"
#include "koan_test.h"

void expect_frames_sound(const struct run *r, int domains)
{
	const char *p = r->results;
	int audits = 0;

	while ((p = strstr(p, "hv frames-audit after=")) != NULL) {
		const char *end = strchr(p, '\n');
		const char *ok = strstr(p, " bad=0 ");
		if (!ok || (end && ok > end))
			run_fail(r, "the frame audit found references that do not add up: %.*s",
				 (int)(end ? end - p : 80), p);
		audits++;
		p += 4;
	}
	if (audits == 0)
		run_fail(r, "no frame audit was reported (hv frames-audit)");
	if (domains > 0 && audits != domains)
		run_fail(r, "%d frame audits, one per domain's end expected (%d)", audits, domains);
	char last[16];
	last_result_value(r, "hv frames-audit ", "orphans", last, sizeof(last));
	if (strcmp(last, "0") != 0)
		run_fail(r,
			 "frames of a domain that ended were never freed (orphans=%s at the end)",
			 last);
}
