/*
 * ELF32 executables: the structures (System V ABI, "Object Files") and the
 * checker the hypervisor runs before it loads a guest module. Pure C.
 */
#ifndef KOAN_ELF_H
#define KOAN_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAGIC "\177ELF"
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf32_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;
	uint32_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf32_phdr {
	uint32_t p_type;
	uint32_t p_offset;
	uint32_t p_vaddr;
	uint32_t p_paddr;
	uint32_t p_filesz;
	uint32_t p_memsz;
	uint32_t p_flags;
	uint32_t p_align;
};

_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header is 52 bytes");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 program header is 32 bytes");

enum elf_error {
	ELF_OK = 0,
	ELF_TRUNCATED,	   /* shorter than its headers say */
	ELF_BAD_MAGIC,	   /* not an ELF file */
	ELF_BAD_CLASS,	   /* not 32-bit little-endian */
	ELF_BAD_TYPE,	   /* not an executable (ET_EXEC) */
	ELF_BAD_MACHINE,   /* not for the i386 */
	ELF_BAD_PHDRS,	   /* program header table malformed */
	ELF_NO_SEGMENTS,   /* nothing to load */
	ELF_SEG_BAD,	   /* file size > memory size, or data outside the file */
	ELF_SEG_IN_HV,	   /* a segment reaches into the hypervisor's 64 MB */
	ELF_SEG_OUTSIDE,   /* a segment lies outside the memory allowed to the guest */
	ELF_SEG_OVERLAP,   /* two segments overlap */
	ELF_ENTRY_OUTSIDE, /* the entry point is in no executable segment */
	ELF_TODO,	   /* exercise not done */
};

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
	uint32_t vaddr;
	uint32_t memsz;
	uint32_t offset;
	uint32_t filesz;
	uint32_t flags;
};

struct elf_image {
	uint32_t entry;
	uint32_t lo, hi; /* lowest address loaded, one past the highest */
	int nr_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Check the `size`-byte image at `file` as a guest kernel whose loadable
 * segments must all lie within [allowed_lo, allowed_hi), and describe it in
 * *out. Returns ELF_OK or the first problem found; *out is only meaningful on
 * ELF_OK.
 */
enum elf_error elf_inspect(const void *file, size_t size, uint32_t allowed_lo, uint32_t allowed_hi,
			   struct elf_image *out);

/* A short, stable, machine-readable name ("bad-magic") and a sentence. */
const char *elf_error_name(enum elf_error e);
const char *elf_error_text(enum elf_error e);

#endif
