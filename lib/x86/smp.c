#include "smp.h"
#include "acpi.h"
#include "alloc_page.h"
#include "apic.h"
#include "desc.h"
#include "madt.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "spinlock.h"
#include "tsc.h"

#define AP_STACK_PAGES 4
#define MAX_RESTARTS 64 /* start-up slots kept for smp_restart_cpu() */
#define INIT_DELAY_US 10000 /* SDM "MP Initialization Example" and Linux's init_udelay */
#define SIPI_DELAY_US 200
#define SMP_WORK_IDLE 0
#define SMP_WORK_QUEUED 1
#define SMP_WORK_RUNNING 2
#define SMP_WORK_CLAIMED 3

extern char ap_trampoline_start[], ap_trampoline_end[];

/*
 * A counter every AP writes as it starts, alone on its cache line: sharing a line with what
 * all APs only read would move that line to each AP in turn and serialise their start.
 */
struct ap_counter {
	int value;
} __attribute__((aligned(64)));

/* Read by trampoline.S: the start-up slots' stacks; ap_boot_next is the slot handed out next. */
u64 *ap_boot_stacks;
int ap_boot_count;
struct ap_counter ap_boot_next;

static struct {
	u64 trampoline;             /* the page below 1 MiB the APs start in */
	bool sdm_delays;
	bool want_x2apic;
	u64 timeout_ms;
	const struct madt_info *madt;
	struct smp_startup result;
	bool initialized;
	int nr_targets;
	struct percpu *targets;     /* per-CPU areas of the APs being started, CPU 1 first */
	struct ist_stacks *ist;     /* their IST stacks, in the same order */
	u16 *target_of_apic_id;     /* APIC ID (below MADT_SEEN_IDS) to index; checked, not cleared */
	u32 stray_apic_id;
} smp;

/* The last CPU number given out; APs are numbered as they check in. */
static struct ap_counter next_cpu;

bool smp_want_x2apic(void)
{
	return option_is("apic", "x2apic");
}

static void call_interrupt(struct ex_regs *regs)
{
	/* The idle loop runs the work; the interrupt only woke the CPU. */
	apic_eoi();
}

static void idle_loop(struct percpu *pc) __noreturn;

static void idle_loop(struct percpu *pc)
{
	for (;;) {
		irq_disable();
		if (atomic_read(&pc->work.state) == SMP_WORK_QUEUED) {
			atomic_set(&pc->work.state, SMP_WORK_RUNNING);
			irq_enable();
			pc->work.fn(pc->work.arg);
			atomic_set(&pc->work.state, SMP_WORK_IDLE);
			continue;
		}
		safe_halt();
	}
}

/* The index of the AP started as apic_id, or -1: a direct look-up, as hundreds of APs do it. */
static int target_with_apic_id(u32 apic_id)
{
	if (apic_id < MADT_SEEN_IDS) {
		int i = smp.target_of_apic_id[apic_id];

		return i < smp.nr_targets && smp.targets[i].apic_id == apic_id ? i : -1;
	}
	for (int i = 0; i < smp.nr_targets; i++)
		if (smp.targets[i].apic_id == apic_id)
			return i;
	return -1;
}

void ap_start(u32 slot);

void ap_start(u32 slot)
{
	u32 id = cpuid_apic_id();
	int i = target_with_apic_id(id);
	struct percpu *pc;

	/* Not started by us, or an ID another AP already has: no per-CPU area of its own. */
	if (i < 0 || !atomic_cmpxchg(&smp.targets[i].claimed, 0, 1)) {
		smp.stray_apic_id = id;
		atomic_inc(&smp.result.strays);
		for (;;)
			asm volatile("cli; hlt");
	}
	pc = &smp.targets[i];
	pc->stack_top = ap_boot_stacks[slot];
	/* Numbered as they check in, so the numbers of the CPUs online have no gaps. */
	percpu_init_this_cpu(pc, pc->cpu ? pc->cpu : (u32)atomic_inc(&next_cpu.value), id,
			     &smp.ist[i]);
	apic_setup_this_cpu(smp.want_x2apic);
	atomic_set(&pc->online, 1);
	idle_loop(pc);
}

