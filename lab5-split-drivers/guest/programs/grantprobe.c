/*
 * grantprobe: what a domain must not get away with through grants (lab 5).
 * Two of them: role=granter (some domain G, peer=0) grants frames of its
 * own to dom0, and role=mapper (dom0, peer=G) tries to misuse them; each
 * `op` is one attack, and both sides report what each try returned. They
 * take turns through the store: the granter publishes its references and
 * its stage under /local/domain/G/probe, dom0 its stage under
 * /local/domain/0/backend/probe/G (which G may read).
 *   op=forged      references past the table, free, granted to another
 *                  domain, naming a frame the granter does not own; a
 *                  domain that is not there or has no table
 *   op=twice       a grant mapped twice, bad handles, an unmap twice, and
 *                  the mapper's table of 64 mappings filled up
 *   op=end-access  ending access while mapped (refused), then revoking by
 *                  force; a read-only grant mapped writable, or made
 *                  writable by a page-table update
 *   op=granter-dies  the granter ends while its frame is mapped
 *   op=copy        grant copies, good and bad
 *   op=bad-addr    mappings at addresses that are not the mapper's to use,
 *                  and malformed calls
 *   op=pte-tamper  the mapper removes the grant's entry itself, then tries
 *                  to forge one
 *   op=store       the store's rules, tried by the granter: other domains'
 *                  directories, bad paths, its quota, watches
 */
#include <koan/pte.h>

#include "events.h"
#include "gnttab.h"
#include "guest.h"
#include "hypercall.h"
#include "mm.h"
#include "store_client.h"

static unsigned me, peer;
static char op[16];

static void my_node(char *path, const char *name)
{
	if (me == 0)
		ksnprintf(path, STORE_PATH_BYTES, "/local/domain/0/backend/probe/%u/%s", peer,
			  name);
	else
		ksnprintf(path, STORE_PATH_BYTES, "/local/domain/%u/probe/%s", me, name);
}

static void peer_node(char *path, const char *name)
{
	if (me == 0)
		ksnprintf(path, STORE_PATH_BYTES, "/local/domain/%u/probe/%s", peer, name);
	else
		ksnprintf(path, STORE_PATH_BYTES, "/local/domain/0/backend/probe/%u/%s", me, name);
}

static void publish(const char *name, uint32_t value)
{
	char path[STORE_PATH_BYTES];

	my_node(path, name);
	xs_write_u32(path, value);
}

static uint32_t peer_value(const char *name)
{
	char path[STORE_PATH_BYTES];

	peer_node(path, name);
	return xs_read_u32(path, 0);
}

/* All our waits together last at most 10 s: a peer that is gone, or a
 * store that does not work, ends the probe soon, not one wait at a time. */
static unsigned waited_ms;

/* Our turn is over: wait until the peer reaches `stage`. */
static bool wait_peer(uint32_t stage)
{
	while (waited_ms < 10000) {
		if (peer_value("stage") >= stage)
			return true;
		sleep_ns(1000000);
		waited_ms++;
	}
	result("probe timeout waiting for stage %u", stage);
	return false;
}

/* The granter's domain has gone when its directory has. */
static bool wait_peer_gone(void)
{
	char path[STORE_PATH_BYTES], buf[8];

	peer_node(path, "stage");
	while (waited_ms < 10000) {
		if (xs_read(path, buf, sizeof(buf)) == -KOAN_ENOENT)
			return true;
		sleep_ns(1000000);
		waited_ms++;
	}
	return false;
}

static uint32_t own_page(uint8_t fill)
{
	uint32_t va = alloc_page();

	if (va)
		memset((void *)(uintptr_t)va, fill, KOAN_PAGE_SIZE);
	return va;
}

static int32_t grant(uint16_t dom, uint32_t va_or_frame, bool is_frame, bool readonly)
{
	return gnttab_grant_access(dom, is_frame ? va_or_frame : va_to_mfn(va_or_frame), readonly);
}

static int map_at(uint32_t ref, uint32_t va, bool readonly, uint32_t *handle)
{
	return gnttab_map((uint16_t)peer, ref, va, readonly, handle);
}

/* ---- the granter's side ---- */

static int32_t raw_write(const char *path, uint32_t value_len)
{
	struct koan_store_op o = { .cmd = KOAN_STOREOP_WRITE };

	o.path_len = (uint32_t)strlen(path);
	memcpy(o.path, path, o.path_len);
	o.value_len = value_len;
	return xs_op(&o);
}

