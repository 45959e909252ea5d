/* Lab 4: the port state machine and the shared-info bitmaps, on the host. */
#include <string.h>

#include <koan/evtchn.h>
#include <public/hypercall.h>

#include "koan_test.h"

#define DOMS 4
static struct evtchn_table tables[DOMS];
static bool alive[DOMS];

static struct evtchn_table *table_of(unsigned dom)
{
	return dom < DOMS && alive[dom] ? &tables[dom] : 0;
}

static void fresh(void)
{
	memset(tables, 0, sizeof(tables));
	for (unsigned d = 0; d < DOMS; d++)
		alive[d] = true;
}

static void check_tables(void)
{
	for (unsigned d = 0; d < DOMS; d++) {
		const char *why = evtchn_table_check(table_of, d);
		ck_assert_msg(!why, "domain %u's port table: %s", d, why);
	}
}

static void expect_status(unsigned dom, uint32_t port, uint32_t status, uint32_t rdom,
			  uint32_t rport)
{
	uint32_t s = 99, rd = 99, rp = 99;

	ck_assert_int_eq(evtchn_status(&tables[dom], port, &s, &rd, &rp), 0);
	ck_assert_msg(s == status && rd == rdom && rp == rport,
		      "domain %u port %u: status %u remote %u/%u, expected %u remote %u/%u", dom,
		      port, s, rd, rp, status, rdom, rport);
}

KTEST(lab4_alloc_unbound)
{
	fresh();
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 2), 1); /* the lowest free, never 0 */
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 3), 2);
	expect_status(1, 1, KOAN_EVTCHNSTAT_UNBOUND, 2, 0);
	expect_status(1, 2, KOAN_EVTCHNSTAT_UNBOUND, 3, 0);
	expect_status(1, 0, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	check_tables();
}

KTEST(lab4_port_exhaustion)
{
	fresh();
	for (uint32_t p = 1; p < KOAN_EVTCHN_MAX_PORTS; p++)
		ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 2), (int)p);
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 2), -KOAN_ENOSPC);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_VIRQ_TIMER), -KOAN_ENOSPC);
	/* A channel made from nothing needs a free port at each end: a full
	 * table refuses it from either side, and the other end keeps its port. */
	uint32_t a = 0, b = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &a, &b), -KOAN_ENOSPC);
	a = b = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 2, 1, &a, &b), -KOAN_ENOSPC);
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[2], 1), 1);
	/* A close makes room again: the freed port is the one handed out next. */
	ck_assert_int_eq(evtchn_close(table_of, 1, 57), 0);
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 2), 57);
	ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 2), -KOAN_ENOSPC);
	/* Repeatedly, with closes in between: never more than the table. */
	for (int round = 0; round < 1000; round++) {
		ck_assert_int_eq(evtchn_close(table_of, 1, 1 + (uint32_t)round % 127), 0);
		ck_assert_int_eq(evtchn_alloc_unbound(&tables[1], 3), 1 + round % 127);
	}
	check_tables();
}

KTEST(lab4_bind_to_unbound)
{
	uint32_t p1 = 0, p2;

	fresh();
	p2 = (uint32_t)evtchn_alloc_unbound(&tables[2], 1); /* 2 waits for 1 */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	ck_assert_uint_eq(p1, 1);
	ck_assert_uint_eq(p2, 1);
	expect_status(1, 1, KOAN_EVTCHNSTAT_INTERDOMAIN, 2, 1);
	expect_status(2, 1, KOAN_EVTCHNSTAT_INTERDOMAIN, 1, 1);
	check_tables();
}

KTEST(lab4_bind_refused)
{
	uint32_t p1, p2;
	int waiting;

	fresh();
	waiting = evtchn_alloc_unbound(&tables[2], 3); /* waits for 3, not 1 */
	p1 = 0, p2 = (uint32_t)waiting;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), -KOAN_EINVAL);
	p1 = 0, p2 = 5; /* free, not unbound */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), -KOAN_EINVAL);
	p1 = 0, p2 = KOAN_EVTCHN_MAX_PORTS; /* out of range */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), -KOAN_EINVAL);
	p1 = 0, p2 = 0xFFFFFFFFu; /* "negative" */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), -KOAN_EINVAL);
	p1 = 0, p2 = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 1, &p1, &p2), -KOAN_EINVAL);
	alive[3] = false;
	p1 = 0, p2 = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 3, &p1, &p2), -KOAN_ESRCH);
	/* Nothing of a refused bind is left behind. */
	expect_status(1, 1, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	expect_status(2, (uint32_t)waiting, KOAN_EVTCHNSTAT_UNBOUND, 3, 0);
	alive[3] = true;
	check_tables();
}

