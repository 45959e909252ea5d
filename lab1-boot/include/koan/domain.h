/*
 * Domains: one per guest module. In lab 1 they run one after another, each
 * until it halts or crashes; lab 3 lets them take turns.
 */
#ifndef KOAN_DOMAIN_H
#define KOAN_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include <koan/elf.h>
#include <koan/fpu.h>
#include <koan/multiboot.h>
#include <koan/trap.h>
#include <public/domain_state.h>
#include <public/start_info.h>

/* A domain's state: the public list (public/domain_state.h), under the
 * hypervisor's names, with the same values. A RUNNABLE domain's registers
 * are in its context. */
#define DOM_STATE_FROM_PUBLIC_(name, value, text) DOM_##name = KOAN_DOMSTATE_##name,
enum domain_state { KOAN_DOMSTATES(DOM_STATE_FROM_PUBLIC_) DOM_STATES };
#undef DOM_STATE_FROM_PUBLIC_
_Static_assert((int)DOM_STATES == (int)KOAN_DOMSTATE_COUNT,
	       "every public domain state is a hypervisor state, and no more");

/* "running", "crashed", ...: the public list's name. */
const char *domain_state_name(enum domain_state state);

#define LINE_MAX_BYTES 160

/* Bytes a domain writes to a channel, gathered into lines. */
struct line_buffer {
	char bytes[LINE_MAX_BYTES];
	unsigned len;
};

/*
 * State a later lab keeps per domain, without editing struct domain: each
 * lab declares its own with DOMAIN_EXTENSION(type, name), and domain.c lays
 * them out, at boot, in every domain's `ext` bytes (zeroed when the domain
 * is created). `name(d)` then returns d's instance. Like Linux's per-CPU
 * data, where the registry is the linker's.
 */
#define DOMAIN_EXT_BYTES 4096u

struct domain_ext_slot {
	const char *name;
	uint32_t size, align;
	uint32_t offset; /* in struct domain's ext[]: set at boot */
};

struct domain {
	unsigned id;
	unsigned module; /* the boot module it was built from */
	enum domain_state state;
	char cmdline[KOAN_CMDLINE_MAX];
	uint32_t module_start, module_end; /* physical */
	struct elf_image image;
	uint32_t entry;		   /* where it starts, */
	uint32_t stack_top;	   /* on which stack, */
	uint32_t start_info_addr;  /* and where its struct koan_start_info is (guest addresses) */
	uint32_t nr_pages;	   /* its own memory, if the memory model gives it any */
	bool virtual_if;	   /* the guest's idea of EFLAGS.IF (cli/sti) */
	bool started;		   /* has run: resume from context, not from the entry */
	struct trap_frame context; /* its registers while it is not running */
	struct domain_fpu fpu;	   /* and its x87 state (koan/fpu.h) */
	struct line_buffer results;
	uint8_t ext[DOMAIN_EXT_BYTES] __attribute__((aligned(8))); /* the labs' (above) */
};

/* At most this many domains, from boot modules or created later. */
#define MAX_DOMAINS BOOT_MAX_MODULES

