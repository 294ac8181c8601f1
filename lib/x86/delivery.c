#include "delivery.h"
#include "apic.h"
#include "desc.h"
#include "processor.h"
#include "report.h"
#include "smp.h"
#include "spinlock.h"
#include "tsc.h"

/* Counts per CPU for the vector being checked (allocated at the first check), and their sum. */
static struct {
	int *count;
	int total;
	int vector; /* the one vector counted now; -1 none */
} seen = { .vector = -1 };

void targets_clear(struct targets *t)
{
	memset(t, 0, sizeof(*t));
}

bool targets_has(const struct targets *t, int cpu)
{
	return t->cpu[cpu / 64] & BIT_ULL(cpu % 64);
}

void targets_add(struct targets *t, int cpu)
{
	if (!targets_has(t, cpu)) {
		t->cpu[cpu / 64] |= BIT_ULL(cpu % 64);
		t->count++;
	}
}

void targets_remove(struct targets *t, int cpu)
{
	if (targets_has(t, cpu)) {
		t->cpu[cpu / 64] &= ~BIT_ULL(cpu % 64);
		t->count--;
	}
}

void targets_all(struct targets *t)
{
	targets_clear(t);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		targets_add(t, cpu);
}

static void count(u8 vector)
{
	/* Another vector than the one being checked is not counted: it shows as missing. */
	if (vector == atomic_read(&seen.vector)) {
		atomic_inc(&seen.count[smp_processor_id()]);
		atomic_inc(&seen.total);
	}
}

static void (*level_ack[256])(void);

static void handler(struct ex_regs *regs)
{
	void (*ack)(void) = level_ack[regs->vector];

	count(regs->vector);
	/* A level-triggered source is quieted before the EOI, or it would interrupt again. */
	if (ack)
		ack();
	apic_eoi();
}

static void nmi_handler(struct ex_regs *regs)
{
	count(NMI_VECTOR);
}

void delivery_watch(u8 vector)
{
	level_ack[vector] = NULL;
	set_handler(vector, handler);
}

void delivery_watch_level(u8 vector, void (*ack)(void))
{
	level_ack[vector] = ack;
	set_handler(vector, handler);
}

void delivery_watch_nmi(void)
{
	set_handler(NMI_VECTOR, nmi_handler);
}

int delivery_count(int cpu, u8 vector)
{
	return seen.count && vector == atomic_read(&seen.vector) ? atomic_read(&seen.count[cpu]) : 0;
}

static void start_counting(u8 vector)
{
	if (!seen.count)
		seen.count = alloc_per_cpu(sizeof(*seen.count));
	memset(seen.count, 0, cpu_count() * sizeof(*seen.count));
	atomic_set(&seen.total, 0);
	atomic_set(&seen.vector, vector);
}

void delivery_observe(void (*send)(void *arg), void *arg, u8 vector)
{
	start_counting(vector);
	send(arg);
	udelay(DELIVERY_SETTLE_US);
}

int delivery_check(void (*send)(void *arg), void *arg, u8 vector, const struct targets *t,
		   const char *what)
{
	int bad = 0;

	start_counting(vector);
	send(arg);
	wait_count(&seen.total, t->count, DELIVERY_TIMEOUT_US);
	udelay(t->count ? DELIVERY_EXTRA_US : DELIVERY_SETTLE_US);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		int got = atomic_read(&seen.count[cpu]), want = targets_has(t, cpu);

		if (got != want && bad++ < REPORT_MAX_DETAILS)
			report_info("%s: apic 0x%x got %d, expected %d", what, cpu_to_apic_id(cpu),
				    got, want);
	}
	/* Anything later is not this check's: it is not counted for the next one either. */
	atomic_set(&seen.vector, -1);
	return bad;
}

static struct in_service probe;
static int probe_vector, probe_arrived;

static void probe_handler(struct ex_regs *regs)
{
	probe.isr_in_handler = apic_read(APIC_ISR + (probe_vector / 32) * 0x10);
	probe.ppr_in_handler = apic_read(APIC_PPR);
	atomic_set(&probe_arrived, 1);
	apic_eoi();
}

struct in_service delivery_probe_in_service(u8 vector)
{
	memset(&probe, 0, sizeof(probe));
	atomic_set(&probe_arrived, 0);
	probe_vector = vector;
	set_handler(vector, probe_handler);
	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | vector, 0);
	wait_count(&probe_arrived, 1, DELIVERY_TIMEOUT_US);
	probe.arrived = atomic_read(&probe_arrived);
	probe.isr_after_eoi = apic_read(APIC_ISR + (vector / 32) * 0x10);
	probe.ppr_after_eoi = apic_read(APIC_PPR);
	set_handler(vector, NULL);
	return probe;
}

bool in_service_held(const struct in_service *s, u8 vector)
{
	return s->arrived && (s->isr_in_handler & BIT(vector % 32)) &&
	       (s->ppr_in_handler & 0xf0) == (vector & 0xf0);
}
