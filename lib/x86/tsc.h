/*
 * Time from the TSC. Its frequency comes from the first source that has it: CPUID 0x15,
 * the KVM clock (its TSC-to-nanoseconds scale), or the ACPI PM timer (3.579545 MHz). The PIT
 * is never used: QEMU's microvm has none. With no source the frequency is unknown; waits
 * then assume a fast TSC so they stay bounded (longer, never shorter, than asked).
 */
#ifndef LIB_X86_TSC_H
#define LIB_X86_TSC_H

#include "libcflat.h"

#define TSC_ASSUMED_MAX_HZ 6000000000ull

void tsc_calibrate(void);
/* The TSC frequency in Hz, 0 if unknown. */
u64 tsc_hz(void);
const char *tsc_source(void);
/* Microseconds in so many TSC cycles (0 if the frequency is unknown). */
u64 tsc_to_us(u64 cycles);
/* A TSC value us microseconds from now (with an unknown frequency: at least that long). */
u64 tsc_deadline_us(u64 us);
void udelay(u64 us);

/* Whether the TSC has reached a deadline from tsc_deadline_us(). */
bool tsc_passed(u64 deadline);
/* Waits until *counter (read atomically) reaches n, at most us microseconds; true if it did. */
bool wait_count(int *counter, int n, u64 us);

#endif