/* Reads and checks the MADT; false (with a FAIL) if the APs cannot be known from it. */
static bool read_madt(void)
{
	char why[160];

	smp.madt = madt_firmware(why, sizeof(why));
	if (!smp.madt) {
		report_fail("smp: no usable MADT: %s", why);
		return false;
	}
	if (smp.madt->nr_duplicates)
		report_fail("smp: the MADT lists APIC ID 0x%x (and %d more) twice",
			    smp.madt->first_duplicate_id, smp.madt->nr_duplicates - 1);
	return true;
}

static unsigned long pages_for(u64 bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
}

/* How many CPU numbers there can be: the boot CPU's and one for each AP started. */
static u32 cpu_slots(void)
{
	return 1 + smp.nr_targets;
}

void *alloc_per_cpu(size_t size)
{
	void *p;

	if (!smp.initialized)
		report_abort("smp: a per-CPU array wanted before smp_init() counted the CPUs");
	p = alloc_pages_zeroed(pages_for((u64)cpu_slots() * size));
	if (!p)
		report_abort("smp: no memory for a per-CPU array of %u x %zu bytes", cpu_slots(),
			     size);
	return p;
}

/*
 * Allocates per-CPU areas, IST stacks and stacks for every Enabled AP, in a few large blocks:
 * only the per-CPU areas are cleared. Returns false if memory ran out.
 */
static bool prepare_targets(u32 bsp_id)
{
	int n = smp.madt->nr_cpus, beyond = 0;
	u8 *stacks;

	smp.targets = alloc_pages_zeroed(pages_for(n * sizeof(struct percpu)));
	smp.ist = alloc_pages(pages_for(n * sizeof(struct ist_stacks)));
	stacks = alloc_pages(n * AP_STACK_PAGES);
	ap_boot_stacks = alloc_pages(pages_for((n + MAX_RESTARTS) * sizeof(u64)));
	smp.target_of_apic_id = alloc_pages(pages_for(MADT_SEEN_IDS * sizeof(u16)));
	if (!smp.targets || !smp.ist || !stacks || !ap_boot_stacks || !smp.target_of_apic_id)
		return false;
	for (int i = 0; i < n; i++) {
		const struct madt_cpu *c = &smp.madt->cpus[i];
		int t = smp.nr_targets;

		if (!(c->flags & MADT_CPU_ENABLED) || c->apic_id == bsp_id)
			continue;
		if (t + 1 >= MAX_CPUS) {
			beyond++;
			continue;
		}
		if ((!smp.want_x2apic || !cpu_has_x2apic()) && c->apic_id > 0xfe) {
			report_fail("smp: APIC ID 0x%x not started: beyond the reach of xAPIC mode",
				    c->apic_id);
			continue;
		}
		smp.targets[t].apic_id = c->apic_id;
		if (c->apic_id < MADT_SEEN_IDS)
			smp.target_of_apic_id[c->apic_id] = t;
		ap_boot_stacks[t] = (u64)stacks + (u64)(t + 1) * AP_STACK_PAGES * PAGE_SIZE;
		smp.nr_targets++;
	}
	if (beyond)
		report_fail("smp: %d Enabled MADT CPUs not started: only %d CPUs can be numbered",
			    beyond, MAX_CPUS);
	return percpu_table_resize(cpu_slots());
}

static void send_to_targets(u32 icr, bool only_offline)
{
	for (int i = 0; i < smp.nr_targets; i++)
		if (!only_offline || !atomic_read(&smp.targets[i].online))
			apic_icr_write(icr, smp.targets[i].apic_id);
}

void smp_set_trampoline(u64 page)
{
	smp.trampoline = page ? page : AP_TRAMPOLINE_ADDR;
}

/*
 * Waits (bounded) until every AP started is online. Each AP's flag is in its own per-CPU area,
 * so checking in writes nothing the other APs or this wait touch; a counter all APs increment
 * while this CPU reads it would pass one cache line around the whole machine, one AP at a time.
 */
static void wait_online(void)
{
	u64 deadline = tsc_deadline_us(smp.timeout_ms * 1000);

	for (int i = 0; i < smp.nr_targets; i++)
		while (!atomic_read(&smp.targets[i].online))
			if (tsc_passed(deadline))
				return;
			else
				cpu_relax();
}

