/*
 * kmain(): the hypervisor's C entry, called by boot.S with paging on.
 * Set up the CPU tables, read what the boot loader gave us, say what we
 * found, run the labs' initcalls, then run the guests.
 */
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/domain.h>
#include <koan/guard.h>
#include <koan/gdt.h>
#include <koan/init.h>
#include <koan/multiboot.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/trap.h>
#include <koan/x86.h>

#ifndef KOAN_BUILD
#define KOAN_BUILD "unknown build"
#endif

static struct boot_info boot_info;

extern const initcall_fn __initcall_start[], __initcall_end[];

void run_initcalls(void)
{
	for (const initcall_fn *fn = __initcall_start; fn < __initcall_end; fn++)
		(*fn)();
}

static const char *region_type_name(uint32_t type)
{
	return type == MMAP_TYPE_RAM ? "usable" : "reserved";
}

static void print_memory_map(const struct boot_info *bi)
{
	kprintf("memory map (from the boot loader):\n");
	for (int i = 0; i < bi->nr_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		kprintf("  [0x%09llx - 0x%09llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->len - 1), region_type_name(r->type));
		report("mem base=0x%llx len=0x%llx type=%u", (unsigned long long)r->base,
		       (unsigned long long)r->len, r->type);
	}
	uint64_t usable = boot_usable_bytes(bi);
	kprintf("  %llu KB usable\n", (unsigned long long)(usable >> 10));
	report("mem-total usable_kb=%llu", (unsigned long long)(usable >> 10));
}

static void print_modules(const struct boot_info *bi)
{
	kprintf("%d module(s):\n", bi->nr_modules);
	for (int i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];
		kprintf("  %d: 0x%08x - 0x%08x (%u bytes) \"%s\"\n", i, m->start, m->end,
			m->end - m->start, m->cmdline);
		report("module idx=%d start=0x%x size=%u cmdline=%s", i, m->start,
		       m->end - m->start, m->cmdline);
	}
}

static void print_banner(void)
{
	kprintf("\nKoan hypervisor (%s)\n", KOAN_BUILD);
}

void selftest(const char *cmdline);

/*
 * Name every word of the command line that is no declared option. The
 * first word is the image's own name when the loader passes one (QEMU's
 * -kernel and GRUB both do): a word without '=' in first place is skipped.
 */
static void check_options(const char *cmdline)
{
	bool first = true;

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		size_t len = 0, key = 0;
		while (p[len] && p[len] != ' ')
			len++;
		while (key < len && p[key] != '=')
			key++;
		if (len && !(first && key == len) && !hv_option_known(p, key)) {
			kprintf("[hv] '%.*s' on the command line is not an option: ignored\n",
				(int)len, p);
			report("option-unknown word=%.*s", (int)len, p);
		}
		first = first && len == 0;
		p += len;
	}
}

void kmain(uint32_t magic, uint32_t mbi_phys)
{
	console_init();
	print_banner();
	gdt_init();
	idt_init();
	/* No hardware breakpoint of ours may fire, in a guest or here. Guests
	 * cannot set one: mov to a debug register is privileged. */
	write_dr7(0);
	drop_low_identity_map();
	report("boot build=%s", KOAN_BUILD);

	int err = multiboot_parse(magic, mbi_phys, phys_range, &boot_info);
	hv_cmdline = boot_info.cmdline;
	guard_init(hv_cmdline);
	kprintf("command line: \"%s\"\n", hv_cmdline);
	check_options(hv_cmdline);
	if (err) {
		kprintf("[hv] boot information: %s\n", multiboot_strerror(err));
		report("mem-error err=%d", err);
	} else {
		print_memory_map(&boot_info);
	}
	print_modules(&boot_info);
	run_initcalls();
	selftest(hv_cmdline);

	domains_create(&boot_info);
	domains_run();
}
