/*
 * Multiboot version 1: what the boot loader (GRUB2, or QEMU's -kernel) hands
 * the hypervisor, and the parser that turns it into a struct boot_info.
 * Field layout from the Multiboot Specification 0.6.96, section 3.3.
 */
#ifndef KOAN_MULTIBOOT_H
#define KOAN_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u /* in %eax at entry */

/* multiboot_info.flags bits */
#define MBI_MEMORY (1u << 0)  /* mem_lower / mem_upper valid */
#define MBI_CMDLINE (1u << 2) /* cmdline valid */
#define MBI_MODS (1u << 3)    /* mods_count / mods_addr valid */
#define MBI_MMAP (1u << 6)    /* mmap_length / mmap_addr valid */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KB below 1 MB */
	uint32_t mem_upper; /* KB above 1 MB, up to the first hole */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address of a C string */
	uint32_t mods_count;
	uint32_t mods_addr; /* physical address of mods_count multiboot_module */
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes of memory map */
	uint32_t mmap_addr;   /* physical address of the first multiboot_mmap_entry */
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start; /* physical, first byte */
	uint32_t mod_end;   /* physical, one past the last byte */
	uint32_t cmdline;   /* physical address of a C string */
	uint32_t reserved;
} __attribute__((packed));

/*
 * One memory-map entry. `size` is the size of the rest of the entry: it does
 * not count itself, so the next entry starts at (entry + size + 4).
 */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type; /* 1 = usable RAM; anything else is reserved */
} __attribute__((packed));

#define MMAP_TYPE_RAM 1

#define BOOT_MAX_REGIONS 32
#define BOOT_MAX_MODULES 16

struct boot_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct boot_module {
	uint32_t start, end; /* physical */
	const char *cmdline; /* never NULL ("" when absent) */
};

struct boot_info {
	const char *cmdline; /* the hypervisor's own command line, never NULL */
	uint32_t mem_lower_kb, mem_upper_kb;
	int nr_regions;
	struct boot_region regions[BOOT_MAX_REGIONS];
	int regions_dropped; /* entries beyond BOOT_MAX_REGIONS */
	int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	int modules_dropped;
};

/*
 * Translates a physical range the loader told us about into a pointer we may
 * read, or NULL if that range is not mapped. The hypervisor maps low memory at
 * KOAN_HV_START; the unit tests map a test buffer.
 */
typedef const void *(*phys_reader_fn)(uint32_t phys, uint32_t len);

/* Error codes of multiboot_parse (negative). */
#define MB_ERR_MAGIC (-1)    /* not started by a Multiboot loader */
#define MB_ERR_UNMAPPED (-2) /* a structure lies where we cannot read it */
#define MB_ERR_NO_MMAP (-3)  /* no memory map: we will not guess */
#define MB_ERR_BAD_MMAP (-4) /* an entry runs past the map's end or is too short */
#define MB_ERR_TODO (-99)    /* exercise not done */

int multiboot_parse(uint32_t magic, uint32_t info_phys, phys_reader_fn read_phys,
		    struct boot_info *out);

/* Bytes of usable RAM in the map (type 1 regions). */
uint64_t boot_usable_bytes(const struct boot_info *bi);

const char *multiboot_strerror(int err);

#endif /* __ASSEMBLER__ */

#endif
