/*
 * Lab 1, Exercise 2: reading the Multiboot memory map. The tests build the
 * boot loader's structures in a buffer that stands for physical memory at
 * FAKE_PHYS, with entries of different sizes (the `size` field counts the
 * rest of the entry, and a loader may add padding).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/multiboot.h>

#include "koan_test.h"

#define FAKE_PHYS 0x10000u
#define FAKE_SIZE 8192u

static uint8_t memory[FAKE_SIZE];

static const void *read_fake(uint32_t phys, uint32_t len)
{
	if (phys < FAKE_PHYS || phys - FAKE_PHYS > FAKE_SIZE ||
	    len > FAKE_SIZE - (phys - FAKE_PHYS))
		return NULL;
	return memory + (phys - FAKE_PHYS);
}

struct fake_region {
	uint64_t base, len;
	uint32_t type;
	uint32_t padding; /* extra bytes after the entry */
};

/* Lay out an info block, a memory map and two modules; returns info's phys. */
static uint32_t build_info(const struct fake_region *regions, int n, uint32_t *map_len)
{
	struct multiboot_info *mbi = (void *)memory;
	uint32_t off = 512, map_start = off;

	memset(memory, 0, sizeof(memory));
	for (int i = 0; i < n; i++) {
		struct multiboot_mmap_entry e = { (uint32_t)(20 + regions[i].padding),
						  regions[i].base, regions[i].len,
						  regions[i].type };
		memcpy(memory + off, &e, sizeof(e));
		off += 4 + e.size;
	}
	*map_len = off - map_start;
	mbi->flags = MBI_MEMORY | MBI_MMAP | MBI_MODS | MBI_CMDLINE;
	mbi->mem_lower = 639;
	mbi->mem_upper = 64512;
	mbi->mmap_addr = FAKE_PHYS + map_start;
	mbi->mmap_length = *map_len;
	strcpy((char *)memory + 4096, "koan.elf quiet");
	mbi->cmdline = FAKE_PHYS + 4096;
	struct multiboot_module *mods = (void *)(memory + 3072);
	mods[0] = (struct multiboot_module){ 0x200000, 0x201000, FAKE_PHYS + 4200, 0 };
	mods[1] = (struct multiboot_module){ 0x300000, 0x304000, FAKE_PHYS + 4300, 0 };
	strcpy((char *)memory + 4200, "hello.elf token=1");
	strcpy((char *)memory + 4300, "segments.elf");
	mbi->mods_count = 2;
	mbi->mods_addr = FAKE_PHYS + 3072;
	return FAKE_PHYS;
}

KTEST(lab1_multiboot_mmap)
{
	struct fake_region regions[12];
	struct boot_info bi;
	uint32_t map_len;
	uint64_t usable = 0;
	int n = 4 + (int)(getpid() % 8);

	srand((unsigned)getpid());
	for (int i = 0; i < n; i++) {
		regions[i].base = (uint64_t)i << 24;
		regions[i].len = ((uint64_t)(rand() % 4096) + 1) << 12;
		regions[i].type = (rand() % 3 == 0) ? 2 : 1;
		regions[i].padding = (i % 3 == 1) ? 4 * (uint32_t)(1 + rand() % 3) : 0;
		if (regions[i].type == 1)
			usable += regions[i].len;
	}
	int err = multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, build_info(regions, n, &map_len),
				  read_fake, &bi);
	ck_assert_msg(err == 0, "multiboot_parse failed: %s", multiboot_strerror(err));
	ck_assert_int_eq(bi.nr_regions, n);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(
			bi.regions[i].base == regions[i].base &&
				bi.regions[i].len == regions[i].len &&
				bi.regions[i].type == regions[i].type,
			"region %d of %d is wrong (entries with padding: mind the size field)", i,
			n);
	}
	ck_assert_msg(boot_usable_bytes(&bi) == usable, "usable bytes are wrong");
	ck_assert_int_eq(bi.nr_modules, 2);
	ck_assert_str_eq(bi.modules[0].cmdline, "hello.elf token=1");
	ck_assert_str_eq(bi.cmdline, "koan.elf quiet");
}

KTEST(lab1_multiboot_bad_mmap)
{
	struct fake_region regions[3] = { { 0, 0x9fc00, 1, 0 },
					  { 0x100000, 0x1000000, 1, 0 },
					  { 0xfffc0000, 0x40000, 2, 0 } };
	struct multiboot_info *mbi = (void *)memory;
	struct boot_info bi;
	uint32_t map_len;
	uint32_t info = build_info(regions, 3, &map_len);

	/* A good map first, so that refusing everything does not pass. */
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi), 0);
	ck_assert_int_eq(bi.nr_regions, 3);

	/* The last entry claims to be longer than the map. */
	mbi->mmap_length = map_len - 8;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_BAD_MMAP);
	/* An entry shorter than the structure. */
	mbi->mmap_length = map_len;
	((struct multiboot_mmap_entry *)(memory + 512))->size = 8;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_BAD_MMAP);
	/* Two bytes after the last entry: too short for even a size field,
	 * which must not be read past the map. */
	((struct multiboot_mmap_entry *)(memory + 512))->size = 20;
	memory[512 + map_len] = 0xFF;
	memory[512 + map_len + 1] = 0xFF;
	mbi->mmap_length = map_len + 2;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_BAD_MMAP);
	mbi->mmap_length = map_len;
	/* Not a Multiboot loader at all. */
	ck_assert_int_eq(multiboot_parse(0x12345678, info, read_fake, &bi), MB_ERR_MAGIC);
}

