/*
 * Creating domains from the boot modules, and running them one after the
 * other. How a domain's memory is laid out is the business of the memory
 * model (koan/memory_model.h): lab 1's loads guests on the identity map,
 * lab 2's gives each domain page tables of its own.
 */
#include <koan/cmdline.h>
#include <koan/console.h>
#include <koan/decode.h>
#include <koan/domain.h>
#include <koan/fmt.h>
#include <koan/fpu.h>
#include <koan/gdt.h>
#include <koan/guard.h>
#include <koan/kstring.h>
#include <koan/memory_model.h>
#include <koan/panic.h>
#include <koan/platform.h>
#include <koan/trap.h>
#include <koan/x86.h>

static struct domain domains[MAX_DOMAINS];
static unsigned nr_domains;
static struct domain *current;
static const struct memory_model *model;

extern struct domain_ext_slot __domain_ext_start[], __domain_ext_end[];
extern const struct memory_model *const __memory_models_start[], *const __memory_models_end[];
extern const struct domain_hooks *const __domain_hooks_start[], *const __domain_hooks_end[];

static void call_start_hooks(struct domain *d)
{
	for (const struct domain_hooks *const *h = __domain_hooks_start; h < __domain_hooks_end;
	     h++)
		if ((*h)->start)
			(*h)->start(d);
}

static const char *call_created_hooks(struct domain *d)
{
	for (const struct domain_hooks *const *h = __domain_hooks_start; h < __domain_hooks_end;
	     h++) {
		const char *problem = (*h)->created ? (*h)->created(d) : 0;
		if (problem)
			return problem;
	}
	return 0;
}

static void call_end_hooks(struct domain *d)
{
	for (const struct domain_hooks *const *h = __domain_hooks_start; h < __domain_hooks_end;
	     h++)
		if ((*h)->end)
			(*h)->end(d);
}

const char *domain_state_name(enum domain_state state)
{
#define DOM_STATE_NAME_(name, value, text) [DOM_##name] = text,
	static const char *const names[DOM_STATES] = { KOAN_DOMSTATES(DOM_STATE_NAME_) };
#undef DOM_STATE_NAME_
	return (unsigned)state < DOM_STATES ? names[state] : "?";
}

struct domain *current_domain(void)
{
	return current;
}

/* The highest-ranked of a table of registered alternatives (memory models,
 * schedulers), each of which starts with its struct ranked. */
static const void *highest_ranked(const void *const *start, const void *const *end,
				  const char *what)
{
	const struct ranked *best = 0;

	for (const void *const *p = start; p < end; p++) {
		const struct ranked *r = *p;
		if (!best || r->rank > best->rank)
			best = r;
	}
	if (!best)
		panic("no %s is linked in", what);
	return best;
}

static const struct memory_model *choose_memory_model(void)
{
	return highest_ranked((const void *const *)__memory_models_start,
			      (const void *const *)__memory_models_end, "memory model");
}

static void refuse(struct domain *d, const char *name, const char *text)
{
	d->state = DOM_REFUSED;
	kprintf("[hv] module %u (%s) refused: %s\n", d->module, d->cmdline, text);
	report("refused dom=%u reason=%s", d->id, name);
}

static struct domain *create_one(const struct boot_module *m, unsigned module)
{
	struct domain *d = &domains[nr_domains];
	struct refusal why;

	if (nr_domains == MAX_DOMAINS)
		return 0;
	*d = (struct domain){
		.id = nr_domains, .module = module, .module_start = m->start, .module_end = m->end
	};
	nr_domains++;
	strlcpy(d->cmdline, m->cmdline, sizeof(d->cmdline));

	const void *file = m->end > m->start ? phys_range(m->start, m->end - m->start) : 0;
	if (!file) {
		refuse(d, "module-unmapped", "the module is empty or lies above the mapped 64 MB");
		return 0;
	}
	if (!model->create(d, file, m->end - m->start, &why)) {
		refuse(d, why.name, why.text);
		return 0;
	}
	const char *problem = call_created_hooks(d);
	if (problem) {
		call_end_hooks(d);
		model->destroy(d);
		refuse(d, "no-memory", problem);
		return 0;
	}
	d->state = DOM_READY;
	kprintf("[hv] module %u: entry 0x%08x, image 0x%08x-0x%08x, %d segment(s)\n", d->module,
		d->image.entry, d->image.lo, d->image.hi, d->image.nr_segments);
	report("domain dom=%u entry=0x%x lo=0x%x hi=0x%x segments=%d", d->id, d->image.entry,
	       d->image.lo, d->image.hi, d->image.nr_segments);
	return d;
}

