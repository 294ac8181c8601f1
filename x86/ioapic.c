/*
 * ioapic: the I/O APIC as the 82093AA datasheet and the SDM describe it: its registers (ID,
 * version, arbitration, redirection entries with their read-only bits), edge and level
 * delivery, masking, remote IRR set by a level interrupt and cleared by the EOI, re-delivery of
 * a level line still asserted at the EOI, directed EOI through the IOAPIC's EOI register when
 * the local APIC can suppress the EOI broadcast, physical and logical destinations, and
 * delivery to a CPU other than the boot CPU. Interrupts come from QEMU's pc-testdev (which drives
 * ISA lines at will; the line-driven checks SKIP without it) and from the RTC's periodic
 * interrupt on ISA IRQ 8, which any PC-like hypervisor has.
 * Spec: Intel 82093AA IOAPIC datasheet; SDM Vol. 3A "Advanced Programmable Interrupt Controller"
 * (EOI, "Suppress EOI Broadcast"); ACPI MADT (IOAPICs and interrupt source overrides).
 */
#include "libcflat.h"
#include "apic.h"
#include "delivery.h"
#include "desc.h"
#include "ioapic.h"
#include "madt.h"
#include "pc-testdev.h"
#include "processor.h"
#include "report.h"
#include "rtc.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define EDGE_VECTOR 0x51
#define LEVEL_VECTOR 0x52
#define RTC_VECTOR 0x53
#define PROBE_VECTOR 0x63

static struct ioapic *io;
static u32 pin;
static bool x2apic;
static bool in_service_ok;

#define NO_IN_SERVICE_REASON                                                                  \
	"the local APIC does not hold interrupts in service (the FAIL above), so a level line "   \
	"can fire again at the EOI (once, or without end: this stalled a VM)"

/* The line under test: its IOAPIC pin and an RTE aimed at dest. */
static void program(u8 vector, bool level, bool masked, u32 dest, bool logical)
{
	struct ioapic_rte r = { .vector = vector, .level = level, .masked = masked, .dest = dest,
				.logical = logical };
	u64 raw;

	if (ioapic_rte_encode(&r, false, &raw))
		ioapic_write_rte(io, pin, raw);
	else
		report_abort("apic 0x%x does not fit in an 8-bit IOAPIC destination", dest);
}

static struct ioapic_rte rte_now(void)
{
	return ioapic_rte_decode(ioapic_read_rte(io, pin), false);
}

static void unmask(void *unused)
{
	ioapic_set_masked(io, pin, false);
}

static bool remote_irr_in_handler;

/* Before the EOI of a level interrupt: note remote IRR, then lower the line. */
static void lower_line(void)
{
	remote_irr_in_handler = rte_now().remote_irr;
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
}

static struct targets only_boot_cpu, nobody;

static int check(void (*send)(void *), u8 vector, const struct targets *t, const char *what)
{
	return delivery_check(send, NULL, vector, t, what);
}

/*
 * Level-triggered delivery relies on the local APIC keeping an accepted interrupt in service
 * until the EOI (then the EOI reaches the IOAPIC). A hypervisor that ends it at acceptance has
 * the IOAPIC re-deliver a still-asserted line at once, without end: such checks are skipped.
 */
static void test_in_service(void)
{
	struct in_service s = delivery_probe_in_service(PROBE_VECTOR);

	report_prefix_push("local apic");
	in_service_ok = in_service_held(&s, PROBE_VECTOR);
	report(in_service_ok, "an accepted interrupt stays in service until its EOI (in the "
	       "handler: ISR word 0x%x, PPR 0x%x)", s.isr_in_handler, s.ppr_in_handler);
	report_prefix_pop();
}