static int aps_online(void)
{
	int n = 0;

	for (int i = 0; i < smp.nr_targets; i++)
		n += atomic_read(&smp.targets[i].online);
	return n;
}

static void start_targets(void)
{
	u32 sipi = APIC_DM_STARTUP | (smp.trampoline >> 12);

	atomic_set(&ap_boot_count, smp.nr_targets);
	send_to_targets(APIC_DM_INIT | INTR_TRIGGER_LEVEL | INTR_LEVEL_ASSERT, false);
	if (smp.sdm_delays)
		udelay(INIT_DELAY_US);
	send_to_targets(sipi, false);
	if (smp.sdm_delays) {
		udelay(SIPI_DELAY_US);
		send_to_targets(sipi, true);
		udelay(SIPI_DELAY_US);
	}
	wait_online();
}

bool smp_restart_cpu(u32 cpu)
{
	struct percpu *pc = percpu_of(cpu);
	u32 sipi = APIC_DM_STARTUP | (smp.trampoline >> 12);
	int slot = atomic_read(&ap_boot_next.value);

	if (!pc || cpu == 0 || cpu == smp_processor_id() || !atomic_read(&pc->online) ||
	    slot >= smp.nr_targets + MAX_RESTARTS || !cpu_wait_idle(cpu))
		return false;
	/* The AP comes back on its own stack, through the slot the trampoline hands out next. */
	ap_boot_stacks[slot] = pc->stack_top;
	atomic_set(&pc->online, 0);
	atomic_set(&pc->claimed, 0);
	atomic_set(&ap_boot_count, slot + 1);
	apic_icr_write(APIC_DM_INIT | INTR_TRIGGER_LEVEL | INTR_LEVEL_ASSERT, pc->apic_id);
	if (smp.sdm_delays)
		udelay(INIT_DELAY_US);
	apic_icr_write(sipi, pc->apic_id);
	if (smp.sdm_delays) {
		udelay(SIPI_DELAY_US);
		if (!atomic_read(&pc->online))
			apic_icr_write(sipi, pc->apic_id);
	}
	wait_count(&pc->online, 1, smp.timeout_ms * 1000);
	return atomic_read(&pc->online);
}

const struct smp_startup *smp_init(void)
{
	struct smp_startup *r = &smp.result;
	u32 bsp_id = this_cpu()->apic_id;
	const struct madt_cpu *bsp;
	u64 t0;

	if (smp.initialized)
		return r;
	smp.initialized = true;
	/* Read once here: hundreds of APs read the copies as they start. */
	smp.sdm_delays = option_is("smp.delays", "sdm");
	smp.want_x2apic = smp_want_x2apic();
	option_number("smp.timeout_ms", &smp.timeout_ms);
	r->online = 1;
	if (!read_madt())
		return r;
	r->enabled = smp.madt->nr_enabled;
	r->not_enabled = smp.madt->nr_cpus - smp.madt->nr_enabled;
	bsp = madt_find_cpu(smp.madt, bsp_id);
	if (!bsp || !(bsp->flags & MADT_CPU_ENABLED))
		report_fail("smp: the boot CPU's APIC ID 0x%x is not an Enabled MADT entry", bsp_id);
	if (!prepare_targets(bsp_id)) {
		report_fail("smp: out of memory for %d APs' per-CPU areas", smp.madt->nr_cpus);
		return r;
	}
	set_handler(IPI_VECTOR_CALL, call_interrupt);
	memcpy((void *)smp.trampoline, ap_trampoline_start,
	       ap_trampoline_end - ap_trampoline_start);
	t0 = rdtsc();
	start_targets();
	r->bringup_cycles = rdtsc() - t0;
	r->bringup_us = tsc_to_us(r->bringup_cycles);
	r->started = smp.nr_targets;
	r->online = 1 + aps_online();
	for (int i = 0; i < smp.nr_targets; i++)
		if (!atomic_read(&smp.targets[i].online))
			report_fail("smp: AP with APIC ID 0x%x did not come online within %lu ms",
				    smp.targets[i].apic_id, smp.timeout_ms);
	if (atomic_read(&r->strays))
		report_fail("smp: %d AP(s) woke that no SIPI was sent to (APIC ID 0x%x)",
			    r->strays, smp.stray_apic_id);
	if (atomic_read(&ap_boot_next.value) > atomic_read(&ap_boot_count))
		report_fail("smp: %d more APs ran the trampoline than were started",
			    atomic_read(&ap_boot_next.value) - atomic_read(&ap_boot_count));
	return r;
}

