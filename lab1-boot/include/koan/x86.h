/*
 * Thin wrappers around x86 instructions the hypervisor needs.
 * Hardware mechanism only: no policy lives here.
 */
#ifndef KOAN_X86_H
#define KOAN_X86_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void write_cr0(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* The debug registers: guests cannot touch them (mov to %drN is privileged);
 * the hypervisor keeps every breakpoint off. */
static inline void write_dr7(uint32_t v)
{
	__asm__ volatile("mov %0, %%dr7" : : "r"(v));
}

static inline void write_dr6(uint32_t v)
{
	__asm__ volatile("mov %0, %%dr6" : : "r"(v));
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("mov %%ebp, %0" : "=r"(v));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

struct __attribute__((packed)) pseudo_desc {
	uint16_t limit;
	uint32_t base;
};

static inline void lgdt(const struct pseudo_desc *pd)
{
	__asm__ volatile("lgdt %0" : : "m"(*pd));
}

static inline void lidt(const struct pseudo_desc *pd)
{
	__asm__ volatile("lidt %0" : : "m"(*pd));
}

static inline void ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

/* Load Segment Limit: the limit of `sel` in bytes, or 0 with ok=0 if the
 * selector is not visible at the current privilege level. */
static inline uint32_t lsl(uint16_t sel, int *ok)
{
	uint32_t limit = 0;
	uint8_t zf;
	__asm__ volatile("lsl %2, %0; setz %1" : "+r"(limit), "=q"(zf) : "r"((uint32_t)sel));
	*ok = zf;
	return limit;
}

static inline void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* EFLAGS (SDM Vol. 1, 3.4.3; Vol. 3A, 2.3). */
#define EFLAGS_CF (1u << 0)
#define EFLAGS_RESERVED1 (1u << 1) /* bit 1 always reads as 1 */
#define EFLAGS_PF (1u << 2)
#define EFLAGS_AF (1u << 4)
#define EFLAGS_ZF (1u << 6)
#define EFLAGS_SF (1u << 7)
#define EFLAGS_TF (1u << 8) /* single-step */
#define EFLAGS_IF (1u << 9)
#define EFLAGS_DF (1u << 10) /* string instructions go down */
#define EFLAGS_OF (1u << 11)
#define EFLAGS_IOPL_MASK (3u << 12)
#define EFLAGS_NT (1u << 14) /* nested task: iret becomes a task switch */
#define EFLAGS_RF (1u << 16)
#define EFLAGS_VM (1u << 17) /* virtual-8086 mode */
#define EFLAGS_AC (1u << 18)
#define EFLAGS_VIF (1u << 19)
#define EFLAGS_VIP (1u << 20)
#define EFLAGS_ID (1u << 21)

#endif
