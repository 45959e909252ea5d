/*
 * usertask: the guest kernel registers its trap handlers and runs a task in
 * ring 3, which may only use system calls. It checks what happens when:
 *   the kernel itself divides by zero or hits ud2 (its handler skips them),
 *   the task makes a system call through the fast gate and the slow one,
 *   the task tries a hypercall, or port I/O (a #GP for its kernel),
 *   the task touches memory that is not mapped yet (demand paging).
 * The task runs in an address space of its own: the kernel's mappings and
 * a private page that only the task's directory maps.
 * With op=bad-tables it tries the trap-table and stack calls a guest must
 * not get. With op=ring3-privileged the task tries what only its kernel
 * could: a system call through an entry of DPL 1, and a mov to %cr3; each
 * must be a #GP for the kernel, as on real hardware.
 */
#include <koan/pte.h>
#include <public/layout.h>
#include <public/memory.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "traps.h"

static uint8_t user_stack[8192] __attribute__((aligned(16)));
static uint32_t demand_va;

/* Where the task has memory of its own: mapped in its address space only. */
#define TASK_PRIVATE_VA 0x40000000u
#define RW (PTE_P | PTE_RW | PTE_US)
#define RO (PTE_P | PTE_US)

/*
 * The task's address space: a directory with the kernel's mappings (so the
 * kernel's code, stacks and traps work there too) and one page table more,
 * which maps a private page at TASK_PRIVATE_VA. Built in pages of our own
 * while they are writable, then remapped read-only and handed to the
 * hypervisor to validate (pin). Returns the directory's frame, or 0.
 */
static uint32_t build_task_directory(uint32_t *private_page)
{
	const struct koan_start_info_paging *si = paging_info();
	uint32_t priv = alloc_page(), table = alloc_page(), dir = alloc_page();
	const uint32_t *kernel_dir = (const uint32_t *)si->pt_base;
	uint32_t *t = (uint32_t *)table, *d = (uint32_t *)dir;

	t[pte_index(TASK_PRIVATE_VA)] = pte_make(va_to_mfn(priv), RW);
	for (unsigned i = 0; i < KOAN_GUEST_PDES; i++)
		d[i] = kernel_dir[i];
	d[pde_index(TASK_PRIVATE_VA)] = pte_make(va_to_mfn(table), RW);
	if (hc_update_va_mapping(table, pte_make(va_to_mfn(table), RO), KOAN_UVMF_INVLPG) ||
	    hc_update_va_mapping(dir, pte_make(va_to_mfn(dir), RO), KOAN_UVMF_INVLPG) ||
	    hc_mmuext1(KOAN_MMUEXT_PIN_L2_TABLE, va_to_mfn(dir)))
		return 0;
	*private_page = priv;
	return va_to_mfn(dir);
}

static void ustr(uint32_t nr, const char *s)
{
	usys(nr, (uint32_t)(uintptr_t)s, strlen(s));
}

static unsigned user_cpl(void)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

/* Runs in ring 3. */
static void user_main(void)
{
	char line[64];

	ustr(SYS_WRITE, "hello from ring 3\n");
	ksnprintf(line, sizeof(line), "user-ring=%u", user_cpl());
	ustr(SYS_RESULT, line);
	ksnprintf(line, sizeof(line), "slow-syscall=%d", usys_slow(SYS_NULL, 0, 0));
	ustr(SYS_RESULT, line);
	/* A hypercall from ring 3: the gate's DPL is 1, so this is a #GP. */
	int32_t r = hypercall3(KOAN_HC_VERSION, 0, 0, 0);
	ksnprintf(line, sizeof(line), "user-hypercall-returned=%d", r);
	ustr(SYS_RESULT, line);
	__asm__ volatile("outb %%al, $0x80" : : "a"(0)); /* port I/O from ring 3: #GP */
	volatile uint32_t *p = (volatile uint32_t *)demand_va;
	*p = 0x5EED;
	ksnprintf(line, sizeof(line), "demand-page=%s", *p == 0x5EED ? "ok" : "bad");
	ustr(SYS_RESULT, line);
	*(volatile uint32_t *)TASK_PRIVATE_VA = 0x7A5C; /* exists in this address space only */
	usys(SYS_EXIT, 42, 0);
}

