# GDB helpers for Koan, loaded by `make gdb` (tools/gdbinit.in).
#
#   koan domains        every domain: id, state, pages, command line; * = running
#   koan guest [N]      load the symbols of domain N's guest program (default:
#                       the domain on the CPU); done by itself at every stop
#   koan pt N [VA]      domain N's page directory: each present entry and how
#                       many of its page-table entries are present; with VA,
#                       how VA is translated
#   koan frames [N]     the frame table: how many frames of domain N (default
#                       all owners) have each type; `koan frame MFN` for one
#   koan grants N       domain N's grant table (lab 5): each entry in use, and
#                       the grants N has mapped (handle, granter, ref, frame, va)
#   koan store [PREFIX] the store's nodes (lab 5), those under PREFIX
#   koan rings          every ring a frontend offered in the store (its
#                       ring-ref node): the four shared indices, and how many
#                       requests and responses are waiting
#   koan banner on|off  the line printed at every stop (on by default)
#
# At every stop a banner says where the CPU is: in the hypervisor (ring 0) or
# in a guest (its ring, or virtual-8086 mode), and which domain is current.
#
# Under the xpti guard (koan/guard.h), a guest's page directory maps almost
# nothing of the hypervisor, so while the CPU is in a guest GDB cannot read
# the hypervisor's variables through the page tables. These helpers then read
# physical memory instead (QEMU's gdbstub: Qqemu.PhyMemMode), at the address
# the hypervisor's direct map gives: virtual - KOAN_HV_START.

import gdb

HV_START = 0xFC000000
PAGE = 4096
GUEST_PDES = (1, 1007)  # public/memory.h: the slots a guest may use

state = {"guests": [], "guest_dir": "", "loaded": None, "banner": True}


def set_guests(elfs, folder):
    """Called by the generated gdbinit: module i's guest ELF, and where they are."""
    state["guests"] = list(elfs)
    state["guest_dir"] = folder
    state["loaded"] = elfs[0] if elfs else None


def _phys_mode(on):
    gdb.execute("maintenance packet Qqemu.PhyMemMode:%d" % (1 if on else 0), to_string=True)
    gdb.execute("maintenance flush dcache", to_string=True)


def read(va, size):
    """Bytes of the hypervisor's (or the current address space's) memory."""
    inf = gdb.selected_inferior()
    try:
        return bytes(inf.read_memory(va, size))
    except gdb.MemoryError:
        if va < HV_START:
            raise
    return read_phys(va - HV_START, size)


def read_phys(pa, size):
    _phys_mode(True)
    try:
        return bytes(gdb.selected_inferior().read_memory(pa, size))
    finally:
        _phys_mode(False)


def value_at(va, typename):
    t = gdb.lookup_type(typename)
    return gdb.Value(read(va, t.sizeof), t)


def address_of(expr):
    return int(gdb.parse_and_eval("(unsigned)&(%s)" % expr))


def u32(data, i=0):
    return int.from_bytes(data[i:i + 4], "little")


def domain(i):
    return value_at(address_of("domains") + i * gdb.lookup_type("struct domain").sizeof,
                    "struct domain")


def nr_domains():
    return u32(read(address_of("nr_domains"), 4))


def current_index():
    cur = u32(read(address_of("'domain.c'::current"), 4))
    if not cur:
        return None
    return (cur - address_of("domains")) // gdb.lookup_type("struct domain").sizeof


def cmdline(d):
    raw = bytes(int(d["cmdline"][i]) & 0xFF for i in range(64))
    return raw.split(b"\0")[0].decode(errors="replace")


def where():
    cs = int(gdb.parse_and_eval("$cs")) & 0xFFFF
    eflags = int(gdb.parse_and_eval("$eflags"))
    if eflags & (1 << 17):
        return "a guest, in virtual-8086 mode"
    return {0: "the hypervisor (ring 0)", 1: "a guest kernel (ring 1)",
            3: "a guest task (ring 3)"}.get(cs & 3, "ring %d" % (cs & 3))


def load_guest(i):
    d = domain(i)
    module = int(d["module"])
    if module >= len(state["guests"]):
        print("koan: domain %d came from module %d, whose file I do not know" % (i, module))
        return
    elf = state["guests"][module]
    if state["loaded"] == elf:
        return
    if state["loaded"]:
        gdb.execute("remove-symbol-file -a 0x01000000", to_string=True)
    gdb.execute("add-symbol-file %s/%s" % (state["guest_dir"], elf), to_string=True)
    state["loaded"] = elf
    print("koan: guest symbols of domain %d: %s" % (i, elf))


def on_stop(event):
    if not state["banner"]:
        return
    try:
        cur = current_index()
        who = "no domain" if cur is None else "domain %d (%s)" % (cur, cmdline(domain(cur)))
        print("[koan] stopped in %s; current: %s" % (where(), who))
        if cur is not None and not where().startswith("the hypervisor"):
            load_guest(cur)
    except (gdb.error, gdb.MemoryError):
        pass  # before kmain: nothing to say yet


