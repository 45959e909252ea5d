/*
 * KOAN_HC_CONSOLE_IO: the paravirtual console. One hypercall writes a whole
 * buffer, where lab 1's emulated UART cost one trap per byte (two, with the
 * status poll): the first comparison `make bench` shows.
 */
#include <koan/domain.h>
#include <koan/exercise.h>
#include <koan/hypercall.h>
#include <koan/serial.h>

#define CHUNK 128

static int32_t console_write(uint32_t count, uint32_t buf_va)
{
	// BEGIN EXERCISE lab3.3: the console hypercall (lab3-hypercalls/README.md, Exercise 3)
	//   In: a count and a guest buffer address, both the guest's choice. Out:
	//   count, every byte given in order to domain_console_byte() (which tags the
	//   domain's lines); -KOAN_EINVAL for more than KOAN_CONSOLE_IO_MAX; the copy's
	//   -KOAN_EFAULT for a buffer the guest may not read (bytes before it may have
	//   been printed). The guest's memory is read only through copy_from_guest(),
	//   through a buffer of the hypervisor's no larger than CHUNK.
	char chunk[CHUNK];
	struct domain *d = current_domain();

	if (count > KOAN_CONSOLE_IO_MAX)
		return -KOAN_EINVAL;
	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done < CHUNK ? count - done : CHUNK;
		int err = copy_from_guest(chunk, buf_va + done, n);
		if (err)
			return err;
		for (uint32_t i = 0; i < n; i++)
			domain_console_byte(d, chunk[i]);
		done += n;
	}
	return (int32_t)count;
	// STUB
	//> EXERCISE_TODO("lab3.3", "console_write() in hv/console_io.c writes nothing yet");
	//> (void)count, (void)buf_va, (void)current_domain;
	//> return -KOAN_ENOSYS;
	// END EXERCISE
}

/* Only dom0 may read the machine's console: it is the operator's. */
static int32_t console_read(uint32_t count, uint32_t buf_va)
{
	char c;
	uint32_t n = 0;

	if (current_domain()->id != 0)
		return -KOAN_EPERM;
	if (count > KOAN_CONSOLE_IO_MAX)
		return -KOAN_EINVAL;
	if (!guest_range_ok(buf_va, count, true))
		return -KOAN_EFAULT; /* even when nothing is waiting to be read */
	while (n < count && serial_try_getc(COM1, &c)) {
		int err = copy_to_guest(buf_va + n, &c, 1);
		if (err)
			return err;
		n++;
	}
	return (int32_t)n;
}

/*
 * A long write goes out in slices; between two, it stops if a timer tick is
 * waiting and continues later from where it is (koan/hypercall.h), with in
 * a4 what was written before, so that the result is still the whole count.
 */
#define SLICE 1024u

static int32_t console_write_preemptible(uint32_t count, uint32_t buf_va, uint32_t before)
{
	if (count > KOAN_CONSOLE_IO_MAX)
		return -KOAN_EINVAL;
	for (uint32_t done = 0; done < count;) {
		if (done && hypercall_preempt_check()) {
			struct hypercall_args rest = { { KOAN_CONSOLE_WRITE, count - done,
							 buf_va + done, before + done, 0 } };
			return hypercall_continue(&rest);
		}
		uint32_t n = count - done < SLICE ? count - done : SLICE;
		int32_t r = console_write(n, buf_va + done);
		if (r < 0)
			return r;
		done += n;
	}
	return (int32_t)(before + count);
}

static int32_t do_console_io(const struct hypercall_args *a)
{
	uint32_t cmd = a->arg[0];
	uint32_t count = a->arg[1];
	uint32_t buf_va = a->arg[2];
	uint32_t before = a->arg[3];
	switch (cmd) {
	case KOAN_CONSOLE_WRITE: return console_write_preemptible(count, buf_va, before);
	case KOAN_CONSOLE_READ: return console_read(count, buf_va);
	default: return -KOAN_ENOSYS;
	}
}

HYPERCALL(KOAN_HC_CONSOLE_IO, do_console_io);
