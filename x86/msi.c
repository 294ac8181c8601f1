/*
 * msi: message signalled interrupts from a PCI device reach exactly the CPUs the message
 * names, once, as what the message says. QEMU's edu device sends one MSI whenever asked; each
 * CPU counts what it receives. Covers: a fixed MSI in physical mode to every online CPU (8-bit
 * destinations); logical mode (x2APIC cluster 0 in x2APIC mode, flat logical IDs in xAPIC
 * mode); reprogramming the vector; the NMI delivery mode; nothing sent with MSI Enable clear
 * (the device falls back to INTx, which nothing routes here) or with Bus Master Enable clear
 * (an MSI is a memory write, which the function may not issue then).
 * Spec: SDM Vol. 3A "Message Signalled Interrupts"; PCI Local Bus Specification 3.0, MSI
 * capability and the Command register. Needs PCI (ACPI MCFG, pci.ecam= or ports 0xCF8/0xCFC)
 * and -device edu; without them it skips, saying which is missing. Destinations above APIC
 * ID 255 (the extended destination ID) are x86/ext_dest's.
 */
#include "libcflat.h"
#include "apic.h"
#include "delivery.h"
#include "desc.h"
#include "edu.h"
#include "hypervisor.h"
#include "msi.h"
#include "pci.h"
#include "processor.h"
#include "report.h"
#include "smp.h"

#define MSI_VECTOR 0x51
#define MSI_VECTOR_OTHER 0x92
#define XAPIC_FLAT_CPUS 8
#define LOGICAL_MULTICAST_BITS 7 /* never all of 0xff: that is the broadcast destination */

static struct edu edu;

static void raise_msi(void *unused)
{
	edu_raise(&edu);
}

/*
 * Programs the edu's MSI capability with msg, raises one interrupt and checks that exactly the
 * target CPUs took it, once each. Returns how many CPUs got it wrongly; the first few are named
 * with the source, the destination, the mode, the vector and the receiving APIC.
 */
static int raise_and_check(const struct msi_msg *msg, const struct targets *t)
{
	struct msi_fields f;
	char what[120];
	int bad;

	if (!msi_decode(msg, false, &f) || !edu_msi_enable(&edu, msg))
		report_abort("edu at " PCI_BDF_FMT ": cannot program MSI 0x%x/0x%x",
			     PCI_BDF_ARGS(edu.bdf), msg->address_lo, msg->data);
	snprintf(what, sizeof(what), "edu " PCI_BDF_FMT " MSI to %s dest 0x%x (%s, vector 0x%x)",
		 PCI_BDF_ARGS(edu.bdf), f.logical ? "logical" : "physical", f.dest,
		 msi_delivery_mode_name(f.delivery_mode), f.vector);
	bad = delivery_check(raise_msi, NULL,
			     f.delivery_mode == DM_NMI ? NMI_VECTOR : f.vector, t, what);
	edu_ack(&edu);
	return bad;
}

static struct msi_msg message(u32 dest, bool logical, u8 vector, u8 delivery_mode)
{
	struct msi_msg m;

	if (!msi_compose(dest, logical, vector, delivery_mode, false, false, &m))
		report_abort("MSI to dest 0x%x: does not fit an 8-bit destination", dest);
	return m;
}

/* A physical-destination MSI to cpu. */
static int send_to_cpu(u8 vector, u8 delivery_mode, int cpu)
{
	struct msi_msg m = message(cpu_to_apic_id(cpu), false, vector, delivery_mode);
	struct targets t;

	targets_clear(&t);
	targets_add(&t, cpu);
	return raise_and_check(&m, &t);
}

/* APIC ID 0xff is the broadcast destination and higher IDs need the extended destination ID. */
static bool addressable(int cpu)
{
	return cpu_to_apic_id(cpu) < MSI_DEST_MAX;
}

/* The addressable CPU with the highest APIC ID: a target other than the boot CPU if any. */
static int far_cpu(void)
{
	int best = 0;

	for (int cpu = 1; cpu < cpu_count(); cpu++)
		if (addressable(cpu) && cpu_to_apic_id(cpu) > cpu_to_apic_id(best))
			best = cpu;
	return best;
}

static void test_physical(void)
{
	int skipped = 0;

	report_prefix_push("physical");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 id = cpu_to_apic_id(cpu);

		if (!addressable(cpu)) {
			skipped++;
			continue;
		}
		report(!send_to_cpu(MSI_VECTOR, DM_FIXED, cpu),
		       "edu to apic 0x%x: vector 0x%x arrives once, there only", id, MSI_VECTOR);
	}
	if (skipped)
		report_info("%d CPUs at APIC ID 0xff or above not addressed: 0xff is the broadcast "
			    "destination, above it needs the extended destination ID", skipped);
	report_prefix_pop();
}

