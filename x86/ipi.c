/*
 * ipi: interprocessor interrupts reach exactly the CPUs they address, exactly once. Each CPU
 * counts what it receives, so a delivery check sees the addressed CPUs get one interrupt each
 * and every other CPU none. Covers, in x2APIC mode (32-bit destinations) and in xAPIC mode
 * (8-bit destinations): fixed IPIs in physical mode to every online CPU from the boot CPU and
 * from a CPU above APIC ID 255; logical mode (x2APIC clusters; xAPIC flat and cluster models);
 * the broadcast destination and the self, all-including-self and all-excluding-self
 * shorthands; NMI IPIs; INIT and STARTUP restarting an AP; an absent destination, or one that
 * only aliases a present APIC in its low 8 bits, reaching nobody; the xAPIC delivery-status bit.
 * Spec: SDM Vol. 3A "Advanced Programmable Interrupt Controller" (ICR, logical destination
 * mode, x2APIC). Needs a local APIC; checks that need more CPUs or high IDs are skipped.
 */
#include "libcflat.h"
#include "apic.h"
#include "delivery.h"
#include "desc.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define IPI_VECTOR 0x41
#define XAPIC_FLAT_CPUS 8
#define XAPIC_CLUSTERS 15
#define XAPIC_CLUSTER_SIZE 4

static bool x2apic;

struct ipi {
	u32 icr, dest;
};

static void send_ipi(void *arg)
{
	const struct ipi *ipi = arg;

	apic_icr_write(ipi->icr, ipi->dest);
}

static const char *mode_name(u32 icr)
{
	if ((icr & INTR_DELIVERY_MODE_MASK) == APIC_DM_NMI)
		return "NMI";
	switch (icr & APIC_DEST_ALLBUT) {
	case APIC_DEST_SELF:
		return "fixed, shorthand self";
	case APIC_DEST_ALLINC:
		return "fixed, shorthand all-including-self";
	case APIC_DEST_ALLBUT:
		return "fixed, shorthand all-excluding-self";
	}
	return icr & INTR_DEST_MODE_LOGICAL ? "fixed, logical" : "fixed, physical";
}

/*
 * Sends one IPI from this CPU and checks that exactly the target CPUs got it, once each.
 * Returns the number of CPUs that got it wrongly; the first few are named with source,
 * destination, mode, vector and the receiving APIC.
 */
static int send_and_check(u32 icr, u32 dest, const struct targets *t)
{
	struct ipi ipi = { icr, dest };
	u8 vector = (icr & INTR_DELIVERY_MODE_MASK) == APIC_DM_NMI ? NMI_VECTOR : icr & 0xff;
	char what[96];

	snprintf(what, sizeof(what), "from apic 0x%x to dest 0x%x (%s, vector 0x%x)",
		 this_cpu()->apic_id, dest, mode_name(icr), vector);
	return delivery_check(send_ipi, &ipi, vector, t, what);
}

static int send_to_one(u32 icr, u32 dest, int cpu)
{
	struct targets t;

	targets_clear(&t);
	if (cpu >= 0)
		targets_add(&t, cpu);
	return send_and_check(icr, dest, &t);
}

static void test_physical_from_boot_cpu(void)
{
	report_prefix_push("physical");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 id = cpu_to_apic_id(cpu);

		report(!send_to_one(APIC_DM_FIXED | IPI_VECTOR, id, cpu),
		       "apic 0x%x to apic 0x%x: vector 0x%x arrives once, there only",
		       this_cpu()->apic_id, id, IPI_VECTOR);
	}
	report_prefix_pop();
}

static void send_to_every_cpu(void *bad)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		*(int *)bad += send_to_one(APIC_DM_FIXED | IPI_VECTOR, cpu_to_apic_id(cpu), cpu) != 0;
}

static void test_physical_from_high_cpu(void)
{
	int sender = cpu_with_highest_apic_id(), bad = 0;

	report_prefix_push("physical");
	if (cpu_to_apic_id(sender) <= 0xff) {
		report_skip("IPIs sent by a CPU above APIC ID 255: none online (highest 0x%x)",
			    cpu_to_apic_id(sender));
	} else if (on_cpu(sender, send_to_every_cpu, &bad)) {
		report(!bad, "apic 0x%x to each of %d CPUs: vector 0x%x arrives once, there only "
		       "(%d wrong)", cpu_to_apic_id(sender), cpu_count(), IPI_VECTOR, bad);
	}
	report_prefix_pop();
}

static void test_absent_destination(void)
{
	u32 absent = 0;

	report_prefix_push("physical");
	/* The lowest ID no CPU has, below the xAPIC broadcast ID. */
	while (absent < XAPIC_BROADCAST && apic_id_to_cpu(absent) >= 0)
		absent++;
	if (absent < XAPIC_BROADCAST)
		report(!send_to_one(APIC_DM_FIXED | IPI_VECTOR, absent, -1),
		       "an IPI to absent apic 0x%x reaches nobody", absent);
	else
		report_skip("an IPI to an absent APIC ID reaches nobody: every ID below 0xff is used");
	if (!x2apic) {
		report_prefix_pop();
		return;
	}
	/* A 32-bit destination whose low 8 bits name this CPU must not reach it. */
	for (u32 id = 0x100 | (this_cpu()->apic_id & 0xff); id < 0x10000; id += 0x100) {
		if (apic_id_to_cpu(id) >= 0)
			continue;
		report(!send_to_one(APIC_DM_FIXED | IPI_VECTOR, id, -1),
		       "an IPI to absent apic 0x%x does not reach apic 0x%x (same low 8 bits)", id,
		       this_cpu()->apic_id);
		break;
	}
	report_prefix_pop();
}

