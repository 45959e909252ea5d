/*
 * Lab 2: walking a domain's page tables in software (pt_translate, given),
 * on tables the frame table has validated (Exercises 2 and 3). Only what a
 * guest could reach counts: both levels present and user, no 4 MB pages
 * (a validated directory has none), nothing in the hypervisor's slots.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <koan/frame_alloc.h>
#include <koan/frametab.h>
#include <koan/pte.h>
#include <koan/ptwalk.h>
#include <public/memory.h>

#include "fake_machine.h"
#include "koan_test.h"

struct mapping {
	uint32_t va;
	uint32_t mfn;
	bool writable;
};

/* Distinct own frames, in random order. */
static void shuffled_own_frames(uint32_t *f)
{
	for (uint32_t i = 0; i < FIRST_OTHER; i++)
		f[i] = i;
	for (uint32_t i = FIRST_OTHER - 1; i > 0; i--) {
		uint32_t k = rnd(i + 1), t = f[i];
		f[i] = f[k];
		f[k] = t;
	}
}

/* The hypervisor's table behind its slots maps pages user-accessible: a
 * walk that looked only at the last level would let the guest in. */
static void hv_table_looks_inviting(void)
{
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		mem[HV_FRAME][i] = pte_make(FIRST_HV + 1 + i % 7, PTE_P | PTE_RW | PTE_US);
}

static void validate(uint32_t l2)
{
	ck_assert_msg(get_page_type(&ft, l2, PGT_L2, DOM),
		      "a valid directory was refused: %s (entry %u of frame %u)",
		      pt_problem_text(ft.last_error.problem), ft.last_error.index,
		      ft.last_error.table_mfn);
}

static void expect_unmapped(uint32_t l2, uint32_t va, const char *why)
{
	uint32_t mfn = FRAME_NONE;
	bool w = false;

	ck_assert_msg(!pt_translate(&ft, l2, va, &mfn, &w), "va %#x (%s) translates to frame %u",
		      va, why, mfn);
}

KTEST(lab2_ptwalk_translate)
{
	static struct mapping maps[200];
	uint32_t f[FIRST_OTHER];

	srand((unsigned)getpid());
	for (int round = 0; round < 20; round++) {
		machine_init();
		hv_table_looks_inviting();
		shuffled_own_frames(f);
		uint32_t l2 = f[0], l1[2] = { f[1], f[2] };
		bool dir_rw[2] = { true, false };
		unsigned nmaps = 0;

		for (int t = 0; t < 2; t++) {
			unsigned pde = free_pde(l2);
			mem[l2][pde] = pte_make(l1[t], PTE_P | PTE_US | (dir_rw[t] ? PTE_RW : 0));
			for (int k = 0; k < 60; k++) {
				unsigned idx = free_index(l1[t], ENTRIES_PER_TABLE);
				uint32_t d = f[3 + rnd(FIRST_OTHER - 3)];
				bool rw = rnd(2);
				mem[l1[t]][idx] = pte_make(d, PTE_P | PTE_US | (rw ? PTE_RW : 0));
				maps[nmaps++] =
					(struct mapping){ (pde << PDE_SHIFT) | (idx << PTE_SHIFT),
							  d, rw && dir_rw[t] };
			}
		}
		validate(l2);

		for (unsigned m = 0; m < nmaps; m++) {
			uint32_t va = maps[m].va + rnd(4096), mfn = FRAME_NONE;
			bool w = !maps[m].writable;
			ck_assert_msg(pt_translate(&ft, l2, va, &mfn, &w),
				      "va %#x is mapped but did not translate", va);
			ck_assert_msg(mfn == maps[m].mfn,
				      "va %#x translates to frame %u, expected %u", va, mfn,
				      maps[m].mfn);
			ck_assert_msg(w == maps[m].writable, "va %#x: writable %d, expected %d", va,
				      w, maps[m].writable);
		}
		for (int k = 0; k < 2000; k++) {
			uint32_t va = ((uint32_t)rand() << 12) ^ (uint32_t)rand();
			bool mapped = false;
			for (unsigned m = 0; m < nmaps; m++)
				mapped |= (va & PTE_FRAME_MASK) == maps[m].va;
			if (!mapped)
				expect_unmapped(l2, va, "not mapped");
		}
	}
}

