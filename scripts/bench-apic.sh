#!/usr/bin/env bash
# Benchmark of local APIC operations, x2APIC (MSRs) against xAPIC (MMIO): runs bench_apic_x2apic
# and bench_apic_xapic (the same kernel, x86/apic_costs.elf, in each mode) RUNS times each and
# prints, per operation, the median cycles in each mode and the x2APIC/xAPIC ratio (below 1:
# x2APIC is cheaper). The measurement of the claim that MSR access beats MMIO emulation.
set -u
source "$(dirname "$0")/bench-common.sh"
runs=${RUNS:-3}

collect_bench "$runs" "$logdir" "$logdir/bench" bench_apic_x2apic bench_apic_xapic || exit 1

printf '%-16s %14s %14s %8s\n' operation "x2APIC cycles" "xAPIC cycles" ratio
for op in self_ipi ipi_round_trip icr_write eoi; do
	x2=$(awk -v n="x2apic_$op" '$2 == n { print $3 }' "$logdir/bench" | median)
	x=$(awk -v n="xapic_$op" '$2 == n { print $3 }' "$logdir/bench" | median)
	awk -v op="$op" -v a="$x2" -v b="$x" \
		'BEGIN { printf "%-16s %14s %14s %8s\n", op, a, b, (a && b) ? sprintf("%.2f", a / b) : "n/a" }'
done
echo "(medians of $runs runs; ratio = x2APIC / xAPIC)"
