/*
 * The global descriptor table and the task-state segment.
 *
 *  index selector  what                         DPL  base  limit
 *  0     0x00      null
 *  1     0x08      hypervisor code               0    0    4 GB
 *  2     0x10      hypervisor data               0    0    4 GB
 *  3     0x19      guest kernel code (ring 1)    1    0    KOAN_HV_START - 1
 *  4     0x21      guest kernel data (ring 1)    1    0    KOAN_HV_START - 1
 *  5     0x2b      guest user code (ring 3)      3    0    KOAN_HV_START - 1
 *  6     0x33      guest user data (ring 3)      3    0    KOAN_HV_START - 1
 *  7     0x38      TSS                           0    &tss sizeof(tss) - 1
 *  8     0x40      limit probe (hv/limits.c)     0    KOAN_HV_START  4 KB
 *
 * The guest segments end where the hypervisor begins: paging cannot keep
 * ring 1 out of the hypervisor (rings 0-2 are all "supervisor" to the MMU),
 * the segment limits can (the paper, section 2.1.1).
 */
#include <stddef.h>

#include <koan/console.h>
#include <koan/gdt.h>
#include <koan/segdesc.h>
#include <koan/x86.h>
#include <public/layout.h>

/* The hypervisor's own flat segments, encoded once by hand. */
#define DESC_HV_CODE 0x00CF9A000000FFFFull
#define DESC_HV_DATA 0x00CF92000000FFFFull

struct tss {
	uint32_t link;
	uint32_t esp0, ss0; /* stack for traps into ring 0 */
	uint32_t esp1, ss1; /* stack for ring 3 -> ring 1 (used from lab 3 on) */
	uint32_t esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
	/* The I/O permission bitmap (SDM Vol. 1, 19.5.2): a clear bit lets
	 * rings 1-3 use that port directly. Ports from TSS_IO_PORTS on lie past
	 * the segment's limit and always trap; the CPU reads one byte past the
	 * bitmap, which must be all ones. */
	uint8_t io_bitmap[TSS_IO_PORTS / 8 + 1];
} __attribute__((packed));

_Static_assert(offsetof(struct tss, io_bitmap) == 104, "32-bit TSS layout (SDM Vol. 3A, 7.2.1)");

#define GDT_ENTRIES 9

/* Both in the trampoline (hv/guard.c), which guests' address spaces map
 * read-only: the CPU reads them on every trap from a guest. */
static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(8), section(".entry.data")));
static struct tss tss __attribute__((section(".entry.data")));
static const char *guest_problem;

static void check_guest_descriptor(int index, enum seg_kind kind, unsigned dpl)
{
	const char *why = segdesc_check_guest(gdt[index], kind, dpl);

	if (why && !guest_problem) {
		guest_problem = why;
		kprintf("[hv] GDT entry %d (a guest segment) is wrong: %s\n", index, why);
		report("gdt-bad entry=%d why=%s", index, why);
	}
}

#define DESC_S (1ull << 44)	   /* code or data */
#define DESC_ACCESSED (1ull << 40) /* type bit 0 */

/* The CPU sets a code or data descriptor's accessed bit the first time a
 * selector for it is loaded, by writing the GDT; on a read-only GDT (xpti
 * mode) that write would fault. So every such descriptor starts accessed. */
static void mark_accessed(void)
{
	for (int i = 1; i < GDT_ENTRIES; i++)
		if (gdt[i] & DESC_S)
			gdt[i] |= DESC_ACCESSED;
}

void gdt_init(void)
{
	gdt[1] = DESC_HV_CODE;
	gdt[2] = DESC_HV_DATA;
	gdt[3] = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 1);
	gdt[4] = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 1);
	gdt[5] = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_CODE, 3);
	gdt[6] = segdesc_make(0, KOAN_GUEST_SEG_LIMIT, SEG_DATA, 3);
	gdt[7] = segdesc_make_tss((uint32_t)(uintptr_t)&tss, sizeof(tss) - 1);
	gdt[8] = 0xFC40920000000FFFull; /* data, base KOAN_HV_START, limit 0xFFF bytes, DPL 0 */

	check_guest_descriptor(3, SEG_CODE, 1);
	check_guest_descriptor(4, SEG_DATA, 1);
	check_guest_descriptor(5, SEG_CODE, 3);
	check_guest_descriptor(6, SEG_DATA, 3);
	mark_accessed();

	struct pseudo_desc pd = { sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt };
	lgdt(&pd);
	gdt_reload_segments(HV_CS, HV_DS);

	tss.ss0 = HV_DS;
	/* Every port traps outside ring 0 until a lab opens some
	 * (tss_io_ports: lab 5 gives dom0 the disk's). */
	tss.iomap_base = offsetof(struct tss, io_bitmap);
	for (unsigned i = 0; i < sizeof(tss.io_bitmap); i++)
		tss.io_bitmap[i] = 0xFF;
	ltr(TSS_SEL);
}

const char *gdt_guest_problem(void)
{
	return guest_problem;
}

void tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}

void tss_io_ports(uint16_t first, uint16_t count, bool allowed)
{
	for (uint32_t port = first; port < (uint32_t)first + count && port < TSS_IO_PORTS; port++) {
		uint8_t bit = (uint8_t)(1u << (port % 8));
		tss.io_bitmap[port / 8] = allowed ? tss.io_bitmap[port / 8] & (uint8_t)~bit
						  : tss.io_bitmap[port / 8] | bit;
	}
}

void tss_set_guest_kernel_stack(uint32_t ss1, uint32_t esp1)
{
	tss.ss1 = ss1;
	tss.esp1 = esp1;
}
