/*
 * ptprobe: tries one thing with memory that lab 2 must refuse or allow
 * (op=...), so the grader can watch what the hypervisor does:
 *   write-directory  write to our own page directory       (read-only: #PF)
 *   write-m2p        write to the M2P table                 (read-only: #PF)
 *   read-beyond      read just past our last page           (unmapped: #PF)
 *   read-low         read at 1 MB, the hypervisor's image   (unmapped: #PF)
 *   cr3-reload       mov our own directory to %cr3          (allowed)
 *   cr3-registers    the same through %eax, %ecx, %edx, %ebx, %ebp, %esi
 *                    and %edi in turn, each with the others holding junk
 *   cr3-bad-frame    mov a frame past the machine's to %cr3  (refused)
 *   cr3-read         mov %cr3 to a register: not emulated     (#GP)
 *   cr3-frame        mov frame=N (decimal) to %cr3
 *   cr3-writable     mov a writable page of ours to %cr3    (refused)
 *   cr3-other        mov another domain's frame to %cr3     (refused)
 *   read-foreign-direct   read another domain's frame where the
 *   write-foreign-direct  hypervisor maps machine memory (KOAN_HV_START +
 *                         frame * 4 KB): a fault, by the segment limit or
 *                         because that map is not in our address space
 */
#include <koan/pte.h>
#include <public/layout.h>
#include <public/memory.h>

#include "guest.h"
#include "mm.h"

static const struct koan_start_info_paging *si;

static void load_cr3(uint32_t mfn)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(mfn << PTE_SHIFT) : "memory");
}

/* Each register in turn holds the directory; the others a frame number
 * that would be refused, so decoding the wrong register kills us. */
static void cr3_through_each_register(uint32_t cr3)
{
	const uint32_t junk = 0xFFFFF000u;

	__asm__ volatile("mov %0, %%cr3"
			 :
			 : "a"(cr3), "c"(junk), "d"(junk), "b"(junk), "S"(junk), "D"(junk)
			 : "memory");
	__asm__ volatile("mov %1, %%cr3"
			 :
			 : "a"(junk), "c"(cr3), "d"(junk), "b"(junk), "S"(junk), "D"(junk)
			 : "memory");
	__asm__ volatile("mov %2, %%cr3"
			 :
			 : "a"(junk), "c"(junk), "d"(cr3), "b"(junk), "S"(junk), "D"(junk)
			 : "memory");
	__asm__ volatile("mov %3, %%cr3"
			 :
			 : "a"(junk), "c"(junk), "d"(junk), "b"(cr3), "S"(junk), "D"(junk)
			 : "memory");
	__asm__ volatile("mov %4, %%cr3"
			 :
			 : "a"(junk), "c"(junk), "d"(junk), "b"(junk), "S"(cr3), "D"(junk)
			 : "memory");
	__asm__ volatile("mov %5, %%cr3"
			 :
			 : "a"(junk), "c"(junk), "d"(junk), "b"(junk), "S"(junk), "D"(cr3)
			 : "memory");
	/* %ebp: saved and restored around it, the frame pointer is ours. */
	__asm__ volatile("push %%ebp\n\tmov %0, %%ebp\n\tmov %%ebp, %%cr3\n\tpop %%ebp"
			 :
			 : "a"(cr3), "c"(junk), "d"(junk), "b"(junk), "S"(junk), "D"(junk)
			 : "memory");
}

static void run(const char *op)
{
	volatile uint32_t *p;

	if (strcmp(op, "write-directory") == 0) {
		p = (volatile uint32_t *)si->pt_base;
		p[0] = 0;
	} else if (strcmp(op, "write-m2p") == 0) {
		p = (volatile uint32_t *)KOAN_M2P_START;
		p[va_to_mfn(si->first_va)] = 0;
	} else if (strcmp(op, "read-beyond") == 0) {
		p = (volatile uint32_t *)(si->first_va + si->nr_pages * KOAN_PAGE_SIZE);
		result("read %x", *p);
	} else if (strcmp(op, "read-low") == 0) {
		p = (volatile uint32_t *)0x00100000;
		result("read %x", *p);
	} else if (strcmp(op, "cr3-reload") == 0) {
		load_cr3(va_to_mfn(si->pt_base));
	} else if (strcmp(op, "cr3-registers") == 0) {
		cr3_through_each_register(va_to_mfn(si->pt_base) << PTE_SHIFT);
	} else if (strcmp(op, "cr3-bad-frame") == 0) {
		load_cr3(0xFFFFF);
	} else if (strcmp(op, "cr3-frame") == 0) {
		char arg[16];
		load_cr3(guest_arg("frame", arg, sizeof(arg)) ? atou(arg) : 0);
	} else if (strcmp(op, "cr3-read") == 0) {
		uint32_t cr3;
		__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
		result("read %x", cr3);
	} else if (strcmp(op, "cr3-writable") == 0) {
		load_cr3(va_to_mfn((uint32_t)si)); /* the start-info page: ours, writable */
	} else if (strcmp(op, "cr3-other") == 0) {
		uint32_t mfn = foreign_frame();
		if (!mfn) {
			result("no-other-domain");
			return;
		}
		result("other-frame=0x%x", mfn);
		load_cr3(mfn);
	} else if (strcmp(op, "read-foreign-direct") == 0 ||
		   strcmp(op, "write-foreign-direct") == 0) {
		uint32_t mfn = foreign_frame();
		if (!mfn) {
			result("no-other-domain");
			return;
		}
		p = (volatile uint32_t *)(KOAN_HV_START + mfn * KOAN_PAGE_SIZE);
		result("other-frame=0x%x", mfn);
		if (op[0] == 'r')
			result("read %x", *p);
		else
			*p = 0xBAD;
	} else {
		result("unknown-op");
		return;
	}
	result("survived %s", op);
}

void guest_main(const struct koan_start_info *base)
{
	char op[24];

	si = (const struct koan_start_info_paging *)base;
	if (base->version < KOAN_START_INFO_VERSION_PAGING) {
		result("no-paging");
		return;
	}
	if (!guest_arg("op", op, sizeof(op))) {
		gprintf("usage: ptprobe op=NAME\n");
		return;
	}
	gprintf("ptprobe: %s\n", op);
	result("before %s", op);
	run(op);
}