static const struct boot_info *boot_info;

/* A module whose command line has "autostart=no" becomes a domain only when
 * dom0 asks (lab 3's control operations). */
static bool autostart(const struct boot_module *m)
{
	char value[8];
	return !cmdline_get(m->cmdline, "autostart", value, sizeof(value)) ||
	       strcmp(value, "no") != 0;
}

struct domain *domain_create_from_module(unsigned index)
{
	if (!boot_info || index >= (unsigned)boot_info->nr_modules)
		return 0;
	return create_one(&boot_info->modules[index], index);
}

/* Lay out every lab's per-domain state in struct domain's ext[]. */
static void place_extensions(void)
{
	uint32_t used = 0;

	for (struct domain_ext_slot *x = __domain_ext_start; x < __domain_ext_end; x++) {
		used = (used + x->align - 1) & ~(x->align - 1);
		x->offset = used;
		used += x->size;
		if (used > DOMAIN_EXT_BYTES)
			panic("per-domain state does not fit: %s ends at %u bytes, at most %u",
			      x->name, used, DOMAIN_EXT_BYTES);
	}
}

void domains_create(const struct boot_info *bi)
{
	place_extensions();
	model = choose_memory_model();
	kprintf("memory model: %s\n", model->id.name);
	model->init(bi);
	boot_info = bi;
	for (int i = 0; i < bi->nr_modules; i++)
		if (autostart(&bi->modules[i]))
			create_one(&bi->modules[i], (unsigned)i);
	if (bi->modules_dropped)
		kprintf("[hv] %d more module(s) ignored: at most %d\n", bi->modules_dropped,
			BOOT_MAX_MODULES);
}

void start_info_fill(struct koan_start_info *si, const struct domain *d)
{
	si->magic = KOAN_START_INFO_MAGIC;
	si->version = KOAN_START_INFO_VERSION;
	si->domain_id = d->id;
	si->flags = (segment_limits_enforced() ? KOAN_SIF_LIMITS_ENFORCED : 0) |
		    (guard_mode() == GUARD_XPTI ? KOAN_SIF_GUARD_XPTI : 0);
	si->image_start = d->image.lo;
	si->image_end = d->image.hi;
	strlcpy(si->cmdline, d->cmdline, sizeof(si->cmdline));
}

extern const struct scheduler *const __schedulers_start[], *const __schedulers_end[];
static const struct scheduler *scheduler;

/* The highest-ranked scheduler linked in: chosen once, as early as anyone
 * asks (the timer's rate is set before the domains run). */
static const struct scheduler *choose_scheduler(void)
{
	if (!scheduler)
		scheduler = highest_ranked((const void *const *)__schedulers_start,
					   (const void *const *)__schedulers_end, "scheduler");
	return scheduler;
}

uint32_t scheduler_guest_eflags(void)
{
	return scheduler->guest_eflags;
}

uint64_t scheduler_turn_ns(void)
{
	return scheduler->turn_length ? scheduler->turn_length() : scheduler->turn_ns;
}

unsigned scheduler_tick_hz(void)
{
	unsigned hz = choose_scheduler()->tick_hz;
	return hz ? hz : 100;
}

void scheduler_idle_wait(uint64_t until_ns)
{
	if (scheduler->idle_wait)
		scheduler->idle_wait(until_ns);
}

static bool preempt_requested;

bool domain_preempt_requested(void)
{
	return preempt_requested;
}

void domain_preempt_clear(void)
{
	preempt_requested = false;
}

unsigned domain_count(void)
{
	return nr_domains;
}

struct domain *domain_at(unsigned index)
{
	return index < nr_domains ? &domains[index] : 0;
}

void schedule(void)
{
	current = 0;
	call_on_fresh_stack(scheduler->run);
}

/* Finish the lines the domain left half-written. */
static void flush_output(struct domain *d)
{
	if (d->results.len > 0)
		domain_results_byte(d, '\n');
	console_end_line(d->id);
}

/* Let go of everything the domain held. */
static void retire(struct domain *d, enum domain_state state)
{
	flush_output(d);
	d->state = state;
	fpu_forget(d);
	call_end_hooks(d);
	model->destroy(d);
}

/* End the current domain in `state` and go on with the next one. */
static void end_current(enum domain_state state) __attribute__((noreturn));
static void end_current(enum domain_state state)
{
	retire(current, state);
	schedule();
}

