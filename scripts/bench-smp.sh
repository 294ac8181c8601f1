#!/usr/bin/env bash
# Benchmark of SMP bring-up at 288 vCPUs: runs smp_x2apic_288 and empty_x2apic_288 (the same
# QEMU configuration with a kernel that boots and exits at once) RUNS times each, interleaved,
# and prints the median wall time of each, their ratio, and the median in-guest bring-up time
# of the APs. Both command lines come from unittests.cfg through run_tests.sh's logs.
# The goal (a benchmark, not a test): the ratio at most 2, the bring-up under 200 ms.
set -u
source "$(dirname "$0")/bench-common.sh"
runs=${RUNS:-5}

command_of() { # the QEMU command line run_tests.sh used, the first line of the test's log
	LOGDIR=$logdir ./run_tests.sh "$1" >/dev/null || {
		echo "bench-smp: $1 did not pass; see ./run_tests.sh $1" >&2
		exit 1
	}
	head -n 1 "$logdir/$1.log"
}


# Runs a command line once; prints its wall time in ms and leaves the output in $logdir/out.
time_ms() {
	local start end
	start=$(date +%s%N)
	eval "$1" >"$logdir/out" 2>/dev/null
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

smp_cmd=$(command_of smp_x2apic_288) || exit 1
empty_cmd=$(command_of empty_x2apic_288) || exit 1
: >"$logdir/smp" >"$logdir/empty" >"$logdir/bringup"
for ((i = 1; i <= runs; i++)); do
	time_ms "$empty_cmd" >>"$logdir/empty"
	time_ms "$smp_cmd" >>"$logdir/smp"
	sed -n 's/.*bring-up of [0-9]* APs: \([0-9]*\) us.*/\1/p' "$logdir/out" >>"$logdir/bringup"
done

smp=$(median <"$logdir/smp")
empty=$(median <"$logdir/empty")
bringup=$(median <"$logdir/bringup")
echo "runs:                            $runs of each"
echo "empty_x2apic_288 (boot and exit): ${empty} ms median wall time ($(tr '\n' ' ' <"$logdir/empty"))"
echo "smp_x2apic_288:                   ${smp} ms median wall time ($(tr '\n' ' ' <"$logdir/smp"))"
awk -v s="$smp" -v e="$empty" 'BEGIN { printf "ratio smp/empty:                  %.2f (goal: at most 2)\n", s / e }'
echo "in-guest bring-up of 287 APs:     ${bringup:-?} us median (goal: under 200000)"
