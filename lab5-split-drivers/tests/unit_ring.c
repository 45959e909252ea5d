/*
 * Lab 5, Exercise 1: the index arithmetic of the shared rings (lib/ring.c),
 * on the host. Every index is a free-running 32-bit counter, so most cases
 * are tried twice: with small indices, and with indices just below 2^32
 * that wrap around to 0 in the middle of the case. A backend must also
 * survive a frontend that lies: a req_prod far ahead of what the ring can
 * hold must neither make it read slots it has not answered nor go unseen.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <public/blkif.h>
#include <public/io_ring.h>

#include "koan_test.h"

#define WRAP 0xFFFFFFF0u /* 16 below 2^32 */

KTEST(lab5_ring_size)
{
	/* The block ring: one page, 64 bytes of header, 112-byte slots. */
	ck_assert_uint_eq(sizeof(union koan_blkif_sring_entry), 112);
	ck_assert_uint_eq(koan_ring_size(4096 - KOAN_RING_HEADER_BYTES, 112), 32);
	ck_assert_uint_eq(KOAN_RING_SIZE_OF(koan_blkif, 4096), 32);
	/* The largest power of two that fits, not the number of slots that fit. */
	ck_assert_uint_eq(koan_ring_size(100, 10), 8);
	ck_assert_uint_eq(koan_ring_size(79, 10), 4);
	ck_assert_uint_eq(koan_ring_size(80, 10), 8);
	ck_assert_uint_eq(koan_ring_size(64, 1), 64);
	ck_assert_uint_eq(koan_ring_size(63, 1), 32);
	ck_assert_uint_eq(koan_ring_size(65, 1), 64);
	ck_assert_uint_eq(koan_ring_size(10, 10), 1);
	ck_assert_uint_eq(koan_ring_size(19, 10), 1);
	ck_assert_uint_eq(koan_ring_size(4096, 4096), 1);
	/* Not one slot: 0. */
	ck_assert_uint_eq(koan_ring_size(9, 10), 0);
	ck_assert_uint_eq(koan_ring_size(0, 16), 0);
	ck_assert_uint_eq(koan_ring_size(0, 0), 0);
	ck_assert_uint_eq(koan_ring_size(4096, 0), 0);
	/* The largest sizes: no overflow on the way. */
	ck_assert_uint_eq(koan_ring_size(0xFFFFFFFFu, 1), 0x80000000u);
	ck_assert_uint_eq(koan_ring_size(0x80000000u, 1), 0x80000000u);
	ck_assert_uint_eq(koan_ring_size(0xFFFFFFFFu, 2), 0x40000000u);
	ck_assert_uint_eq(koan_ring_size(0xFFFFFFFFu, 0xFFFFFFFFu), 1);
}

KTEST(lab5_ring_slot)
{
	ck_assert_uint_eq(koan_ring_slot(0, 32), 0);
	ck_assert_uint_eq(koan_ring_slot(5, 32), 5);
	ck_assert_uint_eq(koan_ring_slot(31, 32), 31);
	ck_assert_uint_eq(koan_ring_slot(32, 32), 0);
	ck_assert_uint_eq(koan_ring_slot(37, 32), 5);
	ck_assert_uint_eq(koan_ring_slot(0xFFFFFFFFu, 32), 31);
	ck_assert_uint_eq(koan_ring_slot(WRAP, 32), 16);
	ck_assert_uint_eq(koan_ring_slot(12345, 1), 0);
	ck_assert_uint_eq(koan_ring_slot(0xFFFFFFFFu, 0x80000000u), 0x7FFFFFFFu);
	/* idx and idx + size share a slot, also across the wrap; every slot
	 * is inside the ring. */
	for (uint32_t size = 1; size <= 256; size *= 2)
		for (uint32_t k = 0; k < 600; k++) {
			uint32_t idx = WRAP - 300 + k * 7919u;
			uint32_t s = koan_ring_slot(idx, size);
			ck_assert_msg(s < size, "slot of %#x in a ring of %u is %u", idx, size, s);
			ck_assert_msg(s == koan_ring_slot(idx + size, size),
				      "indices %#x and %#x (a ring of %u) in different slots", idx,
				      idx + size, size);
			ck_assert_msg(s == idx % size, "slot of %#x in a ring of %u is %u, not %u",
				      idx, size, s, idx % size);
		}
}

