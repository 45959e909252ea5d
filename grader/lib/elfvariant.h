/* Damaged copies of a real guest image, for the ELF loader's tests. */
#ifndef KOAN_ELFVARIANT_H
#define KOAN_ELFVARIANT_H

#include <stddef.h>

enum elf_damage {
	DAMAGE_MAGIC,	      /* e_ident starts "\177EXF" */
	DAMAGE_CLASS,	      /* claims to be 64-bit */
	DAMAGE_MACHINE,	      /* for x86-64, not the i386 */
	DAMAGE_SEGMENT_IN_HV, /* first loadable segment moved to KOAN_HV_START */
	DAMAGE_SEGMENT_LOW,   /* first loadable segment moved to 1 MB, below the guest area */
	DAMAGE_ENTRY_OUTSIDE, /* entry point far from any segment */
	DAMAGE_TRUNCATED,     /* a segment's data runs past the end of the file */
};

/* A copy of build_dir()/guests/<guest>, damaged; *len gets its size. */
void *damaged_guest(const char *guest, enum elf_damage damage, size_t *len);

#endif
