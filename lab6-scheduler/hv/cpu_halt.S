/*
 * cpu_halt(): halt the CPU until the next interrupt (lab 6's idle domain).
 * The hypervisor runs with interrupts off; here it lets one in. sti keeps
 * them off for one more instruction (SDM Vol. 2B, STI), so an interrupt
 * already waiting ends the hlt instead of coming before it and being
 * missed. The interrupt comes from ring 0, which trap() would take for a
 * hypervisor bug: the exception table says it is expected here, and it
 * resumes at cpu_halt_resume, where interrupts go off again.
 */
	.text
	.globl cpu_halt
cpu_halt:
	sti
	hlt
cpu_halt_resume:
	cli
	ret

	.section .extable, "a"
	.align 4
	.long cpu_halt_resume, cpu_halt_resume
