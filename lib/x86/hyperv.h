/*
 * Hyper-V's synthetic interfaces (Hyper-V Top-Level Functional Specification, "Feature and
 * Interface Discovery", "Virtual Interrupts", "Virtual Processor Assist Page"): CPUID leaves,
 * the guest OS ID, the VP index, the synthetic EOI, ICR and TPR MSRs, and apic-assist as a
 * lazy-EOI interface. Encodings: lazy-eoi.h.
 */
#ifndef LIB_X86_HYPERV_H
#define LIB_X86_HYPERV_H

#include "libcflat.h"
#include "msr.h"
#include "lazy-eoi.h"

#define HYPERV_CPUID_INTERFACE 0x40000001u /* EAX "Hv#1" */
#define HYPERV_INTERFACE_HV1 0x31237648u
#define HYPERV_CPUID_FEATURES 0x40000003u
#define HYPERV_CPUID_HINTS 0x40000004u
#define HYPERV_CPUID_LIMITS 0x40000005u
#define HV_MSR_APIC_ACCESS_AVAILABLE BIT(4) /* features EAX: EOI, ICR, TPR, VP assist MSRs */
#define HV_MSR_VP_INDEX_AVAILABLE BIT(6)
#define HV_X64_APIC_ACCESS_RECOMMENDED BIT(3) /* hints EAX */

/* An open-source guest OS ID (bit 63) that names no real OS. */
#define HV_GUEST_OS_ID_TEST (BIT_ULL(63) | 0x0f00ull << 48)

extern const struct lazy_eoi_ops hyperv_apic_assist_ops;

void hyperv_eoi(void);

#endif