static void test_broadcast_and_shorthands(void)
{
	static struct targets all, others, self;
	u32 me = smp_processor_id();

	report_prefix_push("broadcast");
	targets_all(&all);
	targets_all(&others);
	targets_remove(&others, me);
	targets_clear(&self);
	targets_add(&self, me);
	report(!send_and_check(APIC_DM_FIXED | IPI_VECTOR, x2apic ? X2APIC_BROADCAST : XAPIC_BROADCAST,
			       &all),
	       "destination 0x%x reaches all %d CPUs once", x2apic ? X2APIC_BROADCAST :
	       XAPIC_BROADCAST, cpu_count());
	report(!send_and_check(APIC_DEST_SELF | APIC_DM_FIXED | IPI_VECTOR, 0, &self),
	       "shorthand self reaches this CPU only");
	report(!send_and_check(APIC_DEST_ALLINC | APIC_DM_FIXED | IPI_VECTOR, 0, &all),
	       "shorthand all-including-self reaches all %d CPUs once", cpu_count());
	report(!send_and_check(APIC_DEST_ALLBUT | APIC_DM_FIXED | IPI_VECTOR, 0, &others),
	       "shorthand all-excluding-self reaches the other %d CPUs once", cpu_count() - 1);
	report_prefix_pop();
}

static void test_x2apic_logical(void)
{
	int bad_one = 0, bad_all = 0, clusters = 0;
	bool *done = alloc_per_cpu(sizeof(*done));

	report_prefix_push("logical");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 cluster = x2apic_ldr(cpu_to_apic_id(cpu)) >> 16, mask = 0;
		struct targets t;

		targets_clear(&t);
		if (done[cpu])
			continue;
		for (int other = cpu; other < cpu_count(); other++) {
			u32 ldr = x2apic_ldr(cpu_to_apic_id(other));

			if (ldr >> 16 == cluster) {
				mask |= ldr & 0xffff;
				targets_add(&t, other);
				done[other] = true;
			}
		}
		clusters++;
		bad_one += send_to_one(INTR_DEST_MODE_LOGICAL | APIC_DM_FIXED | IPI_VECTOR,
				       x2apic_ldr(cpu_to_apic_id(cpu)), cpu) != 0;
		bad_all += send_and_check(INTR_DEST_MODE_LOGICAL | APIC_DM_FIXED | IPI_VECTOR,
					  cluster << 16 | mask, &t) != 0;
	}
	report(!bad_one, "one CPU of each of %d clusters (%d wrong)", clusters, bad_one);
	report(!bad_all, "all CPUs of each of %d clusters at once (%d wrong)", clusters, bad_all);
	report_prefix_pop();
}

/* Sends to each logical destination in dests[] and checks who received, by the LDRs set. */
static int xapic_logical_round(const struct xapic_logical *l, const u8 *dests, int n)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		struct targets t;

		targets_clear(&t);
		for (int cpu = 0; cpu < cpu_count(); cpu++) {
			u32 ldr = l->ldr[cpu] >> 24;
			bool match = l->dfr == APIC_DFR_FLAT ?
					     (ldr & dests[i]) != 0 :
					     (ldr >> 4) == (dests[i] >> 4) && (ldr & dests[i] & 0xf);

			if (match)
				targets_add(&t, cpu);
		}
		bad += send_and_check(INTR_DEST_MODE_LOGICAL | APIC_DM_FIXED | IPI_VECTOR, dests[i], &t) != 0;
	}
	return bad;
}

