/*
 * Memory models: how a domain's memory is laid out, loaded and read.
 *
 * Lab 1 registers the simplest one (hv/identity_model.c): a guest is loaded
 * at the addresses its ELF file names, on the boot identity map. Lab 2
 * registers direct paging, with a higher rank; domain.c uses the
 * highest-ranked model linked in. So a later lab replaces the memory model
 * without editing lab 1 (registration, not #if).
 */
#ifndef KOAN_MEMORY_MODEL_H
#define KOAN_MEMORY_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/domain.h>
#include <koan/multiboot.h>

/* Why a module cannot become a domain: a short name for the result channel
 * ("bad-magic") and a sentence for people. */
struct refusal {
	const char *name;
	const char *text;
};

struct memory_model {
	struct ranked id; /* first: the highest-ranked model linked in is used */
	/* Once, before the first domain is created. */
	void (*init)(const struct boot_info *bi);
	/* Check the module's image and reserve what the domain needs; on
	 * failure fill *why and return false. */
	bool (*create)(struct domain *d, const void *file, uint32_t size, struct refusal *why);
	/* Just before the domain first runs: load it, make its address space
	 * current, and set d->entry, d->stack_top and d->start_info_addr. */
	void (*load)(struct domain *d);
	/* Make the (already loaded) domain's address space current again. */
	void (*activate)(struct domain *d);
	/* Copy guest memory at virtual address `va` (at most `len` bytes);
	 * returns how many were copied, short where the mapping ends. */
	uint32_t (*read)(const struct domain *d, uint32_t va, void *buf, uint32_t len);
	/* The same for writing, where the guest itself may write. */
	uint32_t (*write)(const struct domain *d, uint32_t va, const void *buf, uint32_t len);
	/* After the domain ended: give back what create and load took. */
	void (*destroy)(struct domain *d);
};

#define MEMORY_MODEL(model)                                            \
	static const struct memory_model *const __memory_model_##model \
		__attribute__((used, section(".memory_models"), aligned(4))) = &model

/* The start-info fields every model fills the same way (hv/domain.c). */
void start_info_fill(struct koan_start_info *si, const struct domain *d);

#endif
