/*
 * ext_dest: device interrupts reach CPUs above APIC ID 255 through the extended destination ID.
 * Without interrupt remapping an IOAPIC RTE or an MSI names 8 bits of destination; KVM
 * (CPUID 0x40000001 EAX bit 15, KVM_FEATURE_MSI_EXT_DEST_ID) and Hyper-V (CPUID 0x40000082 EAX
 * bit 2) let the guest put destination bits 14:8 in RTE bits 55:49 and MSI address bits 11:5.
 * For every online CPU above APIC ID 255, and a sample at or below it, an IOAPIC pin (edge, and
 * level where the local APIC keeps interrupts in service until their EOI, without which a level
 * line may fire twice and "once" cannot be judged) and an edu MSI aimed at that CPU must
 * arrive exactly once, at exactly that CPU, with the right vector. Without the feature the
 * targets above 255 are skipped with the reason, those up to 255 still checked, and INFO lines
 * say where an interrupt aimed above 255 with only its low 8 bits lands: the hypervisor's
 * behaviour, not a conformance failure.
 * Sources: QEMU's pc-testdev (ISA line 14) and edu (MSI on demand); each is skipped, with the
 * reason, when absent. Spec: interrupt-reference sections 4.3 and 5.2; Linux and QEMU's
 * encoding of the KVM extended destination ID.
 */
#include "libcflat.h"
#include "apic.h"
#include "delivery.h"
#include "edu.h"
#include "hypervisor.h"
#include "ioapic.h"
#include "msi.h"
#include "pc-testdev.h"
#include "pci.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "tsc.h"

#define EDGE_VECTOR 0x51
#define LEVEL_VECTOR 0x52
#define MSI_VECTOR 0x61
#define PROBE_VECTOR 0x63
#define LEVEL_SETTLE_US 2000 /* a second delivery of a level line would show within this */

static const char *offered_by;
static struct ioapic *io;
static u32 pin;
static bool testdev, in_service_ok;
static struct edu edu;
static bool edu_ok;

/*
 * A level line stays raised until the handler lowers it: a second delivery, if the
 * hypervisor makes one, comes within LEVEL_SETTLE_US, inside the check's counting window.
 */
static void raise_line_and_settle(void *unused)
{
	pc_testdev_raise(NULL);
	udelay(LEVEL_SETTLE_US);
}

/* Before a level interrupt's EOI: mask the pin, so nothing can re-fire, and lower the line. */
static void quiet_line(void)
{
	ioapic_set_masked(io, pin, true);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
}

static void raise_msi(void *unused)
{
	edu_raise(&edu);
}

static void ack_msi(void)
{
	edu_ack(&edu);
}

static bool aim_pin(u32 dest, bool level, bool ext)
{
	struct ioapic_rte r = { .vector = level ? LEVEL_VECTOR : EDGE_VECTOR, .level = level,
				.dest = dest };
	u64 raw;

	if (!ioapic_rte_encode(&r, ext, &raw))
		return false;
	ioapic_write_rte(io, pin, raw);
	return true;
}

static bool aim_msi(u32 dest, bool ext)
{
	struct msi_msg msg;

	return msi_compose(dest, false, MSI_VECTOR, DM_FIXED, false, ext, &msg) &&
	       edu_msi_enable(&edu, &msg);
}

static void check_ioapic(int cpu, bool level)
{
	u32 id = cpu_to_apic_id(cpu);
	bool ext = id > 0xff;
	struct targets t;
	char what[96];
	int bad;

	targets_clear(&t);
	targets_add(&t, cpu);
	snprintf(what, sizeof(what), "IOAPIC pin %u (%s, vector 0x%x) aimed at apic 0x%x", pin,
		 level ? "level" : "edge", level ? LEVEL_VECTOR : EDGE_VECTOR, id);
	if (!aim_pin(id, level, ext)) {
		report_fail("%s: the destination does not fit an RTE", what);
		return;
	}
	bad = delivery_check(level ? raise_line_and_settle : pc_testdev_pulse, NULL,
			     level ? LEVEL_VECTOR : EDGE_VECTOR, &t, what);
	ioapic_set_masked(io, pin, true);
	report(!bad, "%s%s: arrives once, there only", what, ext ? " (extended destination)" : "");
}

static void check_msi(int cpu)
{
	u32 id = cpu_to_apic_id(cpu);
	bool ext = id > 0xff;
	struct targets t;
	char what[96];

	targets_clear(&t);
	targets_add(&t, cpu);
	snprintf(what, sizeof(what), "edu MSI (vector 0x%x) aimed at apic 0x%x", MSI_VECTOR, id);
	if (!aim_msi(id, ext)) {
		report_fail("%s: the destination does not fit an MSI, or MSI would not enable", what);
		return;
	}
	report(!delivery_check(raise_msi, NULL, MSI_VECTOR, &t, what),
	       "%s%s: arrives once, there only", what, ext ? " (extended destination)" : "");
	edu_msi_disable(&edu);
}

static void check_cpu(int cpu)
{
	report_prefix_pushf("apic 0x%x", cpu_to_apic_id(cpu));
	if (testdev) {
		check_ioapic(cpu, false);
		if (in_service_ok)
			check_ioapic(cpu, true);
	}
	if (edu_ok)
		check_msi(cpu);
	report_prefix_pop();
}

