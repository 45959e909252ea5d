/*
 * Lab 5 in QEMU: grants and the store under attack. dom0 (grantprobe
 * role=mapper) misuses what domain 2 (role=granter) grants it, or domain 2
 * breaks the store's rules, next to a bystander (domain 1) that checks its
 * memory and its CPU; the hypervisor's audit of every frame must add up
 * after each domain's end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab3-hypercalls/tests/bystander.h"
#include "expect.h"
#include "frames_audit.h"
#include "koan_test.h"

static void probe(const char *op, const char *const *want)
{
	static struct scenario sc;
	static char mapper[64], granter[64], bystander[64];
	struct run r;
	const char *token = random_token();

	snprintf(mapper, sizeof(mapper), "grantprobe.elf role=mapper peer=2 op=%s", op);
	snprintf(granter, sizeof(granter), "grantprobe.elf role=granter peer=0 op=%s", op);
	snprintf(bystander, sizeof(bystander), "bystander.elf token=%s", token);
	scenario_init(&sc);
	sc.modules[0] = mapper;
	sc.modules[1] = bystander;
	sc.modules[2] = granter;
	sc.timeout_ms = 60000;
	scenario_run(&sc, &r);
	expect_results(&r, want);
	expect_result(&r, "d0 probe mapper done");
	expect_result(&r, "d2 probe granter done");
	expect_no_result_prefix(&r, "d0 probe timeout");
	expect_no_result_prefix(&r, "d2 probe timeout");
	expect_no_result_prefix(&r, "hv crash");
	expect_no_result_prefix(&r, "hv deadlock");
	for (unsigned d = 0; d < 3; d++) {
		char line[32];
		snprintf(line, sizeof(line), "hv audit dom=%u bad=0", d);
		expect_result(&r, line);
	}
	expect_frames_sound(&r, 3);
	expect_bystander_intact(&r, token);
}

/* Forged references: past the table, free, granted to someone else, naming
 * a frame the granter does not own; no such domain; a domain with no table. */
KTEST(lab5_grant_forged)
{
	static const char *const want[] = {
		"d0 probe forged ref-past=-3 ref-huge=-3 ref-free=-3 other-domain=-3 "
		"foreign-frame=-9 no-domain=-2 no-table=-2 good=0 unmap=0",
		NULL,
	};
	probe("forged", want);
}

/* A grant maps once at a time; handles are checked; the table of 64
 * mappings fills up and refuses the 65th. */
KTEST(lab5_grant_twice)
{
	static const char *const want[] = {
		"d0 probe twice first=0 second=-1 bad-handle=-4 wrong-addr=-4 unmap=0 again=-4 "
		"remap=0 maps=64 full=-7",
		NULL,
	};
	probe("twice", want);
}

/* Ending access while mapped is refused; revoking by force changes nothing
 * for the hypervisor; a read-only grant is never writable, not even through
 * a page-table update; after the end of access, no map. */
KTEST(lab5_grant_end_access)
{
	static const char *const want[] = {
		"d2 probe end-access flags-mapped=1 end-while-mapped=0",
		"d2 probe end-access flags-ro-mapped=1 end-ro-while-mapped=0",
		"d2 probe end-access end-after-unmap=1",
		"d0 probe end-access still-mapped=1 remap-revoked=-3 unmap=0 rw-of-ro=-8 ro=0 "
		"pte-rw=0 upgrade=1 unmap-ro=0 after-end=-3",
		NULL,
	};
	probe("end-access", want);
}

/* The granter ends while its frame is mapped: the mapping stays usable,
 * the frame is an orphan until the unmap frees it, and the dead domain's
 * grants map no more. */
KTEST(lab5_granter_dies)
{
	static const char *const want[] = {
		"hv grants dom=2 unmapped=0 orphaned=1",
		"hv frames-audit after=2 bad=0 orphans=1",
		"d0 probe granter-dies map=0 gone=1 read-after=1 map-dead=-2 unmap=0",
		NULL,
	};
	probe("granter-dies", want);
}

/* Copies: from a read-only grant, into a writable one, between two; into a
 * read-only grant, past the page, to or from a frame not the caller's. */
KTEST(lab5_grant_copy)
{
	static const char *const want[] = {
		"d2 probe copy granter-sees=ok",
		"d0 probe copy from-ro=0 content=1 to-ro=-8 to-rw=0 past-page=-10 not-ours=-10 "
		"not-ours-src=-10 gref-to-gref=0",
		NULL,
	};
	probe("copy", want);
}

/* Mappings where the mapper may not put one, and malformed calls. */
KTEST(lab5_grant_bad_addr)
{
	static const char *const want[] = {
		"d0 probe bad-addr unaligned=-5 low=-5 m2p=-5 hv=-5 mapped=-5 no-table=-5 "
		"no-host-map=-1 too-many=-22 bad-pointer=-14 bad-cmd=-22 setup-other=-8 good=0 "
		"unmap=0",
		NULL,
	};
	probe("bad-addr", want);
}

/* The mapper clears the grant's entry itself (its references go with it,
 * the unmap gives back only the pin), and cannot forge it back. */
KTEST(lab5_grant_pte_tamper)
{
	static const char *const want[] = {
		"d0 probe pte-tamper map=0 clear=0 unmap=0 forge-refused=1 remap=0 unmap2=0",
		NULL,
	};
	probe("pte-tamper", want);
}

/* The store: only your own directory (and what dom0 keeps for you), good
 * paths only, a quota, watches that fire, a directory gone with its domain. */
KTEST(lab5_store_rules)
{
	static const char *const want[] = {
		"d2 probe store own=0 dom0=-1 other=-1 prefix=-1 backend-write=-1 read-other=-1 "
		"read-backend-other=-1",
		"d2 probe store bad-path=-22 trailing=-22 too-long=-22 long-value=-22 missing=-2 "
		"bad-pointer=-14 watch-other=-1 unwatch-bad=-22",
		"d2 probe store quota-error=-28 nodes=32 watch=1 fired=1",
		"d0 probe store peer-gone=1 its-nodes=-2",
		NULL,
	};
	probe("store", want);
}
