#!/usr/bin/env bash
# Benchmark of the EOI: by x2APIC MSR, by xAPIC MMIO, and skipped through PV-EOI (lazy), side by
# side. Runs bench_eoi_x2apic and bench_eoi_xapic (x86/pv_eoi.elf in each mode) RUNS times and
# prints the median cycles of each. The lazy cost is "not measured" where PV-EOI never engages.
set -u
source "$(dirname "$0")/bench-common.sh"
runs=${RUNS:-3}

collect_bench "$runs" "$logdir" "$logdir/bench" bench_eoi_x2apic bench_eoi_xapic || exit 1

msr=$(awk '$2 == "eoi_msr" { print $3 }' "$logdir/bench" | median)
mmio=$(awk '$2 == "eoi_mmio" { print $3 }' "$logdir/bench" | median)
lazy=$(awk '$2 == "eoi_lazy" && $3 != "-" { print $3 }' "$logdir/bench" | median)
printf '%-28s %s\n' "EOI by x2APIC MSR:" "${msr:-?} cycles"
printf '%-28s %s\n' "EOI by xAPIC MMIO:" "${mmio:-?} cycles"
if [ -n "$lazy" ]; then
	printf '%-28s %s\n' "EOI skipped (PV-EOI, lazy):" "$lazy cycles"
else
	printf '%-28s %s\n' "EOI skipped (PV-EOI, lazy):" "not measured (PV-EOI never engaged)"
fi
echo "(medians of $runs runs)"
