/*
 * smp: every processor the MADT marks Enabled comes online through INIT/SIPI/SIPI sent to
 * its own APIC ID (x2APIC ICR with a 32-bit destination when the CPU offers x2APIC, else the
 * xAPIC ICR), and runs code sent to it. Checks that the APIC IDs agree across the MADT, the
 * APIC ID register and CPUID 0xB; that the number online equals the number Enabled (and
 * expect-cpus=N, and the set of APIC IDs expect-apic-ids=ID,ID,..., when given); that on_cpu()
 * reaches each CPU and on_cpus() runs on all at once.
 * Spec: SDM Vol. 3A "Multiple-Processor Management" (MP initialization), ACPI "MADT".
 * Needs nothing beyond a local APIC; with one CPU the cross-CPU checks are skipped.
 */
#include "libcflat.h"
#include "apic.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define RENDEZVOUS_TIMEOUT_US 5000000

const struct option program_options[] = {
	{ .name = "expect-cpus", .type = OPTION_UINT, .min = 1, .max = MAX_CPUS,
	  .help = "check that exactly this many CPUs come online (the vCPUs configured)" },
	{ .name = "expect-apic-ids", .type = OPTION_LIST, .max = UINT32_MAX,
	  .help = "check that the APIC IDs of the CPUs online are exactly these" },
	{}
};

/*
 * An AP finds its MADT entry by the APIC ID CPUID 0xB gives it, so CPUID and the MADT agree by
 * construction (an AP whose ID the MADT lacks is a stray, a FAIL of bring-up); what is left to
 * compare is the APIC's ID register with that ID.
 */
struct cpu_ids {
	u32 started_for; /* the MADT APIC ID this CPU was started as, from CPUID */
	u32 id_register;
	const char *mode;
};

/* By CPU number, allocated once smp_init() has counted the CPUs. */
static struct cpu_ids *ids;
static int *ran_count;
static u32 *ran_on;
static int arrived;
static int go;
static bool rendezvous_missed;

static void record_ids(void)
{
	struct percpu *pc = this_cpu();

	ids[pc->cpu] = (struct cpu_ids){
		.started_for = pc->apic_id,
		.id_register = pc->apic->id(),
		.mode = pc->apic->name,
	};
}

static void test_bringup(int expect_cpus)
{
	const struct smp_startup *r = smp_init();

	report_prefix_push("bringup");
	report_info("%d Enabled CPUs, %d MADT entries not Enabled (not started), %s mode",
		    r->enabled, r->not_enabled, this_cpu()->apic->name);
	report(r->online == r->enabled && r->enabled > 0,
	       "every Enabled MADT CPU is online (%d online, %d Enabled)", r->online, r->enabled);
	if (expect_cpus)
		report(r->online == expect_cpus, "the configured %d CPUs are online (%d)",
		       expect_cpus, r->online);
	report(r->strays == 0, "no AP woke without being started (%d did)", r->strays);
	if (tsc_hz())
		report_info("bring-up of %d APs: %lu us (TSC from %s)", r->started, r->bringup_us,
			    tsc_source());
	else
		report_info("bring-up of %d APs: %lu TSC cycles (no TSC frequency source)",
			    r->started, r->bringup_cycles);
	report_prefix_pop();
}

/* Checks what each CPU recorded about itself during the on_cpus() rendezvous. */
static void test_ids(void)
{
	int bad_reg = 0, bad_mode = 0, n = cpu_count();

	report_prefix_push("apic ids");
	for (int cpu = 0; cpu < n; cpu++) {
		const struct cpu_ids *c = &ids[cpu];

		if (c->id_register != c->started_for && bad_reg++ < REPORT_MAX_DETAILS)
			report_info("apic 0x%x: ID register reads 0x%x", c->started_for,
				    c->id_register);
		if (c->mode != ids[0].mode && bad_mode++ < REPORT_MAX_DETAILS)
			report_info("apic 0x%x: in %s mode, the boot CPU in %s", c->started_for,
				    c->mode, ids[0].mode);
	}
	report(bad_reg == 0, "the ID register equals the MADT (and CPUID) APIC ID on all %d CPUs "
	       "(%d differ)", n, bad_reg);
	report(bad_mode == 0, "all %d CPUs are in %s mode (%d are not)", n, ids[0].mode, bad_mode);
	report_prefix_pop();
}

static void count_run(void *unused)
{
	u32 cpu = smp_processor_id();

	ran_on[cpu] = cpu;
	atomic_inc(&ran_count[cpu]);
}