/* Sends to one logical destination; the targets are the CPUs whose logical IDs it names. */
static int send_logical(u32 dest, const u32 *ldr)
{
	struct msi_msg m = message(dest, true, MSI_VECTOR, DM_FIXED);
	struct targets t;

	targets_clear(&t);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (ldr[cpu] & dest)
			targets_add(&t, cpu);
	return raise_and_check(&m, &t);
}

/*
 * An 8-bit logical destination names, in x2APIC mode, cluster 0 (bits 31:16 zero) and its
 * members 0-7: the CPUs with APIC IDs 0-7 (SDM "Logical Destination Mode in x2APIC Mode").
 */
static void test_x2apic_logical(void)
{
	u32 *ldr = alloc_per_cpu(sizeof(*ldr));
	u32 multicast = 0;
	int members = 0, multicast_members = 0;

	report_prefix_push("logical");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 l = x2apic_ldr(cpu_to_apic_id(cpu));

		ldr[cpu] = l >> 16 ? 0 : l & 0xff;
	}
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (!ldr[cpu])
			continue;
		members++;
		report(!send_logical(ldr[cpu], ldr),
		       "dest 0x%x (x2APIC cluster 0) reaches apic 0x%x once, there only", ldr[cpu],
		       cpu_to_apic_id(cpu));
		if (ldr[cpu] < BIT(LOGICAL_MULTICAST_BITS)) {
			multicast |= ldr[cpu];
			multicast_members++;
		}
	}
	if (multicast_members > 1)
		report(!send_logical(multicast, ldr),
		       "dest 0x%x reaches the %d CPUs of x2APIC cluster 0 it names, once each",
		       multicast, multicast_members);
	if (members < cpu_count())
		report_info("%d CPUs outside x2APIC cluster 0 members 0-7: no 8-bit logical "
			    "destination names them", cpu_count() - members);
	report_prefix_pop();
}

/* Flat model: each of the first 8 CPUs owns one bit of the 8-bit logical ID. */
static void test_xapic_logical(void)
{
	struct xapic_logical l = { .dfr = APIC_DFR_FLAT, .ldr = alloc_per_cpu(sizeof(*l.ldr)) };
	u32 *ldr = alloc_per_cpu(sizeof(*ldr));
	int flat_cpus = MIN(cpu_count(), XAPIC_FLAT_CPUS);
	u32 multicast = BIT(MIN(flat_cpus, LOGICAL_MULTICAST_BITS)) - 1;

	report_prefix_push("logical");
	for (int cpu = 0; cpu < flat_cpus; cpu++) {
		l.ldr[cpu] = xapic_flat_ldr(cpu);
		ldr[cpu] = l.ldr[cpu] >> 24;
	}
	on_cpus(xapic_set_logical_id, &l);
	for (int cpu = 0; cpu < flat_cpus; cpu++)
		report(!send_logical(ldr[cpu], ldr),
		       "flat dest 0x%x reaches apic 0x%x once, there only", ldr[cpu],
		       cpu_to_apic_id(cpu));
	if (flat_cpus > 1)
		report(!send_logical(multicast, ldr),
		       "flat dest 0x%x reaches the %d CPUs it names, once each", multicast,
		       MIN(flat_cpus, LOGICAL_MULTICAST_BITS));
	if (flat_cpus < cpu_count())
		report_info("%d CPUs beyond the %d of the flat model: no logical ID set",
			    cpu_count() - flat_cpus, XAPIC_FLAT_CPUS);
	/* Leave logical mode as start-up had it. */
	memset(l.ldr, 0, cpu_count() * sizeof(*l.ldr));
	on_cpus(xapic_set_logical_id, &l);
	report_prefix_pop();
}

static void test_vector_change(void)
{
	static const u8 vectors[] = { MSI_VECTOR, MSI_VECTOR_OTHER, MSI_VECTOR };
	int cpu = far_cpu();
	u32 id = cpu_to_apic_id(cpu);

	report_prefix_push("vectors");
	for (size_t i = 0; i < ARRAY_SIZE(vectors); i++)
		report(!send_to_cpu(vectors[i], DM_FIXED, cpu),
		       "reprogrammed to vector 0x%x: it arrives at apic 0x%x once, there only",
		       vectors[i], id);
	report_prefix_pop();
}

