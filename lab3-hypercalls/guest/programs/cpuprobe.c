/*
 * cpuprobe: puts the CPU in a state a guest must not get away with (op=...),
 * next to a bystander, so the grader can see that only this domain pays:
 *   vm86-bounce  iret into virtual-8086 mode with IOPL 3 (QEMU's TCG obeys
 *                the VM bit below ring 0), with handlers for the faults that
 *                follow: a handler that ran with IOPL 3 could write any port
 *   vm86-hang    the same after mapping `cli; jmp .` in the first 4 MB: the
 *                one thing that could run there keeps the CPU for good
 *   df-yield     std, then a yield: the hypervisor's string copies must not
 *                run backwards, and our registers must come back as they were
 *   fpu-rounding rc=zero|nearest rounds=N: set the FPU's rounding mode, then
 *                N times yield and round 2.7, counting the right answers:
 *                another domain's rounding mode must never be ours
 *   fpu-taskswitch  our own CR0.TS through fpu_taskswitch: with it set, the
 *                next FPU instruction is a #NM for our handler, once
 *   pop-ss       TF set, then `mov %ss` and `int $0x82`: the single-step
 *                trap that mov ss holds back can arrive only once the int
 *                has entered ring 0, at the hypervisor's first instruction
 *                (the 2018 "POP SS" pattern, CVE-2018-8897)
 */
#include <stdbool.h>

#include <koan/pte.h>
#include <koan/x86.h>
#include <public/layout.h>

#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "x87.h"

#define VM86_EFLAGS (EFLAGS_VM | EFLAGS_IOPL_MASK | EFLAGS_RESERVED1) /* IF clear */

/* iret to cs:eip in virtual-8086 mode, with VM86_EFLAGS. The frame of that
 * iret: eip, cs, eflags, esp, ss, es, ds, fs, gs (SDM Vol. 3A, 20.2.7). */
static void __attribute__((noreturn)) enter_vm86(uint32_t cs, uint32_t eip)
{
	__asm__ volatile("pushl $0; pushl $0; pushl $0; pushl $0\n\t" /* gs fs ds es */
			 "pushl $0; pushl $0x7000\n\t"		      /* ss esp */
			 "pushl %2\n\t"
			 "pushl %0; pushl %1\n\t"
			 "iret"
			 :
			 : "r"(cs), "r"(eip), "i"(VM86_EFLAGS));
	__builtin_unreachable();
}

/*
 * Our handler for #GP and #PF. It runs only if the hypervisor bounces a
 * trap from virtual-8086 mode to us, which it must not: it reports the IOPL
 * it was given and, if that lets it, writes the machine's exit port, which
 * would end the whole machine with a clean-looking status.
 */
void vm86_handler(void);
__asm__(".text\n"
	".globl vm86_handler\n"
	"vm86_handler:\n\t"
	"call vm86_handler_c\n"
	"1:\tjmp 1b\n");

void vm86_handler_c(void)
{
	uint32_t eflags;

	__asm__ volatile("pushfl; popl %0" : "=r"(eflags));
	result("handler-ran iopl=%u", (eflags & EFLAGS_IOPL_MASK) >> 12);
	if (eflags & EFLAGS_IOPL_MASK)
		outl(0xF4, 0x10); /* isa-debug-exit: QEMU ends "successfully" */
	hc_sched_op(KOAN_SCHED_SHUTDOWN, KOAN_SHUTDOWN_CRASH);
}

static void install_vm86_handlers(void)
{
	const struct koan_trap_info table[] = {
		{ 13, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)vm86_handler },
		{ 14, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)vm86_handler },
		{ 0, 0, 0, 0 },
	};
	result("traps=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)table, 0, 0));
}

/* CS 3: a trap from there has CS's low bits set, as if from ring 3. */
static void op_vm86_bounce(void)
{
	install_vm86_handlers();
	result("entering-vm86");
	enter_vm86(0x0003, 0x7c00);
}

/*
 * A page of code at 0x7000 (`cli; jmp .` at 0x7c00): a page table of ours
 * that maps it, made read-only, then put in directory entry 0. Entry 0 must
 * be refused; we enter virtual-8086 mode at 0000:7c00 either way.
 */
static void op_vm86_hang(void)
{
	static const uint8_t spin[] = { 0xFA, 0xEB, 0xFE }; /* cli; jmp . */
	const struct koan_start_info_paging *si = paging_info();
	uint32_t code = alloc_page(), table = alloc_page();

	memcpy((uint8_t *)code + 0xC00, spin, sizeof(spin));
	((uint32_t *)table)[pte_index(0x7000)] = pte_make(va_to_mfn(code), PTE_P | PTE_RW | PTE_US);
	int32_t err = hc_update_va_mapping(table, pte_make(va_to_mfn(table), PTE_P | PTE_US),
					   KOAN_UVMF_INVLPG);
	struct koan_mmu_update req = {
		(va_to_mfn(si->pt_base) << PTE_SHIFT) | KOAN_MMU_NORMAL_PT_UPDATE,
		pte_make(va_to_mfn(table), PTE_P | PTE_RW | PTE_US),
	};
	result("table-read-only=%d", err);
	result("map-low=%d", hc_mmu_update(&req, 1, 0));
	result("entering-vm86");
	enter_vm86(0x0000, 0x7c00);
}