static void store_rules(void)
{
	char path[STORE_PATH_BYTES], buf[16];
	static const char long_path[] =
		"/local/domain/2/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	int own = xs_write_u32("/local/domain/2/probe/x", 1);
	int dom0 = xs_write("/local/domain/0/x", "1");
	int other = xs_write("/local/domain/1/x", "1");
	int prefix = xs_write("/local/domain/21/x", "1");
	int backend_w = xs_write("/local/domain/0/backend/probe/2/x", "1");
	int read_other = xs_read("/local/domain/1/token", buf, sizeof(buf));
	int read_backend_other = xs_read("/local/domain/0/backend/probe/1/stage", buf, sizeof(buf));
	int bad_path = xs_write("/local//domain/2/x", "1");
	int trailing = xs_write("/local/domain/2/x/", "1");
	int too_long = xs_write(long_path, "1");
	int long_value = raw_write("/local/domain/2/probe/y", KOAN_STORE_VALUE_MAX + 1);
	int missing = xs_read("/local/domain/2/nothing", buf, sizeof(buf));
	int bad_ptr = hypercall3(KOAN_HC_STORE_OP, 0xFC000000u, 0, 0);
	int watch_other = xs_watch("/local/domain/1");
	int unwatch_bad = 0;
	{
		struct koan_store_op o = { .cmd = KOAN_STOREOP_UNWATCH, .watch = 99 };
		unwatch_bad = xs_op(&o);
	}
	int32_t w = xs_watch("/local/domain/0/backend/probe/2");
	xs_fired();
	publish("stage", 1); /* dom0 now writes under our watch */
	unsigned written = 0;
	int quota = 0;
	for (unsigned i = 0; i < KOAN_STORE_QUOTA + 8; i++) {
		ksnprintf(path, sizeof(path), "/local/domain/2/q/%u", i);
		quota = xs_write(path, "v");
		if (quota)
			break;
		written++;
	}
	uint32_t fired = 0;
	for (unsigned i = 0; i < 1000 && !fired; i++) {
		fired = xs_fired();
		if (!fired)
			sleep_ns(1000000);
	}
	result("probe store own=%d dom0=%d other=%d prefix=%d backend-write=%d read-other=%d "
	       "read-backend-other=%d",
	       own, dom0, other, prefix, backend_w, read_other, read_backend_other);
	result("probe store bad-path=%d trailing=%d too-long=%d long-value=%d missing=%d "
	       "bad-pointer=%d watch-other=%d unwatch-bad=%d",
	       bad_path, trailing, too_long, long_value, missing, bad_ptr, watch_other,
	       unwatch_bad);
	result("probe store quota-error=%d nodes=%u watch=%d fired=%d", quota, written + 2, w >= 0,
	       (fired >> w) & 1);
}

static void granter(void)
{
	if (strcmp(op, "store") == 0) {
		store_rules();
		return;
	}
	if (strcmp(op, "twice") == 0) {
		for (unsigned i = 0; i < KOAN_GNTTAB_MAX_MAPS + 1; i++)
			grant(0, own_page((uint8_t)i), false, false);
		publish("stage", 1);
		wait_peer(1);
		return;
	}
	uint32_t page = own_page(0x5A), other = own_page(0x33);
	publish("ref-rw", (uint32_t)grant(0, page, false, false));
	publish("ref-ro", (uint32_t)grant(0, other, false, true));
	publish("ref-other", (uint32_t)grant(1, page, false, false));
	publish("ref-foreign", (uint32_t)grant(0, foreign_frame(), true, false));
	publish("stage", 1);
	if (strcmp(op, "end-access") == 0) {
		wait_peer(1);	/* dom0 has it mapped writable */
		uint32_t r = 1; /* ref-rw: the first we granted */
		uint16_t flags = gnttab_table[r].flags;
		bool ended = gnttab_end_access(r);
		gnttab_table[r].flags = 0; /* revoke by force, while mapped */
		result("probe end-access flags-mapped=%d end-while-mapped=%d",
		       (flags & (KOAN_GTF_READING | KOAN_GTF_WRITING)) ==
			       (KOAN_GTF_READING | KOAN_GTF_WRITING),
		       ended);
		publish("stage", 2);
		wait_peer(2); /* dom0 unmapped */
		gnttab_table[r].flags = KOAN_GTF_PERMIT_ACCESS | KOAN_GTF_READONLY;
		publish("stage", 3);
		wait_peer(3); /* dom0 mapped it read-only */
		result("probe end-access flags-ro-mapped=%d end-ro-while-mapped=%d",
		       (gnttab_table[r].flags & (KOAN_GTF_READING | KOAN_GTF_WRITING)) ==
			       KOAN_GTF_READING,
		       gnttab_end_access(r));
		publish("stage", 4);
		wait_peer(4); /* unmapped */
		result("probe end-access end-after-unmap=%d", gnttab_end_access(r));
		publish("stage", 5);
		wait_peer(5);
		return;
	}
	if (strcmp(op, "copy") == 0) {
		wait_peer(1);
		const uint8_t *p = (const uint8_t *)(uintptr_t)page;
		result("probe copy granter-sees=%s",
		       p[100] == 0xC3 && p[0] == 0x5A ? "ok" : "wrong");
		publish("stage", 2);
		wait_peer(2);
		return;
	}
	/* forged, bad-addr, pte-tamper, granter-dies: dom0 does it all. */
	wait_peer(1);
}

