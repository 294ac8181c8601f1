/*
 * The lazy-EOI checks KVM PV-EOI and Hyper-V apic-assist share (KVM builds apic-assist on its
 * PV-EOI code). Every handler here ends its interrupt the lazy way: it consumes the mark and
 * writes the EOI only when the mark was not set.
 */
#include "lazy-eoi-checks.h"
#include "alloc_page.h"
#include "apic.h"
#include "delivery.h"
#include "desc.h"
#include "ioapic.h"
#include "pc-testdev.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define SELF_VECTOR 0x71
#define LOWER_VECTOR 0x61 /* a lower priority class than SELF_VECTOR */
#define TIMER_VECTOR 0x72
#define NESTED_LOW_VECTOR 0x74
#define NESTED_HIGH_VECTOR 0x94
#define LEVEL_VECTOR 0x75
#define PROBE_VECTOR 0x76
#define PER_CPU_ROUNDS 8
#define TIMER_ROUNDS 16
#define TIMER_INITIAL_COUNT 20000
#define WAIT_US 1000000

static const struct lazy_eoi_ops *ops;
/* By CPU number, allocated once the CPUs are counted. */
static u32 **words; /* each CPU's mark, at the start of a page of its own */

struct cpu_counts {
	int taken;          /* interrupts handled */
	int lazy;           /* of which ended lazily */
	int isr_left;       /* lazily ended, yet the ISR bit was still set afterwards */
	int marked_nested;  /* marks seen on a nested interrupt */
	int marked_disabled; /* marks seen with lazy EOI disabled */
	bool last_lazy;
};

static struct cpu_counts *counts;
static bool disabled_phase;

static struct cpu_counts *mine(void)
{
	return &counts[smp_processor_id()];
}

/* Ends the interrupt the lazy way; returns whether the mark was set. */
static bool end_interrupt(void)
{
	u32 *word = words[smp_processor_id()];
	bool lazy;

	if (disabled_phase && (atomic_read((int *)word) & LAZY_EOI_FLAG))
		mine()->marked_disabled++;
	lazy = lazy_eoi_consume(ops->kind, word);
	if (!lazy)
		ops->eoi();
	return lazy;
}

static void counting_handler(struct ex_regs *regs)
{
	struct cpu_counts *c = mine();
	bool lazy = end_interrupt();

	c->lazy += lazy;
	c->last_lazy = lazy;
	atomic_inc(&c->taken);
}

static int nested_high_seen;

static void nested_high_handler(struct ex_regs *regs)
{
	if (atomic_read((int *)words[smp_processor_id()]) & LAZY_EOI_FLAG)
		mine()->marked_nested++;
	end_interrupt();
	atomic_set(&nested_high_seen, 1);
}

/* The low-priority handler lets a higher-priority self IPI in while it is in service. */
static void nested_low_handler(struct ex_regs *regs)
{
	irq_enable();
	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | NESTED_HIGH_VECTOR, 0);
	wait_count(&nested_high_seen, 1, WAIT_US);
	irq_disable();
	end_interrupt();
	atomic_inc(&mine()->taken);
}

static struct ioapic *level_io;
static u32 level_pin;
static int level_taken, level_marked;

/* A level-triggered IOAPIC vector must never be marked: its EOI has to reach the IOAPIC. */
static void level_handler(struct ex_regs *regs)
{
	if (atomic_read((int *)words[smp_processor_id()]) & LAZY_EOI_FLAG)
		level_marked++;
	ioapic_set_masked(level_io, level_pin, true);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
	end_interrupt();
	atomic_inc(&level_taken);
}

