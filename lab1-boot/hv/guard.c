/*
 * Keeping ring 1 out of the hypervisor (koan/guard.h): the two guard modes,
 * the trampoline that xpti mode leaves in a guest's address space, and the
 * page directory each side runs on.
 *
 * The trampoline, in xpti mode the only part of the hypervisor a guest's
 * directory maps (one page table in directory slot 1008, at the addresses
 * the hypervisor itself uses):
 *
 *   .entry.text   the trap entries and the way out      read-only
 *   .entry.data   IDT, GDT, TSS, guard_xpti, our %cr3   read-only
 *   .entry.stack  the entry stack (TSS esp0)             writable: the CPU
 *                                                        pushes frames there
 *
 * With CR0.WP set (hv/boot.S), read-only binds ring 1 too, though paging
 * counts it as supervisor. The M2P (lab 2) stays mapped, read-only, below.
 */
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/gdt.h>
#include <koan/guard.h>
#include <koan/kstring.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/x86.h>
#include <public/layout.h>

#define PAGE_SIZE 4096u
#define PDE_P 0x001u
#define PDE_W 0x002u
#define FIRST_HV_PDE (KOAN_HV_START >> 22)
#define PDES 1024u

extern uint32_t boot_page_directory[]; /* hv/boot.S: the hypervisor's own */
extern char _trampoline_text[], _trampoline_text_end[];
extern char _trampoline_data[], _trampoline_data_end[];
extern char _entry_stack[], _entry_stack_end[];

/* Read by the entry and exit paths (hv/trapentry.S), the first two while a
 * guest's directory may still be loaded: they are the trampoline's. */
uint8_t guard_xpti __attribute__((section(".entry.data")));
uint32_t guard_hv_cr3 __attribute__((section(".entry.data")));
uint32_t guard_guest_cr3;

HV_OPTION(guard, "segments or xpti: how ring 1 is kept out of the hypervisor");

static enum guard_mode mode;
static uint32_t trampoline_table[PDES] __attribute__((aligned(PAGE_SIZE)));
static unsigned trampoline_pde;
static bool entry_stack_dirty;

static uint32_t phys_of(const void *p)
{
	return (uint32_t)(uintptr_t)p - KOAN_HV_START;
}

bool guard_choose(bool limits_enforced, const char *option, enum guard_mode *m)
{
	*m = limits_enforced ? GUARD_SEGMENTS : GUARD_XPTI;
	if (!option)
		return true;
	if (strcmp(option, "segments") == 0)
		*m = GUARD_SEGMENTS;
	else if (strcmp(option, "xpti") == 0)
		*m = GUARD_XPTI;
	else
		return false;
	return true;
}

const char *guard_mode_name(enum guard_mode m)
{
	return m == GUARD_XPTI ? "xpti" : "segments";
}

enum guard_mode guard_mode(void)
{
	return mode;
}

/* Map [start, end) in the trampoline table, at the addresses we use. */
static void map_trampoline(const char *start, const char *end, bool writable)
{
	for (const char *p = start; p < end; p += PAGE_SIZE) {
		uint32_t va = (uint32_t)(uintptr_t)p;
		if ((va >> 22) != trampoline_pde)
			panic("the trampoline does not fit in one page table (0x%08x)", va);
		trampoline_table[(va >> 12) & (PDES - 1)] =
			phys_of(p) | PDE_P | (writable ? PDE_W : 0);
	}
}

static void say_mode(bool limits_enforced, bool forced)
{
	kprintf("the hypervisor owns 0x%08x-0xffffffff; guests run in ring 1; guard: %s\n",
		KOAN_HV_START, guard_mode_name(mode));
	if (mode == GUARD_XPTI)
		kprintf("  xpti: a guest's address space maps only the hypervisor's trampoline;\n"
			"  every trap switches to the hypervisor's page directory and back\n");
	else if (!limits_enforced)
		kprintf("  WARNING: segments (forced), but this CPU does not enforce segment "
			"limits:\n"
			"  ring 1 can read and write the hypervisor and every domain here\n");
	report("guard mode=%s limits=%d forced=%d", guard_mode_name(mode), limits_enforced, forced);
}

void guard_init(const char *cmdline)
{
	char option[16];
	bool limits = segment_limits_probe();
	bool forced = cmdline_get(cmdline, "guard", option, sizeof(option));

	if (!guard_choose(limits, forced ? option : 0, &mode)) {
		kprintf("[hv] guard=%s: not a guard mode (segments, xpti): using %s\n", option,
			guard_mode_name(mode));
		forced = false;
	}
	guard_xpti = mode == GUARD_XPTI;
	guard_hv_cr3 = phys_of(boot_page_directory);
	trampoline_pde = (uint32_t)(uintptr_t)_trampoline_text >> 22;
	map_trampoline(_trampoline_text, _trampoline_text_end, false);
	map_trampoline(_trampoline_data, _trampoline_data_end, false);
	map_trampoline(_entry_stack, _entry_stack_end, true);
	tss_set_kernel_stack(
		(uint32_t)(uintptr_t)(mode == GUARD_XPTI ? _entry_stack_end : boot_stack_top));
	say_mode(limits, forced);
}

void guard_set_hv_slots(uint32_t *directory, bool present)
{
	for (unsigned i = FIRST_HV_PDE; i < PDES; i++) {
		uint32_t pde = 0;
		if (present && mode == GUARD_SEGMENTS)
			pde = boot_page_directory[i];
		else if (present && i == trampoline_pde)
			pde = phys_of(trampoline_table) | PDE_P | PDE_W;
		directory[i] = pde;
	}
}

void guest_address_space_set(uint32_t cr3)
{
	guard_guest_cr3 = cr3;
	if (mode == GUARD_SEGMENTS)
		write_cr3(cr3 ? cr3 : guard_hv_cr3);
}

static bool on_entry_stack(const void *p)
{
	return (const char *)p >= _entry_stack && (const char *)p < _entry_stack_end;
}

/* A trap taken on the entry stack (the exit's iret faulted, or a #DB hit the
 * entry code) ran C there, and a frame from virtual-8086 mode is larger
 * than the rest: the next exit wipes the whole stack, so that no guest
 * finds anything of ours, or of another domain's, in it. */
void guard_entry_check(const struct trap_frame *tf)
{
	if (on_entry_stack(tf) || (tf->eflags & EFLAGS_VM))
		entry_stack_dirty = true;
}

void guard_exit_prepare(void)
{
	if (entry_stack_dirty) {
		memset(_entry_stack, 0, (size_t)(_entry_stack_end - _entry_stack));
		entry_stack_dirty = false;
	}
	if (mode == GUARD_XPTI && !guard_guest_cr3)
		panic("returning to a guest that has no page directory");
}

bool guard_in_entry_code(uint32_t eip)
{
	return eip >= (uint32_t)(uintptr_t)_trampoline_text &&
	       eip < (uint32_t)(uintptr_t)_trampoline_text_end;
}