KTEST(lab4_bind_twice)
{
	uint32_t p1 = 0, p2;

	fresh();
	p2 = (uint32_t)evtchn_alloc_unbound(&tables[2], 1);
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	/* The same port again: it is connected now, not waiting. */
	uint32_t q1 = 0, q2 = p2;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &q1, &q2), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 3, 2, &q1, &q2), -KOAN_EINVAL);
	expect_status(2, p2, KOAN_EVTCHNSTAT_INTERDOMAIN, 1, p1);
	check_tables();
}

KTEST(lab4_bind_both_new)
{
	uint32_t p1 = 0, p2 = 0;

	fresh();
	evtchn_alloc_unbound(&tables[1], 3); /* port 1 of dom 1 is taken */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	ck_assert_uint_eq(p1, 2);
	ck_assert_uint_eq(p2, 1);
	expect_status(1, 2, KOAN_EVTCHNSTAT_INTERDOMAIN, 2, 1);
	check_tables();
}

KTEST(lab4_close_either_end)
{
	uint32_t p1 = 0, p2 = 0;

	fresh();
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	ck_assert_int_eq(evtchn_close(table_of, 1, p1), 0);
	expect_status(1, p1, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	expect_status(2, p2, KOAN_EVTCHNSTAT_UNBOUND, 1, 0); /* waits for 1 again */
	check_tables();
	/* 1 can bind to it again, and then 2 closes its end. */
	p1 = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	ck_assert_int_eq(evtchn_close(table_of, 2, p2), 0);
	expect_status(2, p2, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	expect_status(1, p1, KOAN_EVTCHNSTAT_UNBOUND, 2, 0);
	check_tables();
}

KTEST(lab4_close_refused)
{
	fresh();
	ck_assert_int_eq(evtchn_close(table_of, 1, 0), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_close(table_of, 1, 3), -KOAN_EINVAL); /* free */
	ck_assert_int_eq(evtchn_close(table_of, 1, KOAN_EVTCHN_MAX_PORTS), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_close(table_of, 1, 0x80000000u), -KOAN_EINVAL);
	int p = evtchn_alloc_unbound(&tables[1], 2);
	ck_assert_int_eq(evtchn_close(table_of, 1, (uint32_t)p), 0);
	ck_assert_int_eq(evtchn_close(table_of, 1, (uint32_t)p), -KOAN_EINVAL); /* twice */
	check_tables();
}

KTEST(lab4_close_all)
{
	uint32_t a = 0, b = 0, c = 0, d = 0;

	fresh();
	evtchn_bind_interdomain(table_of, 1, 2, &a, &b);
	evtchn_bind_interdomain(table_of, 1, 3, &c, &d);
	evtchn_bind_virq(&tables[1], KOAN_VIRQ_TIMER);
	evtchn_alloc_unbound(&tables[1], 0);
	evtchn_close_all(table_of, 1);
	for (uint32_t p = 0; p < KOAN_EVTCHN_MAX_PORTS; p++)
		expect_status(1, p, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	expect_status(2, b, KOAN_EVTCHNSTAT_UNBOUND, 1, 0);
	expect_status(3, d, KOAN_EVTCHNSTAT_UNBOUND, 1, 0);
	check_tables();
}

KTEST(lab4_peer_for_send)
{
	uint32_t p1 = 0, p2 = 0, to_port = 0;
	unsigned to_dom = 99;

	fresh();
	evtchn_alloc_unbound(&tables[1], 0);
	evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2);
	ck_assert_int_eq(evtchn_peer(&tables[1], p1, &to_dom, &to_port), 0);
	ck_assert_uint_eq(to_dom, 2);
	ck_assert_uint_eq(to_port, p2);
	/* Only a connected port has a peer: unbound, virq, free, out of range. */
	ck_assert_int_eq(evtchn_peer(&tables[1], 1, &to_dom, &to_port), -KOAN_EINVAL);
	int v = evtchn_bind_virq(&tables[1], KOAN_VIRQ_TICK);
	ck_assert_int_eq(evtchn_peer(&tables[1], (uint32_t)v, &to_dom, &to_port), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_peer(&tables[1], 100, &to_dom, &to_port), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_peer(&tables[1], 0, &to_dom, &to_port), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_peer(&tables[1], KOAN_EVTCHN_MAX_PORTS, &to_dom, &to_port),
			 -KOAN_EINVAL);
	/* After the peer closes, sending has nowhere to go. */
	evtchn_close(table_of, 2, p2);
	ck_assert_int_eq(evtchn_peer(&tables[1], p1, &to_dom, &to_port), -KOAN_EINVAL);
}

KTEST(lab4_bind_virq)
{
	fresh();
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_VIRQ_TIMER), 1);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_VIRQ_TIMER), -KOAN_EEXIST);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_VIRQ_TICK), 2);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_NR_VIRQS), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], 0xFFFFFFFFu), -KOAN_EINVAL);
	ck_assert_uint_eq(tables[1].virq_port[KOAN_VIRQ_TIMER], 1);
	expect_status(1, 2, KOAN_EVTCHNSTAT_VIRQ, 0, KOAN_VIRQ_TICK);
	/* Closed, the virq can be bound again. */
	ck_assert_int_eq(evtchn_close(table_of, 1, 1), 0);
	ck_assert_uint_eq(tables[1].virq_port[KOAN_VIRQ_TIMER], 0);
	ck_assert_int_eq(evtchn_bind_virq(&tables[1], KOAN_VIRQ_TIMER), 1);
	check_tables();
}