KTEST(lab2_ptwalk_refuses)
{
	uint32_t f[FIRST_OTHER];

	srand((unsigned)getpid());
	machine_init();
	hv_table_looks_inviting();
	shuffled_own_frames(f);
	uint32_t l2 = f[0], user_l1 = f[1], sup_l1 = f[2];
	unsigned pde_user = free_pde(l2);
	mem[l2][pde_user] = pte_make(user_l1, PTE_P | PTE_RW | PTE_US);
	unsigned pde_sup = free_pde(l2);
	mem[l2][pde_sup] = pte_make(sup_l1, PTE_P | PTE_RW); /* supervisor only */

	unsigned good = free_index(user_l1, ENTRIES_PER_TABLE);
	mem[user_l1][good] = pte_make(f[3], PTE_P | PTE_RW | PTE_US);
	unsigned sup = free_index(user_l1, ENTRIES_PER_TABLE);
	mem[user_l1][sup] = pte_make(f[4], PTE_P | PTE_RW);
	unsigned junk = free_index(user_l1, ENTRIES_PER_TABLE);
	mem[user_l1][junk] = pte_make(f[5], PTE_RW | PTE_US | PTE_A); /* not present */
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		mem[sup_l1][i] = pte_make(f[6 + i % 20], PTE_P | PTE_US);
	validate(l2);

	uint32_t mfn = FRAME_NONE;
	bool w = false;
	uint32_t va_good = (pde_user << PDE_SHIFT) | (good << PTE_SHIFT) | rnd(4096);
	ck_assert_msg(pt_translate(&ft, l2, va_good, &mfn, &w) && mfn == f[3] && w,
		      "va %#x should translate to frame %u, writable", va_good, f[3]);
	expect_unmapped(l2, (pde_user << PDE_SHIFT) | (sup << PTE_SHIFT) | rnd(4096),
			"a supervisor page");
	expect_unmapped(l2, (pde_user << PDE_SHIFT) | (junk << PTE_SHIFT) | rnd(4096),
			"an entry without P");
	for (int k = 0; k < 20; k++)
		expect_unmapped(l2, (pde_sup << PDE_SHIFT) | (rnd(ENTRIES_PER_TABLE) << PTE_SHIFT),
				"under a supervisor directory entry");
	for (int k = 0; k < 20; k++)
		expect_unmapped(l2, KOAN_M2P_START + rnd(0u - KOAN_M2P_START),
				"the hypervisor's slots");
	for (int k = 0; k < 20; k++) {
		unsigned pde = rnd(ENTRIES_PER_TABLE);
		if (pde != pde_user && pde != pde_sup && pde < KOAN_GUEST_PDES)
			expect_unmapped(l2, (pde << PDE_SHIFT) | rnd(1u << PDE_SHIFT),
					"an empty directory entry");
	}

	/* A 4 MB page: the directory refuses it, and a walk does not follow it. */
	struct page_info initial[NR_FRAMES];
	put_page_type(&ft, l2);
	memcpy(initial, pages, sizeof(initial));
	unsigned pde_big = free_pde(l2);
	mem[l2][pde_big] = pte_make(user_l1, PTE_P | PTE_RW | PTE_US | PTE_PS);
	ck_assert_msg(!get_page_type(&ft, l2, PGT_L2, DOM),
		      "a directory with a 4 MB page was accepted");
	ck_assert_msg(ft.last_error.problem == PT_LARGE_PAGE, "expected PT_LARGE_PAGE, got %s",
		      pt_problem_text(ft.last_error.problem));
	expect_pages(initial, "after refusing the directory");
	expect_unmapped(l2, (pde_big << PDE_SHIFT) | (good << PTE_SHIFT), "a 4 MB page");
	expect_unmapped(l2, (pde_big << PDE_SHIFT) | (good << PTE_SHIFT) | rnd(4096),
			"a 4 MB page");

	/* A frame table shorter than the memory behind it: a directory, or a
	 * table, just past its end is no frame, whatever it holds. */
	mem[l2][pde_big] = 0;
	unsigned pde_end = free_pde(l2);
	mem[l2][pde_end] = pte_make(FIRST_OTHER, PTE_P | PTE_RW | PTE_US);
	for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
		mem[FIRST_OTHER][i] = pte_make(user_l1, PTE_P | PTE_RW | PTE_US);
	ft.nr_frames = FIRST_OTHER;
	mfn = FRAME_NONE;
	ck_assert_msg(!pt_translate(&ft, FIRST_OTHER, (pde_user << PDE_SHIFT) | (good << PTE_SHIFT),
				    &mfn, &w),
		      "a walk from directory %u, on a table of %u frames, gave frame %u",
		      FIRST_OTHER, FIRST_OTHER, mfn);
	expect_unmapped(l2, (pde_end << PDE_SHIFT) | (rnd(ENTRIES_PER_TABLE) << PTE_SHIFT),
			"under a directory entry naming the frame past the table's end");
	ft.nr_frames = NR_FRAMES;
}
