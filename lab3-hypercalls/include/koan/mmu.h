/* The MMU hypercalls' shared piece (hv/pt_update.c). */
#ifndef KOAN_MMU_H
#define KOAN_MMU_H

#include <stdint.h>

#include <koan/domain.h>
#include <public/hypercall.h>

/* The entry at machine address `maddr` (in one of d's page tables in use)
 * becomes `val`, if the rules allow. 0 or -KOAN_EINVAL. */
int pt_entry_update(const struct domain *d, uint32_t maddr, uint32_t val);

#endif
