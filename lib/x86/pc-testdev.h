/*
 * QEMU's pc-testdev: an 8-bit write of 0 or 1 to port 0x2000 + line lowers or raises ISA
 * interrupt line 0-15, which drives the IOAPIC pin that line is wired to (qemu
 * hw/misc/pc-testdev.c). Present only in QEMU with -device pc-testdev.
 */
#ifndef LIB_X86_PC_TESTDEV_H
#define LIB_X86_PC_TESTDEV_H

#include "libcflat.h"

#define PC_TESTDEV_IRQ_PORT 0x2000
#define PC_TESTDEV_IOPORT 0xe0 /* a scratch register: reads back what was written */
#define PC_TESTDEV_LINES 16
/* An ISA line no device uses under -nodefaults: the one the checks drive. */
#define PC_TESTDEV_FREE_LINE 14

bool pc_testdev_present(void);
void pc_testdev_set_line(u8 line, bool high);
/* Raises and lowers PC_TESTDEV_FREE_LINE: one edge (as a delivery check's send function). */
void pc_testdev_pulse(void *unused);
/* Raises PC_TESTDEV_FREE_LINE and leaves it high (a level source until its handler lowers it). */
void pc_testdev_raise(void *unused);

#endif
