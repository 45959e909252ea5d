/* A software page walk (Intel SDM Vol. 3A, 4.3), as the guest's MMU would do it. */
#include <koan/exercise.h>
#include <koan/pte.h>
#include <koan/ptwalk.h>

// BEGIN EXERCISE lab2.13: walk a guest's page tables (lab2-paging/README.md, Exercise 6)
//   In: any directory frame (it may be the guest's choice), any address.
//   Out: true, the frame that holds `va` and whether the guest may write it
//   there, exactly as the MMU would answer for a guest in ring 1 or 3
//   (Intel SDM Vol. 3A, 4.3 and 4.6: both levels present and user, writable
//   at both); false for anything the guest could not reach, the
//   hypervisor's own supervisor mappings included. Never reads outside the
//   frame table, whatever the entries say (a 4 MB entry is not followed).
bool pt_translate(const struct frame_table *ft, uint32_t l2_mfn, uint32_t va, uint32_t *mfn,
		  bool *writable)
{
	const uint32_t need = PTE_P | PTE_US;

	if (l2_mfn >= ft->nr_frames)
		return false;
	uint32_t pde = ft->table(l2_mfn)[pde_index(va)];
	if ((pde & need) != need || (pde & PTE_PS) || pte_mfn(pde) >= ft->nr_frames)
		return false;
	uint32_t pte = ft->table(pte_mfn(pde))[pte_index(va)];
	if ((pte & need) != need)
		return false;
	*mfn = pte_mfn(pte);
	*writable = (pde & PTE_RW) && (pte & PTE_RW);
	return true;
}
// STUB
//> bool pt_translate(const struct frame_table *ft, uint32_t l2_mfn, uint32_t va, uint32_t *mfn,
//> 		  bool *writable)
//> {
//> 	EXERCISE_TODO("lab2.13", "pt_translate() in hv/ptwalk.c translates nothing yet");
//> 	(void)ft, (void)l2_mfn, (void)va, (void)mfn, (void)writable;
//> 	return false;
//> }
// END EXERCISE
