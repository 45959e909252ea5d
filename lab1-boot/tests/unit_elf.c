/*
 * Lab 1, Exercise 4: the ELF checks. Each test first shows that a good
 * image passes (a checker that refuses everything checks nothing), then
 * that one kind of damage is refused with its own error.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <koan/elf.h>
#include <public/layout.h>

#include "koan_test.h"

#define LO 0x01000000u
#define HI 0x04000000u
#define FILE_SIZE 0x3000u

struct seg {
	uint32_t vaddr, memsz, offset, filesz, flags;
};

static uint8_t file[FILE_SIZE];

/* The file copied so that its last byte is the last of a page and the next
 * page is unmapped: a read past the file's end crashes the test. */
static const uint8_t *guarded_file(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (FILE_SIZE + page - 1) / page * page;
	uint8_t *m =
		mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_msg(m != MAP_FAILED, "mmap failed");
	mprotect(m + span, page, PROT_NONE);
	memcpy(m + span - FILE_SIZE, file, FILE_SIZE);
	return m + span - FILE_SIZE;
}

/* A synthetic ELF executable with the given loadable segments. */
static void make_elf(const struct seg *segs, int n, uint32_t entry)
{
	struct elf32_ehdr *eh = (void *)file;
	struct elf32_phdr *ph = (void *)(file + sizeof(*eh));

	memset(file, 0, sizeof(file));
	memcpy(eh->e_ident, ELF_MAGIC, 4);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = 1;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = 1;
	eh->e_entry = entry;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (uint16_t)n;
	for (int i = 0; i < n; i++)
		ph[i] = (struct elf32_phdr){ PT_LOAD,	    segs[i].offset, segs[i].vaddr,
					     segs[i].vaddr, segs[i].filesz, segs[i].memsz,
					     segs[i].flags, 0x1000 };
}

static const struct seg good[2] = {
	{ LO, 0x1800, 0x1000, 0x1800, PF_R | PF_X },
	{ LO + 0x2000, 0x5000, 0x2800, 0x800, PF_R | PF_W },
};

static void expect(enum elf_error want, const char *what)
{
	struct elf_image img;
	enum elf_error got = elf_inspect(file, sizeof(file), LO, HI, &img);

	ck_assert_msg(got == want, "%s: elf_inspect gave %s (%s), expected %s", what,
		      elf_error_name(got), elf_error_text(got), elf_error_name(want));
}

static void good_image_passes(void)
{
	struct elf_image img;

	make_elf(good, 2, LO + 0x10);
	enum elf_error got = elf_inspect(file, sizeof(file), LO, HI, &img);
	ck_assert_msg(got == ELF_OK, "a valid image was refused: %s", elf_error_text(got));
	ck_assert_int_eq(img.nr_segments, 2);
	ck_assert_uint_eq(img.entry, LO + 0x10);
	ck_assert_uint_eq(img.lo, LO);
	ck_assert_uint_eq(img.hi, LO + 0x7000);

	/* The same segments, the higher one first in the table: the image
	 * still spans both. */
	const struct seg reversed[2] = { good[1], good[0] };
	make_elf(reversed, 2, LO + 0x10);
	got = elf_inspect(file, sizeof(file), LO, HI, &img);
	ck_assert_msg(got == ELF_OK, "a valid image (segments in descending order) was refused: %s",
		      elf_error_text(got));
	ck_assert_msg(img.lo == LO && img.hi == LO + 0x7000,
		      "segments in descending order: image [%#x, %#x), expected [%#x, %#x)", img.lo,
		      img.hi, LO, LO + 0x7000);
}

KTEST(lab1_elf_bad_magic)
{
	good_image_passes();
	file[1] = 'X';
	expect(ELF_BAD_MAGIC, "bad magic");
	make_elf(good, 2, LO);
	file[EI_CLASS] = 2;
	expect(ELF_BAD_CLASS, "64-bit class");
	make_elf(good, 2, LO);
	((struct elf32_ehdr *)file)->e_machine = 62;
	expect(ELF_BAD_MACHINE, "x86-64 machine");
}

