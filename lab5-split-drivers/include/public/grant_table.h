/*
 * Koan public ABI, lab 5: grant tables (Xen's grant_table.h, version 1
 * entries). A domain lets one other domain use one of its frames by filling
 * an entry of its grant table; the other domain names that entry (a grant
 * reference) to map the frame or to copy to or from it.
 *
 * The table is one frame the domain owns, 512 entries, made by
 * KOAN_GNTTABOP_SETUP_TABLE, which returns its frame number for the guest
 * to map writable. The granter writes an entry in this order: frame and
 * domid first, then flags (a compiler barrier between), so that the
 * hypervisor never sees GTF_permit_access with a half-written entry.
 *
 * The hypervisor sets GTF_reading and GTF_writing while a grant is mapped
 * (read-only or writable) and clears them at the last unmap. The granter
 * may end access (write flags 0) only when neither is set; one that clears
 * them anyway changes nothing for the hypervisor, whose own count of the
 * mapping keeps the frame: a mapped frame cannot be freed or retyped, even
 * when its granter dies (it is freed at the last unmap).
 */
#ifndef KOAN_PUBLIC_GRANT_TABLE_H
#define KOAN_PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#define KOAN_HC_GRANT_TABLE_OP 20 /* cmd, ops, count: Xen's number */

typedef uint32_t koan_grant_ref_t;

struct koan_grant_entry {
	uint16_t flags; /* GTF_* */
	uint16_t domid; /* the domain that may use the frame */
	uint32_t frame; /* the granter's machine frame */
};

_Static_assert(sizeof(struct koan_grant_entry) == 8, "ABI layout (Xen's grant_entry_v1)");

#define KOAN_GRANT_ENTRIES 512u /* one frame of entries */

#define KOAN_GTF_INVALID 0u
#define KOAN_GTF_PERMIT_ACCESS 1u /* the entry grants access to `frame` */
#define KOAN_GTF_TYPE_MASK 3u
#define KOAN_GTF_READONLY (1u << 2) /* the grantee may only read */
#define KOAN_GTF_READING (1u << 3)  /* set by the hypervisor: mapped */
#define KOAN_GTF_WRITING (1u << 4)  /* set by the hypervisor: mapped writable */

/* Commands of KOAN_HC_GRANT_TABLE_OP (cmd, pointer to `count` structs, count). */
#define KOAN_GNTTABOP_MAP_GRANT_REF 0
#define KOAN_GNTTABOP_UNMAP_GRANT_REF 1
#define KOAN_GNTTABOP_SETUP_TABLE 2
#define KOAN_GNTTABOP_COPY 5

/* Per-operation status, in each struct (the hypercall itself returns 0, or
 * -KOAN_EFAULT / -KOAN_EINVAL for an array it cannot read or a bad cmd). */
#define KOAN_GNTST_OKAY 0
#define KOAN_GNTST_GENERAL_ERROR (-1)	  /* e.g. the grant is already mapped */
#define KOAN_GNTST_BAD_DOMAIN (-2)	  /* no such (living) domain */
#define KOAN_GNTST_BAD_GNTREF (-3)	  /* out of range, or not granted to the caller */
#define KOAN_GNTST_BAD_HANDLE (-4)	  /* no such mapping of the caller's */
#define KOAN_GNTST_BAD_VIRT_ADDR (-5)	  /* no page table there, the slot in use, or not ours */
#define KOAN_GNTST_NO_DEVICE_SPACE (-7)	  /* the caller's mapping table is full */
#define KOAN_GNTST_PERMISSION_DENIED (-8) /* writable map or copy of a read-only grant */
#define KOAN_GNTST_BAD_PAGE (-9)	  /* the granted frame is not the granter's */
#define KOAN_GNTST_BAD_COPY_ARG (-10)	  /* offset + length past a page, a frame not ours */

/* Map flags. */
#define KOAN_GNTMAP_HOST_MAP (1u << 1) /* must be set: map at host_addr */
#define KOAN_GNTMAP_READONLY (1u << 2)

/*
 * Map grant `ref` of domain `dom` at the caller's virtual address host_addr
 * (page-aligned, below the M2P, in a page table of the caller's, whose entry
 * there is empty). OUT: status, handle (for unmap), frame (the machine frame
 * now mapped). The new entry is checked like any other page-table entry,
 * with the granter as the frame's owner.
 */
struct koan_gnttab_map_grant_ref {
	uint32_t host_addr; /* IN */
	uint32_t flags;	    /* IN: KOAN_GNTMAP_* */
	uint32_t ref;	    /* IN */
	uint16_t dom;	    /* IN: the granter */
	int16_t status;	    /* OUT */
	uint32_t handle;    /* OUT */
	uint32_t frame;	    /* OUT */
};

/* Undo a map: the entry at host_addr is cleared if it still maps the grant. */
struct koan_gnttab_unmap_grant_ref {
	uint32_t host_addr; /* IN: as mapped */
	uint32_t handle;    /* IN */
	int16_t status;	    /* OUT */
	uint16_t pad;
};

/* The caller's grant table (dom must be KOAN_DOMID_SELF, nr_frames 1):
 * made on the first call, the same frame afterwards. */
struct koan_gnttab_setup_table {
	uint16_t dom;	    /* IN */
	int16_t status;	    /* OUT */
	uint32_t nr_frames; /* IN */
	uint32_t frame;	    /* OUT: the table's machine frame */
};

/* Copy between a grant (one side) and a frame of the caller's own (the
 * other), or between two grants, without mapping anything. */
struct koan_gnttab_copy_ptr {
	uint32_t ref_or_frame; /* a grant ref (flag set) or a machine frame of the caller's */
	uint16_t dom;	       /* the granter, or KOAN_DOMID_SELF for a frame of ours */
	uint16_t offset;       /* in the page */
};

#define KOAN_GNTCOPY_SOURCE_GREF (1u << 0)
#define KOAN_GNTCOPY_DEST_GREF (1u << 1)

struct koan_gnttab_copy {
	struct koan_gnttab_copy_ptr source, dest; /* IN */
	uint16_t len;				  /* IN: bytes, within one page on each side */
	uint16_t flags;				  /* IN: KOAN_GNTCOPY_* */
	int16_t status;				  /* OUT */
	uint16_t pad;
};

_Static_assert(sizeof(struct koan_gnttab_map_grant_ref) == 24, "ABI layout");
_Static_assert(sizeof(struct koan_gnttab_unmap_grant_ref) == 12, "ABI layout");
_Static_assert(sizeof(struct koan_gnttab_copy) == 24, "ABI layout");

/* At most this many operations per call (a bounded loop in the hypervisor). */
#define KOAN_GNTTAB_MAX_OPS 32u
/* Each domain may hold this many mappings at once (its handles 0 .. 63). */
#define KOAN_GNTTAB_MAX_MAPS 64u

#endif
