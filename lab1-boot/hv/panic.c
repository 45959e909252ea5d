/*
 * panic(): the hypervisor found itself broken. Print what we know (the
 * message, the registers if a trap brought us here, a backtrace with symbol
 * names), tell the grader, and stop the machine.
 */
#include <stdarg.h>

#include <koan/console.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/symtab.h>
#include <koan/trap.h>
#include <koan/x86.h>

#define BACKTRACE_MAX_FRAMES 16

extern char _start_image[], _etext[];

static bool on_hypervisor_stack(uint32_t addr)
{
	return addr >= (uint32_t)(uintptr_t)boot_stack &&
	       addr + 8 <= (uint32_t)(uintptr_t)boot_stack_top;
}

static void print_frame(int depth, uint32_t eip)
{
	const struct ksym *s = 0;

	if (eip >= (uint32_t)(uintptr_t)_start_image && eip < (uint32_t)(uintptr_t)_etext)
		s = symtab_lookup(ksyms, ksyms_count, eip);
	if (s)
		kprintf("[hv]   #%d 0x%08x %s+0x%x\n", depth, eip, s->name, eip - s->addr);
	else
		kprintf("[hv]   #%d 0x%08x ??\n", depth, eip);
}

/*
 * With frame pointers (-fno-omit-frame-pointer), every function starts with
 * push %ebp; mov %esp, %ebp. So [ebp] is the caller's ebp and [ebp + 4] the
 * return address into the caller. boot.S starts the chain with ebp = 0.
 */
void backtrace_from(uint32_t ebp)
{
	kprintf("[hv] backtrace:\n");
	for (int depth = 0; depth < BACKTRACE_MAX_FRAMES && ebp != 0; depth++) {
		if (!on_hypervisor_stack(ebp)) {
			kprintf("[hv]   (frame pointer 0x%08x is off the stack: stopping)\n", ebp);
			return;
		}
		const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
		print_frame(depth, frame[1]);
		ebp = frame[0];
	}
}

void print_registers(const struct trap_frame *tf)
{
	kprintf("[hv]   eax 0x%08x  ebx 0x%08x  ecx 0x%08x  edx 0x%08x\n", tf->eax, tf->ebx,
		tf->ecx, tf->edx);
	kprintf("[hv]   esi 0x%08x  edi 0x%08x  ebp 0x%08x  eflags 0x%08x\n", tf->esi, tf->edi,
		tf->ebp, tf->eflags);
	kprintf("[hv]   cs 0x%04x  ds 0x%04x  es 0x%04x  fs 0x%04x  gs 0x%04x", tf->cs, tf->ds,
		tf->es, tf->fs, tf->gs);
	if (trap_from_guest(tf))
		kprintf("  ss 0x%04x  esp 0x%08x", tf->ss, tf->esp);
	kprintf("\n");
}

static void stop(void) __attribute__((noreturn));
static void stop(void)
{
	kprintf("[hv] the hypervisor has stopped.\n");
	machine_exit(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	__asm__ volatile("cli");
	kprintf("\n[hv] PANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	report("panic");
	backtrace_from(read_ebp());
	stop();
}

void panic_trap(const struct trap_frame *tf)
{
	kprintf("\n[hv] PANIC: %s in the hypervisor, error code 0x%x, at eip 0x%08x\n",
		trap_name(tf->vector), tf->error, tf->eip);
	if (tf->vector == T_PF)
		kprintf("[hv]   faulting address (cr2) 0x%08x\n", read_cr2());
	print_registers(tf);
	report("panic vector=%u eip=0x%x", tf->vector, tf->eip);
	print_frame(-1, tf->eip);
	backtrace_from(tf->ebp);
	stop();
}