/* ---- the mapper's side (dom0) ---- */

static void forged(uint32_t va)
{
	uint32_t h;
	int past = map_at(KOAN_GRANT_ENTRIES, va, false, &h);
	int huge = map_at(0xFFFFFFF0u, va, false, &h);
	int free_ref = map_at(400, va, false, &h);
	int other = map_at(peer_value("ref-other"), va, false, &h);
	int foreign = map_at(peer_value("ref-foreign"), va, false, &h);
	int no_dom = gnttab_map(99, 1, va, false, &h);
	int no_table = gnttab_map(1, 1, va, false, &h); /* the bystander has none */
	int good = map_at(peer_value("ref-rw"), va, false, &h);
	int unmap = good ? 1 : gnttab_unmap(va, h);
	result("probe forged ref-past=%d ref-huge=%d ref-free=%d other-domain=%d "
	       "foreign-frame=%d no-domain=%d no-table=%d good=%d unmap=%d",
	       past, huge, free_ref, other, foreign, no_dom, no_table, good, unmap);
}

static void twice(uint32_t va, uint32_t va2)
{
	static uint32_t vas[KOAN_GNTTAB_MAX_MAPS + 1], handles[KOAN_GNTTAB_MAX_MAPS + 1];
	uint32_t h, h2;
	int first = map_at(1, va, false, &h);
	int second = map_at(1, va2, false, &h2);
	int bad_handle = gnttab_unmap(va, 99);
	int wrong_addr = gnttab_unmap(va2, h);
	int unmap = gnttab_unmap(va, h);
	int again = gnttab_unmap(va, h);
	int remap = map_at(1, va, false, &h);
	gnttab_unmap(va, h);
	unsigned maps = 0;
	int full = 0;
	for (unsigned i = 0; i < KOAN_GNTTAB_MAX_MAPS + 1; i++) {
		if (!vas[i])
			vas[i] = gnttab_map_page();
		int st = map_at(1 + i, vas[i], false, &handles[i]);
		if (st == 0)
			maps++;
		else
			full = st;
	}
	for (unsigned i = 0; i < maps; i++)
		gnttab_unmap(vas[i], handles[i]);
	result("probe twice first=%d second=%d bad-handle=%d wrong-addr=%d unmap=%d again=%d "
	       "remap=%d maps=%u full=%d",
	       first, second, bad_handle, wrong_addr, unmap, again, remap, maps, full);
}

static void end_access(uint32_t va)
{
	uint32_t h, ref = peer_value("ref-rw");
	int map = map_at(ref, va, false, &h);
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)va;

	if (map == 0)
		p[1] = 0x77;
	publish("stage", 1);
	wait_peer(2); /* the granter tried to end access, then revoked by force */
	int still = map == 0 && p[0] == 0x5A && p[1] == 0x77;
	uint32_t h2;
	int remap = map_at(ref, gnttab_map_page(), false, &h2);
	int unmap = gnttab_unmap(va, h);
	publish("stage", 2);
	wait_peer(3); /* granted again, read-only */
	int rw = map_at(ref, va, false, &h);
	int ro = map_at(ref, va, true, &h);
	uint32_t pte = pte_read(va);
	int upgrade = hc_update_va_mapping(va, pte | PTE_RW, KOAN_UVMF_INVLPG);
	publish("stage", 3);
	wait_peer(4);
	int unmap_ro = gnttab_unmap(va, h);
	publish("stage", 4);
	wait_peer(5); /* access ended */
	int after_end = map_at(ref, va, true, &h);
	publish("stage", 5);
	result("probe end-access still-mapped=%d remap-revoked=%d unmap=%d rw-of-ro=%d ro=%d "
	       "pte-rw=%d upgrade=%d unmap-ro=%d after-end=%d",
	       still, remap, unmap, rw, ro, (pte & PTE_RW) != 0, upgrade != 0, unmap_ro, after_end);
}