static void test_registers(void)
{
	const u64 writable = INTR_VECTOR_MASK | INTR_DELIVERY_MODE_MASK |
			     INTR_DEST_MODE_LOGICAL | IOAPIC_RTE_ACTIVE_LOW | INTR_TRIGGER_LEVEL |
			     IOAPIC_RTE_MASKED | IOAPIC_RTE_DEST_MASK;
	const u64 pattern = 0xa500000000016a5aull; /* masked, level clear, logical, vector 0x5a */

	report_prefix_push("registers");
	for (int i = 0; i < ioapic_count(); i++) {
		struct ioapic *x = ioapic_get(i);
		u32 version = IOAPIC_VERSION(x->version);

		report_info("IOAPIC %d at 0x%x: ID %u, version 0x%x, %u pins, GSI %u-%u, "
			    "arbitration 0x%x", i, x->address, IOAPIC_ID(ioapic_read(x, IOAPIC_REG_ID)),
			    version, x->pins, x->gsi_base, x->gsi_base + x->pins - 1,
			    ioapic_read(x, IOAPIC_REG_ARBITRATION));
		report(IOAPIC_ID(ioapic_read(x, IOAPIC_REG_ID)) == (x->id & 0xf),
		       "IOAPIC at 0x%x: ID register matches the MADT (%u)", x->address, x->id);
		report(version == 0x11 || version == 0x20,
		       "IOAPIC at 0x%x: version 0x%x is an IOAPIC's (0x11 or 0x20)", x->address,
		       version);
		report(x->pins >= 16 && x->pins <= 240,
		       "IOAPIC at 0x%x: %u redirection entries", x->address, x->pins);
	}
	ioapic_write_rte(io, pin, pattern);
	report((ioapic_read_rte(io, pin) & writable) == (pattern & writable),
	       "an RTE reads back as written (0x%lx)", ioapic_read_rte(io, pin));
	ioapic_write_rte(io, pin, IOAPIC_RTE_MASKED | INTR_TRIGGER_LEVEL | IOAPIC_RTE_REMOTE_IRR |
					  IOAPIC_RTE_DELIVERY_STATUS | EDGE_VECTOR);
	report(!rte_now().remote_irr && !rte_now().delivery_status,
	       "remote IRR and delivery status are read-only");
	ioapic_write_rte(io, pin, IOAPIC_RTE_MASKED | EDGE_VECTOR);
	report_prefix_pop();
}

static void test_edge(void)
{
	struct targets other;

	report_prefix_push("edge");
	program(EDGE_VECTOR, false, false, this_cpu()->apic_id, false);
	report(!check(pc_testdev_pulse, EDGE_VECTOR, &only_boot_cpu, "edge pin to the boot CPU"),
	       "a rising edge is delivered once to apic 0x%x", this_cpu()->apic_id);
	if (cpu_count() > 1) {
		targets_clear(&other);
		targets_add(&other, 1);
		program(EDGE_VECTOR, false, false, cpu_to_apic_id(1), false);
		report(!check(pc_testdev_pulse, EDGE_VECTOR, &other, "edge pin to CPU 1"),
		       "a rising edge is delivered once to apic 0x%x, not the boot CPU",
		       cpu_to_apic_id(1));
	} else {
		report_skip("delivery to a CPU other than the boot CPU: one CPU online");
	}
	program(EDGE_VECTOR, false, true, 0, false);
	report(!check(pc_testdev_pulse, EDGE_VECTOR, &nobody, "masked edge pin"),
	       "a masked pin delivers nothing");
	report_prefix_pop();
}

static void test_level(void)
{
	report_prefix_push("level");
	/* Masked while asserted: nothing, whatever the local APIC does. */
	program(LEVEL_VECTOR, true, true, this_cpu()->apic_id, false);
	report(!check(pc_testdev_raise, LEVEL_VECTOR, &nobody, "masked level pin"),
	       "a masked, asserted level line delivers nothing");
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	if (!in_service_ok) {
		report_skip("level delivery, remote IRR, unmasking an asserted line: "
			    NO_IN_SERVICE_REASON);
		report_prefix_pop();
		return;
	}
	program(LEVEL_VECTOR, true, false, this_cpu()->apic_id, false);
	remote_irr_in_handler = false;
	report(!check(pc_testdev_raise, LEVEL_VECTOR, &only_boot_cpu, "level pin to the boot CPU"),
	       "an asserted level line is delivered once (lowered before the EOI)");
	report(remote_irr_in_handler, "remote IRR is set while the interrupt is in service");
	report(!rte_now().remote_irr, "remote IRR is clear after the EOI");

	/* Unmasked with the line still high: delivered, once. */
	program(LEVEL_VECTOR, true, true, this_cpu()->apic_id, false);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
	report(!check(unmask, LEVEL_VECTOR, &only_boot_cpu, "level pin unmasked while asserted"),
	       "unmasking a level line that is still asserted delivers it once");
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	report_prefix_pop();
}

