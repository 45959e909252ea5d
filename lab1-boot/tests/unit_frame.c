/* Lab 1, Exercise 5: the frame a guest kernel starts from. */
#include <stdlib.h>
#include <unistd.h>

#include <koan/domain.h>
#include <koan/trap.h>
#include <koan/x86.h>
#include <public/layout.h>

#include "koan_test.h"

KTEST(lab1_guest_initial_frame)
{
	struct trap_frame tf;

	srand((unsigned)getpid());
	for (int i = 0; i < 50; i++) {
		uint32_t entry = 0x01000000u + ((uint32_t)rand() % 0x100000u);
		uint32_t stack = 0x02000000u + ((uint32_t)rand() % 0x100000u) * 4;
		uint32_t si = 0x03000000u + ((uint32_t)rand() % 0x1000u) * 4096;

		guest_initial_frame(&tf, entry, stack, si);
		const char *problem = guest_frame_problem(&tf);
		ck_assert_msg(problem == NULL, "the hypervisor's check refuses the frame: %s",
			      problem);
		ck_assert_uint_eq(tf.eip, entry);
		ck_assert_uint_eq(tf.esp, stack);
		ck_assert_msg(tf.esi == si,
			      "%%esi must hold the start info address (public/start_info.h)");
		ck_assert_uint_eq(tf.cs & 3, 1);
		ck_assert_uint_eq(tf.ss & 3, 1);
		ck_assert_msg(!(tf.eflags & EFLAGS_IF), "the guest must start with IF clear");
	}
}
