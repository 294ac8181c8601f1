/*
 * KVM's paravirtual interfaces (Documentation/virt/kvm/x86/msr.rst, hypercalls.rst): PV-EOI
 * as a lazy-EOI interface, and hypercalls (VMCALL on Intel, VMMCALL on AMD; number in RAX,
 * arguments in RBX, RCX, RDX, RSI, result in RAX). Feature bits: hypervisor.h.
 */
#ifndef LIB_X86_KVM_H
#define LIB_X86_KVM_H

#include "libcflat.h"
#include "lazy-eoi.h"

#define KVM_HC_SEND_IPI 10
#define KVM_ENOSYS 1000
#define KVM_PV_IPI_WINDOW 128 /* two 64-bit bitmaps */

extern const struct lazy_eoi_ops kvm_pv_eoi_ops;

long kvm_hypercall4(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3);

#endif
