/*
 * pv_ipi: KVM's paravirtual send-IPI hypercall (Documentation/virt/kvm/x86/hypercalls.rst,
 * KVM_HC_SEND_IPI: a0/a1 a 128-bit bitmap of APIC IDs from a2 up, a3 the ICR's low bits;
 * returns how many CPUs it reached) aimed at CPUs above APIC ID 255 where there are any:
 * each CPU in the bitmap takes the IPI once and nobody else does, the return value counts
 * them, and a minimum ID above every APIC ID reaches nobody and returns 0. A hypercall can stop
 * the vCPU that makes it (this project's development host hangs in it), so an AP makes it while
 * the boot CPU watches with a timeout: a hang is a FAIL naming the AP, and the test goes on.
 * Needs KVM with PV_SEND_IPI (CPUID 0x40000001 EAX bit 11); without it every check is a SKIP.
 */
#include "libcflat.h"
#include "apic.h"
#include "delivery.h"
#include "hypervisor.h"
#include "kvm.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define IPI_VECTOR 0x82
#define HYPERCALL_TIMEOUT_US 2000000ull

struct pv_ipi_call {
	u64 bitmap[2];
	u32 min;
	u32 icr;
	long ret;
	int returned;
};

static int caller = -1;
static bool caller_hung;

static void make_hypercall(void *arg)
{
	struct pv_ipi_call *c = arg;

	c->ret = kvm_hypercall4(KVM_HC_SEND_IPI, c->bitmap[0], c->bitmap[1], c->min, c->icr);
	atomic_set(&c->returned, 1);
}

/* Runs on the boot CPU as delivery_check's sender: the AP calls, the boot CPU waits. */
static void send_from_ap(void *arg)
{
	struct pv_ipi_call *c = arg;

	atomic_set(&c->returned, 0);
	if (caller_hung || !on_cpu_async(caller, make_hypercall, c))
		return;
	if (!wait_count(&c->returned, 1, HYPERCALL_TIMEOUT_US))
		caller_hung = true;
}

static void test_bitmap(void)
{
	struct pv_ipi_call call = { .icr = APIC_DM_FIXED | IPI_VECTOR };
	struct targets t;
	u32 min = ~0u;
	int bad;

	/* The window starts at the lowest APIC ID above 255 (else the lowest of the APs). */
	for (int cpu = 1; cpu < cpu_count(); cpu++)
		if (cpu_to_apic_id(cpu) > 0xff)
			min = MIN(min, cpu_to_apic_id(cpu));
	if (min == ~0u) {
		report_info("no CPU above APIC ID 255: the bitmap starts at the lowest AP");
		for (int cpu = 1; cpu < cpu_count(); cpu++)
			min = MIN(min, cpu_to_apic_id(cpu));
	}
	call.min = min;
	targets_clear(&t);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 id = cpu_to_apic_id(cpu);

		if (id >= min && id < min + KVM_PV_IPI_WINDOW) {
			call.bitmap[(id - min) / 64] |= 1ull << ((id - min) % 64);
			targets_add(&t, cpu);
		}
	}
	bad = delivery_check(send_from_ap, &call, IPI_VECTOR, &t, "KVM_HC_SEND_IPI");
	if (caller_hung) {
		report_fail("KVM_HC_SEND_IPI made by apic 0x%x did not return within %llu ms: that "
			    "vCPU hangs in the hypercall", cpu_to_apic_id(caller),
			    HYPERCALL_TIMEOUT_US / 1000);
		return;
	}
	report(!bad, "a bitmap of %d CPUs from apic 0x%x: each takes the IPI once, nobody else",
	       t.count, min);
	report(call.ret == t.count, "the hypercall returns the number of CPUs reached (%ld, "
	       "expected %d)", call.ret, t.count);
}

static void test_min_above_all(void)
{
	struct pv_ipi_call call = { .bitmap = { ~0ull, ~0ull }, .min = ~0u,
				    .icr = APIC_DM_FIXED | IPI_VECTOR };
	struct targets nobody;
	int bad;

	if (caller_hung) {
		report_skip("a bitmap above every APIC ID: apic 0x%x hangs in the hypercall",
			    cpu_to_apic_id(caller));
		return;
	}
	targets_clear(&nobody);
	bad = delivery_check(send_from_ap, &call, IPI_VECTOR, &nobody, "KVM_HC_SEND_IPI min ~0");
	if (caller_hung) {
		report_fail("KVM_HC_SEND_IPI made by apic 0x%x did not return within %llu ms",
			    cpu_to_apic_id(caller), HYPERCALL_TIMEOUT_US / 1000);
		return;
	}
	report(!bad && call.ret == 0,
	       "a bitmap starting above every APIC ID reaches nobody and returns 0 (%ld)", call.ret);
}

int main(int argc, char **argv)
{
	struct hypervisor_leaves kvm = hypervisor_find(HV_SIGNATURE_KVM);

	if (!kvm.base || !(kvm_features() & KVM_FEATURE_PV_SEND_IPI)) {
		report_skip("KVM_HC_SEND_IPI: %s", kvm.base ?
			    "KVM does not offer KVM_FEATURE_PV_SEND_IPI (CPUID 0x40000001 EAX bit 11)" :
			    "not running under KVM (no KVMKVMKVM CPUID leaves)");
		return report_summary();
	}
	smp_init();
	if (cpu_count() < 3) {
		report_skip("KVM_HC_SEND_IPI: needs 3 CPUs (a caller, a watcher and a target)");
		return report_summary();
	}
	/* The caller: an AP that is not the highest, so the highest can be a target. */
	caller = cpu_with_highest_apic_id() == 1 ? 2 : 1;
	delivery_watch(IPI_VECTOR);
	irq_enable();
	report_prefix_push("send ipi");
	test_bitmap();
	test_min_above_all();
	report_prefix_pop();
	return report_summary();
}
