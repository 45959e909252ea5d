/* Lab 2: the frame-table audit agrees with validation, and notices a lie. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/frametab_audit.h>

#include "fake_machine.h"
#include "koan_test.h"

static uint32_t refs[NR_FRAMES], types[NR_FRAMES];

/* A directory (frame 1) with two tables (2, 3) that map frames 4..9, some
 * writable; pinned like the builder pins its directory. */
static void build_validated_space(void)
{
	machine_init();
	mem[1][1] = pte_make(2, PTE_P | PTE_RW | PTE_US);
	mem[1][2] = pte_make(3, PTE_P | PTE_RW | PTE_US);
	for (uint32_t i = 0; i < 6; i++)
		mem[2 + i / 3][i] = pte_make(4 + i, PTE_P | PTE_US | (i & 1 ? PTE_RW : 0));
	mem[3][100] = pte_make(2, PTE_P | PTE_US); /* a table mapped read-only: allowed */
	ck_assert_msg(get_page(&ft, 1, DOM) && get_page_type(&ft, 1, PGT_L2, DOM),
		      "a valid directory was refused (%s)", pt_problem_text(ft.last_error.problem));
	pages[1].flags |= PGF_PINNED;
}

KTEST(lab2_audit)
{
	uint32_t first_bad = 0;

	build_validated_space();
	ck_assert_uint_eq(frametab_audit(&ft, DOM, FRAME_NONE, refs, types, &first_bad), 0);
	/* A directory in %cr3 holds one more of each. */
	ck_assert(get_page(&ft, 1, DOM) && get_page_type(&ft, 1, PGT_L2, DOM));
	ck_assert_uint_eq(frametab_audit(&ft, DOM, 1, refs, types, &first_bad), 0);
	/* One reference too many or too few, anywhere, is caught and located. */
	srand((unsigned)getpid());
	uint32_t victim = 1 + rnd(9);
	pages[victim].ref_count += rnd(2) ? 1 : -1u;
	ck_assert_uint_eq(frametab_audit(&ft, DOM, 1, refs, types, &first_bad), 1);
	ck_assert_uint_eq(first_bad, victim);
}