/* Runs in ring 3 (op=ring3-privileged). */
static void user_privileged(void)
{
	const struct koan_start_info_paging *si = paging_info();
	uint32_t kernel_dir = va_to_mfn(si->pt_base) << PTE_SHIFT;
	char line[64];

	ksnprintf(line, sizeof(line), "slow-gate-dpl1=%d", usys_slow(SYS_NULL, 0, 0));
	ustr(SYS_RESULT, line);
	/* The kernel's own directory: valid, so only the ring decides. */
	__asm__ volatile("mov %0, %%cr3" : : "r"(kernel_dir) : "memory");
	/* Still in our own address space, where this page exists. */
	*(volatile uint32_t *)TASK_PRIVATE_VA = 0x7A5C;
	ustr(SYS_RESULT, "still-own-address-space");
	usys(SYS_EXIT, 7, 0);
}

static void run_ring3_privileged(void)
{
	const struct koan_trap_info slow_dpl1[] = {
		{ KOAN_SLOW_SYSCALL_VECTOR, 1, KOAN_GUEST_KERNEL_CS, 0x01000000 },
		{ 0, 0, 0, 0 },
	};
	uint32_t priv, task_dir;

	result("traps=%d", guest_traps_init());
	result("slow-dpl1=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)slow_dpl1, 0, 0));
	task_dir = build_task_directory(&priv);
	if (!task_dir || hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, task_dir)) {
		result("task-directory=refused");
		return;
	}
	int code =
		enter_user(user_privileged, (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack)));
	hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, va_to_mfn(paging_info()->pt_base));
	result("user-exit=%d", code);
	result("gp-from-ring3=%u first=0x%x last=0x%x cs=0x%x", trap_log.gp, trap_log.gp_error,
	       trap_log.gp_last_error, trap_log.gp_cs);
}

static void run_user_task(void)
{
	const struct koan_start_info_paging *si = paging_info();

	demand_va = si->first_va + si->nr_pages * KOAN_PAGE_SIZE + 3 * KOAN_PAGE_SIZE;
	result("traps=%d", guest_traps_init());
	/* The kernel's own faults, bounced to its handlers. */
	__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx" ::
				 : "eax", "ecx", "edx");
	__asm__ volatile("ud2");
	result("kernel-faults-handled=%u", trap_log.simple);
	uint32_t kernel_dir = va_to_mfn(paging_info()->pt_base), priv = 0;
	uint32_t task_dir = build_task_directory(&priv);
	result("task-directory=%s", task_dir ? "ok" : "refused");
	if (!task_dir || hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, task_dir))
		return;
	int code = enter_user(user_main, (uint32_t)(uintptr_t)(user_stack + sizeof(user_stack)));
	hc_mmuext1(KOAN_MMUEXT_NEW_BASEPTR, kernel_dir);
	result("user-exit=%d", code);
	/* The task wrote its private page through an address the kernel's own
	 * address space does not map. */
	const uint32_t *kdir = (const uint32_t *)paging_info()->pt_base;
	result("task-address-space=%s",
	       !(kdir[pde_index(TASK_PRIVATE_VA)] & PTE_P) && *(volatile uint32_t *)priv == 0x7A5C
		       ? "own"
		       : "shared");
	result("gp-from-ring3=%u error=0x%x cs=0x%x", trap_log.gp, trap_log.gp_error,
	       trap_log.gp_cs);
	result("page-faults=%u cr2=0x%x error=0x%x", trap_log.page_faults, trap_log.pf_cr2,
	       trap_log.pf_error);
}