def next_trap_instruction(window=64):
    """The next `int` instruction in the code that follows $pc (the guest's
    next hypercall or system call, wherever the compiler put it), found by
    reading ahead at most `window` instructions; None if there is none."""
    arch = gdb.selected_frame().architecture()
    pc = int(gdb.parse_and_eval("$pc"))
    for insn in arch.disassemble(pc, count=window):
        if insn["asm"].split()[0] == "int":
            return insn
    return None


GTF_NAMES = ((1 << 2, "readonly"), (1 << 3, "reading"), (1 << 4, "writing"))


def grant_domain(i):
    """Lab 5's per-domain grant state (hv/grant_table.c's grants[i])."""
    base = address_of("'grant_table.c'::grants")
    t = gdb.lookup_type("struct grant_domain")
    return value_at(base + i * t.sizeof, "struct grant_domain")


def store_nodes():
    """(path, value, owner) of every node of lab 5's store."""
    t = gdb.lookup_type("struct store_node")
    base = address_of("'store_op.c'::store")
    n = t.sizeof
    count = int(gdb.parse_and_eval("sizeof('store_op.c'::store.nodes)")) // n
    raw = read(base, count * n)
    off_path = t["path"].bitpos // 8
    off_value = t["value"].bitpos // 8
    off_owner = t["owner"].bitpos // 8
    off_plen = t["path_len"].bitpos // 8
    off_vlen = t["value_len"].bitpos // 8
    nodes = []
    for k in range(count):
        e = raw[k * n:(k + 1) * n]
        if not e[0]:
            continue
        path = e[off_path:off_path + e[off_plen]].decode(errors="replace")
        value = e[off_value:off_value + e[off_vlen]].decode(errors="replace")
        nodes.append((path, value, int.from_bytes(e[off_owner:off_owner + 2], "little")))
    return sorted(nodes)


