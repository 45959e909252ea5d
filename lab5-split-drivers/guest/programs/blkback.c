/*
 * blkback: dom0's block backend (lab 5). Serves `frontends` domains, from
 * domain `first` on (default 1), each its own region of `sectors` sectors
 * of the disk, one after another from `start` (default 0); ends when every
 * one has connected and gone.
 *   mode=direct count=N   instead: read N sectors of the disk itself, in
 *                         requests of `chunk` sectors, and time it (the
 *                         benchmark's baseline for the split driver)
 */
#include "ata.h"
#include "blkback.h"
#include "events.h"
#include "guest.h"

static uint8_t buffer[88 * ATA_SECTOR_BYTES] __attribute__((aligned(4096)));

static unsigned arg(const char *key, unsigned fallback)
{
	char buf[16];

	return guest_arg(key, buf, sizeof(buf)) ? atou(buf) : fallback;
}

static void direct(uint32_t disk_sectors)
{
	unsigned count = arg("count", 4096), chunk = arg("chunk", 88);
	uint64_t t0, t1;

	if (chunk == 0 || chunk > 88)
		chunk = 88;
	if (disk_sectors <= chunk)
		return;
	__asm__ volatile("rdtsc" : "=A"(t0));
	unsigned done = 0, failed = 0;
	while (done < count) {
		unsigned n = count - done < chunk ? count - done : chunk;
		failed += ata_read(done % (disk_sectors - chunk), n, buffer) != 0;
		done += n;
	}
	__asm__ volatile("rdtsc" : "=A"(t1));
	result("blkback direct sectors=%u failed=%u cycles-per-sector=%u", done, failed,
	       (unsigned)((t1 - t0) / (done ? done : 1)));
}

void guest_main(const struct koan_start_info *si)
{
	char mode[16] = "";
	struct blkback_vbd_config cfg[BLKBACK_MAX_VBDS];
	unsigned n = arg("frontends", 1), first = arg("first", 1), sectors = arg("sectors", 2048),
		 start = arg("start", 0);
	int err = events_init();

	(void)si;
	if (err) {
		result("events-init=%d", err);
		return;
	}
	uint32_t disk = ata_init();
	result("blkback disk sectors=%u", disk);
	if (!disk)
		return;
	guest_arg("mode", mode, sizeof(mode));
	if (strcmp(mode, "direct") == 0) {
		direct(disk);
		return;
	}
	if (n > BLKBACK_MAX_VBDS)
		n = BLKBACK_MAX_VBDS;
	for (unsigned i = 0; i < n; i++)
		cfg[i] = (struct blkback_vbd_config){
			.domain = first + i,
			.region = { .start = start + (uint64_t)i * sectors, .sectors = sectors },
		};
	blkback_run(cfg, n, disk);
	result("blkback done");
}
