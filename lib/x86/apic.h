/*
 * The local APIC (SDM Vol. 3A, "Advanced Programmable Interrupt Controller"), reached through
 * one small interface with an xAPIC (MMIO page) and an x2APIC (MSR) implementation. Each CPU
 * picks its implementation when it sets its APIC up, so one check can run in either mode.
 */
#ifndef LIB_X86_APIC_H
#define LIB_X86_APIC_H

#include "libcflat.h"
#include "intr-fields.h"
#include "msr.h"

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

#define APIC_SPIV_ENABLE BIT(8)
#define APIC_SPIV_SUPPRESS_EOI_BROADCAST BIT(12)
#define APIC_TDCR_DIVIDE_BY_1 0xb
#define APIC_LVT_MASKED BIT(16)
#define APIC_SPURIOUS_VECTOR 0xff

/*
 * ICR bits 31:0 (SDM "Interrupt Command Register"): the shared fields are in intr-fields.h;
 * APIC_DM_* are its delivery modes in place, as ICR values are written.
 */
#define APIC_DM_FIXED DELIVERY_MODE(DM_FIXED)
#define APIC_DM_LOWEST DELIVERY_MODE(DM_LOWEST_PRIORITY)
#define APIC_DM_SMI DELIVERY_MODE(DM_SMI)
#define APIC_DM_NMI DELIVERY_MODE(DM_NMI)
#define APIC_DM_INIT DELIVERY_MODE(DM_INIT)
#define APIC_DM_STARTUP DELIVERY_MODE(DM_STARTUP)
#define APIC_ICR_BUSY 0x1000
#define APIC_DEST_SELF 0x40000
#define APIC_DEST_ALLINC 0x80000
#define APIC_DEST_ALLBUT 0xc0000

#define CPUID_1_ECX_X2APIC BIT(21)

/* x2APIC ICR bits that must be zero (SDM "Interrupt Command Register (ICR) in x2APIC Mode") */
#define X2APIC_ICR_RESERVED_BITS 0xfff32000u /* 31:20, 17:16, 13 */
#define X2APIC_SELF_IPI_RESERVED_BITS 0xffffff00u
#define X2APIC_BROADCAST 0xffffffffu
#define XAPIC_BROADCAST 0xffu
#define APIC_LVR_MAX_LVT(lvr) (((lvr) >> 16) & 0xff)
#define APIC_LVR_EOI_BROADCAST_SUPPRESSION BIT(24)
#define APIC_DFR_FLAT 0xffffffffu
#define APIC_DFR_CLUSTER 0x0fffffffu

/* How an x2APIC MSR may be accessed (SDM "Local APIC Register Address Map Supported by x2APIC") */
enum x2apic_access {
	X2APIC_ABSENT = 0, /* both RDMSR and WRMSR raise #GP */
	X2APIC_READ = BIT(0),
	X2APIC_WRITE = BIT(1),
	X2APIC_READ_WRITE = X2APIC_READ | X2APIC_WRITE,
};

/*
 * The architectural access to x2APIC MSR 0x800-0x8ff; max_lvt is the version register's
 * "max LVT entry" (LVT CMCI, 0x82f, exists only when it is 6 or more).
 */
enum x2apic_access x2apic_msr_access(u32 msr, u32 max_lvt);
/* The register's name, or NULL for an absent one. */
const char *x2apic_msr_name(u32 msr);

/* The logical ID the x2APIC derives from its ID: cluster in 31:16, one bit of 15:0 set. */
static inline u32 x2apic_ldr(u32 apic_id)
{
	return ((apic_id >> 4) << 16) | (1u << (apic_id & 0xf));
}

/* Whether a logical x2APIC destination selects the APIC with this logical ID. */
static inline bool x2apic_logical_match(u32 dest, u32 ldr)
{
	return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
}

/* The 64-bit x2APIC ICR: destination in 63:32, the command in 31:0. */
static inline u64 x2apic_icr(u32 icr, u32 dest)
{
	return (u64)dest << 32 | icr;
}

/* xAPIC logical IDs (LDR bits 31:24) in the flat model (8 CPUs) and cluster model (4 bits each). */
static inline u32 xapic_flat_ldr(unsigned int bit)
{
	return (1u << bit) << 24;
}

static inline u32 xapic_cluster_ldr(unsigned int cluster, unsigned int member_bit)
{
	return ((cluster << 4) | (1u << member_bit)) << 24;
}

#ifndef HOST_TEST
#include "percpu.h"

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

/* Whether this CPU reaches its local APIC through the x2APIC MSRs. */
static inline bool apic_is_x2apic(void)
{
	return this_cpu()->apic == &x2apic_ops;
}

/* The mode IA32_APIC_BASE says this CPU is in. */
enum apic_mode apic_mode(void);
bool cpu_has_x2apic(void);

/*
 * Enables this CPU's APIC in x2APIC mode when want_x2apic and CPUID offers it (or when firmware
 * already chose x2APIC), else in xAPIC mode; software-enables it with the spurious vector and
 * masks LINT0 and the timer. Returns the mode it is now in. The per-CPU APIC ID stays the one
 * the CPU was identified by (CPUID), so a test can compare the ID register with it.
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
/* xAPIC logical destination set-up for every CPU: the model (DFR) and each CPU's LDR. */
struct xapic_logical {
	u32 dfr;
	u32 *ldr; /* by CPU number (alloc_per_cpu()) */
};

/* Loads this CPU's DFR and LDR from a struct xapic_logical (an on_cpus() function). */
void xapic_set_logical_id(void *xapic_logical);

/* Whether vector's bit is set in this CPU's in-service register. */
bool apic_isr_set(u8 vector);
/* Ends an interrupt if its vector is in service (spurious vectors never are). */
void apic_eoi_if_in_service(u8 vector);
#endif

#endif