class Koan(gdb.Command):
    """Koan's helpers: koan domains | guest [N] | pt N [VA] | frames [N] | frame MFN
       | grants N | store [PREFIX] | rings | next-int | banner on|off"""

    def __init__(self):
        super().__init__("koan", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        words = arg.split()
        if not words:
            print(self.__doc__)
            return
        cmd = words[0]
        if cmd == "store":
            self.store(words[1] if len(words) > 1 else "")
            return
        args = [int(w, 0) for w in words[1:] if w not in ("on", "off")]
        if cmd == "domains":
            self.domains()
        elif cmd == "guest":
            load_guest(args[0] if args else current_index())
        elif cmd == "pt" and args:
            self.page_tables(args[0], args[1] if len(args) > 1 else None)
        elif cmd == "frames":
            self.frames(args[0] if args else None)
        elif cmd == "frame" and args:
            self.frame(args[0])
        elif cmd == "grants" and args:
            self.grants(args[0])
        elif cmd == "rings":
            self.rings()
        elif cmd == "next-int":
            insn = next_trap_instruction()
            if insn is None:
                print("koan: no int instruction in the next 64 instructions")
            else:
                print("koan: running to 0x%x: %s" % (insn["addr"], insn["asm"]))
                gdb.execute("tbreak *0x%x" % insn["addr"], to_string=True)
                gdb.execute("continue")
        elif cmd == "banner":
            state["banner"] = words[1:] != ["off"]
        else:
            print(self.__doc__)

    def domains(self):
        cur = current_index()
        print(" id  state      pages  command line")
        for i in range(nr_domains()):
            d = domain(i)
            st = str(d["state"]).replace("DOM_", "").lower()
            print("%s%2d  %-9s %6d  %s" % ("*" if i == cur else " ", i, st,
                                           int(d["nr_pages"]), cmdline(d)))

    def base_mfn(self, i):
        off = u32(read(address_of("__domain_ext_paging_of.offset"), 4))
        ext = address_of("domains") + i * gdb.lookup_type("struct domain").sizeof \
            + gdb.lookup_type("struct domain")["ext"].bitpos // 8
        pd = value_at(ext + off, "struct paging_domain")
        return int(pd["base_mfn"])

    def page_tables(self, i, va):
        base = self.base_mfn(i)
        if base == 0xFFFFFFFF:
            print("koan: domain %d has no page directory loaded" % i)
            return
        directory = read_phys(base * PAGE, PAGE)
        if va is not None:
            pde = u32(directory, (va >> 22) * 4)
            print("va 0x%08x: directory entry %d = 0x%08x" % (va, va >> 22, pde))
            if pde & 1 and not pde & 0x80:
                pte = u32(read_phys(pde & ~0xFFF, PAGE), ((va >> 12) & 1023) * 4)
                print("             page-table entry %d = 0x%08x -> frame 0x%x%s" % (
                    (va >> 12) & 1023, pte, pte >> 12, "" if pte & 1 else " (not present)"))
            return
        print("domain %d: directory at frame 0x%x" % (i, base))
        for slot in range(1024):
            pde = u32(directory, slot * 4)
            if not pde & 1:
                continue
            owner = "guest" if GUEST_PDES[0] <= slot < GUEST_PDES[1] else "hypervisor"
            if pde & 0x80:
                print("  %4d 0x%08x  4 MB page (%s)" % (slot, pde, owner))
                continue
            table = read_phys(pde & ~0xFFF, PAGE)
            present = sum(1 for k in range(1024) if u32(table, k * 4) & 1)
            print("  %4d 0x%08x  va 0x%08x: table 0x%x, %d entries present (%s)" % (
                slot, pde, slot << 22, pde >> 12, present, owner))

    def grants(self, i):
        try:
            g = grant_domain(i)
        except gdb.error:
            print("koan: no grant tables in this build (lab 5)")
            return
        mfn = int(g["table_mfn"])
        if mfn == 0xFFFFFFFF:
            print("domain %d has no grant table (it never asked for one)" % i)
        else:
            table = read_phys(mfn * PAGE, PAGE)
            print("domain %d: grant table at frame 0x%x" % (i, mfn))
            print("  ref  flags               to   frame")
            for ref in range(512):
                flags = int.from_bytes(table[ref * 8:ref * 8 + 2], "little")
                if not flags:
                    continue
                dom = int.from_bytes(table[ref * 8 + 2:ref * 8 + 4], "little")
                names = ["permit" if flags & 3 == 1 else "type%d" % (flags & 3)]
                names += [n for bit, n in GTF_NAMES if flags & bit]
                print("  %3d  %-18s d%-3d 0x%x" % (ref, ",".join(names), dom,
                                                  u32(table, ref * 8 + 4)))
        maps = [m for m in (g["maps"]["map"][h] for h in range(64)) if bool(m["used"])]
        if not maps:
            print("domain %d maps no grant" % i)
            return
        print("domain %d maps:" % i)
        print("  handle  granter  ref  frame     va          access")
        for h in range(64):
            m = g["maps"]["map"][h]
            if not bool(m["used"]):
                continue
            print("  %6d  d%-6d %4d  0x%-6x 0x%08x  %s%s" % (
                h, int(m["granter"]), int(m["ref"]), int(m["frame"]), int(m["host_addr"]),
                "rw" if bool(m["writable"]) else "ro",
                " (granter gone: orphan)" if bool(m["granter_gone"]) else ""))

    def store(self, prefix):
        try:
            nodes = store_nodes()
        except gdb.error:
            print("koan: no store in this build (lab 5)")
            return
        for path, value, owner in nodes:
            if path.startswith(prefix):
                print("  %-48s = %-16s (d%d's)" % (path, value, owner))

    def rings(self):
        try:
            nodes = store_nodes()
        except gdb.error:
            print("koan: no store in this build (lab 5)")
            return
        found = False
        for path, value, _ in nodes:
            if not path.endswith("/ring-ref") or not path.startswith("/local/domain/"):
                continue
            dom = int(path.split("/")[3])
            mfn = int(grant_domain(dom)["table_mfn"])
            ref = int(value) if value.isdigit() else -1
            if mfn == 0xFFFFFFFF or not 0 <= ref < 512:
                continue
            frame = u32(read_phys(mfn * PAGE, PAGE), ref * 8 + 4)
            req_prod, req_event, rsp_prod, rsp_event = (
                u32(read_phys(frame * PAGE, 16), k * 4) for k in range(4))
            found = True
            print("%s: ring-ref %d, frame 0x%x" % (path.rsplit("/", 1)[0], ref, frame))
            print("  req_prod %d  req_event %d  rsp_prod %d  rsp_event %d" % (
                req_prod, req_event, rsp_prod, rsp_event))
            print("  requests not yet answered: %d" % ((req_prod - rsp_prod) & 0xFFFFFFFF))
        if not found:
            print("koan: no frontend has offered a ring yet")

    def frame_table(self):
        ft = value_at(address_of("frame_table"), "struct frame_table")
        return int(ft["pages"]), int(ft["nr_frames"])

    def frames(self, owner):
        pages, n = self.frame_table()
        size = gdb.lookup_type("struct page_info").sizeof
        raw = read(pages, n * size)
        types = {0: "none", 1: "L1", 2: "L2", 3: "writable", 4: "descriptor"}
        counts = {}
        for mfn in range(n):
            who = int.from_bytes(raw[mfn * size:mfn * size + 2], "little")
            if owner is not None and who != owner:
                continue
            key = ("free" if who == 0xFFFF else "hypervisor" if who == 0xFFFE else "d%d" % who,
                   types.get(raw[mfn * size + 2], "?"))
            counts[key] = counts.get(key, 0) + 1
        for (who, t), c in sorted(counts.items()):
            print("  %-10s %-10s %6d frames" % (who, t, c))

    def frame(self, mfn):
        pages, n = self.frame_table()
        if mfn >= n:
            print("koan: frame 0x%x is beyond the frame table (%d frames)" % (mfn, n))
            return
        print(value_at(pages + mfn * gdb.lookup_type("struct page_info").sizeof,
                       "struct page_info"))


Koan()
gdb.events.stop.connect(on_stop)