static void test_xapic_logical(void)
{
	struct xapic_logical l = { .dfr = APIC_DFR_FLAT, .ldr = alloc_per_cpu(sizeof(*l.ldr)) };
	u8 dests[XAPIC_CLUSTERS * 2];
	int n = 0, flat_cpus = MIN(cpu_count(), XAPIC_FLAT_CPUS), bad;

	report_prefix_push("logical");
	/*
	 * Flat model: each of the first 8 CPUs owns one bit; one CPU, a pair, then up to 7 at
	 * once (0xff, all eight, is also the broadcast destination).
	 */
	for (int cpu = 0; cpu < flat_cpus; cpu++)
		l.ldr[cpu] = xapic_flat_ldr(cpu);
	on_cpus(xapic_set_logical_id, &l);
	for (int cpu = 0; cpu < flat_cpus; cpu++)
		dests[n++] = 1u << cpu;
	dests[n++] = 0x03;
	dests[n++] = (1u << MIN(flat_cpus, 7)) - 1;
	bad = xapic_logical_round(&l, dests, n);
	report(!bad, "flat model: each of %d CPUs, a pair, and %d at once (%d wrong)", flat_cpus,
	       MIN(flat_cpus, 7), bad);

	/* Cluster model: 15 clusters of 4; one member of each cluster, then whole clusters. */
	l.dfr = APIC_DFR_CLUSTER;
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		l.ldr[cpu] = cpu < XAPIC_CLUSTERS * XAPIC_CLUSTER_SIZE ?
				     xapic_cluster_ldr(cpu / XAPIC_CLUSTER_SIZE,
						       cpu % XAPIC_CLUSTER_SIZE) :
				     0;
	on_cpus(xapic_set_logical_id, &l);
	n = 0;
	for (int c = 0; c * XAPIC_CLUSTER_SIZE < cpu_count() && c < XAPIC_CLUSTERS; c++) {
		dests[n++] = c << 4 | 1;
		dests[n++] = c << 4 | 0xf;
	}
	bad = xapic_logical_round(&l, dests, n);
	report(!bad, "cluster model: one CPU and all of each of %d clusters (%d wrong)", n / 2, bad);

	/* Leave logical mode as start-up had it. */
	l.dfr = APIC_DFR_FLAT;
	memset(l.ldr, 0, cpu_count() * sizeof(*l.ldr));
	on_cpus(xapic_set_logical_id, &l);
	report_prefix_pop();
}

static void test_nmi(void)
{
	int targets = 0, bad = 0;
	bool any_high = false;

	report_prefix_push("nmi");
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		any_high |= cpu_to_apic_id(cpu) > 0xff;
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		u32 id = cpu_to_apic_id(cpu);

		if (any_high && id <= 0xff)
			continue;
		targets++;
		bad += send_to_one(APIC_DM_NMI, id, cpu) != 0;
	}
	report(!bad, "an NMI IPI reaches each of %d CPUs%s once, there only (%d wrong)", targets,
	       any_high ? " above APIC ID 255" : "", bad);
	report_prefix_pop();
}

static int ran_on = -1;
static int ran_count;

static void note_cpu(void *unused)
{
	ran_on = smp_processor_id();
}

static void count_cpu(void *unused)
{
	atomic_inc(&ran_count);
}

static void test_restart(void)
{
	int cpu = cpu_with_highest_apic_id();
	bool ok;

	report_prefix_push("init-sipi");
	if (cpu == 0) {
		report_skip("INIT and SIPI restart an AP: no AP online");
		report_prefix_pop();
		return;
	}
	report(smp_restart_cpu(cpu), "INIT and STARTUP restart apic 0x%x", cpu_to_apic_id(cpu));
	report(on_cpu(cpu, note_cpu, NULL) && ran_on == cpu,
	       "the restarted apic 0x%x runs code again", cpu_to_apic_id(cpu));
	report(!send_to_one(APIC_DM_FIXED | IPI_VECTOR, cpu_to_apic_id(cpu), cpu),
	       "the restarted apic 0x%x takes a fixed IPI once", cpu_to_apic_id(cpu));
	/* Every CPU, the restarted one among them, still runs work: no two share a stack. */
	atomic_set(&ran_count, 0);
	ok = on_cpus(count_cpu, NULL);
	report(ok && atomic_read(&ran_count) == cpu_count(),
	       "after the restart all %d CPUs run work (%d did)", cpu_count(),
	       atomic_read(&ran_count));
	report_prefix_pop();
}

/* Writes the xAPIC ICR by hand and waits (bounded) for its delivery-status bit to clear. */
static void send_watching_busy(void *idle)
{
	u64 deadline = tsc_deadline_us(DELIVERY_TIMEOUT_US);

	apic_write(APIC_ICR2, this_cpu()->apic_id << 24);
	apic_write(APIC_ICR, APIC_DM_FIXED | IPI_VECTOR);
	while ((apic_read(APIC_ICR) & APIC_ICR_BUSY) && !tsc_passed(deadline))
		cpu_relax();
	*(bool *)idle = !(apic_read(APIC_ICR) & APIC_ICR_BUSY);
}

static void test_xapic_delivery_status(void)
{
	struct targets self;
	bool idle = false;
	int bad;

	report_prefix_push("delivery status");
	targets_clear(&self);
	targets_add(&self, smp_processor_id());
	bad = delivery_check(send_watching_busy, &idle, IPI_VECTOR, &self, "self IPI by ICR");
	report(idle, "the ICR delivery-status bit goes idle");
	report(!bad, "the self IPI written to ICR arrives once");
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	const struct smp_startup *s = smp_init();

	x2apic = apic_is_x2apic();
	report_info("%d CPUs online, %s mode", s->online, this_cpu()->apic->name);
	delivery_watch(IPI_VECTOR);
	delivery_watch_nmi();
	irq_enable();
	test_physical_from_boot_cpu();
	test_physical_from_high_cpu();
	test_absent_destination();
	test_broadcast_and_shorthands();
	if (x2apic)
		test_x2apic_logical();
	else
		test_xapic_logical();
	test_nmi();
	if (!x2apic)
		test_xapic_delivery_status();
	test_restart();
	return report_summary();
}