static int redelivered;

/* The first time: leave the line asserted through the EOI; the second time: lower it. */
static void lower_line_second_time(struct ex_regs *regs)
{
	if (atomic_inc(&redelivered) >= 2)
		pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	apic_eoi();
}

static void test_redelivery(void)
{
	report_prefix_push("level");
	if (!in_service_ok) {
		report_skip("re-delivery of a level line asserted at the EOI: " NO_IN_SERVICE_REASON);
		report_prefix_pop();
		return;
	}
	set_handler(LEVEL_VECTOR, lower_line_second_time);
	atomic_set(&redelivered, 0);
	program(LEVEL_VECTOR, true, false, this_cpu()->apic_id, false);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
	wait_count(&redelivered, 2, DELIVERY_TIMEOUT_US);
	udelay(DELIVERY_SETTLE_US);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	report(atomic_read(&redelivered) == 2,
	       "a level line still asserted at the EOI is delivered again, once (%d deliveries)",
	       atomic_read(&redelivered));
	delivery_watch_level(LEVEL_VECTOR, lower_line);
	report_prefix_pop();
}

static bool remote_irr_after_lapic_eoi;

/* The LAPIC EOI with broadcast suppressed must leave remote IRR set; the IOAPIC EOI clears it. */
static void directed_eoi(struct ex_regs *regs)
{
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	apic_eoi();
	remote_irr_after_lapic_eoi = rte_now().remote_irr;
	ioapic_eoi(io, LEVEL_VECTOR);
	atomic_inc(&redelivered);
}

static void test_directed_eoi(void)
{
	u32 svr = apic_read(APIC_SPIV);

	report_prefix_push("directed eoi");
	if (!in_service_ok) {
		report_skip("directed EOI: " NO_IN_SERVICE_REASON);
		report_prefix_pop();
		return;
	}
	if (!(apic_read(APIC_LVR) & APIC_LVR_EOI_BROADCAST_SUPPRESSION) ||
	    !ioapic_has_eoi_register(io)) {
		report_skip("directed EOI: %s",
			    ioapic_has_eoi_register(io) ?
				    "the local APIC cannot suppress EOI broadcasts (version bit 24)" :
				    "the IOAPIC has no EOI register (version 0x11)");
		report_prefix_pop();
		return;
	}
	apic_write(APIC_SPIV, svr | APIC_SPIV_SUPPRESS_EOI_BROADCAST);
	set_handler(LEVEL_VECTOR, directed_eoi);
	atomic_set(&redelivered, 0);
	remote_irr_after_lapic_eoi = false;
	program(LEVEL_VECTOR, true, false, this_cpu()->apic_id, false);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
	report(wait_count(&redelivered, 1, DELIVERY_TIMEOUT_US) && atomic_read(&redelivered) == 1,
	       "the level interrupt arrives");
	report(remote_irr_after_lapic_eoi,
	       "with EOI broadcast suppressed, remote IRR stays set after the local APIC EOI");
	report(!rte_now().remote_irr, "the IOAPIC EOI register clears remote IRR");
	apic_write(APIC_SPIV, svr);
	delivery_watch_level(LEVEL_VECTOR, lower_line);
	report_prefix_pop();
}

