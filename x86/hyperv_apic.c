/*
 * hyperv_apic: Hyper-V's synthetic APIC interface (TLFS "Virtual Interrupts", "Virtual
 * Processor Assist Page"): discovery (CPUID 0x40000000 "Microsoft Hv", interface "Hv#1",
 * features 0x40000003, hints 0x40000004 with "APIC access recommended", limits 0x40000005),
 * the guest OS ID set before use, the VP index of each CPU, the synthetic TPR, ICR (in the
 * xAPIC-style layout in xAPIC mode, 32-bit destination in x2APIC mode) and EOI MSRs behaving
 * as their architectural counterparts, and apic-assist lazy EOI through the VP assist page
 * under the checks it shares with KVM's PV-EOI (lib/x86/lazy-eoi.c). Without Hyper-V's CPUID
 * leaves every check is a SKIP saying so; the encodings are also pinned by host unit tests.
 */
#include "libcflat.h"
#include "common/lazy-eoi-checks.h"
#include "apic.h"
#include "delivery.h"
#include "desc.h"
#include "hyperv.h"
#include "hypervisor.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define IPI_VECTOR 0x81

const struct option program_options[] = {
	{ .name = "hyperv.iterations", .type = OPTION_UINT, .min = 1, .max = 1000000,
	  .def = "500", .help = "how many IPIs each lazy-EOI loss check sends" },
	{}
};

static bool x2apic;
static u32 *vp_index; /* by CPU number */
static int vp_index_faults;

static void read_vp_index(void *unused)
{
	u64 v = ~0ull;

	if (rdmsr_safe(HV_X64_MSR_VP_INDEX, &v) != NO_EXCEPTION)
		atomic_inc(&vp_index_faults);
	vp_index[smp_processor_id()] = v;
}

static void test_vp_index(u32 features, u32 max_vps)
{
	int bad = 0;

	report_prefix_push("vp index");
	if (!(features & HV_MSR_VP_INDEX_AVAILABLE)) {
		report_skip("VP index: not offered (0x40000003 EAX bit 6)");
		report_prefix_pop();
		return;
	}
	vp_index = alloc_per_cpu(sizeof(*vp_index));
	on_cpus(read_vp_index, NULL);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		for (int other = 0; other < cpu; other++)
			bad += vp_index[cpu] == vp_index[other];
	report(!vp_index_faults, "HV_X64_MSR_VP_INDEX reads on all %d CPUs (%d faulted)",
	       cpu_count(), vp_index_faults);
	report(!bad, "VP indexes are unique (%d duplicates)", bad);
	if (max_vps) {
		bad = 0;
		for (int cpu = 0; cpu < cpu_count(); cpu++)
			bad += vp_index[cpu] >= max_vps;
		report(!bad, "every VP index is below the limit of %u VPs (%d are not)", max_vps,
		       bad);
	}
	report_prefix_pop();
}

static void test_tpr(void)
{
	u64 v = 0;
	u32 tpr;
	int vector;

	report_prefix_push("tpr");
	wrmsr(HV_X64_MSR_TPR, 0x20);
	tpr = apic_read(APIC_TPR);
	vector = rdmsr_safe(HV_X64_MSR_TPR, &v);
	report(tpr == 0x20 && vector == NO_EXCEPTION && v == 0x20,
	       "HV_X64_MSR_TPR writes the APIC's TPR and reads it back (TPR 0x%x, MSR 0x%lx)", tpr,
	       v);
	apic_write(APIC_TPR, 0x30);
	report(rdmsr(HV_X64_MSR_TPR) == 0x30, "HV_X64_MSR_TPR reads what the APIC's TPR holds");
	wrmsr(HV_X64_MSR_TPR, 0);
	report_prefix_pop();
}

struct hv_ipi {
	u32 dest;
};

static void send_hv_icr(void *arg)
{
	wrmsr(HV_X64_MSR_ICR, hv_icr(APIC_DM_FIXED | IPI_VECTOR, ((struct hv_ipi *)arg)->dest,
				      x2apic));
}

