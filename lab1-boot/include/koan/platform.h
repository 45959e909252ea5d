/* Things about the machine the hypervisor finds out or does at boot. */
#ifndef KOAN_PLATFORM_H
#define KOAN_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/layout.h>

/*
 * Physical memory the hypervisor can reach: the first 64 MB, mapped at
 * KOAN_HV_START by the boot page tables (hv/boot.S).
 */
#define HV_PHYS_MAPPED KOAN_HV_SIZE

static inline void *phys_to_virt(uint32_t phys)
{
	return (void *)(uintptr_t)(phys + KOAN_HV_START);
}

/* Unmap the boot identity map below the guests' memory (after boot). */
void drop_low_identity_map(void);

/* A pointer to [phys, phys + len), or NULL if not all of it is mapped. */
const void *phys_range(uint32_t phys, uint32_t len);

/* Does this CPU enforce segment limits? Probed once at boot, by the guard
 * (hv/limits.c). */
bool segment_limits_probe(void);
bool segment_limits_enforced(void);

/* End the machine: under QEMU through isa-debug-exit (status (code << 1) | 1). */
#define EXIT_ALL_DONE 0x10 /* QEMU exits with 33 */
#define EXIT_PANIC 0x11	   /* QEMU exits with 35 */
void machine_exit(uint32_t code) __attribute__((noreturn));

/* Stack for the hypervisor and for traps from guests (hv/boot.S). */
extern char boot_stack[], boot_stack_top[];

/* Call fn on an empty hypervisor stack, dropping everything above it. */
void call_on_fresh_stack(void (*fn)(void)) __attribute__((noreturn));

/* The hypervisor's command line. */
extern const char *hv_cmdline;

/*
 * The options the hypervisor's command line may give. Each file that reads
 * one declares it with HV_OPTION(name, "what its values mean"); at boot,
 * kmain() names every word of the command line that no file declared, so a
 * misspelt option is never silently ignored.
 */
struct hv_option {
	const char *name;
	const char *help;
};

#define HV_OPTION(opt, text)                            \
	static const struct hv_option __hv_option_##opt \
		__attribute__((used, section(".hv_options"), aligned(4))) = { #opt, text }

/* Is `name` a declared option? */
bool hv_option_known(const char *name, size_t len);

#endif
