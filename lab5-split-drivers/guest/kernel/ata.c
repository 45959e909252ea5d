/*
 * ATA PIO, polling (guest/include/ata.h). The commands and registers are
 * the ATA/ATAPI-6 standard's, as QEMU's IDE model implements them: LBA28
 * READ SECTORS (0x20), WRITE SECTORS (0x30), FLUSH CACHE (0xE7), IDENTIFY
 * DEVICE (0xEC). Each wait is bounded: a disk that never answers is an
 * error, not a hung dom0.
 */
#include <koan/x86.h>
#include <public/disk_ports.h>

#include "ata.h"

#define REG_DATA (ATA_PRIMARY_BASE + 0)
#define REG_ERROR (ATA_PRIMARY_BASE + 1)
#define REG_COUNT (ATA_PRIMARY_BASE + 2)
#define REG_LBA0 (ATA_PRIMARY_BASE + 3)
#define REG_LBA1 (ATA_PRIMARY_BASE + 4)
#define REG_LBA2 (ATA_PRIMARY_BASE + 5)
#define REG_DRIVE (ATA_PRIMARY_BASE + 6)
#define REG_STATUS (ATA_PRIMARY_BASE + 7)  /* read */
#define REG_COMMAND (ATA_PRIMARY_BASE + 7) /* write */

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80

#define CTL_NIEN 0x02 /* no interrupts: we poll */
#define DRIVE_LBA_MASTER 0xE0

#define CMD_READ_SECTORS 0x20
#define CMD_WRITE_SECTORS 0x30
#define CMD_FLUSH_CACHE 0xE7
#define CMD_IDENTIFY 0xEC

#define WAIT_LOOPS 10000000u

/* Cycles spent in the calls below: the disk's own time, which the benchmark
 * takes out of the split driver's (QEMU completes transfers in host time,
 * so this part varies from run to run even under -icount). */
static uint64_t busy_cycles;

static uint64_t cycles(void)
{
	uint64_t t;
	__asm__ volatile("rdtsc" : "=A"(t));
	return t;
}

uint64_t ata_busy_cycles(void)
{
	return busy_cycles;
}

static void insw(uint16_t port, void *buf, uint32_t words)
{
	__asm__ volatile("rep insw" : "+D"(buf), "+c"(words) : "d"(port) : "memory");
}

static void outsw(uint16_t port, const void *buf, uint32_t words)
{
	__asm__ volatile("rep outsw" : "+S"(buf), "+c"(words) : "d"(port) : "memory");
}

/* Wait until the drive is not busy; then its status, or -1 on a timeout. */
static int wait_not_busy(void)
{
	for (uint32_t i = 0; i < WAIT_LOOPS; i++) {
		uint8_t st = inb(REG_STATUS);
		if (!(st & ST_BSY))
			return st;
	}
	return -1;
}

/* Wait until it has data for us (or wants ours): 0, or -1 on an error. */
static int wait_drq(void)
{
	int st = wait_not_busy();

	if (st < 0 || (st & (ST_ERR | ST_DF)) || !(st & ST_DRQ))
		return -1;
	return 0;
}

static void command(uint32_t lba, uint32_t count, uint8_t cmd)
{
	outb(REG_DRIVE, (uint8_t)(DRIVE_LBA_MASTER | ((lba >> 24) & 0x0F)));
	outb(REG_COUNT, (uint8_t)count); /* 0 means 256 */
	outb(REG_LBA0, (uint8_t)lba);
	outb(REG_LBA1, (uint8_t)(lba >> 8));
	outb(REG_LBA2, (uint8_t)(lba >> 16));
	outb(REG_COMMAND, cmd);
}

uint32_t ata_init(void)
{
	uint16_t id[256];

	outb(ATA_PRIMARY_CONTROL, CTL_NIEN);
	outb(REG_DRIVE, DRIVE_LBA_MASTER);
	uint8_t st = inb(REG_STATUS);
	if (st == 0 || st == 0xFF)
		return 0; /* floating bus: no drive */
	if (wait_not_busy() < 0)
		return 0;
	command(0, 0, CMD_IDENTIFY);
	if (inb(REG_STATUS) == 0 || wait_drq() < 0)
		return 0;
	insw(REG_DATA, id, 256);
	return id[60] | ((uint32_t)id[61] << 16); /* LBA28 sectors */
}

static int read_sectors(uint32_t lba, uint32_t count, void *buf)
{
	uint8_t *p = buf;

	if (count == 0 || count > 256 || wait_not_busy() < 0)
		return -1;
	command(lba, count, CMD_READ_SECTORS);
	for (uint32_t i = 0; i < count; i++, p += ATA_SECTOR_BYTES) {
		if (wait_drq() < 0)
			return -1;
		insw(REG_DATA, p, ATA_SECTOR_BYTES / 2);
	}
	return 0;
}

static int write_sectors(uint32_t lba, uint32_t count, const void *buf)
{
	const uint8_t *p = buf;

	if (count == 0 || count > 256 || wait_not_busy() < 0)
		return -1;
	command(lba, count, CMD_WRITE_SECTORS);
	for (uint32_t i = 0; i < count; i++, p += ATA_SECTOR_BYTES) {
		if (wait_drq() < 0)
			return -1;
		outsw(REG_DATA, p, ATA_SECTOR_BYTES / 2);
	}
	int st = wait_not_busy();
	return st < 0 || (st & (ST_ERR | ST_DF)) ? -1 : 0;
}

static int flush_cache(void)
{
	if (wait_not_busy() < 0)
		return -1;
	outb(REG_DRIVE, DRIVE_LBA_MASTER);
	outb(REG_COMMAND, CMD_FLUSH_CACHE);
	int st = wait_not_busy();
	return st < 0 || (st & (ST_ERR | ST_DF)) ? -1 : 0;
}

int ata_read(uint32_t lba, uint32_t count, void *buf)
{
	uint64_t t0 = cycles();
	int err = read_sectors(lba, count, buf);
	busy_cycles += cycles() - t0;
	return err;
}

int ata_write(uint32_t lba, uint32_t count, const void *buf)
{
	uint64_t t0 = cycles();
	int err = write_sectors(lba, count, buf);
	busy_cycles += cycles() - t0;
	return err;
}

int ata_flush(void)
{
	uint64_t t0 = cycles();
	int err = flush_cache();
	busy_cycles += cycles() - t0;
	return err;
}