KTEST(lab1_elf_segment_in_hypervisor)
{
	struct seg s[2];

	good_image_passes();
	memcpy(s, good, sizeof(s));
	s[1].vaddr = KOAN_HV_START;
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "segment at KOAN_HV_START");
	s[1].vaddr = KOAN_HV_START - 0x1000; /* starts below, ends inside */
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "segment running into the hypervisor");
	s[1].vaddr = 0xFFFFF000; /* wraps around 4 GB */
	s[1].memsz = 0x2000;
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "segment wrapping around the address space");
}

KTEST(lab1_elf_segment_outside)
{
	struct seg s[2];

	good_image_passes();
	memcpy(s, good, sizeof(s));
	s[0].vaddr = LO - 0x1000;
	make_elf(s, 2, s[0].vaddr);
	expect(ELF_SEG_OUTSIDE, "segment below the guest area");
	memcpy(s, good, sizeof(s));
	s[1].vaddr = HI - 0x1000; /* 0x5000 bytes: past HI */
	make_elf(s, 2, LO);
	expect(ELF_SEG_OUTSIDE, "segment past the end of guest memory");
}

KTEST(lab1_elf_overlap)
{
	struct seg s[2];

	good_image_passes();
	memcpy(s, good, sizeof(s));
	s[1].vaddr = LO + 0x1000; /* inside the first segment's 0x1800 bytes */
	make_elf(s, 2, LO);
	expect(ELF_SEG_OVERLAP, "overlapping segments");
}

KTEST(lab1_elf_entry_outside)
{
	good_image_passes();
	make_elf(good, 2, LO + 0x1800); /* one past the code segment */
	expect(ELF_ENTRY_OUTSIDE, "entry just past the code");
	make_elf(good, 2, LO + 0x2010); /* inside the data segment, which is not executable */
	expect(ELF_ENTRY_OUTSIDE, "entry in a data segment");
}

KTEST(lab1_elf_truncated)
{
	struct seg s[2];

	good_image_passes();
	memcpy(s, good, sizeof(s));
	s[1].filesz = 0x900; /* file bytes 0x2800..0x3100: past the 0x3000-byte file */
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "segment data past the end of the file");
	memcpy(s, good, sizeof(s));
	s[1].offset = 0xFFFFFF00; /* offset + filesz overflows 32 bits */
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "offset that overflows");
	memcpy(s, good, sizeof(s));
	s[1].filesz = s[1].memsz + 1;
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "file size larger than memory size");
	make_elf(good, 2, LO);
	struct elf_image img;
	ck_assert_int_eq(elf_inspect(file, 40, LO, HI, &img), ELF_TRUNCATED);
}

/* The edges: a byte inside is accepted, a byte past is refused, and no sum
 * may overflow on the way. */
