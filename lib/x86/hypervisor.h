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

/* The first hypervisor leaf block, whatever its signature; base 0 if there is none. */
struct hypervisor_leaves hypervisor_first(void);
/* The block whose 12-byte signature matches; base 0 if there is none. */
struct hypervisor_leaves hypervisor_find(const char signature[12]);

#endif