/*
 * All CPUs inside one on_cpus() call at once: the APs arrive and halt until the boot CPU, which
 * waits (bounded) until every AP has arrived, lets them go with an IPI. Only the boot CPU spins:
 * hundreds of spinning vCPUs would starve the host.
 */
static void rendezvous(void *unused)
{
	count_run(NULL);
	record_ids();
	if (smp_processor_id() != 0) {
		atomic_inc(&arrived);
		irq_disable();
		while (!atomic_read(&go)) {
			safe_halt();
			irq_disable();
		}
		irq_enable();
		return;
	}
	rendezvous_missed = !wait_count(&arrived, cpu_count() - 1, RENDEZVOUS_TIMEOUT_US);
	atomic_set(&go, 1);
	/* One all-excluding-self IPI wakes them; the ipi test checks that shorthand itself. */
	apic_icr_write(APIC_DEST_ALLBUT | APIC_DM_FIXED | IPI_VECTOR_CALL, 0);
}

/* Checks that each CPU ran the function exactly once, on itself; returns how many did not. */
static int check_runs(const char *how)
{
	int bad = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (ran_count[cpu] == 1 && ran_on[cpu] == (u32)cpu)
			continue;
		if (bad++ < REPORT_MAX_DETAILS)
			report_info("%s: apic 0x%x (CPU %d) ran it %d times", how,
				    cpu_to_apic_id(cpu), cpu, ran_count[cpu]);
	}
	memset(ran_count, 0, cpu_count() * sizeof(*ran_count));
	memset(ran_on, 0xff, cpu_count() * sizeof(*ran_on));
	return bad;
}

static void test_on_cpu(void)
{
	int n = cpu_count(), bad;

	report_prefix_push("on_cpu");
	if (n < 2) {
		report_skip("one CPU online: nothing to send work to");
		report_prefix_pop();
		return;
	}
	for (int cpu = 0; cpu < n; cpu++)
		on_cpu(cpu, count_run, NULL);
	bad = check_runs("on_cpu");
	report(bad == 0, "each of %d CPUs ran the function sent to it exactly once (%d did not)",
	       n, bad);

	report_prefix_pop();
}

/*
 * Whether the online APIC IDs are exactly those expect-apic-ids lists. More listed than online
 * fails on the count; only as many as there are CPUs need to be kept.
 */
static void test_expected_ids(void)
{
	int n = cpu_count(), missing = 0, unlisted = 0, listed;
	u64 *want = alloc_per_cpu(sizeof(*want));

	listed = option_list("expect-apic-ids", want, n);
	if (listed < 0)
		return;
	report_prefix_push("apic ids");
	for (int i = 0; i < MIN(listed, n); i++)
		if (apic_id_to_cpu(want[i]) < 0 && missing++ < REPORT_MAX_DETAILS)
			report_info("apic 0x%lx is not online", want[i]);
	/* A list that names one ID twice has the right length but leaves a CPU out. */
	for (int cpu = 0, i; cpu < n; cpu++) {
		for (i = 0; i < MIN(listed, n) && want[i] != cpu_to_apic_id(cpu); i++)
			;
		if (i == MIN(listed, n) && unlisted++ < REPORT_MAX_DETAILS)
			report_info("apic 0x%x is online but not listed", cpu_to_apic_id(cpu));
	}
	report(!missing && !unlisted && listed == n,
	       "the online APIC IDs are the %d expected (%d online, %d missing, %d not listed)",
	       listed, n, missing, unlisted);
	report_prefix_pop();
}

/* One on_cpus() round checks that it reaches every CPU once, all at the same time. */
static void test_on_cpus(void)
{
	int n = cpu_count(), bad;

	report_prefix_push("on_cpus");
	on_cpus(rendezvous, NULL);
	bad = check_runs("on_cpus");
	report(bad == 0, "on_cpus ran the function once on each of %d CPUs (%d did not)", n, bad);
	if (n > 1)
		report(!rendezvous_missed,
		       "on_cpus runs on all %d CPUs at the same time (%d of %d APs met)", n,
		       arrived, n - 1);
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	u64 expect_cpus = 0;

	option_number("expect-cpus", &expect_cpus);
	test_bringup(expect_cpus);
	ids = alloc_per_cpu(sizeof(*ids));
	ran_count = alloc_per_cpu(sizeof(*ran_count));
	ran_on = alloc_per_cpu(sizeof(*ran_on));
	memset(ran_on, 0xff, cpu_count() * sizeof(*ran_on));
	test_on_cpus();
	test_ids();
	test_expected_ids();
	test_on_cpu();
	return report_summary();
}