KTEST(lab1_elf_boundaries)
{
	struct seg s[2];
	struct elf_image img;

	good_image_passes();
	/* Ending exactly at allowed_hi is inside; one byte more is not. */
	memcpy(s, good, sizeof(s));
	s[1].vaddr = HI - s[1].memsz;
	make_elf(s, 2, LO);
	expect(ELF_OK, "a segment whose last byte is allowed_hi - 1");
	s[1].vaddr++;
	make_elf(s, 2, LO);
	expect(ELF_SEG_OUTSIDE, "a segment one byte past allowed_hi");
	/* Starting exactly at allowed_lo is inside; one byte below is not. */
	memcpy(s, good, sizeof(s));
	s[0].vaddr = LO - 1;
	make_elf(s, 2, LO);
	expect(ELF_SEG_OUTSIDE, "a segment starting one byte below allowed_lo");
	/* Right below the hypervisor, with the allowed range up to it: accepted. */
	memcpy(s, good, sizeof(s));
	s[1].vaddr = KOAN_HV_START - s[1].memsz;
	make_elf(s, 2, LO);
	ck_assert_msg(elf_inspect(file, sizeof(file), LO, KOAN_HV_START, &img) == ELF_OK,
		      "a segment whose last byte is KOAN_HV_START - 1 was refused");
	ck_assert_uint_eq(img.hi, KOAN_HV_START);
	/* One byte more, with the allowed range still up to it: its last byte
	 * is the hypervisor's first. */
	s[1].vaddr++;
	make_elf(s, 2, LO);
	ck_assert_msg(elf_inspect(file, sizeof(file), LO, KOAN_HV_START, &img) == ELF_SEG_IN_HV,
		      "a segment whose last byte is KOAN_HV_START was not refused as in the "
		      "hypervisor");
	/* Ending exactly at 4 GB (no wrap, but in the hypervisor), and memsz 4 GB - 1. */
	s[1].vaddr = 0xFFFFF000u;
	s[1].memsz = 0x1000;
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "a segment whose last byte is 0xFFFFFFFF");
	memcpy(s, good, sizeof(s));
	s[1].memsz = 0xFFFFFFFFu;
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "a segment of 0xFFFFFFFF bytes (it wraps)");
	/* Wrapping from near 0: the sum comes back round to a small address,
	 * which must not pass for one below the guest range. */
	s[1].vaddr = 2;
	make_elf(s, 2, LO);
	expect(ELF_SEG_IN_HV, "a segment of 0xFFFFFFFF bytes at address 2 (it wraps)");
	/* memsz 0, and filesz > memsz with the bytes still inside the file. */
	memcpy(s, good, sizeof(s));
	s[1].memsz = 0;
	s[1].filesz = 0;
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "a segment of memsz 0");
	memcpy(s, good, sizeof(s));
	s[1].memsz = 0x200;
	s[1].filesz = 0x400; /* 0x2800 + 0x400: inside the 0x3000-byte file */
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "filesz > memsz inside the file");
	/* Data up to the last byte of the file is fine. */
	memcpy(s, good, sizeof(s));
	s[1].filesz = FILE_SIZE - s[1].offset;
	make_elf(s, 2, LO);
	expect(ELF_OK, "segment data ending at the last byte of the file");
	/* A bss-only segment (no file bytes) may say its data starts at the
	 * file's end; one byte further is past it. */
	memcpy(s, good, sizeof(s));
	s[1].filesz = 0;
	s[1].offset = FILE_SIZE;
	make_elf(s, 2, LO);
	expect(ELF_OK, "a segment with no file bytes at offset = the file's size");
	s[1].offset = FILE_SIZE + 1;
	make_elf(s, 2, LO);
	expect(ELF_SEG_BAD, "a segment with no file bytes at offset = the file's size + 1");
	/* Adjacent segments do not overlap; one byte of overlap does. */
	memcpy(s, good, sizeof(s));
	s[1].vaddr = LO + s[0].memsz;
	make_elf(s, 2, LO);
	expect(ELF_OK, "a segment right after another");
	s[1].vaddr--;
	make_elf(s, 2, LO);
	expect(ELF_SEG_OVERLAP, "segments sharing one byte");
	/* The entry on the last byte of the code is inside it. */
	make_elf(good, 2, LO + good[0].memsz - 1);
	expect(ELF_OK, "entry on the last byte of the code segment");
}

/* The header and the program header table, each rule on its own; other
 * segment types are skipped; the image reports its segments in order. */
