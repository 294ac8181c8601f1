/*
 * Which hypervisor we run under, from the CPUID hypervisor leaves (0x40000000 and up, in
 * steps of 0x100: KVM moves to 0x40000100 when Hyper-V's leaves come first). One place for
 * every test that needs KVM's or Hyper-V's feature leaves.
 */
#ifndef LIB_X86_HYPERVISOR_H
#define LIB_X86_HYPERVISOR_H

#include "libcflat.h"

#define CPUID_HYPERVISOR_BASE 0x40000000u
#define CPUID_1_ECX_HYPERVISOR BIT(31)
#define HV_SIGNATURE_KVM "KVMKVMKVM\0\0\0"
#define HV_SIGNATURE_HYPERV "Microsoft Hv"

struct hypervisor_leaves {
	u32 base;     /* the leaf holding the signature; 0 when not found */
	u32 max_leaf; /* from EAX of the base leaf */
	char signature[13];
};

#define KVM_CPUID_FEATURES 1 /* leaf offset from the KVM base */
#define KVM_FEATURE_PV_EOI BIT(6)
#define KVM_FEATURE_PV_SEND_IPI BIT(11)
#define KVM_FEATURE_MSI_EXT_DEST_ID BIT(15)
#define HYPERV_CPUID_VIRT_STACK_INTERFACE 0x40000081u /* EAX "VS#1" */
#define HYPERV_VS1_SIGNATURE 0x31235356u
#define HYPERV_CPUID_VIRT_STACK_PROPERTIES 0x40000082u
#define HYPERV_VS1_EXT_DEST_ID BIT(2) /* extended IOAPIC RTE */

/* The first hypervisor leaf block, whatever its signature; base 0 if there is none. */
struct hypervisor_leaves hypervisor_first(void);
/* The block whose 12-byte signature matches; base 0 if there is none. */
struct hypervisor_leaves hypervisor_find(const char signature[12]);
/* KVM's feature bits (CPUID base + 1, EAX), 0 when not under KVM. */
u32 kvm_features(void);
/*
 * Who offers the extended destination ID (destination bits 14:8 in MSI address bits 11:5 and
 * IOAPIC RTE bits 55:49): "KVM", "Hyper-V", or NULL when nobody does.
 */
const char *ext_dest_id_offered_by(void);

#endif