KTEST(lab5_ring_free_requests)
{
	ck_assert_uint_eq(koan_ring_free_requests(0, 0, 32), 32);
	ck_assert_uint_eq(koan_ring_free_requests(5, 2, 32), 29);
	ck_assert_uint_eq(koan_ring_free_requests(31, 0, 32), 1);
	ck_assert_uint_eq(koan_ring_free_requests(32, 0, 32), 0);
	ck_assert_uint_eq(koan_ring_free_requests(1000, 1000, 32), 32);
	ck_assert_uint_eq(koan_ring_free_requests(1000, 990, 16), 6);
	/* Across the wrap: 21 produced, not yet answered. */
	ck_assert_uint_eq(koan_ring_free_requests(5, WRAP, 32), 11);
	ck_assert_uint_eq(koan_ring_free_requests(0x10, WRAP, 32), 0);
	ck_assert_uint_eq(koan_ring_free_requests(0, 0xFFFFFFFFu, 32), 31);
	ck_assert_uint_eq(koan_ring_free_requests(0xFFFFFFFFu, 0xFFFFFFFFu, 1), 1);
	ck_assert_uint_eq(koan_ring_free_requests(0, 0xFFFFFFFFu, 1), 0);
}

KTEST(lab5_ring_unconsumed)
{
	/* Requests: produced and not consumed, every answered slot free. */
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0, 0, 0, 32), 0);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(5, 0, 0, 32), 5);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(7, 3, 3, 32), 4);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(32, 0, 0, 32), 32);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(1000, 1000, 1000, 32), 0);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(3, 0xFFFFFFFEu, 0xFFFFFFFEu, 32), 5);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0, WRAP, WRAP, 32), 16);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x10, WRAP, WRAP, 32), 32);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(WRAP + 9, WRAP + 4, WRAP + 4, 32), 5);
	/* Consumed but not answered yet: still fewer than the room. */
	ck_assert_uint_eq(koan_ring_unconsumed_requests(20, 10, 0, 32), 10);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(4, 0xFFFFFFFEu, WRAP, 32), 6);
	/* Responses: produced and not consumed. */
	ck_assert_uint_eq(koan_ring_unconsumed_responses(0, 0), 0);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(5, 0), 5);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(1005, 1000), 5);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(2, 0xFFFFFFFEu), 4);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(0, 0xFFFFFFFFu), 1);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(0xFFFFFFFFu, WRAP), 15);
	ck_assert_uint_eq(koan_ring_unconsumed_responses(0x10, WRAP), 32);
}

KTEST(lab5_ring_unconsumed_clamp)
{
	/* A req_prod that lies (far ahead): never more than the room that
	 * responses gave back, size minus what was taken and not answered. */
	ck_assert_uint_eq(koan_ring_unconsumed_requests(1000, 0, 0, 32), 32);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(33, 0, 0, 32), 32);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x80000000u, 0, 0, 32), 32);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(50, 10, 0, 32), 22);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(42, 10, 0, 32), 22);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(31, 10, 0, 32), 21);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(42, 42, 10, 32), 0);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(43, 40, 8, 32), 0);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(1000, 41, 10, 32), 1);
	/* The same across the wrap: 8 taken and not answered, room 24. */
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x10, 0xFFFFFFF8u, WRAP, 32), 24);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x11, 0xFFFFFFF8u, WRAP, 32), 24);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x0F, 0xFFFFFFF8u, WRAP, 32), 23);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(0x1000, 4, 0xFFFFFFFCu, 32), 24);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(WRAP - 1, WRAP - 40, WRAP - 48, 16), 8);
	/* A smaller ring. */
	ck_assert_uint_eq(koan_ring_unconsumed_requests(100, 0, 0, 8), 8);
	ck_assert_uint_eq(koan_ring_unconsumed_requests(100, 3, 1, 8), 6);
}

