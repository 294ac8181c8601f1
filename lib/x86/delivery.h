/*
 * Checking who an interrupt reaches. Each CPU counts the interrupts it takes on the watched
 * vectors (and NMIs); a check sends once, waits (bounded) until the expected CPUs have counted
 * one each, and compares every online CPU's count with what it should be: exactly once at each
 * target, nowhere else. Used by the IPI, IOAPIC and MSI tests alike.
 */
#ifndef LIB_X86_DELIVERY_H
#define LIB_X86_DELIVERY_H

#include "libcflat.h"
#include "report.h"
#include "percpu.h"

#define DELIVERY_TIMEOUT_US 1000000
#define DELIVERY_SETTLE_US 10000 /* how long an interrupt that should reach nobody may take */
#define DELIVERY_EXTRA_US 1000    /* after the expected ones: time for a duplicate to show */

/* Which CPUs an interrupt should reach: a bitmap of MAX_CPUS bits (4 KiB), fine on a stack. */
struct targets {
	u64 cpu[MAX_CPUS / 64];
	int count;
};

void targets_clear(struct targets *t);
void targets_add(struct targets *t, int cpu);
void targets_remove(struct targets *t, int cpu);
bool targets_has(const struct targets *t, int cpu);
void targets_all(struct targets *t);

/* Counts interrupts on vector (ending each with an EOI, as for an edge interrupt). */
void delivery_watch(u8 vector);
/* Counts interrupts on vector, calling ack() (which quiets the source) before each EOI. */
void delivery_watch_level(u8 vector, void (*ack)(void));
/* Counts NMIs. */
void delivery_watch_nmi(void);

/*
 * Calls send(arg), which makes one interrupt on vector (NMI_VECTOR for an NMI), and checks
 * that exactly the targets take it, once each. Returns how many CPUs got it wrongly; the first
 * few are named in INFO lines as "<what>: apic X got N, expected M".
 */
int delivery_check(void (*send)(void *arg), void *arg, u8 vector, const struct targets *t,
		   const char *what);

/* Calls send(arg) and waits DELIVERY_SETTLE_US; delivery_count() then says who took vector. */
void delivery_observe(void (*send)(void *arg), void *arg, u8 vector);

/* What the local APIC showed while a self IPI was in service, and after its EOI. */
struct in_service {
	bool arrived;
	u32 isr_in_handler;  /* the ISR word holding the vector */
	u32 ppr_in_handler;
	u32 isr_after_eoi;
	u32 ppr_after_eoi;
};

/*
 * Sends this CPU a self IPI on vector (IF must be set) and records ISR and PPR inside its
 * handler and after the EOI. Architecturally the ISR bit is set and the PPR holds the vector's
 * priority class while in service; level-triggered interrupts depend on it.
 */
struct in_service delivery_probe_in_service(u8 vector);
bool in_service_held(const struct in_service *s, u8 vector);

/* How many times cpu took vector since the last delivery_check() began. */
int delivery_count(int cpu, u8 vector);

#endif
