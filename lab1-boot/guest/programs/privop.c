/*
 * privop: executes the instruction its command line names (op=...), so the
 * grader can watch what the hypervisor does with it. Some are emulated
 * (cli, sti, hlt, in/out on the two UARTs), the rest must crash only this
 * domain with a report.
 */
#include "guest.h"

static void do_cli_hlt(void)
{
	__asm__ volatile("cli; hlt");
}
static void do_sti_hlt(void)
{
	__asm__ volatile("sti; hlt");
}
static void do_mov_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
}
static void do_lgdt(void)
{
	static uint8_t pd[6];
	__asm__ volatile("lgdt %0" : : "m"(pd));
}
static void do_wbinvd(void)
{
	__asm__ volatile("wbinvd");
}
static void do_port80(void)
{
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
}
static void do_exit_port(void)
{
	__asm__ volatile("outl %%eax, $0xf4" : : "a"(0));
}
static void do_ud2(void)
{
	__asm__ volatile("ud2");
}
static void do_int3(void)
{
	__asm__ volatile("int3");
}
static void do_div0(void)
{
	/* In assembly: the compiler may turn a C division by a known zero into
	 * something else, since it is undefined behaviour. */
	__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx" ::
				 : "eax", "ecx", "edx");
}
static void do_page_fault(void)
{
	/* 128 MB: beyond the 64 MB the boot page tables map. */
	*(volatile uint32_t *)0x08000000 = 1;
}

static void do_poke_hypervisor(void)
{
	/* The hypervisor's image is at 1 MB physical: lab 1 unmaps it from the
	 * guests' view after boot. */
	*(volatile uint32_t *)0x00100000 = 0xdeadbeef;
}

/*
 * iret with EFLAGS.VM set, IOPL 3 and IF clear, to 0000:7c00. A real CPU
 * ignores VM in an iret below ring 0; QEMU's TCG enters virtual-8086 mode,
 * where `cli; jmp .` would keep the CPU for good. The frame of that iret:
 * eip, cs, eflags, esp, ss, then es, ds, fs, gs (SDM Vol. 3A, 20.2.7).
 */
static void do_vm86(void)
{
	__asm__ volatile("pushl $0; pushl $0; pushl $0; pushl $0\n\t" /* gs fs ds es */
			 "pushl $0; pushl $0x7000\n\t"		      /* ss esp */
			 "pushl $0x23002\n\t"			      /* VM | IOPL 3 | bit 1 */
			 "pushl $0; pushl $0x7c00\n\t"		      /* cs eip */
			 "iret");
}

/* The UARTs' registers as the emulation must show them: one result line
 * with what each access left in %eax (its upper part preset: an access of
 * 1 or 2 bytes must leave the rest alone). */
static uint32_t in_byte(uint16_t port, uint32_t eax)
{
	__asm__ volatile("inb %%dx, %%al" : "+a"(eax) : "d"(port));
	return eax;
}
static uint32_t in_word(uint16_t port, uint32_t eax)
{
	__asm__ volatile("inw %%dx, %%ax" : "+a"(eax) : "d"(port));
	return eax;
}
static uint32_t in_long(uint16_t port, uint32_t eax)
{
	__asm__ volatile("inl %%dx, %%eax" : "+a"(eax) : "d"(port));
	return eax;
}
static void do_uart_registers(void)
{
	uint32_t lsr1 = in_byte(0x3FD, 0x12345600u), lsr2 = in_byte(0x2FD, 0xCAFE0000u);
	uint32_t ier = in_word(0x3F9, 0xAABBCCDDu), msr = in_long(0x2FE, 0xFFFFFFFFu);
	uint32_t rbr = in_byte(0x3F8, 0x11111111u),
		 scr = in_byte(0x2FF, 0x22222222u); /* first, last */

	/* Writes to the other registers are taken and ignored; a wide out to a
	 * data port sends its low byte. */
	__asm__ volatile("outb %%al, %%dx" : : "a"(0x83), "d"(0x3FB));
	__asm__ volatile("outw %%ax, %%dx" : : "a"(0x0101), "d"(0x2F9));
	__asm__ volatile("outl %%eax, %%dx" : : "a"(0x7777772Au), "d"(0x3F8)); /* '*' */
	__asm__ volatile("outb %%al, %%dx" : : "a"('\n'), "d"(0x3F8));
	result("uart lsr1=0x%x lsr2=0x%x ier=0x%x msr=0x%x rbr=0x%x scr=0x%x", lsr1, lsr2, ier, msr,
	       rbr, scr);
}

/* The first port after each UART's eight: not emulated. */
static void do_port_past_console(void)
{
	__asm__ volatile("outb %%al, %%dx" : : "a"(0), "d"(0x3F8 + 8));
}
static void do_port_past_results(void)
{
	__asm__ volatile("outb %%al, %%dx" : : "a"(0), "d"(0x2F8 + 8));
}

/*
 * A one-byte privileged instruction on the last byte of the guest's memory,
 * nothing mapped after it. Emulated, it leaves eip on the first byte past
 * it, where the fetch faults. Lab 1's guests may use RAM up to 64 MB
 * (hv/identity_model.c, with the grader's -m 128); from lab 2 on the start
 * info goes on with the domain's size and where it is mapped (nr_pages,
 * first_va: public/memory.h; fields are only ever added at the end).
 */
static void do_cli_at_end(void)
{
	uint32_t end = 0x04000000u;

	if (start_info->version >= 2) {
		const uint32_t *paging = (const uint32_t *)(start_info + 1);
		end = paging[1] + paging[0] * 4096u;
	}
	volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)(end - 1);
	result("cli-at=0x%x", end - 1);
	*last = 0xFA; /* cli */
	((void (*)(void))(uintptr_t)last)();
}

static const struct guest_op ops[] = {
	{ "cli-hlt", do_cli_hlt },
	{ "sti-hlt", do_sti_hlt },
	{ "mov-cr3", do_mov_cr3 },
	{ "lgdt", do_lgdt },
	{ "wbinvd", do_wbinvd },
	{ "port80", do_port80 },
	{ "exit-port", do_exit_port },
	{ "ud2", do_ud2 },
	{ "int3", do_int3 },
	{ "div0", do_div0 },
	{ "page-fault", do_page_fault },
	{ "poke-hypervisor", do_poke_hypervisor },
	{ "vm86", do_vm86 },
	{ "uart-registers", do_uart_registers },
	{ "port-past-console", do_port_past_console },
	{ "port-past-results", do_port_past_results },
	{ "cli-at-end", do_cli_at_end },
};

void guest_main(const struct koan_start_info *si)
{
	const struct guest_op *op = guest_find_op(ops, sizeof(ops) / sizeof(ops[0]));

	(void)si;
	if (!op) {
		gprintf("usage: privop op=NAME (cli-hlt, sti-hlt, mov-cr3, ...)\n");
		result("unknown-op");
		return;
	}
	gprintf("executing %s\n", op->name);
	result("before %s", op->name);
	op->run();
	result("after %s", op->name);
}
