/*
 * The guest kernel's grant tables (guest/include/gnttab.h), in the manner
 * of Mini-OS's gnttab.c: the table mapped over a page of our own, free
 * references handed out lowest first, pages of our own memory given up to
 * make room for mappings, and ending access with an atomic
 * compare-and-exchange of the flags, so that a mapping the hypervisor
 * makes between our look and our write is never missed.
 */
#include <koan/pte.h>

#include "gnttab.h"
#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include <public/event_channel.h>

volatile struct koan_grant_entry *gnttab_table;

int32_t gnttab_op(uint32_t cmd, void *ops, uint32_t count)
{
	return hypercall3(KOAN_HC_GRANT_TABLE_OP, cmd, (uint32_t)(uintptr_t)ops, count);
}

int gnttab_init(void)
{
	struct koan_gnttab_setup_table setup = { .dom = KOAN_DOMID_SELF, .nr_frames = 1 };
	if (gnttab_table)
		return 0;
	uint32_t va = alloc_page();
	if (!va)
		return -KOAN_ENOMEM;
	int32_t err = gnttab_op(KOAN_GNTTABOP_SETUP_TABLE, &setup, 1);
	if (err)
		return err;
	if (setup.status)
		return setup.status;
	err = hc_update_va_mapping(va, pte_make(setup.frame, PTE_P | PTE_RW | PTE_US),
				   KOAN_UVMF_INVLPG);
	if (err)
		return err;
	gnttab_table = (volatile struct koan_grant_entry *)(uintptr_t)va;
	return 0;
}

int32_t gnttab_grant_access(uint16_t dom, uint32_t frame, bool readonly)
{
	for (uint32_t ref = 1; ref < KOAN_GRANT_ENTRIES; ref++) {
		volatile struct koan_grant_entry *e = &gnttab_table[ref];
		if (e->flags != KOAN_GTF_INVALID)
			continue;
		e->frame = frame;
		e->domid = dom;
		__asm__ volatile("" ::: "memory"); /* frame and domid before flags */
		e->flags = (uint16_t)(KOAN_GTF_PERMIT_ACCESS | (readonly ? KOAN_GTF_READONLY : 0));
		return (int32_t)ref;
	}
	return -KOAN_ENOSPC;
}

bool gnttab_end_access(uint32_t ref)
{
	volatile uint16_t *flags = &gnttab_table[ref].flags;
	uint16_t old = *flags;

	do {
		if (old & (KOAN_GTF_READING | KOAN_GTF_WRITING))
			return false;
	} while (!__atomic_compare_exchange_n(flags, &old, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return true;
}

int gnttab_map(uint16_t dom, uint32_t ref, uint32_t va, bool readonly, uint32_t *handle)
{
	struct koan_gnttab_map_grant_ref op = {
		.host_addr = va,
		.flags = KOAN_GNTMAP_HOST_MAP | (readonly ? KOAN_GNTMAP_READONLY : 0),
		.ref = ref,
		.dom = dom,
	};
	int32_t err = gnttab_op(KOAN_GNTTABOP_MAP_GRANT_REF, &op, 1);

	if (err)
		return err;
	*handle = op.handle;
	return op.status;
}

int gnttab_unmap(uint32_t va, uint32_t handle)
{
	struct koan_gnttab_unmap_grant_ref op = { .host_addr = va, .handle = handle };
	int32_t err = gnttab_op(KOAN_GNTTABOP_UNMAP_GRANT_REF, &op, 1);

	return err ? err : op.status;
}

uint32_t gnttab_map_page(void)
{
	uint32_t va = alloc_page();

	/* The frame stays ours, unmapped: the hypervisor maps a grant only
	 * where the entry is empty. */
	if (!va || hc_update_va_mapping(va, 0, KOAN_UVMF_INVLPG))
		return 0;
	return va;
}
