/*
 * Every MSR index the kernel uses, in one place, named as the SDM (Vol. 4, "Model-Specific
 * Registers"), KVM's documentation (Documentation/virt/kvm/x86/msr.rst) and the Hyper-V TLFS
 * ("Virtual Processor Register" and "Virtual Interrupts" sections) name them. Plain #defines,
 * so the assembly entry code includes it too.
 */
#ifndef LIB_X86_MSR_H
#define LIB_X86_MSR_H

/* Architectural */
#define MSR_IA32_APICBASE 0x0000001b
#define MSR_EFER 0xc0000080
#define MSR_GS_BASE 0xc0000101

/* x2APIC: MSR_X2APIC_BASE + (xAPIC register offset >> 4), 0x800-0x8ff (SDM 11.12.1.2). */
#define MSR_X2APIC_BASE 0x800
#define MSR_X2APIC_LAST 0x8ff
#define MSR_X2APIC_LVT_CMCI 0x82f

/* KVM */
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define MSR_KVM_PV_EOI_EN 0x4b564d04

/* Hyper-V */
#define HV_X64_MSR_GUEST_OS_ID 0x40000000
#define HV_X64_MSR_VP_INDEX 0x40000002
#define HV_X64_MSR_EOI 0x40000070
#define HV_X64_MSR_ICR 0x40000071
#define HV_X64_MSR_TPR 0x40000072
#define HV_X64_MSR_VP_ASSIST_PAGE 0x40000073

#endif
