/*
 * Lazy EOI: the hypervisor marks, in a word of guest memory, that the interrupt being delivered
 * needs no EOI write (no other interrupt pending or in service, not a level-triggered IOAPIC
 * vector); the guest clears the mark in one atomic step and, if it was set, skips the EOI, which
 * the hypervisor then performs itself. Two interfaces share this protocol:
 *  - KVM PV-EOI (Documentation/virt/kvm/x86/msr.rst, MSR_KVM_PV_EOI_EN 0x4b564d04): bit 0 of a
 *    4-byte-aligned word; the guest test-and-clears that bit;
 *  - Hyper-V apic-assist (TLFS "Virtual interrupts", VP assist page, MSR 0x40000073): bit 0 of
 *    the page's first 32-bit word ("NoEOIRequired"); the guest exchanges the word with 0.
 * Consuming the mark and the MSR encodings are pure, so host unit tests pin them down.
 */
#ifndef LIB_X86_LAZY_EOI_H
#define LIB_X86_LAZY_EOI_H

#include "libcflat.h"
#include "msr.h"

#define LAZY_EOI_FLAG BIT(0)

enum lazy_eoi_kind {
	LAZY_EOI_KVM,    /* test-and-clear bit 0 */
	LAZY_EOI_HYPERV, /* exchange the word with 0, test bit 0 */
};

/* Consumes the mark: true when it was set (skip the EOI write), false when an EOI is due. */
static inline bool lazy_eoi_consume(enum lazy_eoi_kind kind, u32 *word)
{
	if (kind == LAZY_EOI_KVM)
		return __atomic_fetch_and(word, ~(u32)LAZY_EOI_FLAG, __ATOMIC_SEQ_CST) & LAZY_EOI_FLAG;
	return __atomic_exchange_n(word, 0, __ATOMIC_SEQ_CST) & LAZY_EOI_FLAG;
}

/* MSR_KVM_PV_EOI_EN: bit 0 enable, bit 1 reserved, bits 63:2 the word's address (4-aligned). */
#define KVM_MSR_ENABLED BIT_ULL(0)
#define KVM_PV_EOI_RESERVED BIT_ULL(1)

static inline u64 kvm_pv_eoi_msr(u64 gpa, bool enable)
{
	return gpa | (enable ? KVM_MSR_ENABLED : 0);
}

/* Whether KVM accepts the value (else WRMSR raises #GP): the address must be 4-byte aligned. */
static inline bool kvm_pv_eoi_msr_valid(u64 value)
{
	return (value & ~KVM_MSR_ENABLED & 3) == 0;
}

/* HV_X64_MSR_VP_ASSIST_PAGE: bit 0 enable, bits 11:1 reserved (preserve), bits 63:12 the page. */
#define HV_VP_ASSIST_ENABLE BIT_ULL(0)

static inline u64 hv_vp_assist_msr(u64 page_gpa, bool enable)
{
	return (page_gpa & ~0xfffull) | (enable ? HV_VP_ASSIST_ENABLE : 0);
}

/*
 * HV_X64_MSR_ICR (0x40000071): ICR bits 31:0 in the low dword; the destination in the high
 * dword as the APIC's mode has it: bits 63:56 (the xAPIC ICR2 layout) in xAPIC mode, all 32
 * bits in x2APIC mode.
 */
static inline u64 hv_icr(u32 icr, u32 dest, bool x2apic)
{
	return (u64)(x2apic ? dest : dest << 24) << 32 | icr;
}

#ifndef HOST_TEST
/* One lazy-EOI interface, as the shared checks drive it. */
struct lazy_eoi_ops {
	const char *name; /* "PV-EOI", "apic-assist" */
	enum lazy_eoi_kind kind;
	/* Turns lazy EOI on for this CPU with word as its mark; false if refused (#GP). */
	bool (*enable)(u32 *word);
	void (*disable)(void);
	/* The EOI write when one is due. */
	void (*eoi)(void);
};
#endif

#endif