static void test_level(void)
{
	struct ioapic_rte r = { .vector = LEVEL_VECTOR, .level = true, .dest = this_cpu()->apic_id };
	struct in_service s;
	char why[160];
	u16 flags;
	u64 raw;

	if (!ioapic_init(why, sizeof(why)) || !pc_testdev_present()) {
		report_skip("level-triggered interrupt: %s", pc_testdev_present() ? why :
			    "no pc-testdev to drive an IOAPIC line (QEMU -device pc-testdev)");
		return;
	}
	s = delivery_probe_in_service(PROBE_VECTOR);
	if (!in_service_held(&s, PROBE_VECTOR)) {
		report_skip("level-triggered interrupt: the local APIC does not keep an accepted "
			    "interrupt in service (ISR 0x%x, PPR 0x%x in its handler; the x2apic test "
			    "reports it), so a level line may fire again at the EOI",
			    s.isr_in_handler, s.ppr_in_handler);
		return;
	}
	level_io = ioapic_for_gsi(ioapic_isa_irq_to_gsi(PC_TESTDEV_FREE_LINE, &flags), &level_pin);
	if (!level_io) {
		report_skip("level-triggered interrupt: no IOAPIC pin for ISA line %d", PC_TESTDEV_FREE_LINE);
		return;
	}
	if (!ioapic_rte_encode(&r, false, &raw)) {
		report_skip("level-triggered interrupt: the boot CPU's APIC ID 0x%x does not fit an "
			    "8-bit IOAPIC destination", r.dest);
		return;
	}
	set_handler(LEVEL_VECTOR, level_handler);
	level_marked = 0;
	atomic_set(&level_taken, 0);
	ioapic_write_rte(level_io, level_pin, raw);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
	report(wait_count(&level_taken, 1, WAIT_US) && !level_marked,
	       "no mark for a level-triggered IOAPIC interrupt (%d marked)", level_marked);
}

/* Sends one self IPI and waits for it; after a lazy end the ISR bit must already be clear. */
static bool self_ipi_once(u8 vector)
{
	struct cpu_counts *c = mine();
	int before = atomic_read(&c->taken);

	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | vector, 0);
	if (!wait_count(&c->taken, before + 1, WAIT_US))
		return false;
	if (c->last_lazy && apic_isr_set(vector))
		c->isr_left++;
	return true;
}

static void enable_here(void *failed)
{
	u32 *word = words[smp_processor_id()];

	*word = 0;
	if (!ops->enable(word))
		atomic_inc(failed);
}

static void disable_here(void *unused)
{
	ops->disable();
}

/* On each CPU: lone self IPIs, then one of a lower priority. */
static void self_ipis_here(void *lost)
{
	for (int i = 0; i < PER_CPU_ROUNDS; i++)
		if (!self_ipi_once(SELF_VECTOR))
			atomic_inc(lost);
	if (!self_ipi_once(LOWER_VECTOR))
		atomic_inc(lost);
}

static void test_enable(void)
{
	int failed = 0;

	on_cpus(enable_here, &failed);
	report(!failed, "enabling works on each of %d CPUs (%d refused)", cpu_count(), failed);
}

/* The local APIC timer, one-shot: a lone edge interrupt nobody sent. */
static int timer_rounds(void)
{
	struct cpu_counts *c = mine();
	int lost = 0;

	apic_write(APIC_TDCR, APIC_TDCR_DIVIDE_BY_1);
	for (int i = 0; i < TIMER_ROUNDS; i++) {
		int before = atomic_read(&c->taken);

		apic_write(APIC_LVTT, TIMER_VECTOR);
		apic_write(APIC_TMICT, TIMER_INITIAL_COUNT);
		lost += !wait_count(&c->taken, before + 1, WAIT_US);
	}
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	return lost;
}

static void sum(int *taken, int *lazy, int *isr_left)
{
	*taken = *lazy = *isr_left = 0;
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		*taken += counts[cpu].taken;
		*lazy += counts[cpu].lazy;
		*isr_left += counts[cpu].isr_left;
	}
}

static void test_engagement(void)
{
	int lost = 0, taken, lazy, isr_left, ipis_lazy = 0, timer_lost;

	memset(counts, 0, sizeof(counts));
	on_cpus(self_ipis_here, &lost);
	/* IPIs from the boot CPU to each AP, each awaited. */
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		int before = atomic_read(&counts[cpu].taken), lazy_before = counts[cpu].lazy;

		apic_icr_write(APIC_DM_FIXED | SELF_VECTOR, cpu_to_apic_id(cpu));
		lost += !wait_count(&counts[cpu].taken, before + 1, WAIT_US);
		ipis_lazy += counts[cpu].lazy - lazy_before;
	}
	timer_lost = timer_rounds();
	sum(&taken, &lazy, &isr_left);
	report_info("the mark was set for %d of %d lone edge interrupts (%d IPIs from another CPU "
		    "among them)", lazy, taken, ipis_lazy);
	report(!lost && !timer_lost, "every lone self IPI, IPI and timer interrupt arrived "
	       "(%d lost, %d timer)", lost, timer_lost);
	report(lazy > 0, "it engages: the mark is set for lone edge interrupts (%d of %d)", lazy,
	       taken);
	if (lazy)
		report(!isr_left, "after each of %d lazily ended interrupts the ISR bit is clear and "
		       "the next interrupts arrive (%d left in service)", lazy, isr_left);
	else
		report_skip("after a lazily ended interrupt: it never engaged");
}

