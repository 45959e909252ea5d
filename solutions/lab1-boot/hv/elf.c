/*
 * Checking a guest's ELF image before loading it. Everything in the file is
 * under the guest author's control, so every field is checked before it is
 * used and every sum is checked for overflow: a malformed module is refused
 * with a reason, and the hypervisor goes on with the next one.
 */
#include <stdbool.h>

#include <koan/elf.h>
#include <koan/exercise.h>
#include <public/layout.h>

#include <koan/kstring.h>

/* Does [a, a + alen) intersect [b, b + blen)? Lengths are non-zero and the
 * ranges do not wrap (checked before). */
static bool ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Check one PT_LOAD program header against the file and the allowed range,
 * and against the segments accepted before it (img->seg[0 .. nr_segments)).
 */
static enum elf_error check_segment(const struct elf32_phdr *ph, size_t size, uint32_t allowed_lo,
				    uint32_t allowed_hi, const struct elf_image *img)
{
	// BEGIN EXERCISE lab1.4: check a loadable segment (lab1-boot/README.md, Exercise 4)
	//   In: one PT_LOAD header, the file's size, the guest range
	//   [allowed_lo, allowed_hi), and the segments accepted so far. Out, the
	//   first that applies: ELF_SEG_BAD if its sizes are inconsistent
	//   (filesz > memsz, memsz 0) or its file bytes are not all in the file;
	//   ELF_SEG_IN_HV if its memory wraps past 4 GB or reaches KOAN_HV_START;
	//   ELF_SEG_OUTSIDE if any byte lies outside the guest range;
	//   ELF_SEG_OVERLAP if it shares a byte with an accepted segment; else
	//   ELF_OK. No sum of two fields may overflow on the way.
	if (ph->p_filesz > ph->p_memsz || ph->p_memsz == 0)
		return ELF_SEG_BAD;
	if (ph->p_offset > size || size - ph->p_offset < ph->p_filesz)
		return ELF_SEG_BAD;
	if (ph->p_vaddr > 0xFFFFFFFFu - (ph->p_memsz - 1))
		return ELF_SEG_IN_HV; /* wraps around the top of the address space */
	uint32_t last = ph->p_vaddr + (ph->p_memsz - 1);
	if (last >= KOAN_HV_START)
		return ELF_SEG_IN_HV;
	if (ph->p_vaddr < allowed_lo || last >= allowed_hi)
		return ELF_SEG_OUTSIDE;
	for (int i = 0; i < img->nr_segments; i++)
		if (ranges_overlap(ph->p_vaddr, ph->p_memsz, img->seg[i].vaddr, img->seg[i].memsz))
			return ELF_SEG_OVERLAP;
	return ELF_OK;
	// STUB
	//> EXERCISE_TODO("lab1.4", "check_segment() in hv/elf.c does not check segments yet");
	//> (void)ph, (void)size, (void)allowed_lo, (void)allowed_hi, (void)img;
	//> (void)ranges_overlap;
	//> return ELF_TODO;
	// END EXERCISE
}

// BEGIN EXERCISE lab1.12: check an image (lab1-boot/README.md, Exercise 4)
//   elf_inspect() of koan/elf.h. In: `size` bytes that the guest's author
//   wrote, claiming to be an ELF executable. Out: ELF_OK, and in *out the
//   entry point, the PT_LOAD segments in the table's order (other types are
//   skipped), lo (the lowest address) and hi (the end of the highest). Else
//   the first error that applies, in this order: ELF_TRUNCATED (shorter than
//   an ELF header), ELF_BAD_MAGIC, ELF_BAD_CLASS (not 32-bit little-endian),
//   ELF_BAD_TYPE (not ET_EXEC), ELF_BAD_MACHINE (not EM_386), ELF_BAD_PHDRS
//   (e_phentsize is not an elf32_phdr's size, or no entries), ELF_TRUNCATED
//   (the table does not fit in the file); then, for each PT_LOAD in turn,
//   ELF_BAD_PHDRS if it is one more than ELF_MAX_SEGMENTS, or the error of
//   check_segment(); then ELF_NO_SEGMENTS, and ELF_ENTRY_OUTSIDE if the entry
//   is in no PF_X segment. After an error *out means nothing. Not a byte
//   outside the file is read.
static enum elf_error check_header(const struct elf32_ehdr *eh, size_t size)
{
	if (size < sizeof(*eh))
		return ELF_TRUNCATED;
	if (memcmp(eh->e_ident, ELF_MAGIC, 4) != 0)
		return ELF_BAD_MAGIC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return ELF_BAD_CLASS;
	if (eh->e_type != ET_EXEC)
		return ELF_BAD_TYPE;
	if (eh->e_machine != EM_386)
		return ELF_BAD_MACHINE;
	if (eh->e_phentsize != sizeof(struct elf32_phdr) || eh->e_phnum == 0)
		return ELF_BAD_PHDRS;
	/* The table must lie inside the file: compare without overflowing. */
	if (eh->e_phoff > size || (size - eh->e_phoff) / sizeof(struct elf32_phdr) < eh->e_phnum)
		return ELF_TRUNCATED;
	return ELF_OK;
}

