/*
 * Lazy switching of the x87 FPU between domains (koan/fpu.h). Without it
 * every domain would share one FPU: one domain could read another's
 * registers, or set the rounding mode to "toward zero" under it.
 *
 * At boot: CR0.EM clear (the FPU exists), MP set (so that wait/fwait also
 * honour TS), NE set (x87 errors are #MF, exception 16, not an interrupt
 * through the PIC). A clean FPU image, registers zeroed, is what a domain
 * starts with: fninit alone would leave the previous owner's values in the
 * registers (it only marks them empty), and fnsave would show them.
 */
#include <koan/domain.h>
#include <koan/fpu.h>
#include <koan/init.h>
#include <koan/kstring.h>
#include <koan/trap.h>
#include <koan/x86.h>

#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_NE (1u << 5)

#define FNSAVE_REGS_OFFSET 28 /* the eight 10-byte registers follow the environment */

static uint8_t clean_state[FPU_SAVE_BYTES];
static struct domain *owner; /* whose state the FPU holds, or NULL */

static inline void clts(void)
{
	__asm__ volatile("clts");
}

static inline void stts(void)
{
	write_cr0(read_cr0() | CR0_TS);
}

/* fnsave also re-initialises the FPU; frstor loads a whole image. */
static inline void fnsave(uint8_t *area)
{
	__asm__ volatile("fnsave %0" : "=m"(*(uint8_t(*)[FPU_SAVE_BYTES])area));
}

static inline void frstor(const uint8_t *area)
{
	__asm__ volatile("frstor %0" : : "m"(*(const uint8_t(*)[FPU_SAVE_BYTES])area));
}

static void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	__asm__ volatile("fninit");
	fnsave(clean_state);
	memset(clean_state + FNSAVE_REGS_OFFSET, 0, FPU_SAVE_BYTES - FNSAVE_REGS_OFFSET);
	frstor(clean_state); /* no register keeps what the firmware left */
	stts();
}

INITCALL(INIT_EARLY, fpu_init);

void fpu_enter(const struct domain *d)
{
	if (owner == d && !d->fpu.virtual_ts)
		clts();
	else
		stts();
}

void fpu_forget(const struct domain *d)
{
	if (owner == d)
		owner = 0; /* the next domain's frstor overwrites every register */
}

void fpu_set_virtual_ts(struct domain *d, bool set)
{
	d->fpu.virtual_ts = set;
	fpu_enter(d);
}

/*
 * #NM from a guest: its first FPU instruction since it got the CPU. Save the
 * owner's state, load this domain's (or a clean one), and let the guest
 * execute the instruction again. If the guest kernel had set its own TS, it
 * hears of the #NM too, as it would on real hardware (its handler: lab 3's
 * bounce), with the FPU already its own; its TS is clear again.
 */
static bool fpu_device_not_available(struct trap_frame *tf)
{
	struct domain *d = current_domain();

	(void)tf;
	clts();
	if (owner != d) {
		/* fnsave, or fninit: nothing pending is left for frstor to raise
		 * here (an ended domain's unmasked exception, say). */
		if (owner)
			fnsave(owner->fpu.saved);
		else
			__asm__ volatile("fninit");
		frstor(d->fpu.loaded_once ? d->fpu.saved : clean_state);
		d->fpu.loaded_once = true;
		owner = d;
	}
	if (d->fpu.virtual_ts) {
		d->fpu.virtual_ts = false;
		return false;
	}
	return true;
}

GUEST_TRAP_HANDLER(T_NM, TRAP_PRIO_CPU, fpu_device_not_available);
