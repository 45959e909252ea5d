/*
 * The index arithmetic of the shared rings (public/io_ring.h), for the
 * guests' frontends and backends and for the host tests. Pure C.
 *
 * Every index is a free-running counter: it only ever grows, and wraps
 * from 2^32 - 1 to 0. A difference of two such counters, taken modulo 2^32
 * (unsigned subtraction), is how far one is ahead of the other, and stays
 * right across the wrap as long as the true distance is below 2^32.
 */
#include <koan/exercise.h>
#include <public/io_ring.h>

// BEGIN EXERCISE lab5.1: the ring's size and slots (lab5-split-drivers/README.md, Exercise 1)
//   koan_ring_size: the largest power of two n with n * slot_bytes <=
//   bytes (0 if not even one slot fits, or slot_bytes is 0).
//   koan_ring_slot: where index idx lives in a ring of `size` slots (a
//   power of two): the same slot for idx and idx + size, for every idx.
uint32_t koan_ring_size(uint32_t bytes, uint32_t slot_bytes)
{
	if (slot_bytes == 0 || bytes < slot_bytes)
		return 0;
	uint32_t slots = bytes / slot_bytes, size = 1;
	while (size <= slots / 2)
		size *= 2;
	return size;
}

uint32_t koan_ring_slot(koan_ring_idx_t idx, uint32_t size)
{
	return idx & (size - 1);
}
// STUB
//> uint32_t koan_ring_size(uint32_t bytes, uint32_t slot_bytes)
//> {
//> 	EXERCISE_TODO("lab5.1", "koan_ring_size() in lib/ring.c sizes no ring yet");
//> 	(void)bytes, (void)slot_bytes;
//> 	return 0;
//> }
//>
//> uint32_t koan_ring_slot(koan_ring_idx_t idx, uint32_t size)
//> {
//> 	(void)size;
//> 	return idx;
//> }
// END EXERCISE

// BEGIN EXERCISE lab5.2: producers, consumers and hold-off (lab5-split-drivers/README.md, Exercise 1)
//   In: the rings' free-running indices (any values: they may have wrapped
//   at 2^32), and `size`, a power of two.
//   koan_ring_free_requests: slots a frontend may still fill, given the
//   requests it produced (req_prod_pvt) and the responses it consumed.
//   koan_ring_unconsumed_requests: requests a backend may take now: those
//   produced and not yet consumed, but never more than the slots that
//   responses have given back (a lying req_prod must not make it read
//   slots it has not answered).
//   koan_ring_unconsumed_responses: responses produced, not yet consumed.
//   koan_ring_request_overflow: true when req_prod is more than `size`
//   ahead of the responses produced (the frontend broke the protocol).
//   koan_ring_need_notify: the producer moved its index from old_prod to
//   new_prod; true exactly when `event` (the other side's "tell me when the
//   index passes this") lies in (old_prod, new_prod].
uint32_t koan_ring_free_requests(koan_ring_idx_t req_prod_pvt, koan_ring_idx_t rsp_cons,
				 uint32_t size)
{
	return size - (req_prod_pvt - rsp_cons);
}

uint32_t koan_ring_unconsumed_requests(koan_ring_idx_t req_prod, koan_ring_idx_t req_cons,
				       koan_ring_idx_t rsp_prod_pvt, uint32_t size)
{
	uint32_t produced = req_prod - req_cons;
	uint32_t room = size - (req_cons - rsp_prod_pvt);
	return produced < room ? produced : room;
}

uint32_t koan_ring_unconsumed_responses(koan_ring_idx_t rsp_prod, koan_ring_idx_t rsp_cons)
{
	return rsp_prod - rsp_cons;
}

bool koan_ring_request_overflow(koan_ring_idx_t req_prod, koan_ring_idx_t rsp_prod_pvt,
				uint32_t size)
{
	return req_prod - rsp_prod_pvt > size;
}

bool koan_ring_need_notify(koan_ring_idx_t old_prod, koan_ring_idx_t new_prod,
			   koan_ring_idx_t event)
{
	return (koan_ring_idx_t)(new_prod - event) < (koan_ring_idx_t)(new_prod - old_prod);
}
// STUB
//> uint32_t koan_ring_free_requests(koan_ring_idx_t req_prod_pvt, koan_ring_idx_t rsp_cons,
//> 				 uint32_t size)
//> {
//> 	EXERCISE_TODO("lab5.2", "the ring's index arithmetic in lib/ring.c is not written yet");
//> 	(void)req_prod_pvt, (void)rsp_cons, (void)size;
//> 	return 0;
//> }
//>
//> uint32_t koan_ring_unconsumed_requests(koan_ring_idx_t req_prod, koan_ring_idx_t req_cons,
//> 				       koan_ring_idx_t rsp_prod_pvt, uint32_t size)
//> {
//> 	(void)req_prod, (void)req_cons, (void)rsp_prod_pvt, (void)size;
//> 	return 0;
//> }
//>
//> uint32_t koan_ring_unconsumed_responses(koan_ring_idx_t rsp_prod, koan_ring_idx_t rsp_cons)
//> {
//> 	(void)rsp_prod, (void)rsp_cons;
//> 	return 0;
//> }
//>
//> bool koan_ring_request_overflow(koan_ring_idx_t req_prod, koan_ring_idx_t rsp_prod_pvt,
//> 				uint32_t size)
//> {
//> 	(void)req_prod, (void)rsp_prod_pvt, (void)size;
//> 	return false;
//> }
//>
//> bool koan_ring_need_notify(koan_ring_idx_t old_prod, koan_ring_idx_t new_prod,
//> 			   koan_ring_idx_t event)
//> {
//> 	(void)old_prod, (void)new_prod, (void)event;
//> 	return false;
//> }
// END EXERCISE
