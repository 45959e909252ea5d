/*
 * The guest kernel's trap handlers (from lab 3 on, the hypervisor bounces
 * the guest's exceptions here) and its system calls.
 *   #DE, #UD  counted and skipped (the test programs cause them on purpose)
 *   #GP       counted and skipped over the faulting `int n`/`in`/`out`
 *   #PF       demand paging: a page of ours is mapped where the fault was,
 *             if that is in the spare range past our memory
 */
#include <koan/pte.h>
#include <public/layout.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "traps.h"

struct trap_log trap_log;

void gtrap_de(void), gtrap_ud(void), gtrap_gp(void), gtrap_pf(void);
void gsys_fast(void), gsys_slow(void);
void leave_user(int code) __attribute__((noreturn));

static uint8_t ring1_trap_stack[8192] __attribute__((aligned(16)));

int guest_traps_init(void)
{
	const struct koan_trap_info table[] = {
		{ 0, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)gtrap_de },
		{ 6, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)gtrap_ud },
		{ 13, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)gtrap_gp },
		{ 14, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)gtrap_pf },
		{ KOAN_FAST_SYSCALL_VECTOR, 3, KOAN_GUEST_KERNEL_CS,
		  (uint32_t)(uintptr_t)gsys_fast },
		{ KOAN_SLOW_SYSCALL_VECTOR, 3, KOAN_GUEST_KERNEL_CS,
		  (uint32_t)(uintptr_t)gsys_slow },
		{ 0, 0, 0, 0 },
	};
	int err = hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)table, 0, 0);
	if (err)
		return err;
	return hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS,
			  (uint32_t)(uintptr_t)(ring1_trap_stack + sizeof(ring1_trap_stack)), 0);
}

/* Skip the instruction at eip: the ones our test programs fault on. */
static uint32_t length_at(uint32_t eip)
{
	const uint8_t *p = (const uint8_t *)eip;

	switch (p[0]) {
	case 0x0F: return p[1] == 0x22 ? 3 : 2; /* mov to %crN; ud2 */
	case 0xCD: return 2;			/* int n */
	case 0xF7: return 2;			/* div %reg */
	case 0xE6:
	case 0xE4: return 2;
	default: return 1; /* in/out via %dx, cli, sti, hlt */
	}
}

void guest_trap_simple(struct gframe *f)
{
	trap_log.simple++;
	f->eip += length_at(f->eip);
}

void guest_trap_error(struct gframe_error *f)
{
	if (trap_log.gp++ == 0) { /* keep the first one's details */
		trap_log.gp_error = f->error;
		trap_log.gp_cs = f->cs;
	}
	trap_log.gp_last_error = f->error;
	f->eip += length_at(f->eip);
}

void guest_trap_page_fault(struct gframe_pf *f)
{
	const struct koan_start_info_paging *si = paging_info();
	uint32_t spare = si->first_va + si->nr_pages * KOAN_PAGE_SIZE;
	uint32_t page = f->cr2 & PTE_FRAME_MASK;

	trap_log.pf_cr2 = f->cr2;
	trap_log.pf_error = f->error;
	if (page < spare || page >= spare + 64 * KOAN_PAGE_SIZE) {
		gprintf("guest: page fault at 0x%08x (error 0x%x) outside the demand area: "
			"stopping\n",
			f->cr2, f->error);
		result("unexpected-page-fault cr2=0x%x", f->cr2);
		guest_exit();
	}
	uint32_t frame = va_to_mfn(alloc_page());
	hc_update_va_mapping(page, pte_make(frame, PTE_P | PTE_RW | PTE_US), KOAN_UVMF_INVLPG);
	trap_log.page_faults++;
}

void guest_syscall(struct gframe *f)
{
	const char *buf = (const char *)f->r.ebx;

	trap_log.syscalls++;
	switch (f->r.eax) {
	case SYS_WRITE:
		console_write(buf, f->r.ecx);
		f->r.eax = 0;
		break;
	case SYS_RESULT:
		result("%.*s", (int)f->r.ecx, buf);
		f->r.eax = 0;
		break;
	case SYS_EXIT: leave_user((int)f->r.ebx);
	case SYS_NULL: f->r.eax = 0; break;
	default: f->r.eax = (uint32_t)-1;
	}
}

int32_t usys(uint32_t nr, uint32_t a1, uint32_t a2)
{
	int32_t ret;
	__asm__ volatile("int %[v]"
			 : "=a"(ret)
			 : [v] "i"(KOAN_FAST_SYSCALL_VECTOR), "a"(nr), "b"(a1), "c"(a2)
			 : "memory");
	return ret;
}

int32_t usys_slow(uint32_t nr, uint32_t a1, uint32_t a2)
{
	int32_t ret;
	__asm__ volatile("int %[v]"
			 : "=a"(ret)
			 : [v] "i"(KOAN_SLOW_SYSCALL_VECTOR), "a"(nr), "b"(a1), "c"(a2)
			 : "memory");
	return ret;
}