int cpu_count(void)
{
	return smp.result.online ? smp.result.online : 1;
}

u32 cpu_to_apic_id(u32 cpu)
{
	struct percpu *pc = percpu_of(cpu);

	return pc ? pc->apic_id : ~0u;
}

int apic_id_to_cpu(u32 apic_id)
{
	struct percpu *bsp = percpu_of(0);
	int i;

	if (this_cpu()->apic_id == apic_id)
		return this_cpu()->cpu;
	if (bsp->apic_id == apic_id)
		return 0;
	i = smp.target_of_apic_id ? target_with_apic_id(apic_id) : -1;
	return i >= 0 && atomic_read(&smp.targets[i].online) ? (int)smp.targets[i].cpu : -1;
}

int cpu_with_highest_apic_id(void)
{
	int best = 0;

	for (int cpu = 1; cpu < cpu_count(); cpu++)
		if (cpu_to_apic_id(cpu) > cpu_to_apic_id(best))
			best = cpu;
	return best;
}

/* Waits until cpu's work state is idle, up to the call timeout. */
static bool wait_work_idle(struct percpu *pc)
{
	u64 deadline = tsc_deadline_us(SMP_CALL_TIMEOUT_US);

	while (atomic_read(&pc->work.state) != SMP_WORK_IDLE)
		if (tsc_passed(deadline))
			return false;
		else
			cpu_relax();
	return true;
}

/* Takes the CPU's mailbox for one sender (idle to claimed), waiting while it is busy. */
static bool claim_work(struct percpu *pc)
{
	u64 deadline = tsc_deadline_us(SMP_CALL_TIMEOUT_US);

	while (!atomic_cmpxchg(&pc->work.state, SMP_WORK_IDLE, SMP_WORK_CLAIMED))
		if (tsc_passed(deadline))
			return false;
		else
			cpu_relax();
	return true;
}

bool cpu_wait_idle(u32 cpu)
{
	struct percpu *pc = percpu_of(cpu);

	if (!pc || wait_work_idle(pc))
		return true;
	report_fail("smp: CPU %u (APIC ID 0x%x) did not finish its work within %llu s", cpu,
		    pc->apic_id, SMP_CALL_TIMEOUT_US / 1000000);
	return false;
}

bool on_cpu_async(u32 cpu, void (*fn)(void *), void *arg)
{
	struct percpu *pc = percpu_of(cpu);

	if (!pc || cpu == smp_processor_id() || !atomic_read(&pc->online)) {
		report_fail("smp: on_cpu: CPU %u is not another online CPU", cpu);
		return false;
	}
	if (!claim_work(pc)) {
		report_fail("smp: CPU %u (APIC ID 0x%x) did not take new work within %llu s", cpu,
			    pc->apic_id, SMP_CALL_TIMEOUT_US / 1000000);
		return false;
	}
	pc->work.fn = fn;
	pc->work.arg = arg;
	atomic_set(&pc->work.state, SMP_WORK_QUEUED);
	apic_icr_write(APIC_DM_FIXED | IPI_VECTOR_CALL, pc->apic_id);
	return true;
}

bool on_cpu(u32 cpu, void (*fn)(void *), void *arg)
{
	if (cpu == smp_processor_id()) {
		fn(arg);
		return true;
	}
	return on_cpu_async(cpu, fn, arg) && cpu_wait_idle(cpu);
}

bool on_cpus(void (*fn)(void *), void *arg)
{
	u32 self = smp_processor_id();
	bool ok = true;

	for (u32 cpu = 0; cpu < cpu_slots(); cpu++) {
		struct percpu *pc = percpu_of(cpu);

		if (pc && cpu != self && atomic_read(&pc->online))
			ok &= on_cpu_async(cpu, fn, arg);
	}
	fn(arg);
	for (u32 cpu = 0; cpu < cpu_slots(); cpu++) {
		struct percpu *pc = percpu_of(cpu);

		if (pc && cpu != self && atomic_read(&pc->online))
			ok &= cpu_wait_idle(cpu);
	}
	return ok;
}