/* A map longer than boot_info holds: the first BOOT_MAX_REGIONS entries are
 * kept, in order, and the rest are counted, not lost silently. */
KTEST(lab1_multiboot_map_cap)
{
	enum { N = BOOT_MAX_REGIONS + 7 };
	struct fake_region regions[N];
	struct boot_info bi;
	uint32_t map_len;

	srand((unsigned)getpid());
	for (int i = 0; i < N; i++)
		regions[i] =
			(struct fake_region){ (uint64_t)i << 20, (uint64_t)(1 + rand() % 255) << 12,
					      1u + (uint32_t)(i % 2), (i % 5 == 2) ? 4u : 0u };
	int err = multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, build_info(regions, N, &map_len),
				  read_fake, &bi);
	ck_assert_msg(err == 0, "multiboot_parse failed on a long map: %s",
		      multiboot_strerror(err));
	ck_assert_int_eq(bi.nr_regions, BOOT_MAX_REGIONS);
	ck_assert_msg(bi.regions_dropped == N - BOOT_MAX_REGIONS,
		      "%d entries did not fit; regions_dropped says %d", N - BOOT_MAX_REGIONS,
		      bi.regions_dropped);
	for (int i = 0; i < BOOT_MAX_REGIONS; i++)
		ck_assert_msg(bi.regions[i].base == regions[i].base &&
				      bi.regions[i].len == regions[i].len,
			      "region %d of a long map is wrong", i);
	/* Exactly BOOT_MAX_REGIONS entries: all kept, none dropped. */
	err = multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC,
			      build_info(regions, BOOT_MAX_REGIONS, &map_len), read_fake, &bi);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(bi.nr_regions, BOOT_MAX_REGIONS);
	ck_assert_int_eq(bi.regions_dropped, 0);
}

/* The module table: each module in order with its bounds and command line
 * ("" when the loader gave none), at most BOOT_MAX_MODULES of them and the
 * rest counted; a table that cannot be read is refused. */
KTEST(lab1_multiboot_modules)
{
	struct fake_region regions[2] = { { 0, 0x9fc00, 1, 0 }, { 0x100000, 0x1000000, 1, 0 } };
	struct multiboot_info *mbi = (void *)memory;
	struct boot_info bi;
	uint32_t map_len;
	uint32_t info = build_info(regions, 2, &map_len);
	struct multiboot_module *mods = (void *)(memory + 3072);
	enum { N = BOOT_MAX_MODULES + 3 };

	srand((unsigned)getpid());
	for (uint32_t i = 0; i < N; i++) {
		uint32_t start = (0x200u + i * 0x10u + (uint32_t)(rand() % 8)) << 12;
		mods[i] = (struct multiboot_module){ start,
						     start + 0x1000 + (uint32_t)(rand() % 0x3000),
						     i % 4 == 3 ? 0 : FAKE_PHYS + 4200, 0 };
	}
	mbi->mods_count = N;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi), 0);
	ck_assert_int_eq(bi.nr_modules, BOOT_MAX_MODULES);
	ck_assert_msg(bi.modules_dropped == N - BOOT_MAX_MODULES,
		      "%d modules did not fit; modules_dropped says %d", N - BOOT_MAX_MODULES,
		      bi.modules_dropped);
	for (int i = 0; i < BOOT_MAX_MODULES; i++) {
		ck_assert_msg(bi.modules[i].start == mods[i].mod_start &&
				      bi.modules[i].end == mods[i].mod_end,
			      "module %d: start or end is wrong", i);
		ck_assert_msg(
			strcmp(bi.modules[i].cmdline, i % 4 == 3 ? "" : "hello.elf token=1") == 0,
			"module %d: command line \"%s\"", i, bi.modules[i].cmdline);
	}
	/* Exactly BOOT_MAX_MODULES: all kept. */
	mbi->mods_count = BOOT_MAX_MODULES;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi), 0);
	ck_assert_int_eq(bi.nr_modules, BOOT_MAX_MODULES);
	ck_assert_int_eq(bi.modules_dropped, 0);
	/* A table outside readable memory, or one whose size overflows. */
	mbi->mods_addr = FAKE_PHYS + FAKE_SIZE - 8;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_UNMAPPED);
	mbi->mods_addr = FAKE_PHYS + 3072;
	mbi->mods_count = 0x10000001u; /* 16 bytes each: 2^32 + 16 */
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_UNMAPPED);
	mbi->mods_count = 0x10000000u; /* exactly 2^32 bytes: wraps to 0 */
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi),
			 MB_ERR_UNMAPPED);
	/* No modules at all is fine. */
	mbi->mods_count = 0;
	ck_assert_int_eq(multiboot_parse(MULTIBOOT_BOOTLOADER_MAGIC, info, read_fake, &bi), 0);
	ck_assert_int_eq(bi.nr_modules, 0);
}