static void bad_tables(void)
{
	struct koan_trap_info t[2] = { { 14, 0, 0x08, 0x01000000 }, { 0, 0, 0, 0 } };

	result("ring0-selector=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ 14, 0, KOAN_GUEST_KERNEL_CS, KOAN_HV_START + 0x1000 };
	result("handler-in-hole=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ 0x80, 3, KOAN_GUEST_USER_CS, 0x01000000 };
	result("ring3-selector=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	result("table-in-hole=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, KOAN_HV_START, 0, 0));
	/* The timer's vector: a handler there would take the tick that ends our turn. */
	t[0] = (struct koan_trap_info){ 0x20, 0, KOAN_GUEST_KERNEL_CS, 0x01000000 };
	result("timer-vector=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ KOAN_HYPERCALL_VECTOR, 1, KOAN_GUEST_KERNEL_CS,
					0x01000000 };
	result("hypercall-vector=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	/* The edges: the last exception is the guest's, the first vector
	 * after them is not; a handler just below the M2P, and at it. */
	t[0] = (struct koan_trap_info){ 31, 0, KOAN_GUEST_KERNEL_CS, 0x01000000 };
	result("vector-31=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ 0x30, 0, KOAN_GUEST_KERNEL_CS, 0x01000000 };
	result("vector-0x30=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ 31, 0, KOAN_GUEST_KERNEL_CS, KOAN_M2P_START - 1 };
	result("handler-below-m2p=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	t[0] = (struct koan_trap_info){ 31, 0, KOAN_GUEST_KERNEL_CS, KOAN_M2P_START };
	result("handler-at-m2p=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)t, 0, 0));
	/* A table is read to its first empty entry or its 256th, never past:
	 * a 257th entry, one that would be refused, is not looked at. */
	static struct koan_trap_info long_table[257];
	for (unsigned i = 0; i < 256; i++)
		long_table[i] = (struct koan_trap_info){ 31, 0, KOAN_GUEST_KERNEL_CS, 0x01000000 };
	long_table[256] = (struct koan_trap_info){ 0x20, 0, KOAN_GUEST_KERNEL_CS, 0x01000000 };
	result("table-257=%d",
	       hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)long_table, 0, 0));
	result("stack-ring0=%d", hypercall3(KOAN_HC_STACK_SWITCH, 0x10, 0x01000000, 0));
	result("stack-in-hole=%d",
	       hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, KOAN_HV_START + 0x1000, 0));
	/* A frame pushed below esp must fit below it: 28 bytes at most. */
	result("stack-zero=%d", hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, 0, 0));
	result("stack-27=%d", hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, 27, 0));
	result("stack-28=%d", hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, 28, 0));
	result("stack-m2p-edge=%d",
	       hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, KOAN_M2P_START, 0));
	result("stack-past-m2p=%d",
	       hypercall3(KOAN_HC_STACK_SWITCH, KOAN_GUEST_KERNEL_DS, KOAN_M2P_START + 4, 0));
	/* With no handler, a fault still crashes only this domain. */
	result("clear=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, 0, 0, 0));
	result("survived");
}

/* A handler for the divide error, then the whole table forgotten: the next
 * divide error crashes the domain, as with no table at all. */
static void cleared_then_fault(void)
{
	result("traps=%d", guest_traps_init());
	__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx" ::
				 : "eax", "ecx", "edx");
	result("handled=%u", trap_log.simple);
	result("clear=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, 0, 0, 0));
	__asm__ volatile("xorl %%ecx, %%ecx; movl $1, %%eax; xorl %%edx, %%edx; divl %%ecx" ::
				 : "eax", "ecx", "edx");
	result("still-handled=%u", trap_log.simple);
}

void guest_main(const struct koan_start_info *base)
{
	char op[24];

	(void)base;
	if (!paging_info()) {
		result("no-paging");
		return;
	}
	if (!guest_arg("op", op, sizeof(op)))
		op[0] = '\0';
	if (strcmp(op, "bad-tables") == 0)
		bad_tables();
	else if (strcmp(op, "ring3-privileged") == 0)
		run_ring3_privileged();
	else if (strcmp(op, "cleared-then-fault") == 0)
		cleared_then_fault();
	else
		run_user_task();
}
