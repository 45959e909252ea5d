/*
 * segments: looks at the segments the hypervisor gave us. `lsl` (Load
 * Segment Limit) reads a descriptor's limit without touching memory, and
 * works under every CPU and emulator. Then, with one of these on the
 * command line, it reaches for the hypervisor, which must fault: by the
 * segment limit where the CPU enforces it, else because the hypervisor is
 * not mapped, or mapped read-only (guard: xpti):
 *   read-hole    read the hypervisor's first word
 *   write-hole   write its code (its image starts 1 MB in)
 *   write-idt    write the IDT (sidt gives its address; any ring may ask)
 *   write-gdt    write the GDT (sgdt)
 *   write-tss    write the TSS's esp0 (str, then the TSS descriptor):
 *                where the CPU pushes the next trap frame, at ring 0
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

struct __attribute__((packed)) table_register {
	uint16_t limit;
	uint32_t base;
};

static uint32_t hypervisor_code(void)
{
	return KOAN_HV_START + 0x100000;
}

static uint32_t idt_address(void)
{
	struct table_register r;
	__asm__ volatile("sidt %0" : "=m"(r));
	return r.base;
}

static uint32_t gdt_address(void)
{
	struct table_register r;
	__asm__ volatile("sgdt %0" : "=m"(r));
	return r.base;
}

/* The TSS's base, from its descriptor in the GDT (which we may read: the
 * segment-limit case faults already here), plus 4: esp0. */
static uint32_t tss_esp0_address(void)
{
	uint16_t tr;
	__asm__ volatile("str %0" : "=r"(tr));
	const volatile uint32_t *d = (const volatile uint32_t *)(gdt_address() + (tr & ~7u));
	uint32_t base = (d[0] >> 16) | (d[1] & 0xFF) << 16 | (d[1] & 0xFF000000u);
	return base + 4;
}

static const struct {
	const char *name;
	uint32_t (*address)(void);
} targets[] = {
	{ "write-hole", hypervisor_code },
	{ "write-idt", idt_address },
	{ "write-gdt", gdt_address },
	{ "write-tss", tss_esp0_address },
};

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
		gprintf("...and it worked (0x%08x): nothing kept ring 1 out\n", word);
		result("hole-read succeeded");
	}
	for (unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (!guest_arg(targets[i].name, arg, sizeof(arg)))
			continue;
		volatile uint32_t *p = (volatile uint32_t *)targets[i].address();
		gprintf("%s: writing 0x%08x...\n", targets[i].name, (uint32_t)(uintptr_t)p);
		result("before %s", targets[i].name);
		*p = 0;
		gprintf("...and it worked: nothing kept ring 1 out\n");
		result("%s succeeded", targets[i].name);
	}
	result("bye");
}