KTEST(lab1_elf_header)
{
	struct elf32_ehdr *eh = (void *)file;
	struct elf32_phdr *ph = (void *)(file + sizeof(*eh));
	struct elf_image img;

	good_image_passes();
	make_elf(good, 2, LO);
	eh->e_ident[EI_DATA] = 2; /* big-endian */
	expect(ELF_BAD_CLASS, "a big-endian file");
	make_elf(good, 2, LO);
	eh->e_type = 3; /* ET_DYN: a shared object */
	expect(ELF_BAD_TYPE, "a shared object");
	make_elf(good, 2, LO);
	eh->e_phentsize = sizeof(*ph) + 4;
	expect(ELF_BAD_PHDRS, "program headers of the wrong size");
	make_elf(good, 2, LO);
	eh->e_phnum = 0;
	expect(ELF_BAD_PHDRS, "no program headers");
	make_elf(good, 2, LO);
	eh->e_phoff = FILE_SIZE - sizeof(*ph); /* room for one entry, not two */
	expect(ELF_TRUNCATED, "a program header table running past the file");
	/* A table that ends exactly at the end of the file fits. */
	make_elf(good, 2, LO);
	memcpy(file + FILE_SIZE - 2 * sizeof(*ph), ph, 2 * sizeof(*ph));
	eh->e_phoff = FILE_SIZE - 2 * sizeof(*ph);
	expect(ELF_OK, "a program header table ending at the last byte of the file");
	/* ... and not a byte after it is read (the next page is unmapped). */
	ck_assert_int_eq(elf_inspect(guarded_file(), FILE_SIZE, LO, HI, &img), ELF_OK);
	/* A file exactly one header long is not truncated; its table may even
	 * overlap the header (whose first word is no PT_LOAD). */
	make_elf(good, 2, LO);
	eh->e_phoff = 0;
	eh->e_phnum = 1;
	ck_assert_msg(elf_inspect(file, sizeof(*eh), LO, HI, &img) == ELF_NO_SEGMENTS,
		      "a file exactly one ELF header long, its one-entry table at offset 0: "
		      "elf_inspect gave %s, expected %s",
		      elf_error_name(elf_inspect(file, sizeof(*eh), LO, HI, &img)),
		      elf_error_name(ELF_NO_SEGMENTS));
	make_elf(good, 2, LO);
	eh->e_phoff = 0xFFFFFFF0u;
	expect(ELF_TRUNCATED, "a program header table far past the file");
	make_elf(good, 2, LO);
	ck_assert_int_eq(elf_inspect(file, sizeof(*eh) - 1, LO, HI, &img), ELF_TRUNCATED);

	/* Segments of another type are skipped, wherever they are. */
	struct seg s[ELF_MAX_SEGMENTS + 1];
	make_elf(good, 2, LO);
	eh->e_phnum = 3;
	ph[2] = ph[1];
	ph[1] = (struct elf32_phdr){ 4 /* PT_NOTE */, 0xFFFFFFFFu, 0xFFFF0000u, 0,
				     0xFFFFFFFFu,     0,	   0,		0 };
	ck_assert_msg(elf_inspect(file, sizeof(file), LO, HI, &img) == ELF_OK,
		      "a PT_NOTE between the loadable segments was not skipped");
	ck_assert_int_eq(img.nr_segments, 2);
	ck_assert_uint_eq(img.seg[0].vaddr, good[0].vaddr);
	ck_assert_uint_eq(img.seg[1].vaddr, good[1].vaddr);
	ck_assert_uint_eq(img.seg[1].filesz, good[1].filesz);
	ck_assert_uint_eq(img.seg[1].flags, good[1].flags);
	/* Only segments of another type: nothing to load. */
	ph[0].p_type = ph[2].p_type = 6; /* PT_PHDR */
	expect(ELF_NO_SEGMENTS, "no PT_LOAD segment");

	/* ELF_MAX_SEGMENTS loadable segments are fine, one more is not. */
	for (int i = 0; i <= ELF_MAX_SEGMENTS; i++)
		s[i] = (struct seg){ LO + (uint32_t)i * 0x1000, 0x800, 0x1000, 0x100,
				     i == 0 ? PF_R | PF_X : PF_R };
	make_elf(s, ELF_MAX_SEGMENTS, LO);
	ck_assert_msg(elf_inspect(file, sizeof(file), LO, HI, &img) == ELF_OK,
		      "%d loadable segments were refused", ELF_MAX_SEGMENTS);
	ck_assert_uint_eq(img.hi, LO + (ELF_MAX_SEGMENTS - 1) * 0x1000 + 0x800);
	make_elf(s, ELF_MAX_SEGMENTS + 1, LO);
	expect(ELF_BAD_PHDRS, "one loadable segment more than ELF_MAX_SEGMENTS");
}
