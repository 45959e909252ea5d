/*
 * Lab 1's memory model: no paging of the guest's own. A guest is loaded at
 * the addresses its ELF file asks for, which an identity map makes both
 * virtual and physical; it may use RAM from GUEST_LOAD_MIN (16 MB) to the
 * end of the first usable region or 64 MB. Domains run one after another,
 * so each may use all of it. They all run on one page directory:
 *
 *   0xFC000000 - 0xFFFFFFFF   the hypervisor's slots (hv/guard.c)
 *   0x01000000 - 0x03FFFFFF   identity, 4 MB pages, ring 3 may use them
 *   0x00000000 - 0x00FFFFFF   not mapped: the hypervisor's image, the modules
 */
#include <koan/guard.h>
#include <koan/kstring.h>
#include <koan/memory_model.h>
#include <koan/platform.h>

#define PAGE_SIZE 4096u
#define PDE_P 0x001u
#define PDE_W 0x002u
#define PDE_U 0x004u
#define PDE_PS 0x080u /* a 4 MB page (CR4.PSE, set by boot.S) */

static uint32_t guest_mem_end; /* one past the last byte a guest may use */
static uint32_t guest_directory[1024] __attribute__((aligned(PAGE_SIZE)));

static void build_guest_directory(void)
{
	for (uint32_t pde = GUEST_LOAD_MIN >> 22; pde < (HV_PHYS_MAPPED >> 22); pde++)
		guest_directory[pde] = pde << 22 | PDE_P | PDE_W | PDE_U | PDE_PS;
	guard_set_hv_slots(guest_directory, true);
}

static uint32_t round_up_page(uint32_t x)
{
	return (x + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

/* The end of the usable RAM that starts below GUEST_LOAD_MIN, capped at
 * what the hypervisor maps. */
static void identity_init(const struct boot_info *bi)
{
	uint64_t end = 0;

	for (int i = 0; i < bi->nr_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type == MMAP_TYPE_RAM && r->base <= GUEST_LOAD_MIN && r->base + r->len > end)
			end = r->base + r->len;
	}
	if (end > HV_PHYS_MAPPED)
		end = HV_PHYS_MAPPED;
	guest_mem_end = (uint32_t)end & ~(PAGE_SIZE - 1);
	build_guest_directory();
}

static bool identity_create(struct domain *d, const void *file, uint32_t size, struct refusal *why)
{
	/* The start-info page goes right after the image: keep room for it. */
	uint32_t allowed_hi = guest_mem_end > PAGE_SIZE ? guest_mem_end - PAGE_SIZE : 0;
	enum elf_error err = elf_inspect(file, size, GUEST_LOAD_MIN, allowed_hi, &d->image);

	if (err != ELF_OK) {
		why->name = elf_error_name(err);
		why->text = elf_error_text(err);
		return false;
	}
	return true;
}

/* Copy the ELF segments to their addresses, zero the rest (.bss), and write
 * the start-info page after the image; the stack is the rest of that page. */
static void identity_load(struct domain *d)
{
	const uint8_t *file = phys_range(d->module_start, d->module_end - d->module_start);

	for (int i = 0; i < d->image.nr_segments; i++) {
		const struct elf_segment *s = &d->image.seg[i];
		uint8_t *dst = phys_to_virt(s->vaddr);
		memcpy(dst, file + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	d->start_info_addr = round_up_page(d->image.hi);
	struct koan_start_info *si = phys_to_virt(d->start_info_addr);
	memset(si, 0, PAGE_SIZE);
	start_info_fill(si, d);
	d->entry = d->image.entry;
	d->stack_top = d->start_info_addr + PAGE_SIZE;
	guest_address_space_set((uint32_t)(uintptr_t)guest_directory - KOAN_HV_START);
}

/* How much of [va, va + len) lies in guest memory (all of it is writable). */
static uint32_t identity_span(uint32_t va, uint32_t len)
{
	if (va < GUEST_LOAD_MIN || va >= guest_mem_end)
		return 0;
	return len > guest_mem_end - va ? guest_mem_end - va : len;
}

static uint32_t identity_read(const struct domain *d, uint32_t va, void *buf, uint32_t len)
{
	(void)d;
	len = identity_span(va, len);
	memcpy(buf, phys_to_virt(va), len);
	return len;
}

static uint32_t identity_write(const struct domain *d, uint32_t va, const void *buf, uint32_t len)
{
	(void)d;
	len = identity_span(va, len);
	memcpy(phys_to_virt(va), buf, len);
	return len;
}

static void identity_activate(struct domain *d)
{
	(void)d; /* one directory for all */
	guest_address_space_set((uint32_t)(uintptr_t)guest_directory - KOAN_HV_START);
}

static void identity_destroy(struct domain *d)
{
	(void)d; /* nothing was allocated */
}

static const struct memory_model identity_model = {
	.id = { "identity map (lab 1)", 1 },
	.init = identity_init,
	.create = identity_create,
	.load = identity_load,
	.activate = identity_activate,
	.read = identity_read,
	.write = identity_write,
	.destroy = identity_destroy,
};
MEMORY_MODEL(identity_model);
