/* Which guest addresses a hypercall may touch (koan/hypercall.h). Pure C. */
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <public/layout.h>
#include <public/memory.h>

bool guest_range_ok(uint32_t va, uint32_t len, bool write)
{
	// BEGIN EXERCISE lab3.2: check a guest range (lab3-hypercalls/README.md, Exercise 2)
	//   A guest chooses va and len: both may be anything. An empty range is
	//   fine. Otherwise the range must not wrap around 4 GB and must end at
	//   or below KOAN_HV_START, or KOAN_M2P_START when writing. Compare
	//   without computing va + len where that could overflow.
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
