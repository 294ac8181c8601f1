/*
 * apic_costs: what local APIC operations cost, in TSC cycles, in whichever mode the CPU is in
 * (xAPIC: MMIO; x2APIC: MSRs). Prints "BENCH: <mode>_<operation> <value> cycles" lines for:
 * a self IPI (sent, taken and ended), an IPI round trip to another CPU and back, an ICR write
 * (to an absent APIC ID, so nothing is delivered) and an EOI. A benchmark, not a test: the
 * report lines only say whether the IPIs measured arrived. scripts/bench-apic.sh runs
 * it in both modes and prints the x2APIC/xAPIC ratios.
 */
#include "libcflat.h"
#include "apic.h"
#include "desc.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

#define BENCH_VECTOR 0x43
#define PING_VECTOR 0x44
#define PONG_VECTOR 0x45
#define ITERATIONS 2000
#define WAIT_TIMEOUT_US 1000000

static int self_count, pong_count;
static u32 requester_apic_id;
static const char *mode;

static void self_handler(struct ex_regs *regs)
{
	atomic_inc(&self_count);
	apic_eoi();
}

/* On the far CPU: answer at once. */
static void ping_handler(struct ex_regs *regs)
{
	apic_eoi();
	apic_icr_write(APIC_DM_FIXED | PONG_VECTOR, requester_apic_id);
}

static void pong_handler(struct ex_regs *regs)
{
	atomic_inc(&pong_count);
	apic_eoi();
}


static void bench(const char *operation, u64 cycles, int n)
{
	printf("BENCH: %s_%s %lu cycles\n", mode, operation, cycles / n);
}

static void bench_self_ipi(void)
{
	u64 t0;
	bool ok = true;

	atomic_set(&self_count, 0);
	t0 = rdtsc();
	for (int i = 1; i <= ITERATIONS && ok; i++) {
		apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | BENCH_VECTOR, 0);
		ok = wait_count(&self_count, i, WAIT_TIMEOUT_US);
	}
	if (ok)
		bench("self_ipi", rdtsc() - t0, ITERATIONS);
	report(ok, "self IPI measured over %d IPIs", ITERATIONS);
}

static void bench_round_trip(void)
{
	u32 far = cpu_count() > 1 ? cpu_to_apic_id(1) : 0;
	u64 t0;
	bool ok = true;

	if (cpu_count() < 2) {
		report_skip("IPI round trip: one CPU online");
		return;
	}
	requester_apic_id = this_cpu()->apic_id;
	atomic_set(&pong_count, 0);
	t0 = rdtsc();
	for (int i = 1; i <= ITERATIONS && ok; i++) {
		apic_icr_write(APIC_DM_FIXED | PING_VECTOR, far);
		ok = wait_count(&pong_count, i, WAIT_TIMEOUT_US);
	}
	if (ok)
		bench("ipi_round_trip", rdtsc() - t0, ITERATIONS);
	report(ok, "IPI round trip to apic 0x%x measured over %d round trips", far, ITERATIONS);
}

static void bench_icr_write(void)
{
	u32 absent = 0;
	u64 t0;

	while (apic_id_to_cpu(absent) >= 0)
		absent++;
	t0 = rdtsc();
	for (int i = 0; i < ITERATIONS; i++)
		apic_icr_write(APIC_DM_FIXED | BENCH_VECTOR, absent);
	bench("icr_write", rdtsc() - t0, ITERATIONS);
	report_info("ICR write measured over %d writes to absent apic 0x%x", ITERATIONS, absent);
}

static void bench_eoi(void)
{
	u64 t0 = rdtsc();

	/* With nothing in service an EOI changes nothing: only its cost is seen. */
	for (int i = 0; i < ITERATIONS; i++)
		apic_eoi();
	bench("eoi", rdtsc() - t0, ITERATIONS);
	report_info("EOI measured over %d writes", ITERATIONS);
}

int main(int argc, char **argv)
{
	smp_init();
	mode = apic_is_x2apic() ? "x2apic" : "xapic";
	set_handler(BENCH_VECTOR, self_handler);
	set_handler(PING_VECTOR, ping_handler);
	set_handler(PONG_VECTOR, pong_handler);
	irq_enable();
	report_info("%s mode, TSC %lu kHz (%s)", this_cpu()->apic->name, tsc_hz() / 1000,
		    tsc_source());
	bench_self_ipi();
	bench_round_trip();
	bench_icr_write();
	bench_eoi();
	return report_summary();
}
