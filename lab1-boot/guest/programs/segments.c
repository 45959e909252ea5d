/*
 * segments: looks at the segments the hypervisor gave us. `lsl` (Load
 * Segment Limit) reads a descriptor's limit without touching memory, and
 * works under every CPU and emulator. With `read-hole`, also try to read the
 * hypervisor's first word: that must fault where limits are enforced.
 */
#include <public/layout.h>

#include "guest.h"

static uint32_t limit_of(uint16_t sel, int *ok)
{
	uint32_t limit = 0;
	uint8_t zf;

	__asm__ volatile("lsl %2, %0; setz %1" : "+r"(limit), "=q"(zf) : "r"((uint32_t)sel));
	*ok = zf;
	return limit;
}

static void report_limit(const char *name, uint16_t sel)
{
	int ok;
	uint32_t limit = limit_of(sel, &ok);

	gprintf("selector 0x%02x (%s): %s, limit 0x%08x\n", sel, name,
		ok ? "visible" : "not visible", limit);
	if (ok)
		result("limit %s=0x%x", name, limit);
	else
		result("limit %s=none", name);
}

void guest_main(const struct koan_start_info *si)
{
	char arg[8];
	uint16_t cs, ds, ss;

	__asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%ss, %2" : "=r"(cs), "=r"(ds), "=r"(ss));
	report_limit("cs", cs);
	report_limit("ds", ds);
	report_limit("ss", ss);
	report_limit("user-cs", KOAN_GUEST_USER_CS);
	report_limit("user-ds", KOAN_GUEST_USER_DS);
	result("limits-flag=%u", si->flags & KOAN_SIF_LIMITS_ENFORCED ? 1 : 0);

	if (guest_arg("read-hole", arg, sizeof(arg))) {
		gprintf("reading the hypervisor's memory at 0x%08x...\n", KOAN_HV_START);
		uint32_t word = *(volatile uint32_t *)KOAN_HV_START;
		gprintf("...and it worked (0x%08x): the segment limit was not enforced\n", word);
		result("hole-read succeeded");
	}
	result("bye");
}
