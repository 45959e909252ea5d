/*
 * Reads the boot loader's Multiboot information into a struct boot_info.
 * Pure C: every physical address goes through the caller's reader, so the
 * host unit tests can feed it hand-made (and malformed) structures.
 */
#include <stddef.h>

#include <koan/exercise.h>
#include <koan/multiboot.h>

static const char *read_string(phys_reader_fn read_phys, uint32_t phys)
{
	/* We cannot know a string's length before reading it; require that its
	 * first byte is readable and trust the loader for the rest, as every
	 * Multiboot kernel does. */
	const char *s = read_phys(phys, 1);
	return s ? s : "";
}

/*
 * Walk the memory map at [map_phys, map_phys + map_len) and record each entry
 * in bi->regions. Returns 0 or a negative MB_ERR_*.
 */
static int parse_memory_map(uint32_t map_phys, uint32_t map_len, phys_reader_fn read_phys,
			    struct boot_info *bi)
{
	// BEGIN EXERCISE lab1.2: walk the memory map (lab1-boot/README.md, Exercise 2)
	//   In: the map's physical address and length in bytes, as the loader
	//   gave them. Out: bi->regions[] and nr_regions, in the map's order; at
	//   most BOOT_MAX_REGIONS are kept, the rest counted in regions_dropped.
	//   Errors: MB_ERR_UNMAPPED if read_phys cannot give the map;
	//   MB_ERR_BAD_MMAP if an entry (its size field included) would run past
	//   the map's end or is shorter than a struct multiboot_mmap_entry. Not a
	//   byte outside [map_phys, map_phys + map_len) is read.
	const uint8_t *map = read_phys(map_phys, map_len);
	uint32_t off = 0;

	if (!map)
		return MB_ERR_UNMAPPED;
	while (off < map_len) {
		const struct multiboot_mmap_entry *e = (const void *)(map + off);
		const uint32_t min_size = sizeof(*e) - sizeof(e->size);

		if (map_len - off < sizeof(e->size))
			return MB_ERR_BAD_MMAP;
		if (e->size < min_size || e->size > map_len - off - sizeof(e->size))
			return MB_ERR_BAD_MMAP;
		if (bi->nr_regions < BOOT_MAX_REGIONS) {
			struct boot_region *r = &bi->regions[bi->nr_regions++];
			r->base = e->addr;
			r->len = e->len;
			r->type = e->type;
		} else {
			bi->regions_dropped++;
		}
		off += e->size + sizeof(e->size);
	}
	return 0;
	// STUB
	//> EXERCISE_TODO("lab1.2", "parse_memory_map() in hv/multiboot.c does not read the map yet");
	//> (void)map_phys, (void)map_len, (void)read_phys, (void)bi;
	//> return MB_ERR_TODO;
	// END EXERCISE
}

static int parse_modules(uint32_t mods_phys, uint32_t count, phys_reader_fn read_phys,
			 struct boot_info *bi)
{
	// BEGIN EXERCISE lab1.10: the modules (lab1-boot/README.md, Exercise 2)
	//   In: the module table's physical address and number of entries. Out:
	//   bi->modules[] (start, end, command line) in the table's order, at
	//   most BOOT_MAX_MODULES, the rest counted in modules_dropped; a module
	//   without a command line gets "". Errors: MB_ERR_UNMAPPED if the table
	//   cannot be read whole, or its size in bytes does not fit in 32 bits.
	if (count == 0)
		return 0;
	if (count > 0xFFFFFFFFu / sizeof(struct multiboot_module))
		return MB_ERR_UNMAPPED;
	const struct multiboot_module *mods =
		read_phys(mods_phys, count * sizeof(struct multiboot_module));
	if (!mods)
		return MB_ERR_UNMAPPED;
	for (uint32_t i = 0; i < count; i++) {
		if (bi->nr_modules == BOOT_MAX_MODULES) {
			bi->modules_dropped++;
			continue;
		}
		struct boot_module *m = &bi->modules[bi->nr_modules++];
		m->start = mods[i].mod_start;
		m->end = mods[i].mod_end;
		m->cmdline = mods[i].cmdline ? read_string(read_phys, mods[i].cmdline) : "";
	}
	return 0;
	// STUB
	//> EXERCISE_TODO("lab1.10", "parse_modules() in hv/multiboot.c reads no module yet");
	//> (void)mods_phys, (void)count, (void)read_phys, (void)bi, (void)read_string;
	//> return 0;
	// END EXERCISE
}

int multiboot_parse(uint32_t magic, uint32_t info_phys, phys_reader_fn read_phys,
		    struct boot_info *out)
{
	const struct multiboot_info *mbi;
	int err;

	*out = (struct boot_info){ .cmdline = "" };
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		return MB_ERR_MAGIC;
	mbi = read_phys(info_phys, sizeof(*mbi));
	if (!mbi)
		return MB_ERR_UNMAPPED;
	if (mbi->flags & MBI_CMDLINE)
		out->cmdline = read_string(read_phys, mbi->cmdline);
	if (mbi->flags & MBI_MEMORY) {
		out->mem_lower_kb = mbi->mem_lower;
		out->mem_upper_kb = mbi->mem_upper;
	}
	if (mbi->flags & MBI_MODS) {
		err = parse_modules(mbi->mods_addr, mbi->mods_count, read_phys, out);
		if (err)
			return err;
	}
	if (!(mbi->flags & MBI_MMAP))
		return MB_ERR_NO_MMAP;
	return parse_memory_map(mbi->mmap_addr, mbi->mmap_length, read_phys, out);
}

uint64_t boot_usable_bytes(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (int i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type == MMAP_TYPE_RAM)
			total += bi->regions[i].len;
	return total;
}

const char *multiboot_strerror(int err)
{
	switch (err) {
	case 0: return "ok";
	case MB_ERR_MAGIC: return "not started by a Multiboot loader (bad magic in %eax)";
	case MB_ERR_UNMAPPED: return "a Multiboot structure lies outside mapped memory";
	case MB_ERR_NO_MMAP: return "the loader gave no memory map";
	case MB_ERR_BAD_MMAP: return "the memory map is malformed";
	case MB_ERR_TODO: return "the memory map was not read (Exercise 2 is not done)";
	default: return "unknown error";
	}
}