static void test_icr(void)
{
	struct targets t;
	struct hv_ipi ipi;

	report_prefix_push("icr");
	for (int cpu = 0; cpu < MIN(cpu_count(), 2); cpu++) {
		targets_clear(&t);
		targets_add(&t, cpu);
		ipi.dest = cpu_to_apic_id(cpu);
		report(!delivery_check(send_hv_icr, &ipi, IPI_VECTOR, &t, "HV_X64_MSR_ICR"),
		       "HV_X64_MSR_ICR (%s layout) sends a fixed IPI to apic 0x%x, once",
		       x2apic ? "x2APIC" : "xAPIC", ipi.dest);
	}
	report_prefix_pop();
}

static int eoi_taken;

static void hv_eoi_handler(struct ex_regs *regs)
{
	atomic_inc(&eoi_taken);
	hyperv_eoi();
}

static void test_eoi(void)
{
	report_prefix_push("eoi");
	set_handler(IPI_VECTOR, hv_eoi_handler);
	atomic_set(&eoi_taken, 0);
	for (int i = 1; i <= 3; i++) {
		apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | IPI_VECTOR, 0);
		wait_count(&eoi_taken, i, DELIVERY_TIMEOUT_US);
	}
	report(atomic_read(&eoi_taken) == 3,
	       "HV_X64_MSR_EOI ends interrupts: 3 self IPIs in a row arrive (%d did)",
	       atomic_read(&eoi_taken));
	report(!apic_isr_set(IPI_VECTOR),
	       "nothing is left in service after HV_X64_MSR_EOI");
	delivery_watch(IPI_VECTOR);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	struct hypervisor_leaves hv = hypervisor_find(HV_SIGNATURE_HYPERV);
	u64 iterations = 0;
	u32 features, hints, max_vps;
	u64 os_id = 0;

	if (!hv.base) {
		report_skip("Hyper-V synthetic APIC: no Hyper-V CPUID leaves (no \"Microsoft Hv\" "
			    "signature from 0x40000000 on)");
		return report_summary();
	}
	if (cpuid(HYPERV_CPUID_INTERFACE).a != HYPERV_INTERFACE_HV1) {
		report_skip("Hyper-V synthetic APIC: the interface signature is not \"Hv#1\"");
		return report_summary();
	}
	features = cpuid(HYPERV_CPUID_FEATURES).a;
	hints = cpuid(HYPERV_CPUID_HINTS).a;
	max_vps = hv.max_leaf >= HYPERV_CPUID_LIMITS ? cpuid(HYPERV_CPUID_LIMITS).a : 0;
	report_info("Hyper-V: features 0x%x, hints 0x%x (APIC access %srecommended), up to %u VPs",
		    features, hints, hints & HV_X64_APIC_ACCESS_RECOMMENDED ? "" : "not ", max_vps);
	smp_init();
	x2apic = apic_is_x2apic();
	delivery_watch(IPI_VECTOR);
	irq_enable();

	if (wrmsr_safe(HV_X64_MSR_GUEST_OS_ID, HV_GUEST_OS_ID_TEST) != NO_EXCEPTION ||
	    rdmsr_safe(HV_X64_MSR_GUEST_OS_ID, &os_id) != NO_EXCEPTION)
		os_id = 0;
	report(os_id == HV_GUEST_OS_ID_TEST, "the guest OS ID is set and reads back (0x%lx)", os_id);
	test_vp_index(features, max_vps);
	if (!(features & HV_MSR_APIC_ACCESS_AVAILABLE)) {
		report_skip("synthetic EOI, ICR, TPR and VP assist MSRs: not offered (0x40000003 "
			    "EAX bit 4)");
		return report_summary();
	}
	test_tpr();
	test_icr();
	test_eoi();
	option_number("hyperv.iterations", &iterations);
	lazy_eoi_checks(&hyperv_apic_assist_ops, iterations);
	return report_summary();
}