/* A yield with DF set and known values in the registers the ABI keeps. */
static void op_df_yield(void)
{
	uint32_t ecx, edx, esi, edi, eflags;
	int32_t ret;

	__asm__ volatile("std\n\t"
			 "int %[vec]\n\t"
			 "pushfl; popl %[fl]\n\t"
			 "cld"
			 : "=a"(ret), "=c"(ecx), "=d"(edx), "=S"(esi), "=D"(edi), [fl] "=r"(eflags)
			 : [vec] "i"(KOAN_HYPERCALL_VECTOR), "a"(KOAN_HC_SCHED_OP),
			   "b"(KOAN_SCHED_YIELD), "c"(0x11111111), "d"(0x22222222), "S"(0x33333333),
			   "D"(0x44444444)
			 : "memory", "cc");
	result("df-yield ret=%d regs=%s df=%u", ret,
	       ecx == 0x11111111 && edx == 0x22222222 && esi == 0x33333333 && edi == 0x44444444
		       ? "kept"
		       : "changed",
	       (eflags & EFLAGS_DF) ? 1 : 0);
}

static void op_fpu_rounding(void)
{
	char arg[16];
	unsigned rounds = guest_arg("rounds", arg, sizeof(arg)) ? atou(arg) : 200, right = 0;
	bool zero = guest_arg("rc", arg, sizeof(arg)) && strcmp(arg, "zero") == 0;

	x87_set_rounding(zero ? X87_RC_TOWARD_ZERO : X87_RC_NEAREST);
	for (unsigned i = 0; i < rounds; i++) {
		hc_sched_op(KOAN_SCHED_YIELD, 0);
		right += x87_round_2_7() == (zero ? 2 : 3);
	}
	result("fpu-rounding rc=%s right=%u of %u", zero ? "zero" : "nearest", right, rounds);
}

/* Our #NM handler counts, and returns to the instruction, which then runs. */
static volatile uint32_t nm_count;
void nm_handler(void);
__asm__(".text\n"
	".globl nm_handler\n"
	"nm_handler:\n\t"
	"incl nm_count\n\t"
	"iret\n");

static void fpu_use(void)
{
	__asm__ volatile("fld1; fstp %%st(0)" ::: "memory");
}

static void op_fpu_taskswitch(void)
{
	const struct koan_trap_info table[] = {
		{ 7, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)nm_handler },
		{ 0, 0, 0, 0 },
	};

	result("traps=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)table, 0, 0));
	fpu_use(); /* the hypervisor's own #NM, on first use: not ours */
	result("nm-first-use=%u", nm_count);
	result("ts-bad=%d", hypercall3(KOAN_HC_FPU_TASKSWITCH, 2, 0, 0));
	result("ts-set=%d", hypercall3(KOAN_HC_FPU_TASKSWITCH, 1, 0, 0));
	fpu_use();
	fpu_use();
	result("nm-after-set=%u", nm_count);
	hc_sched_op(KOAN_SCHED_YIELD, 0); /* others may use the FPU meanwhile */
	fpu_use();
	result("nm-after-yield=%u", nm_count);
	hypercall3(KOAN_HC_FPU_TASKSWITCH, 1, 0, 0);
	result("ts-clear=%d", hypercall3(KOAN_HC_FPU_TASKSWITCH, 0, 0, 0));
	fpu_use();
	result("nm-after-clear=%u", nm_count);
	/* With TS set and no handler for #NM, the next FPU instruction ends us. */
	hypercall3(KOAN_HC_SET_TRAP_TABLE, 0, 0, 0);
	hypercall3(KOAN_HC_FPU_TASKSWITCH, 1, 0, 0);
	fpu_use();
	result("not-reached");
}

/* Our #DB handler counts, and clears TF in the frame it returns to. */
static volatile uint32_t db_count;
void db_handler(void);
__asm__(".text\n"
	".globl db_handler\n"
	"db_handler:\n\t"
	"incl db_count\n\t"
	"andl $~0x100, 8(%esp)\n\t" /* eip, cs, eflags */
	"iret\n");

static void op_pop_ss(void)
{
	const struct koan_trap_info table[] = {
		{ 1, 0, KOAN_GUEST_KERNEL_CS, (uint32_t)(uintptr_t)db_handler },
		{ 0, 0, 0, 0 },
	};
	int32_t ret;

	result("traps=%d", hypercall3(KOAN_HC_SET_TRAP_TABLE, (uint32_t)(uintptr_t)table, 0, 0));
	for (int i = 0; i < 3; i++) {
		__asm__ volatile("movw %%ss, %%cx\n\t"
				 "pushfl\n\t"
				 "orl $0x100, (%%esp)\n\t"
				 "popfl\n\t" /* TF: a trap after the next instruction... */
				 "movw %%cx, %%ss\n\t" /* ...which holds it back one more */
				 "int %[vec]"
				 : "=a"(ret)
				 : [vec] "i"(KOAN_HYPERCALL_VECTOR), "a"(KOAN_HC_VERSION)
				 : "ecx", "ebx", "edx", "esi", "edi", "memory", "cc");
		result("pop-ss ret=%d", ret);
	}
	/* Each single-step trap reached us, or was dropped; none is pending. */
	result("pop-ss debug-traps=%s n=%u", db_count <= 3 ? "at-most-one-each" : "too-many",
	       db_count);
}

static const struct guest_op ops[] = {
	{ "vm86-bounce", op_vm86_bounce },
	{ "vm86-hang", op_vm86_hang },
	{ "df-yield", op_df_yield },
	{ "fpu-rounding", op_fpu_rounding },
	{ "fpu-taskswitch", op_fpu_taskswitch },
	{ "pop-ss", op_pop_ss },
};

void guest_main(const struct koan_start_info *base)
{
	const struct guest_op *op = guest_find_op(ops, sizeof(ops) / sizeof(ops[0]));

	(void)base;
	if (!paging_info() || !op) {
		result("usage: cpuprobe op=NAME (needs paging)");
		return;
	}
	/* Let the bystander (the next domain) fill its memory first. */
	hc_sched_op(KOAN_SCHED_YIELD, 0);
	op->run();
	result("survived %s", op->name);
}