/* Who takes an interrupt aimed at a CPU above 255 with only the low 8 bits of its ID. */
static void show_landing(const char *source, void (*send)(void *), u8 vector, u32 id)
{
	char where[128] = "";
	int n = 0, takers = 0;

	delivery_observe(send, NULL, vector);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (!delivery_count(cpu, vector))
			continue;
		/* Name the first few; a broadcast would reach them all. */
		if (n < (int)sizeof(where) - 24)
			n += snprintf(where + n, sizeof(where) - n, " apic 0x%x", cpu_to_apic_id(cpu));
		takers++;
	}
	report_info("%s aimed at apic 0x%x with its low 8 bits only (0x%x): %s%s (%d CPUs)", source,
		    id, id & 0xff, takers ? "taken by" : "dropped", where, takers);
}

static void show_landings(u32 id)
{
	if (testdev && aim_pin(id & 0xff, false, false)) {
		show_landing("IOAPIC edge pin", pc_testdev_pulse, EDGE_VECTOR, id);
		ioapic_set_masked(io, pin, true);
	}
	if (edu_ok && aim_msi(id & 0xff, false)) {
		show_landing("edu MSI", raise_msi, MSI_VECTOR, id);
		edu_msi_disable(&edu);
	}
}

static void test_without_feature(int above)
{
	u32 lowest = ~0u, highest = 0;

	report_skip("%d CPUs above APIC ID 255: no extended destination ID (neither KVM's "
		    "MSI_EXT_DEST_ID nor Hyper-V's extended IOAPIC RTE in CPUID), so no device "
		    "interrupt can address them", above);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu_to_apic_id(cpu) > 0xff) {
			lowest = MIN(lowest, cpu_to_apic_id(cpu));
			highest = MAX(highest, cpu_to_apic_id(cpu));
		}
	/* Where the lowest and the highest CPU above 255 would get their interrupts instead. */
	report_prefix_push("without ext dest");
	show_landings(lowest);
	if (highest != lowest)
		show_landings(highest);
	report_prefix_pop();
}

/* The sources; each one missing is a SKIP that names it. */
static void find_sources(void)
{
	char why[160];
	u16 flags;
	struct in_service s;

	if (!ioapic_init(why, sizeof(why)))
		report_skip("IOAPIC sources: %s", why);
	else if (!(testdev = pc_testdev_present()))
		report_skip("IOAPIC sources: no pc-testdev (QEMU -device pc-testdev)");
	else if (!(io = ioapic_for_gsi(ioapic_isa_irq_to_gsi(PC_TESTDEV_FREE_LINE, &flags), &pin)))
		report_abort("no IOAPIC pin for ISA line %d", PC_TESTDEV_FREE_LINE);
	if (!pci_init(why, sizeof(why)))
		report_skip("MSI source: no PCI: %s", why);
	else if (!edu_find(&edu))
		report_skip("MSI source: no edu device (QEMU -device edu)");
	else if (!(edu_ok = edu_setup(&edu, why, sizeof(why))))
		report_fail("MSI source: the edu device cannot be used: %s", why);
	s = delivery_probe_in_service(PROBE_VECTOR);
	in_service_ok = in_service_held(&s, PROBE_VECTOR);
	if (testdev && !in_service_ok)
		report_skip("IOAPIC level pins: the local APIC does not keep an accepted interrupt in "
			    "service (ISR 0x%x, PPR 0x%x in its handler: the x2apic and ioapic tests "
			    "report it), so a level line may fire again at the EOI and \"once\" "
			    "cannot be judged", s.isr_in_handler, s.ppr_in_handler);
}

int main(int argc, char **argv)
{
	int above = 0, sample_low = -1;

	smp_init();
	offered_by = ext_dest_id_offered_by();
	delivery_watch(EDGE_VECTOR);
	delivery_watch_level(LEVEL_VECTOR, quiet_line);
	delivery_watch_level(MSI_VECTOR, ack_msi);
	irq_enable();
	find_sources();
	report_info("extended destination ID %s%s; %d CPUs online", offered_by ? "offered by " :
		    "not offered", offered_by ? offered_by : "", cpu_count());
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu_to_apic_id(cpu) > 0xff)
			above++;
		else if (cpu && (sample_low < 0 || cpu_to_apic_id(cpu) > cpu_to_apic_id(sample_low)))
			sample_low = cpu;
	}
	if (!testdev && !edu_ok)
		report_skip("no interrupt source at all: nothing to aim");
	/* The samples at or below 255: the boot CPU and the highest such AP. */
	check_cpu(0);
	if (sample_low > 0)
		check_cpu(sample_low);
	if (offered_by) {
		for (int cpu = 0; cpu < cpu_count(); cpu++)
			if (cpu_to_apic_id(cpu) > 0xff)
				check_cpu(cpu);
		if (!above)
			report_skip("delivery above APIC ID 255: no CPU online there");
	} else if (above) {
		test_without_feature(above);
	} else {
		report_skip("delivery above APIC ID 255: no extended destination ID, and no CPU there");
	}
	return report_summary();
}