/* The entry point must be inside an executable segment. */
static bool entry_is_valid(const struct elf_image *img)
{
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		if ((s->flags & PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

static void add_segment(const struct elf32_phdr *ph, struct elf_image *img)
{
	struct elf_segment *s = &img->seg[img->nr_segments++];

	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->flags = ph->p_flags;
	if (img->nr_segments == 1 || s->vaddr < img->lo)
		img->lo = s->vaddr;
	if (img->nr_segments == 1 || s->vaddr + s->memsz > img->hi)
		img->hi = s->vaddr + s->memsz;
}

enum elf_error elf_inspect(const void *file, size_t size, uint32_t allowed_lo, uint32_t allowed_hi,
			   struct elf_image *out)
{
	const struct elf32_ehdr *eh = file;
	enum elf_error err = check_header(eh, size);

	*out = (struct elf_image){ 0 };
	if (err)
		return err;
	const struct elf32_phdr *ph = (const void *)((const uint8_t *)file + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (out->nr_segments == ELF_MAX_SEGMENTS)
			return ELF_BAD_PHDRS;
		err = check_segment(&ph[i], size, allowed_lo, allowed_hi, out);
		if (err)
			return err;
		add_segment(&ph[i], out);
	}
	if (out->nr_segments == 0)
		return ELF_NO_SEGMENTS;
	out->entry = eh->e_entry;
	if (!entry_is_valid(out))
		return ELF_ENTRY_OUTSIDE;
	return ELF_OK;
}

// STUB
//> enum elf_error elf_inspect(const void *file, size_t size, uint32_t allowed_lo, uint32_t allowed_hi,
//> 			   struct elf_image *out)
//> {
//> 	EXERCISE_TODO("lab1.12", "elf_inspect() in hv/elf.c checks no image yet");
//> 	(void)file, (void)size, (void)allowed_lo, (void)allowed_hi, (void)check_segment;
//> 	*out = (struct elf_image){ 0 };
//> 	return ELF_TODO;
//> }
// END EXERCISE

static const struct {
	const char *name;
	const char *text;
} elf_errors[] = {
	[ELF_OK] = { "ok", "a valid guest image" },
	[ELF_TRUNCATED] = { "truncated", "the file is shorter than its headers say" },
	[ELF_BAD_MAGIC] = { "bad-magic", "not an ELF file (bad magic number)" },
	[ELF_BAD_CLASS] = { "bad-class", "not a 32-bit little-endian ELF file" },
	[ELF_BAD_TYPE] = { "bad-type", "not an executable (e_type is not ET_EXEC)" },
	[ELF_BAD_MACHINE] = { "bad-machine", "not built for the i386 (e_machine)" },
	[ELF_BAD_PHDRS] = { "bad-phdrs", "the program header table is malformed" },
	[ELF_NO_SEGMENTS] = { "no-segments", "no loadable segment" },
	[ELF_SEG_BAD] = { "bad-segment", "a segment's sizes or file offset are inconsistent" },
	[ELF_SEG_IN_HV] = { "segment-in-hypervisor",
			    "a segment reaches into the hypervisor's 64 MB" },
	[ELF_SEG_OUTSIDE] = { "segment-outside",
			      "a segment lies outside the memory given to guests" },
	[ELF_SEG_OVERLAP] = { "segment-overlap", "two segments overlap" },
	[ELF_ENTRY_OUTSIDE] = { "entry-outside", "the entry point is in no executable segment" },
	[ELF_TODO] = { "not-checked", "the image was not checked (Exercise 4 is not done)" },
};

const char *elf_error_name(enum elf_error e)
{
	if ((unsigned)e >= sizeof(elf_errors) / sizeof(elf_errors[0]))
		return "unknown";
	return elf_errors[e].name;
}

const char *elf_error_text(enum elf_error e)
{
	if ((unsigned)e >= sizeof(elf_errors) / sizeof(elf_errors[0]))
		return "unknown error";
	return elf_errors[e].text;
}
