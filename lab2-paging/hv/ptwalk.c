/* A software page walk (Intel SDM Vol. 3A, 4.3), as the guest's MMU would do it. */
#include <koan/pte.h>
#include <koan/ptwalk.h>

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
