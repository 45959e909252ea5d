/* Which guest addresses a hypercall may touch (koan/hypercall.h). Pure C. */
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <public/layout.h>
#include <public/memory.h>

bool guest_range_ok(uint32_t va, uint32_t len, bool write)
{
	// BEGIN EXERCISE lab3.2: check a guest range (lab3-hypercalls/README.md, Exercise 2)
	//   In: a range [va, va + len) that a guest chose (any values) and whether
	//   the hypervisor will write it. Out: true if the guest may have the
	//   hypervisor touch every byte of it: an empty range always, else a range
	//   that does not wrap round 4 GB and ends at or below the guest's limit,
	//   KOAN_HV_START for reading and KOAN_M2P_START for writing (README, "Guest
	//   memory"). No sum may overflow on the way.
	uint32_t limit = write ? KOAN_M2P_START : KOAN_HV_START;

	if (len == 0)
		return true;
	return va < limit && len <= limit - va;
	// STUB
	//> EXERCISE_TODO("lab3.2", "guest_range_ok() in hv/guest_range.c allows nothing yet");
	//> (void)va, (void)len, (void)write;
	//> return false;
	// END EXERCISE
}
