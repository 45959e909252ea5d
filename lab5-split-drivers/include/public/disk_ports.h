/*
 * Koan public ABI, lab 5: the machine's disk controller, whose ports dom0
 * (and only dom0) may use with in and out (the primary ATA channel of a
 * PC, as QEMU emulates it: its first disk is the one `-drive ... if=ide,
 * index=0` attaches).
 */
#ifndef KOAN_PUBLIC_DISK_PORTS_H
#define KOAN_PUBLIC_DISK_PORTS_H

#define ATA_PRIMARY_BASE 0x1F0u /* data, error, count, LBA 0-23, drive, status/command */
#define ATA_PRIMARY_PORTS 8u
#define ATA_PRIMARY_CONTROL 0x3F6u /* device control / alternate status */

#endif
