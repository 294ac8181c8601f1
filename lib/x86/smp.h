/*
 * Multiprocessor start-up and running code on other CPUs (SDM Vol. 3A, "Multiple-Processor
 * Management"). smp_init() starts every processor the MADT marks Enabled with INIT, SIPI,
 * SIPI sent to its own APIC ID, all of them in flight at once; each AP checks that it is the
 * CPU it was started for, sets up its APIC and idles in HLT, woken by an IPI when on_cpu()
 * gives it work. CPU numbers count from 0, the boot CPU; APs are numbered in the order they
 * check in, so the CPUs online are 0 to cpu_count() - 1 whichever failed to start.
 *
 * Options (lib/x86/common-options.c): smp.delays, the SDM's INIT/SIPI delays or none;
 * smp.timeout_ms, how long APs have to check in; apic=xapic, xAPIC mode even with x2APIC.
 */
#ifndef LIB_X86_SMP_H
#define LIB_X86_SMP_H

#include "libcflat.h"
#include "percpu.h"

#define IPI_VECTOR_CALL 0xf0
#define SMP_CALL_TIMEOUT_US 10000000ull
/* Where the APs start when the boot loader names no page: SIPI vector 0x08, below 1 MiB. */
#define AP_TRAMPOLINE_ADDR 0x8000

struct smp_startup {
	int enabled;          /* MADT entries with the Enabled flag, the boot CPU included */
	int not_enabled;      /* MADT entries without it: counted, not started */
	int started;          /* APs sent INIT/SIPI */
	int online;           /* CPUs online, the boot CPU included */
	int strays;           /* APs that woke with an APIC ID no SIPI was sent to */
	u64 bringup_us;       /* from the first INIT to the last check-in (0: no TSC frequency) */
	u64 bringup_cycles;
};

/* The page below 1 MiB the APs start in (from the boot loader); 0 for AP_TRAMPOLINE_ADDR. */
void smp_set_trampoline(u64 page);
/* Whether CPUs should run in x2APIC mode when they can (apic=xapic says no). */
bool smp_want_x2apic(void);

/*
 * Starts the APs; reports a FAIL for each that does not check in in time (naming its APIC ID)
 * and for a malformed or missing MADT. Returns what happened; safe to call once.
 */
const struct smp_startup *smp_init(void);

int cpu_count(void); /* CPUs online */
/*
 * A zeroed array of size-byte entries indexed by CPU number, with room for every CPU number
 * smp_init() can give out; aborts (the test cannot go on) when memory runs out. Only after
 * smp_init(), which counts the CPUs.
 */
void *alloc_per_cpu(size_t size);
u32 cpu_to_apic_id(u32 cpu);
/* The CPU number of an online CPU with this APIC ID, or -1. */
int apic_id_to_cpu(u32 apic_id);
/* The online CPU with the highest APIC ID. */
int cpu_with_highest_apic_id(void);

/* Runs fn(arg) on cpu and waits for it (bounded); false (and a FAIL) if it did not finish. */
bool on_cpu(u32 cpu, void (*fn)(void *), void *arg);
/* Hands fn(arg) to cpu, wakes it with an IPI and returns without waiting for it to run. */
bool on_cpu_async(u32 cpu, void (*fn)(void *), void *arg);
/* Runs fn(arg) on every online CPU at once, this one included, and waits for all. */
bool on_cpus(void (*fn)(void *), void *arg);
/* Waits (bounded) until cpu has finished the work it was given; false on timeout. */
bool cpu_wait_idle(u32 cpu);

/*
 * Sends an idle AP INIT and STARTUP again: it restarts through the trampoline with its own
 * per-CPU area and stack, sets its APIC up again and idles. True once it is back online.
 */
bool smp_restart_cpu(u32 cpu);

#endif