KTEST(lab4_status_range)
{
	uint32_t s, rd, rp;

	fresh();
	ck_assert_int_eq(evtchn_status(&tables[1], KOAN_EVTCHN_MAX_PORTS, &s, &rd, &rp),
			 -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_status(&tables[1], 0xFFFFFFFFu, &s, &rd, &rp), -KOAN_EINVAL);
	ck_assert_int_eq(evtchn_status(&tables[1], KOAN_EVTCHN_MAX_PORTS - 1, &s, &rd, &rp), 0);
	ck_assert_uint_eq(s, KOAN_EVTCHNSTAT_CLOSED);
}

KTEST(lab4_bind_given_ends)
{
	uint32_t p1, p2 = 0;

	fresh();
	p1 = (uint32_t)evtchn_alloc_unbound(&tables[1], 2); /* 1 waits for 2 */
	evtchn_alloc_unbound(&tables[2], 3);		    /* 2's port 1 is taken */
	/* dom0's way: 1's waiting port, and a new one in 2. */
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2), 0);
	ck_assert_uint_eq(p1, 1);
	ck_assert_uint_eq(p2, 2);
	expect_status(1, 1, KOAN_EVTCHNSTAT_INTERDOMAIN, 2, 2);
	expect_status(2, 2, KOAN_EVTCHNSTAT_INTERDOMAIN, 1, 1);
	/* A given port of the first domain waiting for someone else: refused,
	 * and the second domain's table untouched. */
	uint32_t q1 = (uint32_t)evtchn_alloc_unbound(&tables[1], 3), q2 = 0;
	ck_assert_int_eq(evtchn_bind_interdomain(table_of, 1, 2, &q1, &q2), -KOAN_EINVAL);
	expect_status(2, 3, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	check_tables();
}

