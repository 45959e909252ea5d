/*
 * The frame table: for every machine frame, who owns it, what it is used
 * as, and how many references hold it (the paper, section 3.3.3, and Xen's
 * struct page_info). Pure C, unit-tested on the host.
 *
 * Two counts per frame:
 *  - ref_count: general references (mappings, pins, the builder's hold).
 *    A frame is freed only when nothing holds it.
 *  - type_count: references that depend on the frame's *type*: each L2
 *    entry that points at an L1, each writable mapping of a frame, each
 *    pin of a page table. The type may change only while type_count is 0.
 *
 * Getting a frame as a page table (get_page_type to PGT_L1 or PGT_L2 on a
 * type_count of 0) validates it: every entry is checked (check_l1e,
 * check_l2e) and takes the references it needs. Dropping the last type
 * reference devalidates it: the entries give their references back.
 */
#ifndef KOAN_FRAMETAB_H
#define KOAN_FRAMETAB_H

#include <stdbool.h>
#include <stdint.h>

enum page_type {
	PGT_NONE = 0,
	PGT_L1,		/* a page table */
	PGT_L2,		/* a page directory */
	PGT_WRITABLE,	/* mapped writable somewhere */
	PGT_DESCRIPTOR, /* a GDT/LDT frame (lab 3) */
};

#define OWNER_FREE 0xFFFFu /* in the allocator */
#define OWNER_HV 0xFFFEu   /* the hypervisor's own */

#define PGF_PINNED 0x01u /* pinned: the pin holds one type and one general reference */

struct page_info {
	uint16_t owner;
	uint8_t type;
	uint8_t flags;
	uint32_t type_count;
	uint32_t ref_count;
};

/* Why a frame could not be taken: filled by the checks, for the report. */
enum pt_problem {
	PT_OK = 0,
	PT_BAD_FRAME,	  /* no such frame */
	PT_NOT_OWNER,	  /* the frame belongs to someone else (or the hypervisor) */
	PT_TYPE_CONFLICT, /* in use as another type (e.g. a page table mapped writable) */
	PT_HV_SLOT,	  /* a directory entry in the hypervisor's area */
	PT_LARGE_PAGE,	  /* a 4 MB page in a guest directory: not allowed */
	PT_TODO,	  /* exercise not done */
};

struct pt_error {
	enum pt_problem problem;
	uint32_t table_mfn; /* the table whose entry was refused (or FRAME_NONE) */
	unsigned index;	    /* the entry */
	uint32_t entry;	    /* its value */
	uint32_t mfn;	    /* the frame it referred to */
};

struct frame_table {
	struct page_info *pages;
	uint32_t nr_frames;
	/* The 1024 entries of a page-table frame, through the hypervisor's map. */
	uint32_t *(*table)(uint32_t mfn);
	/* Fill (or clear) the hypervisor's entries of a directory. */
	void (*set_hv_slots)(uint32_t *l2, bool present);
	struct pt_error last_error;
};

bool get_page(struct frame_table *ft, uint32_t mfn, uint16_t owner);
void put_page(struct frame_table *ft, uint32_t mfn);

/* Take a type reference; validates on the first one. Returns false (and
 * takes nothing) on a conflict or a failed validation: see ft->last_error. */
bool get_page_type(struct frame_table *ft, uint32_t mfn, enum page_type type, uint16_t owner);
void put_page_type(struct frame_table *ft, uint32_t mfn);

/* The rules for one entry; they take the references the entry needs. */
bool check_l1e(struct frame_table *ft, uint32_t l1e, uint16_t owner);
void put_l1e(struct frame_table *ft, uint32_t l1e);
bool check_l2e(struct frame_table *ft, unsigned index, uint32_t l2e, uint16_t owner);
void put_l2e(struct frame_table *ft, unsigned index, uint32_t l2e);

const char *pt_problem_text(enum pt_problem p);
const char *pt_problem_name(enum pt_problem p); /* short: "not-owner" */
const char *page_type_name(enum page_type t);

#endif