#define DOMAIN_EXTENSION(type, name)                                                         \
	static struct domain_ext_slot __domain_ext_##name                                    \
		__attribute__((used, section(".domain_ext"),                                 \
			       aligned(4))) = { #name, sizeof(type), __alignof__(type), 0 }; \
	static inline type *name(const struct domain *d)                                     \
	{                                                                                    \
		return (type *)(uintptr_t)(d->ext + __domain_ext_##name.offset);             \
	}

/* The lowest address lab 1 lets a guest load at (16 MB), above the
 * hypervisor's image and the boot modules. */
#define GUEST_LOAD_MIN 0x01000000u

void domains_create(const struct boot_info *bi);
void domains_run(void) __attribute__((noreturn));

/* What alternatives registered for one job (memory models, schedulers)
 * begin with: a name for the boot log, and a rank; the highest wins. */
struct ranked {
	const char *name;
	int rank;
};

/*
 * Schedulers: which domain runs next. Lab 1 registers the simplest (each
 * domain runs to its end, in module order); lab 3 registers round robin
 * with a higher rank, and domain.c uses the highest-ranked one linked in.
 */
struct scheduler {
	struct ranked id; /* first: the highest-ranked scheduler linked in is used */
	/* EFLAGS bits set in a guest whenever it runs (lab 3: IF, for its timer). */
	uint32_t guest_eflags;
	/* How long a turn lasts before the timer (lab 3) ends it; 0: until the
	 * domain gives up the CPU. */
	uint64_t turn_ns;
	/* Choose a domain and domain_enter() it, or domains_finish(). Called on
	 * an empty hypervisor stack whenever the CPU is free. */
	void (*run)(void) __attribute__((noreturn));
	/* The rest is optional (NULL or 0: as above), for a policy that decides
	 * more than an order (lab 6's Borrowed Virtual Time). */
	/* The timer's rate while this scheduler runs (0: 100 Hz). */
	unsigned tick_hz;
	/* The running turn's length, when the policy sets each turn's (and may
	 * shorten it when a domain wakes); NULL: turn_ns for every turn. */
	uint64_t (*turn_length)(void);
	/* Domain d became runnable (domain_wake()); true if the running domain
	 * should give up the CPU at once: it then yields as soon as it is about
	 * to resume (domain_preempt_requested()). */
	bool (*woken)(struct domain *d);
	/* The current domain asked to yield (sched_op yield), before it is saved. */
	void (*yielding)(struct domain *d);
	/* While every domain waits (lab 4's idle loop), between two looks at
	 * the clock: halt until the next interrupt, if the timer's next tick
	 * comes before `until_ns` (when the clock is next due to wake a domain,
	 * UINT64_MAX: never). NULL: look again at once. */
	void (*idle_wait)(uint64_t until_ns);
};

#define SCHEDULER(sched)                                         \
	static const struct scheduler *const __scheduler_##sched \
		__attribute__((used, section(".schedulers"), aligned(4))) = &sched

/* For schedulers and control operations. */
unsigned domain_count(void);
struct domain *domain_at(unsigned index);		       /* NULL past the end */
void domain_enter(struct domain *d) __attribute__((noreturn)); /* start or resume it */
void domain_save(struct domain *d, const struct trap_frame *tf);
/* The current domain's turn ends here; it resumes later from `tf`. */
void domain_yield(const struct trap_frame *tf) __attribute__((noreturn));
void schedule(void) __attribute__((noreturn)); /* the current domain has been saved */
void domains_finish(void) __attribute__((noreturn));
/* Create a domain from boot module `index` after boot (lab 3's dom0); returns
 * it, or NULL if that module cannot become a domain (the log says why). */
struct domain *domain_create_from_module(unsigned index);
/* End domain d, which is not the current one. */
void domain_destroy(struct domain *d, const char *why);

struct domain *current_domain(void);

/* End the current domain and go on with the next one. */
void domain_halt(const char *why) __attribute__((noreturn));
void domain_crash(const struct trap_frame *tf, const char *why) __attribute__((noreturn));

/*
 * The one way the hypervisor touches a guest's memory: copy at most `len`
 * bytes at the guest's virtual address `addr`, through the guest's own
 * mappings (the memory model's walk: only what the guest itself could reach
 * from ring 3's point of view, so never the hypervisor's pages), stopping
 * where they end; writing needs mappings the guest could write. Returns how
 * many bytes were copied: short where the mapping ends or the hypervisor's
 * area begins (0 for an address in it). Lab 3's
 * copy_from_guest() and copy_to_guest() are the hypercalls' layer over
 * these: all or nothing, the ABI's range rule, -KOAN_EFAULT.
 */
uint32_t guest_read(const struct domain *d, uint32_t addr, void *buf, uint32_t len);
uint32_t guest_write(const struct domain *d, uint32_t addr, const void *buf, uint32_t len);

/* Bytes the guest sent to the console and the result channel. */
void domain_console_byte(struct domain *d, char c);
void domain_results_byte(struct domain *d, char c);

/*
 * Things a later lab must do when a domain starts running and when it ends
 * (lab 3: install its trap table's gates; clear them). Registered with
 * DOMAIN_HOOKS; domain.c calls every registered one.
 */
struct domain_hooks {
	void (*start)(struct domain *d);
	void (*end)(struct domain *d);
	/* Once, when the memory model has built it (lab 4: its shared-info
	 * page). A problem (NULL: none) refuses the domain, with that reason. */
	const char *(*created)(struct domain *d);
};

#define DOMAIN_HOOKS(hooks)                                            \
	static const struct domain_hooks *const __domain_hooks_##hooks \
		__attribute__((used, section(".domain_hooks"), aligned(4))) = &hooks

/*
 * Waiting (lab 4's events). Without a wait policy linked in, a domain that
 * blocks only yields, and when no domain may run the machine is done. Lab 4
 * registers one: may_block() says whether the domain has nothing pending
 * (else block returns at once: no lost wake-up); idle() is called when
 * every domain that has not ended is blocked (or paused), and waits for the
 * next thing that could wake one (a timer, console input), returning false
 * if nothing ever can.
 */
struct wait_policy {
	bool (*may_block)(struct domain *d);
	bool (*idle)(void);
};

#define WAIT_POLICY(policy)                                           \
	static const struct wait_policy *const __wait_policy_##policy \
		__attribute__((used, section(".wait_policies"), aligned(4))) = &policy

/* sched_op block: the current domain sleeps until domain_wake(), or goes
 * on at once (returns) if the policy says something is pending. */
void domain_block(struct trap_frame *tf);
void domain_wake(struct domain *d); /* a BLOCKED domain becomes RUNNABLE */
/* For schedulers, when no domain may run: true if one may run now. */
bool domains_idle(void);
/* The domain with this id, or NULL (ids are indices: domain_at()). */
struct domain *domain_by_id(unsigned id);

/* The scheduler's choices: EFLAGS bits set in a guest whenever it runs, and
 * how long the running turn lasts (0: no limit). */
uint32_t scheduler_guest_eflags(void);
uint64_t scheduler_turn_ns(void);
unsigned scheduler_tick_hz(void);	     /* the timer's rate (koan/timer.h) */
void scheduler_idle_wait(uint64_t until_ns); /* in an idle loop: wait for an interrupt, or not */
/* sched_op yield: the scheduler hears of it, then domain_yield(). */
void domain_sched_yield(const struct trap_frame *tf) __attribute__((noreturn));
/* Set when a wake-up asked for the CPU back (the scheduler's woken()); the
 * scheduler clears it when it chooses. A registered return hook acts on it. */
bool domain_preempt_requested(void);
void domain_preempt_clear(void);

/*
 * Every frame a guest resumes from passes here first (hv/guest_return.c):
 * EFLAGS keeps only the bits a guest may set itself, plus the scheduler's;
 * a frame with a selector that is not the guest's, or an eip in the hole,
 * crashes the domain instead of being resumed.
 */
void guest_return_prepare(struct trap_frame *tf);
uint32_t guest_eflags(uint32_t eflags, uint32_t forced);       /* pure */
const char *guest_return_problem(const struct trap_frame *tf); /* pure */

/*
 * Work a later lab must do each time a guest is about to resume, whichever
 * way it comes back (lab 4: deliver its pending events, by building an
 * upcall's frame). Registered with RETURN_TO_GUEST; guest_return_prepare()
 * calls every registered one first, then checks the frame, so what a hook
 * builds obeys the same rules as every other frame.
 */
struct return_hook {
	void (*fn)(struct domain *d, struct trap_frame *tf);
};

#define RETURN_TO_GUEST(fn)                                \
	static const struct return_hook __return_hook_##fn \
		__attribute__((used, section(".return_hooks"), aligned(4))) = { fn }

/* The register state a guest kernel starts with (hv/guest_entry.c). */
void guest_initial_frame(struct trap_frame *tf, uint32_t entry, uint32_t stack,
			 uint32_t start_info);
const char *guest_frame_problem(const struct trap_frame *tf);

#endif