KTEST(lab4_close_virq_and_dead_peer)
{
	uint32_t p1 = 0, p2 = 0;

	fresh();
	int v = evtchn_bind_virq(&tables[1], KOAN_VIRQ_TICK);
	ck_assert_int_eq(evtchn_close(table_of, 1, (uint32_t)v), 0);
	ck_assert_uint_eq(tables[1].virq_port[KOAN_VIRQ_TICK], 0);
	expect_status(1, (uint32_t)v, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	/* The peer is gone: closing our end still frees it. */
	evtchn_bind_interdomain(table_of, 1, 2, &p1, &p2);
	alive[2] = false;
	ck_assert_int_eq(evtchn_close(table_of, 1, p1), 0);
	expect_status(1, p1, KOAN_EVTCHNSTAT_CLOSED, 0, 0);
	alive[2] = true;
}

/* The bitmaps. */
static struct koan_shared_info si;

KTEST(lab4_raise_sets_in_order)
{
	memset(&si, 0, sizeof(si));
	ck_assert(evtchn_raise(&si, 37)); /* word 1, bit 5 */
	ck_assert_uint_eq(si.evtchn_pending[1], 1u << 5);
	ck_assert_uint_eq(si.vcpu.pending_sel, 1u << 1);
	ck_assert_uint_eq(si.vcpu.upcall_pending, 1);
	/* Already pending: nothing more, and no second wake-up. */
	ck_assert(!evtchn_raise(&si, 37));
	/* Another port of the same word: pending, but the selector was set. */
	ck_assert(!evtchn_raise(&si, 33));
	ck_assert_uint_eq(si.evtchn_pending[1], 1u << 5 | 1u << 1);
	/* A port of another word, upcall_pending still up: its word's selector
	 * bit, but no second wake-up. */
	ck_assert(!evtchn_raise(&si, 65)); /* word 2, bit 1 */
	ck_assert_uint_eq(si.evtchn_pending[2], 1u << 1);
	ck_assert_uint_eq(si.vcpu.pending_sel, 1u << 1 | 1u << 2);
}

KTEST(lab4_raise_masked)
{
	memset(&si, 0, sizeof(si));
	si.evtchn_mask[0] = 1u << 9;
	ck_assert(!evtchn_raise(&si, 9));
	ck_assert_uint_eq(si.evtchn_pending[0], 1u << 9); /* kept for the unmask */
	ck_assert_uint_eq(si.vcpu.pending_sel, 0);
	ck_assert_uint_eq(si.vcpu.upcall_pending, 0);
	/* The same in word 3; word 2's mask says nothing about it. */
	si.evtchn_mask[3] = 1u << 1;
	ck_assert(!evtchn_raise(&si, 97));
	ck_assert_uint_eq(si.evtchn_pending[3], 1u << 1);
	ck_assert_uint_eq(si.vcpu.pending_sel, 0);
}

KTEST(lab4_raise_with_upcall_masked)
{
	memset(&si, 0, sizeof(si));
	si.vcpu.upcall_mask = 1; /* the guest's cli: still pending, and a blocked domain wakes */
	ck_assert(evtchn_raise(&si, 3));
	ck_assert_uint_eq(si.vcpu.upcall_pending, 1);
}

KTEST(lab4_unmask_redelivers)
{
	memset(&si, 0, sizeof(si));
	si.evtchn_mask[3] = 1u << 31; /* port 127 */
	evtchn_raise(&si, 127);
	ck_assert(evtchn_unmask(&si, 127));
	ck_assert_uint_eq(si.evtchn_mask[3], 0);
	ck_assert_uint_eq(si.vcpu.pending_sel, 1u << 3);
	ck_assert_uint_eq(si.vcpu.upcall_pending, 1);
	/* Port 97: word 3, bit 1. */
	memset(&si, 0, sizeof(si));
	si.evtchn_mask[3] = 1u << 1;
	evtchn_raise(&si, 97);
	ck_assert(evtchn_unmask(&si, 97));
	ck_assert_uint_eq(si.evtchn_mask[3], 0);
	ck_assert_uint_eq(si.vcpu.pending_sel, 1u << 3);
	/* Unmasking a port with nothing pending only clears the mask. */
	memset(&si, 0, sizeof(si));
	si.evtchn_mask[0] = 1u << 4;
	ck_assert(!evtchn_unmask(&si, 4));
	ck_assert_uint_eq(si.evtchn_mask[0], 0);
	ck_assert_uint_eq(si.vcpu.upcall_pending, 0);
	ck_assert_uint_eq(si.vcpu.pending_sel, 0);
}

KTEST(lab4_bits_out_of_range)
{
	memset(&si, 0, sizeof(si));
	ck_assert(!evtchn_raise(&si, KOAN_EVTCHN_BITMAP_PORTS));
	ck_assert(!evtchn_unmask(&si, 0xFFFFFFFFu));
	/* The first port past the bitmaps: not a bit of what follows them. */
	si.time_version = 0xFFFFFFFFu;
	ck_assert(!evtchn_unmask(&si, KOAN_EVTCHN_BITMAP_PORTS));
	ck_assert_uint_eq(si.time_version, 0xFFFFFFFFu);
	si.time_version = 0;
	ck_assert(!evtchn_is_pending(&si, KOAN_EVTCHN_BITMAP_PORTS));
	ck_assert(evtchn_raise(&si, KOAN_EVTCHN_BITMAP_PORTS - 1)); /* the last one exists */
	ck_assert_uint_eq(si.vcpu.pending_sel, 1u << 31);
	for (unsigned w = 0; w < KOAN_EVTCHN_WORDS - 1; w++)
		ck_assert_uint_eq(si.evtchn_pending[w], 0);
}

/* The guest's scan races the hypervisor: the guest clears upcall_pending,
 * takes the selector, then the words. Whatever is raised between two of
 * those steps is seen by this scan or signals a new upcall. */
KTEST(lab4_no_event_lost_in_scan)
{
	for (int at = 0; at < 3; at++) {
		unsigned seen = 0;
		bool again = false;

		memset(&si, 0, sizeof(si));
		evtchn_raise(&si, 40);
		si.vcpu.upcall_pending = 0; /* the guest's first step */
		if (at == 0)
			again |= evtchn_raise(&si, 41);
		uint32_t sel = si.vcpu.pending_sel;
		si.vcpu.pending_sel = 0; /* xchg */
		if (at == 1)
			again |= evtchn_raise(&si, 41);
		for (unsigned w = 0; w < KOAN_EVTCHN_WORDS; w++) {
			if (!(sel >> w & 1))
				continue;
			uint32_t bits = si.evtchn_pending[w] & ~si.evtchn_mask[w];
			si.evtchn_pending[w] &= ~bits;
			for (unsigned b = 0; b < 32; b++)
				if (bits >> b & 1)
					seen |= 1u << (w * 32 + b - 32);
		}
		if (at == 2)
			again |= evtchn_raise(&si, 41);
		bool got41 = (seen >> 9) & 1;
		ck_assert_msg(seen & 1u << 8, "case %d: port 40 was not seen", at);
		ck_assert_msg(got41 || (again && si.vcpu.upcall_pending),
			      "case %d: port 41 was neither seen nor signalled", at);
	}
}
