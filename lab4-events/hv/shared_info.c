/*
 * Each domain's shared-info page (public/shared_info.h): a frame of its own,
 * allocated when the domain is built and freed with the rest of its memory
 * (the memory model frees every frame the domain owns), named in its start
 * info, and the time in it brought up to date whenever the domain's turn
 * begins.
 */
#include <koan/clock.h>
#include <koan/console.h>
#include <koan/events.h>
#include <koan/frame_alloc.h>
#include <koan/paging.h>
#include <koan/x86.h>

DOMAIN_EXTENSION(struct events_domain, events_of_)

struct events_domain *events_of(const struct domain *d)
{
	return events_of_(d);
}

/* Kept mapped while the domain lives: every return to a guest asks for it. */
struct koan_shared_info *shared_info_of(const struct domain *d)
{
	return events_of(d)->si;
}

static uint64_t wall_clock_at_boot_s; /* read from the CMOS clock at boot */

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

static unsigned cmos(unsigned reg)
{
	outb(CMOS_INDEX, (uint8_t)reg);
	unsigned v = inb(CMOS_DATA);
	return (v & 0x0F) + (v >> 4) * 10; /* BCD, as QEMU's RTC gives it by default */
}

/* Seconds since 1970 of a date of the 21st century (days_from_civil). */
static uint64_t unix_seconds(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi,
			     unsigned s)
{
	y += mo <= 2 ? 1999 : 2000;
	unsigned era = y / 400, yoe = y - era * 400;
	unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	uint64_t days = (uint64_t)era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + s;
}

static const char *shared_info_create(struct domain *d)
{
	struct events_domain *ev = events_of(d);
	uint32_t mfn = domain_frame_alloc((uint16_t)d->id);

	ev->shared_info_mfn = mfn;
	if (mfn == FRAME_NONE)
		return "no free frame for its shared-info page";
	report("frames-extra dom=%u count=1 why=shared-info", d->id); /* lab 2's tests count it */
	if (!wall_clock_at_boot_s)
		wall_clock_at_boot_s =
			unix_seconds(cmos(9), cmos(8), cmos(7), cmos(4), cmos(2), cmos(0)) -
			clock_ns() / 1000000000u;
	struct koan_shared_info *si = (struct koan_shared_info *)frame_ptr(mfn);
	ev->si = si;
	si->vcpu.upcall_mask = 1; /* as a CPU starts: interrupts off until the guest says */
	si->wc_sec = wall_clock_at_boot_s;
	return 0;
}

/* The first time the domain runs (its page tables are in use, so its start
 * info can be written through them): the start info grows by one field. */
static void shared_info_start(struct domain *d)
{
	struct events_domain *ev = events_of(d);
	uint32_t version = KOAN_START_INFO_VERSION_EVENTS;
	uint32_t at = d->start_info_addr;

	/* The guest extrapolates from this pair with its own rdtsc, so once
	 * per turn is enough (not at every return: a clock_ns() there would
	 * cost a null hypercall four times what it does). */
	shared_info_update_time(d);
	if (ev->start_info_written)
		return;
	ev->start_info_written = true;
	if (guest_write(d, at + offsetof(struct koan_start_info, version), &version, 4) != 4 ||
	    guest_write(d, at + offsetof(struct koan_start_info_events, shared_info_mfn),
			&ev->shared_info_mfn, 4) != 4)
		domain_crash(&d->context, "its start info cannot take the shared-info frame");
}

void shared_info_update_time(struct domain *d)
{
	struct koan_shared_info *si = shared_info_of(d);

	if (!si)
		return;
	si->time_version++; /* odd: being written */
	__asm__ volatile("" ::: "memory");
	si->tsc_timestamp = rdtsc();
	si->system_time_ns = clock_ns();
	si->tsc_per_ms = clock_cycles_per_ms();
	__asm__ volatile("" ::: "memory");
	si->time_version++;
}

static void shared_info_end(struct domain *d)
{
	/* The frame itself goes with the domain's memory (the memory model
	 * frees every frame the domain owns); from now on nothing writes it. */
	events_of(d)->shared_info_mfn = FRAME_NONE;
	events_of(d)->si = 0;
}

static const struct domain_hooks shared_info_hooks = {
	.created = shared_info_create,
	.start = shared_info_start,
	.end = shared_info_end,
};
DOMAIN_HOOKS(shared_info_hooks);