static void test_nested(void)
{
	struct cpu_counts *c = mine();
	int before = atomic_read(&c->taken);

	atomic_set(&nested_high_seen, 0);
	c->marked_nested = 0;
	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | NESTED_LOW_VECTOR, 0);
	report(wait_count(&c->taken, before + 1, WAIT_US) && nested_high_seen,
	       "a higher-priority interrupt nests inside a lower one's handler");
	report(!c->marked_nested, "no mark for an interrupt arriving while another is in service");
}

static void test_no_loss(int iterations)
{
	int lost = 0, before;

	for (int i = 0; i < iterations; i++)
		lost += !self_ipi_once(SELF_VECTOR);
	report(!lost, "%d back-to-back self IPIs, each awaited, all arrive (%d lost)", iterations,
	       lost);
	if (cpu_count() < 2) {
		report_skip("IPIs from another CPU: one CPU online");
		return;
	}
	before = atomic_read(&counts[1].taken);
	for (int i = 1; i <= iterations; i++) {
		apic_icr_write(APIC_DM_FIXED | SELF_VECTOR, cpu_to_apic_id(1));
		if (!wait_count(&counts[1].taken, before + i, WAIT_US))
			break;
	}
	report(atomic_read(&counts[1].taken) - before == iterations,
	       "%d IPIs to apic 0x%x, each awaited, all arrive (%d did)", iterations,
	       cpu_to_apic_id(1), atomic_read(&counts[1].taken) - before);
}

static void test_disabled(void)
{
	int lost = 0;

	on_cpus(disable_here, NULL);
	disabled_phase = true;
	mine()->marked_disabled = 0;
	for (int i = 0; i < PER_CPU_ROUNDS * 4; i++)
		lost += !self_ipi_once(SELF_VECTOR);
	disabled_phase = false;
	report(!lost && !mine()->marked_disabled,
	       "disabled: %d self IPIs arrive and none is marked (%d lost, %d marked)",
	       PER_CPU_ROUNDS * 4, lost, mine()->marked_disabled);
}

static void bench_eoi(bool engaged)
{
	u32 mark;
	u64 t0;

	/* With nothing in service an EOI write changes nothing: only its cost is seen. */
	t0 = rdtsc();
	for (int i = 0; i < 1000; i++)
		apic_eoi();
	printf("BENCH: eoi_%s %lu cycles\n", apic_is_x2apic() ? "msr" : "mmio",
	       (rdtsc() - t0) / 1000);
	if (!engaged) {
		printf("BENCH: eoi_lazy - cycles (not measured: %s never engaged)\n", ops->name);
		return;
	}
	/* The guest's part of a skipped EOI: consuming a set mark. */
	t0 = rdtsc();
	for (int i = 0; i < 1000; i++) {
		mark = LAZY_EOI_FLAG;
		lazy_eoi_consume(ops->kind, &mark);
	}
	printf("BENCH: eoi_lazy %lu cycles\n", (rdtsc() - t0) / 1000);
}

void lazy_eoi_checks(const struct lazy_eoi_ops *lazy_ops, int iterations)
{
	u8 *pages = alloc_pages(cpu_count());
	int taken, lazy, isr_left;

	ops = lazy_ops;
	if (!pages)
		report_abort("%s: no memory for %d mark pages", ops->name, cpu_count());
	words = alloc_per_cpu(sizeof(*words));
	counts = alloc_per_cpu(sizeof(*counts));
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		words[cpu] = (u32 *)(pages + cpu * PAGE_SIZE);
	set_handler(SELF_VECTOR, counting_handler);
	set_handler(LOWER_VECTOR, counting_handler);
	set_handler(TIMER_VECTOR, counting_handler);
	set_handler(NESTED_LOW_VECTOR, nested_low_handler);
	set_handler(NESTED_HIGH_VECTOR, nested_high_handler);
	irq_enable();

	report_prefix_push(ops->name);
	test_enable();
	test_engagement();
	test_nested();
	test_level();
	test_no_loss(iterations);
	sum(&taken, &lazy, &isr_left);
	bench_eoi(lazy > 0);
	test_disabled();
	report_prefix_pop();
}