static void test_msi_disabled(void)
{
	int cpu = far_cpu();
	u32 id = cpu_to_apic_id(cpu);
	struct msi_msg m = message(id, false, MSI_VECTOR, DM_FIXED);
	struct targets none, one;
	char what[80];
	int bad;

	report_prefix_push("msi disabled");
	targets_clear(&none);
	targets_clear(&one);
	targets_add(&one, cpu);
	/* Programmed, then disabled: the edu raises INTx instead, which nothing routes here. */
	if (!edu_msi_enable(&edu, &m))
		report_abort("edu: cannot program its MSI capability");
	edu_msi_disable(&edu);
	snprintf(what, sizeof(what), "edu " PCI_BDF_FMT " with MSI Enable clear (vector 0x%x)",
		 PCI_BDF_ARGS(edu.bdf), MSI_VECTOR);
	bad = delivery_check(raise_msi, NULL, MSI_VECTOR, &none, what);
	edu_ack(&edu);
	report(!bad, "with MSI Enable clear, no MSI for apic 0x%x (vector 0x%x) arrives anywhere",
	       id, MSI_VECTOR);
	report(!raise_and_check(&m, &one),
	       "with MSI Enable set again, vector 0x%x arrives at apic 0x%x once, there only",
	       MSI_VECTOR, id);
	report_prefix_pop();
}

static void test_nmi(void)
{
	int targets = 0, bad = 0;

	report_prefix_push("nmi");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (!addressable(cpu))
			continue;
		targets++;
		bad += send_to_cpu(0, DM_NMI, cpu) != 0;
	}
	report(!bad, "an MSI with delivery mode NMI reaches each of %d CPUs as an NMI, once, "
	       "there only (%d wrong)", targets, bad);
	report_prefix_pop();
}

static void test_bus_master_off(void)
{
	int cpu = far_cpu();
	u32 id = cpu_to_apic_id(cpu);
	struct msi_msg m = message(id, false, MSI_VECTOR, DM_FIXED);
	struct targets none, one;
	int bad;

	report_prefix_push("bus master");
	targets_clear(&none);
	targets_clear(&one);
	targets_add(&one, cpu);
	pci_update_command(edu.bdf, 0, PCI_COMMAND_MASTER);
	bad = raise_and_check(&m, &none);
	pci_update_command(edu.bdf, PCI_COMMAND_MASTER, 0);
	report(!bad, "an MSI from a device with bus mastering off is not delivered "
	       "(apic 0x%x, vector 0x%x)", id, MSI_VECTOR);
	report(!raise_and_check(&m, &one),
	       "with bus mastering on again, vector 0x%x arrives at apic 0x%x once, there only",
	       MSI_VECTOR, id);
	report_prefix_pop();
}

/* The PCI access and the edu; false (after a SKIP saying what is missing) without them. */
static bool find_edu(void)
{
	char why[400];

	if (!pci_init(why, sizeof(why))) {
		report_skip("MSI from the edu device: no PCI: %s", why);
		return false;
	}
	report_info("pci: %s", why);
	if (!edu_find(&edu)) {
		report_skip("MSI from the edu device: no edu device (PCI %04x:%04x; -device edu)",
			    EDU_VENDOR_ID, EDU_DEVICE_ID);
		return false;
	}
	if (!edu_setup(&edu, why, sizeof(why)))
		report_abort("%s", why);
	report_info("edu at " PCI_BDF_FMT ", BAR0 at 0x%lx, id 0x%08x", PCI_BDF_ARGS(edu.bdf),
		    edu.mmio, edu.id);
	return true;
}

int main(int argc, char **argv)
{
	const struct smp_startup *s = smp_init();
	bool x2apic = apic_is_x2apic();

	report_info("%d CPUs online, %s mode", s->online, this_cpu()->apic->name);
	report_info("KVM_FEATURE_MSI_EXT_DEST_ID %s (not used here)",
		    kvm_features() & KVM_FEATURE_MSI_EXT_DEST_ID ? "offered" : "not offered");
	if (!find_edu())
		return report_summary();
	delivery_watch(MSI_VECTOR);
	delivery_watch(MSI_VECTOR_OTHER);
	delivery_watch_nmi();
	irq_enable();
	test_physical();
	if (x2apic)
		test_x2apic_logical();
	else
		test_xapic_logical();
	test_vector_change();
	test_msi_disabled();
	test_nmi();
	test_bus_master_off();
	edu_msi_disable(&edu);
	return report_summary();
}
