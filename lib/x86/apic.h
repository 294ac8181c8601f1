/*
 * The local APIC (SDM Vol. 3A, "Advanced Programmable Interrupt Controller"), reached
 * through its xAPIC MMIO page or its x2APIC MSRs, whichever mode the CPU is in.
 */
#ifndef LIB_X86_APIC_H
#define LIB_X86_APIC_H

#include "libcflat.h"

#define APIC_DEFAULT_PHYS_BASE 0xfee00000ul
#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_EXTD BIT(10)
#define APIC_BASE_EN BIT(11)

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + (offset >> 4). */
#define APIC_ID 0x020
#define APIC_LVR 0x030
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_LDR 0x0d0
#define APIC_SPIV 0x0f0
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define MSR_X2APIC_BASE 0x800

enum apic_mode {
	APIC_MODE_DISABLED,
	APIC_MODE_XAPIC,
	APIC_MODE_X2APIC,
	APIC_MODE_INVALID, /* EXTD without EN: the architecture forbids it */
};

enum apic_mode apic_mode(void);
u32 apic_read(unsigned int reg);
void apic_write(unsigned int reg, u32 val);
/* This CPU's APIC ID: from the ID register when the APIC is on, else from CPUID. */
u32 apic_id(void);
/* Ends an interrupt if its vector is in service (spurious vectors never are). */
void apic_eoi_if_in_service(u8 vector);

#endif
