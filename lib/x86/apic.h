/*
 * The local APIC (SDM Vol. 3A, "Advanced Programmable Interrupt Controller"), reached through
 * one small interface with an xAPIC (MMIO page) and an x2APIC (MSR) implementation. Each CPU
 * picks its implementation when it sets its APIC up, so one check can run in either mode.
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
#define APIC_PPR 0x0a0
#define APIC_EOI 0x0b0
#define APIC_LDR 0x0d0
#define APIC_DFR 0x0e0
#define APIC_SPIV 0x0f0
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVTTHMR 0x330
#define APIC_LVTPC 0x340
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_SELF_IPI 0x3f0 /* x2APIC only */
#define MSR_X2APIC_BASE 0x800

#define APIC_SPIV_ENABLE BIT(8)
#define APIC_LVT_MASKED BIT(16)
#define APIC_SPURIOUS_VECTOR 0xff

/* ICR bits 31:0 (SDM "Interrupt Command Register") */
#define APIC_DM_FIXED 0x000
#define APIC_DM_LOWEST 0x100
#define APIC_DM_SMI 0x200
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_DEST_LOGICAL 0x800
#define APIC_ICR_BUSY 0x1000
#define APIC_INT_ASSERT 0x4000
#define APIC_INT_LEVELTRIG 0x8000
#define APIC_DEST_SELF 0x40000
#define APIC_DEST_ALLINC 0x80000
#define APIC_DEST_ALLBUT 0xc0000

#define CPUID_1_ECX_X2APIC BIT(21)

enum apic_mode {
	APIC_MODE_DISABLED,
	APIC_MODE_XAPIC,
	APIC_MODE_X2APIC,
	APIC_MODE_INVALID, /* EXTD without EN: the architecture forbids it */
};

struct apic_ops {
	const char *name;
	u32 (*read)(unsigned int reg);
	void (*write)(unsigned int reg, u32 val);
	/* Sends an IPI: icr is ICR bits 31:0, dest the destination (8 bits in xAPIC mode). */
	void (*icr_write)(u32 icr, u32 dest);
	u32 (*id)(void);
};

extern const struct apic_ops xapic_ops, x2apic_ops;

/* The mode IA32_APIC_BASE says this CPU is in. */
enum apic_mode apic_mode(void);
bool cpu_has_x2apic(void);

/*
 * Enables this CPU's APIC in x2APIC mode when want_x2apic and CPUID offers it (or when firmware
 * already chose x2APIC), else in xAPIC mode; software-enables it with the spurious vector and
 * masks LINT0 and the timer. Returns the mode it is now in.
 */
enum apic_mode apic_setup_this_cpu(bool want_x2apic);

/* Through this CPU's implementation (apic_setup_this_cpu() must have run on it). */
u32 apic_read(unsigned int reg);
void apic_write(unsigned int reg, u32 val);
void apic_icr_write(u32 icr, u32 dest);
void apic_eoi(void);
/* This CPU's APIC ID: from the ID register once set up, else CPUID 0xB (or leaf 1). */
u32 apic_id(void);
/* The x2APIC ID from CPUID 0xB, or the 8-bit ID from CPUID 1 without that leaf. */
u32 cpuid_apic_id(void);
/* Ends an interrupt if its vector is in service (spurious vectors never are). */
void apic_eoi_if_in_service(u8 vector);

#endif