static void granter_dies(uint32_t va)
{
	uint32_t h, h2;
	int map = map_at(peer_value("ref-rw"), va, false, &h);
	uint32_t ro_ref = peer_value("ref-ro");

	publish("stage", 1);
	bool gone = wait_peer_gone();
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)va;
	int read_after = map == 0 && p[0] == 0x5A;
	if (map == 0)
		p[2] = 0x11; /* still ours to write: the frame lives until we let go */
	int map_dead = gnttab_map((uint16_t)peer, ro_ref, gnttab_map_page(), true, &h2);
	int unmap = map == 0 ? gnttab_unmap(va, h) : 1;
	result("probe granter-dies map=%d gone=%d read-after=%d map-dead=%d unmap=%d", map, gone,
	       read_after, map_dead, unmap);
}

static int copy(uint32_t src, uint16_t sdom, uint32_t dst, uint16_t ddom, uint16_t soff,
		uint16_t doff, uint16_t len, uint16_t flags)
{
	struct koan_gnttab_copy c = { .source = { src, sdom, soff },
				      .dest = { dst, ddom, doff },
				      .len = len,
				      .flags = flags };
	int32_t err = gnttab_op(KOAN_GNTTABOP_COPY, &c, 1);
	return err ? err : c.status;
}

static void copies(void)
{
	uint32_t mine = alloc_page(), mfn = va_to_mfn(mine);
	uint32_t ro = peer_value("ref-ro"), rw = peer_value("ref-rw");
	uint8_t *m = (uint8_t *)(uintptr_t)mine;
	uint16_t S = KOAN_DOMID_SELF, P = (uint16_t)peer;

	memset(m, 0, KOAN_PAGE_SIZE);
	int from_ro = copy(ro, P, mfn, S, 0, 0, 4096, KOAN_GNTCOPY_SOURCE_GREF);
	int content = from_ro == 0 && m[0] == 0x33 && m[4095] == 0x33;
	int to_ro = copy(mfn, S, ro, P, 0, 0, 16, KOAN_GNTCOPY_DEST_GREF);
	m[0] = 0xC3;
	int to_rw = copy(mfn, S, rw, P, 0, 100, 1, KOAN_GNTCOPY_DEST_GREF);
	int past_page = copy(mfn, S, rw, P, 0, 4000, 200, KOAN_GNTCOPY_DEST_GREF);
	int not_ours = copy(mfn, S, foreign_frame(), S, 0, 0, 16, 0);
	int not_ours_src = copy(foreign_frame(), S, mfn, S, 0, 0, 16, 0);
	int both =
		copy(ro, P, rw, P, 200, 200, 16, KOAN_GNTCOPY_SOURCE_GREF | KOAN_GNTCOPY_DEST_GREF);
	publish("stage", 1);
	wait_peer(2);
	result("probe copy from-ro=%d content=%d to-ro=%d to-rw=%d past-page=%d not-ours=%d "
	       "not-ours-src=%d gref-to-gref=%d",
	       from_ro, content, to_ro, to_rw, past_page, not_ours, not_ours_src, both);
}

