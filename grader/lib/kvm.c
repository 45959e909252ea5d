/* Scenarios that only mean something where the CPU enforces segment limits. */
#include "expect.h"
#include "kvm.h"
#include "koan_test.h"

/* Does the hypervisor of this build boot under TCG? */
static bool tcg_boots_us(void)
{
	struct scenario sc;
	struct run r;

	scenario_init(&sc);
	sc.modules[0] = "hello.elf";
	scenario_run(&sc, &r);
	return find_result(&r, "hv boot") != NULL;
}

void run_under_kvm_or_skip(struct scenario *sc, struct run *r)
{
	if (!kvm_usable())
		koan_not_run("needs KVM (/dev/kvm): QEMU's TCG does not enforce segment limits, "
			     "so this behaviour cannot be observed here");
	sc->kvm = true;
	if (sc->timeout_ms < 30000)
		sc->timeout_ms = 30000;
	scenario_run(sc, r);
	/* A KVM that cannot boot what TCG boots is the platform's limit, not a bug
	 * of the code under test. */
	if (!find_result(r, "hv boot") && tcg_boots_us())
		koan_not_run("/dev/kvm is there, but this KVM resets the hypervisor before its "
			     "banner while QEMU's TCG boots it: it cannot run 32-bit paging "
			     "(seen with some nested set-ups), so the behaviour cannot be observed here");
}