KTEST(lab5_ring_request_overflow)
{
	/* Up to `size` ahead of the responses is the protocol. */
	ck_assert(!koan_ring_request_overflow(0, 0, 32));
	ck_assert(!koan_ring_request_overflow(1, 0, 32));
	ck_assert(!koan_ring_request_overflow(31, 0, 32));
	ck_assert(!koan_ring_request_overflow(32, 0, 32));
	ck_assert(!koan_ring_request_overflow(1032, 1000, 32));
	/* One more is a lie, and so is anything further. */
	ck_assert(koan_ring_request_overflow(33, 0, 32));
	ck_assert(koan_ring_request_overflow(1033, 1000, 32));
	ck_assert(koan_ring_request_overflow(1000, 0, 32));
	ck_assert(koan_ring_request_overflow(0x80000000u, 0, 32));
	ck_assert(koan_ring_request_overflow(0x80000005u, 5, 32));
	ck_assert(koan_ring_request_overflow(0x80000001u, 0, 32));
	ck_assert(koan_ring_request_overflow(0xFFFFFFFFu, 0, 32));
	ck_assert(koan_ring_request_overflow(9, 0, 8));
	ck_assert(!koan_ring_request_overflow(8, 0, 8));
	/* Across the wrap: exactly size ahead is fine, one more is not. */
	ck_assert(!koan_ring_request_overflow(0x10, WRAP, 32));
	ck_assert(!koan_ring_request_overflow(0, WRAP, 32));
	ck_assert(!koan_ring_request_overflow(WRAP, WRAP, 32));
	ck_assert(koan_ring_request_overflow(0x11, WRAP, 32));
	ck_assert(koan_ring_request_overflow(WRAP + 0x80000000u, WRAP, 32));
}

KTEST(lab5_ring_need_notify)
{
	/* The event inside (old, new], at its edges, and outside. */
	ck_assert(koan_ring_need_notify(10, 15, 11));
	ck_assert(koan_ring_need_notify(10, 15, 13));
	ck_assert(koan_ring_need_notify(10, 15, 15));
	ck_assert(!koan_ring_need_notify(10, 15, 10));
	ck_assert(!koan_ring_need_notify(10, 15, 16));
	ck_assert(!koan_ring_need_notify(10, 15, 9));
	ck_assert(!koan_ring_need_notify(10, 15, 0));
	ck_assert(!koan_ring_need_notify(10, 15, 0x80000000u));
	ck_assert(koan_ring_need_notify(0, 1, 1));
	ck_assert(!koan_ring_need_notify(0, 1, 0));
	ck_assert(!koan_ring_need_notify(0, 1, 2));
	/* Nothing pushed: never. */
	ck_assert(!koan_ring_need_notify(10, 10, 10));
	ck_assert(!koan_ring_need_notify(10, 10, 11));
	/* Across the wrap. */
	ck_assert(koan_ring_need_notify(0xFFFFFFFEu, 3, 0xFFFFFFFFu));
	ck_assert(koan_ring_need_notify(0xFFFFFFFEu, 3, 0));
	ck_assert(koan_ring_need_notify(0xFFFFFFFEu, 3, 1));
	ck_assert(koan_ring_need_notify(0xFFFFFFFEu, 3, 3));
	ck_assert(!koan_ring_need_notify(0xFFFFFFFEu, 3, 0xFFFFFFFEu));
	ck_assert(!koan_ring_need_notify(0xFFFFFFFEu, 3, 4));
	ck_assert(!koan_ring_need_notify(0xFFFFFFFEu, 3, WRAP));
	ck_assert(koan_ring_need_notify(0xFFFFFFFFu, 0, 0));
	ck_assert(!koan_ring_need_notify(0xFFFFFFFFu, 0, 0xFFFFFFFFu));
	ck_assert(!koan_ring_need_notify(0xFFFFFFFFu, 0, 1));
	ck_assert(koan_ring_need_notify(WRAP, WRAP + 0x20, 0));
	ck_assert(koan_ring_need_notify(WRAP, WRAP + 0x20, WRAP + 1));
	ck_assert(!koan_ring_need_notify(WRAP, WRAP + 0x20, WRAP - 1));
	ck_assert(!koan_ring_need_notify(WRAP, WRAP + 0x20, WRAP + 0x21));
}

/* A ring page, and one after it that nothing may touch. */
static uint8_t ring_pages[2][4096] __attribute__((aligned(4096)));

static void guard_fill(void)
{
	memset(ring_pages[1], 0x5A, sizeof(ring_pages[1]));
}

static void guard_check(const char *when)
{
	for (unsigned i = 0; i < sizeof(ring_pages[1]); i++)
		ck_assert_msg(ring_pages[1][i] == 0x5A,
			      "%s: byte %u past the ring's page was written", when, i);
}