static void bad_addr(uint32_t va)
{
	uint32_t h, ref = peer_value("ref-rw");
	uint32_t mapped = alloc_page(); /* mapped: its entry is not empty */
	uint32_t no_table = 0xA0000000u;
	int unaligned = map_at(ref, va + 4, false, &h);
	int low = map_at(ref, 0x1000, false, &h);
	int m2p = map_at(ref, KOAN_M2P_START, false, &h);
	int hv = map_at(ref, 0xFC000000u, false, &h);
	int busy = map_at(ref, mapped, false, &h);
	int none = pte_maddr(no_table) ? 0 : map_at(ref, no_table, false, &h);
	struct koan_gnttab_map_grant_ref m = {
		.host_addr = va, .flags = 0, .ref = ref, .dom = (uint16_t)peer
	};
	gnttab_op(KOAN_GNTTABOP_MAP_GRANT_REF, &m, 1);
	struct koan_gnttab_map_grant_ref many[KOAN_GNTTAB_MAX_OPS + 1];
	int too_many = gnttab_op(KOAN_GNTTABOP_MAP_GRANT_REF, many, KOAN_GNTTAB_MAX_OPS + 1);
	int bad_ptr = gnttab_op(KOAN_GNTTABOP_MAP_GRANT_REF, (void *)0xFC000000u, 1);
	int bad_cmd = gnttab_op(7, &m, 1);
	struct koan_gnttab_setup_table st = { .dom = (uint16_t)peer, .nr_frames = 1 };
	gnttab_op(KOAN_GNTTABOP_SETUP_TABLE, &st, 1);
	int good = map_at(ref, va, false, &h);
	int unmap = good ? 1 : gnttab_unmap(va, h);
	result("probe bad-addr unaligned=%d low=%d m2p=%d hv=%d mapped=%d no-table=%d "
	       "no-host-map=%d too-many=%d bad-pointer=%d bad-cmd=%d setup-other=%d good=%d "
	       "unmap=%d",
	       unaligned, low, m2p, hv, busy, none, m.status, too_many, bad_ptr, bad_cmd, st.status,
	       good, unmap);
}

static void pte_tamper(uint32_t va)
{
	uint32_t h, ref = peer_value("ref-rw"), frame;
	int map = map_at(ref, va, false, &h);
	uint32_t pte = pte_read(va);

	frame = pte_mfn(pte);
	int clear = hc_update_va_mapping(va, 0, KOAN_UVMF_INVLPG);
	int unmap = gnttab_unmap(va, h); /* its entry is gone already */
	int forge = hc_update_va_mapping(va, pte_make(frame, PTE_P | PTE_RW | PTE_US),
					 KOAN_UVMF_INVLPG);
	int remap = map_at(ref, va, false, &h);
	int unmap2 = remap ? 1 : gnttab_unmap(va, h);
	result("probe pte-tamper map=%d clear=%d unmap=%d forge-refused=%d remap=%d unmap2=%d", map,
	       clear, unmap, forge != 0, remap, unmap2);
}

static void mapper(void)
{
	uint32_t va = gnttab_map_page(), va2 = gnttab_map_page();

	if (!wait_peer(1))
		return;
	if (strcmp(op, "forged") == 0)
		forged(va);
	else if (strcmp(op, "twice") == 0)
		twice(va, va2);
	else if (strcmp(op, "end-access") == 0)
		end_access(va);
	else if (strcmp(op, "granter-dies") == 0)
		granter_dies(va);
	else if (strcmp(op, "copy") == 0)
		copies();
	else if (strcmp(op, "bad-addr") == 0)
		bad_addr(va);
	else if (strcmp(op, "pte-tamper") == 0)
		pte_tamper(va);
	else if (strcmp(op, "store") == 0) {
		publish("note", 1); /* under the granter's watch */
		bool gone = wait_peer_gone();
		char path[STORE_PATH_BYTES], buf[8];
		peer_node(path, "x");
		result("probe store peer-gone=%d its-nodes=%d", gone,
		       xs_read(path, buf, sizeof(buf)));
	}
	publish("stage", 9);
	/* Our directory goes with us: stay until the granter is done. */
	while (waited_ms < 10000 && peer_value("stage") < 99) {
		char path[STORE_PATH_BYTES], buf[8];
		peer_node(path, "stage");
		if (xs_read(path, buf, sizeof(buf)) == -KOAN_ENOENT)
			break;
		sleep_ns(1000000);
		waited_ms++;
	}
}

void guest_main(const struct koan_start_info *si)
{
	char role[12] = "", buf[8];
	int err;

	me = si->domain_id;
	peer = atou(guest_arg("peer", buf, sizeof(buf)) ?: "0");
	guest_arg("role", role, sizeof(role));
	guest_arg("op", op, sizeof(op));
	if ((err = events_init()) || (err = gnttab_init())) {
		result("probe init=%d", err);
		return;
	}
	events_enable();
	if (strcmp(role, "granter") == 0) {
		granter();
		publish("stage", 99);
	} else
		mapper();
	result("probe %s done", role);
}
