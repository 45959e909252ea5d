/*
 * Koan public ABI, lab 5: shared-memory I/O rings (the paper, section 3.2
 * and its figure 2; Xen's io/ring.h). One page shared by a frontend and a
 * backend holds four indices and a ring of slots, each slot a request or,
 * once the backend has answered it, a response:
 *
 *   req_prod   written by the frontend: requests it has produced
 *   rsp_prod   written by the backend: responses it has produced
 *   req_event  written by the backend: "notify me when req_prod passes this"
 *   rsp_event  written by the frontend: the same for rsp_prod
 *
 * Each side also keeps private counters (a request it is still filling in,
 * the responses it has consumed). Every index is a free-running 32-bit
 * counter, never reduced modulo the ring's size: the slot of index i is
 * i & (size - 1), and the size is a power of two, so the arithmetic stays
 * right when the counters wrap around at 2^32.
 *
 * The arithmetic is in the kit's lib/ring.c (lab 5, Exercise 1); these
 * macros are how drivers use it. A guest must not trust the other side's
 * indices: a backend checks that the frontend's req_prod never runs more
 * than the ring's size ahead of the responses (KOAN_RING_REQUEST_OVERFLOW).
 */
#ifndef KOAN_PUBLIC_IO_RING_H
#define KOAN_PUBLIC_IO_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t koan_ring_idx_t;

/* The four shared indices and padding: slots begin 64 bytes into the page. */
#define KOAN_RING_HEADER_BYTES 64u

/* lib/ring.c: each of these is explained there and in the lab 5 handout. */
uint32_t koan_ring_size(uint32_t bytes, uint32_t slot_bytes);
uint32_t koan_ring_slot(koan_ring_idx_t idx, uint32_t size);
uint32_t koan_ring_free_requests(koan_ring_idx_t req_prod_pvt, koan_ring_idx_t rsp_cons,
				 uint32_t size);
uint32_t koan_ring_unconsumed_requests(koan_ring_idx_t req_prod, koan_ring_idx_t req_cons,
				       koan_ring_idx_t rsp_prod_pvt, uint32_t size);
uint32_t koan_ring_unconsumed_responses(koan_ring_idx_t rsp_prod, koan_ring_idx_t rsp_cons);
bool koan_ring_request_overflow(koan_ring_idx_t req_prod, koan_ring_idx_t rsp_prod_pvt,
				uint32_t size);
bool koan_ring_need_notify(koan_ring_idx_t old_prod, koan_ring_idx_t new_prod,
			   koan_ring_idx_t event);

/* The shared page's type, name##_sring, and each side's private state. */
#define KOAN_DEFINE_RING_TYPES(name, req_t, rsp_t)                                         \
	union name##_sring_entry {                                                         \
		req_t req;                                                                 \
		rsp_t rsp;                                                                 \
	};                                                                                 \
	struct name##_sring {                                                              \
		koan_ring_idx_t req_prod, req_event;                                       \
		koan_ring_idx_t rsp_prod, rsp_event;                                       \
		uint8_t pad[KOAN_RING_HEADER_BYTES - 16];                                  \
		union name##_sring_entry ring[];                                           \
	};                                                                                 \
	struct name##_front_ring {                                                         \
		koan_ring_idx_t req_prod_pvt; /* requests filled in, not all pushed yet */ \
		koan_ring_idx_t rsp_cons;     /* responses consumed */                     \
		uint32_t nr_ents;                                                          \
		volatile struct name##_sring *sring;                                       \
	};                                                                                 \
	struct name##_back_ring {                                                          \
		koan_ring_idx_t rsp_prod_pvt; /* responses filled in */                    \
		koan_ring_idx_t req_cons;     /* requests consumed */                      \
		uint32_t nr_ents;                                                          \
		volatile struct name##_sring *sring;                                       \
	}