KTEST(lab5_ring_final_check)
{
	struct koan_blkif_sring *s = (struct koan_blkif_sring *)ring_pages[0];
	struct koan_blkif_back_ring back;
	struct koan_blkif_front_ring front;
	uint32_t more;

	KOAN_SHARED_RING_INIT(s);
	KOAN_BACK_RING_INIT(&back, s, 32);
	KOAN_FRONT_RING_INIT(&front, s, 32);

	/* Nothing to take: ask for the next one, req_event = req_cons + 1. */
	s->req_prod = back.req_cons = back.rsp_prod_pvt = 1000;
	s->req_event = 7;
	KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
	ck_assert_uint_eq(more, 0);
	ck_assert_uint_eq(s->req_event, 1001);
	/* Something to take: the event is left alone. */
	s->req_prod = 1003;
	s->req_event = 7;
	KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
	ck_assert_uint_eq(more, 3);
	ck_assert_uint_eq(s->req_event, 7);
	/* At the wrap: the event after 0xFFFFFFFF is 0. */
	s->req_prod = back.req_cons = back.rsp_prod_pvt = 0xFFFFFFFFu;
	KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
	ck_assert_uint_eq(more, 0);
	ck_assert_uint_eq(s->req_event, 0);
	s->req_prod = 1;
	s->req_event = 7;
	KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
	ck_assert_uint_eq(more, 2);
	ck_assert_uint_eq(s->req_event, 7);

	/* The frontend's side: rsp_event = rsp_cons + 1. */
	s->rsp_prod = front.rsp_cons = 500;
	s->rsp_event = 9;
	KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
	ck_assert_uint_eq(more, 0);
	ck_assert_uint_eq(s->rsp_event, 501);
	s->rsp_prod = 504;
	s->rsp_event = 9;
	KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
	ck_assert_uint_eq(more, 4);
	ck_assert_uint_eq(s->rsp_event, 9);
	s->rsp_prod = front.rsp_cons = 0xFFFFFFFFu;
	KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
	ck_assert_uint_eq(more, 0);
	ck_assert_uint_eq(s->rsp_event, 0);
	s->rsp_prod = 0;
	s->rsp_event = 9;
	KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
	ck_assert_uint_eq(more, 1);
	ck_assert_uint_eq(s->rsp_event, 9);
}

/*
 * A frontend and a backend on one real page, in turns: the frontend fills
 * a batch of requests and pushes them in two steps, the backend takes them,
 * answers them in two steps, and asks for the next; then the frontend takes
 * the answers. The first push of a batch must notify (the other side asked
 * for it), the second not (it has not asked again). The indices start 16
 * below 2^32, so the first batches wrap.
 */
