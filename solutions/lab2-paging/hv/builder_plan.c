/* Planning a new domain's address space (koan/builder.h). Pure C. */
#include <koan/builder.h>
#include <koan/exercise.h>
#include <koan/pte.h>
#include <public/memory.h>

#define PAGE 4096u
#define FOUR_MB 0x400000u

static uint32_t round_up(uint32_t x, uint32_t to)
{
	return (x + to - 1) & ~(to - 1);
}

// BEGIN EXERCISE lab2.11: plan a domain's address space (lab2-paging/README.md, Exercise 5)
//   In: the image's range [image_lo, image_hi) as elf_inspect() found it
//   and the number of pages mem= asks for. Out: true and *p filled in with
//   the layout koan/builder.h draws: the parts in that order, each at the
//   first page boundary after the one before, with a page table for each
//   4 MB of the mapped range after the directory; or false if the
//   domain is empty, the image is empty, the range would reach the M2P, or
//   the parts do not fit in nr_pages. *p's nr_pages is set either way.
//   The image lies below the M2P (elf_inspect() saw to that); nr_pages
//   may be any number, and no sum may wrap.
bool build_plan(uint32_t image_lo, uint32_t image_hi, uint32_t nr_pages, struct build_plan *p)
{
	uint64_t end;

	*p = (struct build_plan){ .nr_pages = nr_pages };
	if (nr_pages == 0 || image_hi <= image_lo)
		return false;
	p->first_va = image_lo & ~(FOUR_MB - 1);
	end = (uint64_t)p->first_va + (uint64_t)nr_pages * PAGE;
	if (end > KOAN_M2P_START)
		return false;
	p->end_va = (uint32_t)end;
	p->image_end_va = round_up(image_hi, PAGE);
	p->p2m_va = p->image_end_va;
	p->pt_va = round_up(p->p2m_va + nr_pages * 4, PAGE);
	/* One page table per 4 MB of the mapped range, and the directory. */
	p->nr_pt_frames = 1 + (nr_pages + ENTRIES_PER_TABLE - 1) / ENTRIES_PER_TABLE;
	p->start_info_va = p->pt_va + p->nr_pt_frames * PAGE;
	p->stack_va = p->start_info_va + PAGE;
	return (uint64_t)p->stack_va + PAGE <= end;
}
// STUB
//> bool build_plan(uint32_t image_lo, uint32_t image_hi, uint32_t nr_pages, struct build_plan *p)
//> {
//> 	EXERCISE_TODO("lab2.11", "build_plan() in hv/builder_plan.c plans nothing yet");
//> 	(void)image_lo, (void)image_hi, (void)round_up;
//> 	*p = (struct build_plan){ .nr_pages = nr_pages };
//> 	return false;
//> }
// END EXERCISE