/* Slots in a ring of one page. */
#define KOAN_RING_SIZE_OF(name, page_bytes) \
	koan_ring_size((page_bytes)-KOAN_RING_HEADER_BYTES, sizeof(union name##_sring_entry))

/* The frontend makes the shared page empty; both sides then attach. */
#define KOAN_SHARED_RING_INIT(s)                     \
	do {                                         \
		(s)->req_prod = (s)->rsp_prod = 0;   \
		(s)->req_event = (s)->rsp_event = 1; \
	} while (0)
#define KOAN_FRONT_RING_INIT(r, s, size) \
	do {                             \
		(r)->req_prod_pvt = 0;   \
		(r)->rsp_cons = 0;       \
		(r)->nr_ents = (size);   \
		(r)->sring = (s);        \
	} while (0)
#define KOAN_BACK_RING_INIT(r, s, size) \
	do {                            \
		(r)->rsp_prod_pvt = 0;  \
		(r)->req_cons = 0;      \
		(r)->nr_ents = (size);  \
		(r)->sring = (s);       \
	} while (0)

#define KOAN_RING_GET_REQUEST(r, idx) (&(r)->sring->ring[koan_ring_slot((idx), (r)->nr_ents)].req)
#define KOAN_RING_GET_RESPONSE(r, idx) (&(r)->sring->ring[koan_ring_slot((idx), (r)->nr_ents)].rsp)

#define KOAN_RING_FREE_REQUESTS(r) \
	koan_ring_free_requests((r)->req_prod_pvt, (r)->rsp_cons, (r)->nr_ents)
#define KOAN_RING_FULL(r) (KOAN_RING_FREE_REQUESTS(r) == 0)
#define KOAN_RING_HAS_UNCONSUMED_RESPONSES(r) \
	koan_ring_unconsumed_responses((r)->sring->rsp_prod, (r)->rsp_cons)
#define KOAN_RING_HAS_UNCONSUMED_REQUESTS(r)                                                  \
	koan_ring_unconsumed_requests((r)->sring->req_prod, (r)->req_cons, (r)->rsp_prod_pvt, \
				      (r)->nr_ents)
/* The frontend's req_prod ran ahead of what the ring can hold: it lies. */
#define KOAN_RING_REQUEST_OVERFLOW(r) \
	koan_ring_request_overflow((r)->sring->req_prod, (r)->rsp_prod_pvt, (r)->nr_ents)

/* One CPU, so only the compiler may reorder: the slots are written before
 * the index that publishes them, and the index before the event is read. */
#define KOAN_RING_BARRIER() __asm__ volatile("" ::: "memory")

#define KOAN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify)                            \
	do {                                                                           \
		koan_ring_idx_t old_ = (r)->sring->req_prod, new_ = (r)->req_prod_pvt; \
		KOAN_RING_BARRIER();                                                   \
		(r)->sring->req_prod = new_;                                           \
		KOAN_RING_BARRIER();                                                   \
		(notify) = koan_ring_need_notify(old_, new_, (r)->sring->req_event);   \
	} while (0)
#define KOAN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify)                           \
	do {                                                                           \
		koan_ring_idx_t old_ = (r)->sring->rsp_prod, new_ = (r)->rsp_prod_pvt; \
		KOAN_RING_BARRIER();                                                   \
		(r)->sring->rsp_prod = new_;                                           \
		KOAN_RING_BARRIER();                                                   \
		(notify) = koan_ring_need_notify(old_, new_, (r)->sring->rsp_event);   \
	} while (0)

/* Before sleeping: ask to be notified of the next one, then look once more
 * (one may have come between the last look and the request). */
#define KOAN_RING_FINAL_CHECK_FOR_REQUESTS(r, more)            \
	do {                                                   \
		(more) = KOAN_RING_HAS_UNCONSUMED_REQUESTS(r); \
		if (more)                                      \
			break;                                 \
		(r)->sring->req_event = (r)->req_cons + 1;     \
		KOAN_RING_BARRIER();                           \
		(more) = KOAN_RING_HAS_UNCONSUMED_REQUESTS(r); \
	} while (0)
#define KOAN_RING_FINAL_CHECK_FOR_RESPONSES(r, more)            \
	do {                                                    \
		(more) = KOAN_RING_HAS_UNCONSUMED_RESPONSES(r); \
		if (more)                                       \
			break;                                  \
		(r)->sring->rsp_event = (r)->rsp_cons + 1;      \
		KOAN_RING_BARRIER();                            \
		(more) = KOAN_RING_HAS_UNCONSUMED_RESPONSES(r); \
	} while (0)

#endif