void domain_destroy(struct domain *d, const char *why)
{
	flush_output(d);
	kprintf("[hv] domain %u destroyed: %s\n", d->id, why);
	report("destroyed dom=%u", d->id);
	retire(d, DOM_CRASHED);
}

static void crash_at_start(const char *name, const char *text) __attribute__((noreturn));
static void crash_at_start(const char *name, const char *text)
{
	kprintf("[hv] domain %u cannot start: %s\n", current->id, text);
	report("crash dom=%u vector=none why=%s", current->id, name);
	end_current(DOM_CRASHED);
}

/* The first time: load it and build the frame it starts from. */
static void first_frame(struct domain *d, struct trap_frame *tf)
{
	const char *problem;

	if (gdt_guest_problem())
		crash_at_start("bad-gdt", "the guest segments in the GDT are wrong");
	model->load(d);
	guest_initial_frame(tf, d->entry, d->stack_top, d->start_info_addr);
	problem = guest_frame_problem(tf);
	if (problem) {
		kprintf("[hv] domain %u: bad initial frame: %s\n", d->id, problem);
		crash_at_start("bad-initial-frame", "its initial frame is wrong");
	}
	kprintf("[hv] starting domain %u (%s) in ring %u\n", d->id, d->cmdline, tf->cs & 3);
	report("start dom=%u ring=%u", d->id, tf->cs & 3);
	d->started = true;
}

void domain_enter(struct domain *d)
{
	current = d;
	if (!d->started) {
		d->state = DOM_RUNNING;
		first_frame(d, &d->context);
	} else {
		d->state = DOM_RUNNING;
		model->activate(d);
	}
	fpu_enter(d);
	call_start_hooks(d);
	guest_return_prepare(&d->context);
	trap_return(&d->context);
}

void domain_save(struct domain *d, const struct trap_frame *tf)
{
	d->context = *tf;
	d->state = DOM_RUNNABLE;
}

void domain_yield(const struct trap_frame *tf)
{
	domain_save(current, tf);
	schedule();
}

extern const struct wait_policy *const __wait_policies_start[], *const __wait_policies_end[];

static const struct wait_policy *wait_policy(void)
{
	const struct wait_policy *const *first = __wait_policies_start;

	return first < __wait_policies_end ? *first : 0;
}

void domain_block(struct trap_frame *tf)
{
	const struct wait_policy *w = wait_policy();

	tf->eax = 0; /* its result, whenever it goes on */
	if (!w) {
		domain_yield(tf); /* nothing to wait for before lab 4 */
	}
	if (!w->may_block(current))
		return; /* something is pending already: no sleep, no lost wake-up */
	domain_save(current, tf);
	current->state = DOM_BLOCKED;
	schedule();
}

void domain_wake(struct domain *d)
{
	if (d->state != DOM_BLOCKED)
		return;
	d->state = DOM_RUNNABLE;
	if (scheduler->woken && scheduler->woken(d))
		preempt_requested = true;
}

void domain_sched_yield(const struct trap_frame *tf)
{
	if (scheduler->yielding)
		scheduler->yielding(current);
	domain_yield(tf);
}

bool domains_idle(void)
{
	const struct wait_policy *w = wait_policy();
	bool any_blocked = false;

	for (unsigned i = 0; i < nr_domains; i++)
		any_blocked |= domains[i].state == DOM_BLOCKED;
	return w && any_blocked && w->idle();
}

struct domain *domain_by_id(unsigned id)
{
	return id < nr_domains ? &domains[id] : 0;
}

void domains_finish(void)
{
	unsigned count[DOM_STATES] = { 0 };

	for (unsigned i = 0; i < nr_domains; i++)
		count[domains[i].state]++;
	kprintf("[hv] all domains have ended: %u halted, %u crashed, %u refused\n",
		count[DOM_HALTED], count[DOM_CRASHED], count[DOM_REFUSED]);
	if (count[DOM_PAUSED])
		kprintf("[hv] %u domain(s) still paused, and nothing left to unpause them\n",
			count[DOM_PAUSED]);
	if (count[DOM_BLOCKED]) {
		kprintf("[hv] %u domain(s) still blocked, and nothing left to wake them\n",
			count[DOM_BLOCKED]);
		report("deadlock blocked=%u", count[DOM_BLOCKED]);
	}
	report("done domains=%u halted=%u crashed=%u refused=%u", nr_domains, count[DOM_HALTED],
	       count[DOM_CRASHED], count[DOM_REFUSED]);
	machine_exit(EXIT_ALL_DONE);
}

