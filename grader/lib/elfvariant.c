/* Damaging a copy of a real guest image, with the host's <elf.h>. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "elfvariant.h"
#include "koan_test.h"
#include "scenario.h"

static Elf32_Phdr *first_load(uint8_t *image)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr *)image;
	Elf32_Phdr *ph = (Elf32_Phdr *)(image + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			return &ph[i];
	ck_abort_msg("the guest image has no PT_LOAD segment");
	return NULL;
}

void *damaged_guest(const char *guest, enum elf_damage damage, size_t *len)
{
	char rel[256];
	uint8_t *image;
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;

	snprintf(rel, sizeof(rel), "guests/%s", guest);
	image = read_build_file(rel, len);
	eh = (Elf32_Ehdr *)image;
	ph = first_load(image);
	switch (damage) {
	case DAMAGE_MAGIC: eh->e_ident[EI_MAG2] = 'X'; break;
	case DAMAGE_CLASS: eh->e_ident[EI_CLASS] = ELFCLASS64; break;
	case DAMAGE_MACHINE: eh->e_machine = EM_X86_64; break;
	case DAMAGE_SEGMENT_IN_HV:
		eh->e_entry = eh->e_entry - ph->p_vaddr + 0xFC000000u;
		ph->p_vaddr = ph->p_paddr = 0xFC000000u;
		break;
	case DAMAGE_SEGMENT_LOW:
		eh->e_entry = eh->e_entry - ph->p_vaddr + 0x00100000u;
		ph->p_vaddr = ph->p_paddr = 0x00100000u;
		break;
	case DAMAGE_ENTRY_OUTSIDE: eh->e_entry = ph->p_vaddr + ph->p_memsz + 0x100000u; break;
	case DAMAGE_TRUNCATED:
		ph->p_filesz = (uint32_t)*len; /* from its offset, this runs past the end */
		ph->p_memsz = ph->p_memsz > ph->p_filesz ? ph->p_memsz : ph->p_filesz;
		break;
	}
	return image;
}
