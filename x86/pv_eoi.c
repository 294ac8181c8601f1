/*
 * pv_eoi: KVM's PV-EOI (Documentation/virt/kvm/x86/msr.rst, MSR_KVM_PV_EOI_EN 0x4b564d04),
 * on every online CPU: enabling (address plus enable bit) reads back, disabling works, a
 * misaligned address or reserved bit 1 raises #GP; then the lazy-EOI checks it shares with
 * Hyper-V's apic-assist (lib/x86/lazy-eoi.c): whether it engages at all (offered but never
 * engaged is a FAIL of its own: that is what users of lazy EOI need to know), and that it stays
 * correct where it must not engage. Needs KVM with PV_EOI (CPUID 0x40000001 EAX bit 6): without
 * it every check is a SKIP saying so. pv_eoi.iterations=N sets the length of the loss checks.
 */
#include "libcflat.h"
#include "common/lazy-eoi-checks.h"
#include "desc.h"
#include "hypervisor.h"
#include "kvm.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"

const struct option program_options[] = {
	{ .name = "pv_eoi.iterations", .type = OPTION_UINT, .min = 1, .max = 1000000,
	  .def = "2000", .help = "how many IPIs each lazy-EOI loss check sends" },
	{}
};

static u32 *probe_word; /* by CPU number; 4-byte aligned as the MSR wants */

struct msr_result {
	int readback_bad, disable_bad, misaligned_no_gp, reserved_no_gp;
};

static void check_msr_here(void *arg)
{
	struct msr_result *r = arg;
	u64 addr = (u64)&probe_word[smp_processor_id()], v;

	if (wrmsr_safe(MSR_KVM_PV_EOI_EN, kvm_pv_eoi_msr(addr, true)) != NO_EXCEPTION ||
	    rdmsr_safe(MSR_KVM_PV_EOI_EN, &v) != NO_EXCEPTION || v != kvm_pv_eoi_msr(addr, true))
		atomic_inc(&r->readback_bad);
	if (wrmsr_safe(MSR_KVM_PV_EOI_EN, 0) != NO_EXCEPTION ||
	    rdmsr_safe(MSR_KVM_PV_EOI_EN, &v) != NO_EXCEPTION || v != 0)
		atomic_inc(&r->disable_bad);
	if (wrmsr_safe(MSR_KVM_PV_EOI_EN, kvm_pv_eoi_msr(addr + 2, true)) != GP_VECTOR)
		atomic_inc(&r->misaligned_no_gp);
	if (wrmsr_safe(MSR_KVM_PV_EOI_EN, kvm_pv_eoi_msr(addr, true) | KVM_PV_EOI_RESERVED) !=
	    GP_VECTOR)
		atomic_inc(&r->reserved_no_gp);
	wrmsr_safe(MSR_KVM_PV_EOI_EN, 0);
}

static void test_msr(void)
{
	struct msr_result r = { 0 };
	int n = cpu_count();

	report_prefix_push("msr");
	probe_word = alloc_per_cpu(sizeof(*probe_word));
	on_cpus(check_msr_here, &r);
	report(!r.readback_bad, "enabling (address | 1) reads back on all %d CPUs (%d differ)", n,
	       r.readback_bad);
	report(!r.disable_bad, "writing 0 disables it on all %d CPUs (%d did not)", n,
	       r.disable_bad);
	report(!r.misaligned_no_gp, "an address that is not 4-byte aligned raises #GP on all %d "
	       "CPUs (%d did not)", n, r.misaligned_no_gp);
	report(!r.reserved_no_gp, "reserved bit 1 raises #GP on all %d CPUs (%d did not)", n,
	       r.reserved_no_gp);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	struct hypervisor_leaves kvm = hypervisor_find(HV_SIGNATURE_KVM);
	u64 iterations = 0;

	if (!kvm.base) {
		report_skip("PV-EOI: not running under KVM (no KVMKVMKVM CPUID leaves)");
		return report_summary();
	}
	if (!(kvm_features() & KVM_FEATURE_PV_EOI)) {
		report_skip("PV-EOI: KVM does not offer KVM_FEATURE_PV_EOI (CPUID 0x%x EAX bit 6)",
			    kvm.base + KVM_CPUID_FEATURES);
		return report_summary();
	}
	smp_init();
	test_msr();
	option_number("pv_eoi.iterations", &iterations);
	lazy_eoi_checks(&kvm_pv_eoi_ops, iterations);
	return report_summary();
}