/* Lab 1's scheduler: each domain to its end, one after another. */
static void run_in_order(void) __attribute__((noreturn));
static void run_in_order(void)
{
	for (unsigned i = 0; i < nr_domains; i++)
		if (domains[i].state == DOM_READY)
			domain_enter(&domains[i]);
	domains_finish();
}

static const struct scheduler in_order = {
	.id = { "one after another (lab 1)", 1 },
	.run = run_in_order,
};
SCHEDULER(in_order);

void domains_run(void)
{
	choose_scheduler();
	kprintf("scheduler: %s\n", scheduler->id.name);
	schedule();
}

void domain_halt(const char *why)
{
	kprintf("[hv] domain %u halted: %s\n", current->id, why);
	report("halt dom=%u vif=%d", current->id, current->virtual_if);
	end_current(DOM_HALTED);
}

/* The first bytes of the guest's code at `eip`, in hex ("0f 20 d8 c3"), or
 * "", and in *name what they are if privileged_insn_name() knows (or ""). */
static void describe_code(const struct domain *d, uint32_t eip, char *out, size_t size, char *name,
			  size_t name_size)
{
	uint8_t bytes[4];
	uint32_t n = guest_read(d, eip, bytes, sizeof(bytes));
	size_t len = 0;

	out[0] = '\0';
	for (uint32_t i = 0; i < n && len + 4 < size; i++)
		len += (size_t)ksnprintf(out + len, size - len, i ? " %02x" : "%02x", bytes[i]);
	if (!privileged_insn_name(bytes, n, name, name_size))
		name[0] = '\0';
}

void domain_crash(const struct trap_frame *tf, const char *why)
{
	struct domain *d = current;
	char code[16], name[24];

	kprintf("[hv] domain %u crashed: %s\n", d->id, why);
	kprintf("[hv]   %s, error code 0x%x, at eip 0x%08x\n", trap_name(tf->vector), tf->error,
		tf->eip);
	if (tf->vector == T_PF)
		kprintf("[hv]   faulting address (cr2) 0x%08x\n", read_cr2());
	describe_code(d, tf->eip, code, sizeof(code), name, sizeof(name));
	kprintf("[hv]   code at eip: %s%s%s%s\n", code[0] ? code : "(not mapped)",
		name[0] ? " (" : "", name, name[0] ? ")" : "");
	print_registers(tf);
	for (char *c = code; *c; c++)
		if (*c == ' ')
			*c = '.';
	report("crash dom=%u vector=%u error=0x%x eip=0x%x code=%s why=%s", d->id, tf->vector,
	       tf->error, tf->eip, code[0] ? code : "none", why);
	end_current(DOM_CRASHED);
}

/* How much of [addr, addr + len) lies below the hypervisor's area: a range
 * that would reach it, or wrap round 4 GB, is cut at KOAN_HV_START. */
static uint32_t below_hypervisor(uint32_t addr, uint32_t len)
{
	if (addr >= KOAN_HV_START)
		return 0;
	return len < KOAN_HV_START - addr ? len : KOAN_HV_START - addr;
}

uint32_t guest_read(const struct domain *d, uint32_t addr, void *buf, uint32_t len)
{
	return model->read(d, addr, buf, below_hypervisor(addr, len));
}

uint32_t guest_write(const struct domain *d, uint32_t addr, const void *buf, uint32_t len)
{
	return model->write(d, addr, buf, below_hypervisor(addr, len));
}

void domain_console_byte(struct domain *d, char c)
{
	console_guest_putc(d->id, c);
}

/* A guest's result line goes out as "dN <line>": the prefix is ours, so no
 * guest can write a line that looks like the hypervisor's ("hv ..."). */
void domain_results_byte(struct domain *d, char c)
{
	struct line_buffer *lb = &d->results;

	if (c != '\n' && lb->len < sizeof(lb->bytes)) {
		lb->bytes[lb->len++] = (c >= ' ' && c < 0x7f) ? c : '?';
		return;
	}
	results_putc('d');
	char id[12];
	ksnprintf(id, sizeof(id), "%u ", d->id);
	for (char *p = id; *p; p++)
		results_putc(*p);
	for (unsigned i = 0; i < lb->len; i++)
		results_putc(lb->bytes[i]);
	results_putc('\n');
	lb->len = 0;
	if (c != '\n')
		lb->bytes[lb->len++] = (c >= ' ' && c < 0x7f) ? c : '?';
}