KTEST(lab5_ring_push_notify)
{
	static const uint32_t batches[] = { 3, 32, 1, 7, 32, 5, 16, 31, 2, 32 };
	struct koan_blkif_sring *s = (struct koan_blkif_sring *)ring_pages[0];
	struct koan_blkif_front_ring front;
	struct koan_blkif_back_ring back;
	uint32_t size = KOAN_RING_SIZE_OF(koan_blkif, 4096);
	uint64_t next_id = 0x1000, next_answer = 0x1000;
	bool notify;
	uint32_t more;

	ck_assert_msg(size == 32, "a ring of one page holds 32 block slots, not %u", size);
	ck_assert_uint_eq(offsetof(struct koan_blkif_sring, ring), KOAN_RING_HEADER_BYTES);
	ck_assert(KOAN_RING_HEADER_BYTES + size * sizeof(s->ring[0]) <= 4096);
	memset(ring_pages[0], 0xEE, sizeof(ring_pages[0]));
	guard_fill();
	KOAN_SHARED_RING_INIT(s);
	ck_assert_uint_eq(s->req_event, 1);
	ck_assert_uint_eq(s->rsp_event, 1);
	KOAN_FRONT_RING_INIT(&front, s, size);
	KOAN_BACK_RING_INIT(&back, s, size);
	/* As if WRAP requests had come and gone. */
	s->req_prod = s->rsp_prod = WRAP;
	s->req_event = s->rsp_event = WRAP + 1;
	front.req_prod_pvt = front.rsp_cons = WRAP;
	back.rsp_prod_pvt = back.req_cons = WRAP;

	for (unsigned b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		uint32_t n = batches[b], first = n / 2;

		/* The frontend: every slot free, fill n, push them in two steps. */
		ck_assert_msg(KOAN_RING_FREE_REQUESTS(&front) == size,
			      "batch %u: %u free request slots on an idle ring", b,
			      KOAN_RING_FREE_REQUESTS(&front));
		for (uint32_t k = 0; k < n; k++) {
			volatile struct koan_blkif_request *rq =
				KOAN_RING_GET_REQUEST(&front, front.req_prod_pvt);
			rq->id = next_id++;
			rq->operation = KOAN_BLKIF_OP_READ;
			front.req_prod_pvt++;
			if (k + 1 == first) {
				KOAN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
				ck_assert_msg(notify, "batch %u: the first push did not notify", b);
			}
		}
		ck_assert_uint_eq(KOAN_RING_FREE_REQUESTS(&front), size - n);
		ck_assert_uint_eq(KOAN_RING_FULL(&front), n == size);
		KOAN_RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
		ck_assert_msg(notify == (first == 0),
			      "batch %u: the second push %s, the backend had not asked again", b,
			      notify ? "notified" : "did not notify");
		ck_assert_uint_eq(s->req_prod, front.req_prod_pvt);
		ck_assert_msg(!KOAN_RING_REQUEST_OVERFLOW(&back),
			      "batch %u: an honest ring overflows", b);

		/* The backend: take them all, in order, at their slots. */
		ck_assert_uint_eq(KOAN_RING_HAS_UNCONSUMED_REQUESTS(&back), n);
		for (uint32_t k = 0; k < n; k++) {
			uint32_t idx = back.req_cons;
			volatile struct koan_blkif_request *rq = KOAN_RING_GET_REQUEST(&back, idx);
			ck_assert_ptr_eq((const void *)rq, (const void *)&s->ring[idx % size].req);
			ck_assert_msg(rq->id == next_answer + k,
				      "batch %u: request %u has id %#llx, expected %#llx", b, k,
				      (unsigned long long)rq->id,
				      (unsigned long long)(next_answer + k));
			back.req_cons++;
		}
		ck_assert_uint_eq(KOAN_RING_HAS_UNCONSUMED_REQUESTS(&back), 0);
		/* Answer them, in two steps too. */
		for (uint32_t k = 0; k < n; k++) {
			volatile struct koan_blkif_response *rp =
				KOAN_RING_GET_RESPONSE(&back, back.rsp_prod_pvt);
			rp->id = next_answer + k;
			rp->status = KOAN_BLKIF_RSP_OKAY;
			back.rsp_prod_pvt++;
			if (k + 1 == first) {
				KOAN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
				ck_assert_msg(notify, "batch %u: the first answers did not notify",
					      b);
			}
		}
		KOAN_RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
		ck_assert_msg(notify == (first == 0),
			      "batch %u: the second answers %s, the frontend had not asked again",
			      b, notify ? "notified" : "did not notify");
		KOAN_RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
		ck_assert_uint_eq(more, 0);
		ck_assert_uint_eq(s->req_event, back.req_cons + 1);

		/* The frontend takes the answers, and asks for the next. */
		ck_assert_uint_eq(KOAN_RING_HAS_UNCONSUMED_RESPONSES(&front), n);
		ck_assert_uint_eq(KOAN_RING_FREE_REQUESTS(&front), size - n);
		for (uint32_t k = 0; k < n; k++) {
			volatile struct koan_blkif_response *rp =
				KOAN_RING_GET_RESPONSE(&front, front.rsp_cons);
			ck_assert_msg(rp->id == next_answer + k,
				      "batch %u: response %u has id %#llx, expected %#llx", b, k,
				      (unsigned long long)rp->id,
				      (unsigned long long)(next_answer + k));
			front.rsp_cons++;
		}
		next_answer += n;
		KOAN_RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
		ck_assert_uint_eq(more, 0);
		ck_assert_uint_eq(s->rsp_event, front.rsp_cons + 1);
		guard_check("after a batch");
	}
	/* The indices went past 2^32. */
	ck_assert_uint_lt(s->req_prod, WRAP);
	ck_assert_uint_eq(s->req_prod, WRAP + (uint32_t)(next_id - 0x1000));
}
