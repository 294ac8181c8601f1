/*
 * Check bodies that two programs share (pv_eoi and hyperv_apic): the lazy-EOI checks, run
 * through the interface each program passes in (lib/x86/lazy-eoi.h). Checks live in x86/;
 * x86/common/ holds those linked into more than one program.
 */
#ifndef X86_COMMON_LAZY_EOI_CHECKS_H
#define X86_COMMON_LAZY_EOI_CHECKS_H

#include "lazy-eoi.h"

/*
 * The checks both interfaces share, on every online CPU: enabling; engagement on lone edge
 * interrupts (self IPIs, IPIs from another CPU, the local APIC timer), counted and reported,
 * with "offered but never engaged" a FAIL of its own; after each lazily ended interrupt the ISR
 * bit clear and the next interrupts, of the same and of a lower priority, delivered; no mark
 * for a nested interrupt, a level-triggered IOAPIC interrupt (with pc-testdev) or after
 * disabling; no interrupt lost over `iterations` self IPIs
 * and as many IPIs from another CPU, counted exactly; BENCH lines for the EOI costs.
 */
void lazy_eoi_checks(const struct lazy_eoi_ops *ops, int iterations);

#endif
