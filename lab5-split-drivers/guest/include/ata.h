/*
 * dom0's disk driver (lab 5): ATA PIO on the primary channel's master
 * (public/disk_ports.h), polling, no interrupts. Only dom0 may use it: in
 * any other domain the first in or out crashes the domain.
 */
#ifndef KOAN_GUEST_ATA_H
#define KOAN_GUEST_ATA_H

#include <stdint.h>

#define ATA_SECTOR_BYTES 512u

/* Find the disk: its size in sectors (LBA28, so at most 2^28), or 0 when
 * there is none (no drive, or it did not answer IDENTIFY). */
uint32_t ata_init(void);

/* Move `count` sectors from `lba` on (count 1 .. 256, all below the disk's
 * size): 0, or -1 when the disk reports an error or does not answer. */
int ata_read(uint32_t lba, uint32_t count, void *buf);
int ata_write(uint32_t lba, uint32_t count, const void *buf);
/* Make everything written so far durable (FLUSH CACHE). */
int ata_flush(void);
/* Cycles spent in the three calls above so far (the benchmark's). */
uint64_t ata_busy_cycles(void);

#endif