static void test_logical(void)
{
	u32 dest;

	report_prefix_push("logical");
	/* x2APIC: logical ID of APIC 0 is cluster 0, bit 0; xAPIC: give the boot CPU flat bit 0. */
	if (x2apic) {
		dest = x2apic_ldr(this_cpu()->apic_id);
		if (dest > 0xff) {
			report_skip("logical destination: the boot CPU's logical ID 0x%x needs more "
				    "than 8 bits", dest);
			report_prefix_pop();
			return;
		}
	} else {
		apic_write(APIC_DFR, APIC_DFR_FLAT);
		apic_write(APIC_LDR, xapic_flat_ldr(0));
		dest = 1;
	}
	program(EDGE_VECTOR, false, false, dest, true);
	report(!check(pc_testdev_pulse, EDGE_VECTOR, &only_boot_cpu, "edge pin, logical destination"),
	       "a logical destination 0x%x reaches the boot CPU only", dest);
	if (!x2apic)
		apic_write(APIC_LDR, 0);
	report_prefix_pop();
}

static void rtc_stop(void)
{
	rtc_periodic_stop();
}

static void rtc_start(void *unused)
{
	rtc_periodic_start(RTC_RATE_1024HZ);
}

/* ISA IRQ 8 through the MADT's overrides: a source every PC-like hypervisor has. */
static void test_rtc(void)
{
	struct ioapic *rtc_io;
	u32 rtc_pin;
	u16 flags;
	u32 gsi = ioapic_isa_irq_to_gsi(RTC_ISA_IRQ, &flags);
	struct ioapic_rte r = { .vector = RTC_VECTOR, .dest = this_cpu()->apic_id };
	u64 raw;

	report_prefix_push("rtc");
	rtc_io = ioapic_for_gsi(gsi, &rtc_pin);
	if (!rtc_present() || !rtc_io) {
		report_skip("RTC periodic interrupt: %s", rtc_io ? "no RTC (register D)" :
			    "no IOAPIC pin for its GSI");
		report_prefix_pop();
		return;
	}
	/* ISA interrupts are active-high and edge unless an override says otherwise. */
	r.active_low = (flags & MADT_POLARITY_MASK) == MADT_POLARITY_ACTIVE_LOW;
	r.level = (flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL;
	if (!ioapic_rte_encode(&r, false, &raw)) {
		report_skip("RTC periodic interrupt: the boot CPU's APIC ID 0x%x does not fit an "
			    "8-bit IOAPIC destination", r.dest);
		report_prefix_pop();
		return;
	}
	delivery_watch_level(RTC_VECTOR, rtc_stop);
	ioapic_write_rte(rtc_io, rtc_pin, raw);
	report(!delivery_check(rtc_start, NULL, RTC_VECTOR, &only_boot_cpu, "RTC periodic"),
	       "the RTC's periodic interrupt (ISA IRQ 8, GSI %u) arrives once", gsi);
	ioapic_set_masked(rtc_io, rtc_pin, true);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	char why[160];
	u16 flags;
	u32 gsi;

	smp_init();
	x2apic = apic_is_x2apic();
	if (!ioapic_init(why, sizeof(why)))
		report_abort("no IOAPIC: %s", why);
	targets_clear(&only_boot_cpu);
	targets_add(&only_boot_cpu, smp_processor_id());
	targets_clear(&nobody);
	delivery_watch(EDGE_VECTOR);
	delivery_watch_level(LEVEL_VECTOR, lower_line);
	irq_enable();
	gsi = ioapic_isa_irq_to_gsi(PC_TESTDEV_FREE_LINE, &flags);
	io = ioapic_for_gsi(gsi, &pin);
	if (!io)
		report_abort("no IOAPIC pin for ISA line %d (GSI %u)", PC_TESTDEV_FREE_LINE, gsi);
	test_in_service();
	test_registers();
	if (pc_testdev_present()) {
		test_edge();
		test_level();
		test_redelivery();
		test_directed_eoi();
		test_logical();
	} else {
		report_skip("edge, level, masking, remote IRR and directed EOI on a driven line: "
			    "no pc-testdev (QEMU -device pc-testdev)");
	}
	test_rtc();
	return report_summary();
}
