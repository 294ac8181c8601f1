#include "kvm.h"
#include "apic.h"
#include "desc.h"
#include "processor.h"

static bool pv_eoi_enable(u32 *word)
{
	return wrmsr_safe(MSR_KVM_PV_EOI_EN, kvm_pv_eoi_msr((u64)word, true)) == NO_EXCEPTION;
}

static void pv_eoi_disable(void)
{
	wrmsr(MSR_KVM_PV_EOI_EN, 0);
}

const struct lazy_eoi_ops kvm_pv_eoi_ops = {
	.name = "PV-EOI",
	.kind = LAZY_EOI_KVM,
	.enable = pv_eoi_enable,
	.disable = pv_eoi_disable,
	.eoi = apic_eoi,
};

static bool is_amd(void)
{
	struct cpuid v = cpuid(0);

	/* "AuthenticAMD" and "HygonGenuine" use VMMCALL */
	return (v.b == 0x68747541 && v.d == 0x69746e65) || v.b == 0x6f677948;
}

long kvm_hypercall4(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3)
{
	long ret;

	if (is_amd())
		asm volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			     : "memory");
	else
		asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			     : "memory");
	return ret;
}
