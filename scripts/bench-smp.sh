#!/usr/bin/env bash
# Benchmark of SMP bring-up and how it scales. For each vCPU count (288 and 1024 by default)
# it runs x86/smp.elf and x86/empty.elf (a kernel that boots and exits at once) with the same
# QEMU configuration RUNS times each, interleaved, and prints the median wall time of each and
# their ratio, then the median in-guest bring-up time of the APs at each count and the ratio of
# the largest to the smallest, beside the ratio of their AP counts (what linear scaling gives).
# The goals (a benchmark, not a test): at 288 vCPUs the wall-time ratio at most 2 and the
# bring-up under 200 ms; the bring-up ratio close to the AP ratio.
#
# Environment (the defaults are what the project's KVM hosts run):
#   QEMU     QEMU binary (else the one config.mak names)
#   ACCEL    accelerator and properties (default kvm,kernel-irqchip=split: q35 needs the split
#            irqchip for APIC IDs above 255 under KVM); tcg where there is no KVM
#   MACHINE  machine type (default q35)
#   VCPUS    the vCPU counts, each a multiple of SOCKETS (default "288 1024")
#   SOCKETS  sockets of the topology (default 8; IDs leave gaps per socket as on real machines)
#   MEM      guest memory in MiB (default 1024)
#   RUNS     runs of each kernel at each count (default 5)
#   TIMEOUT  time limit of one run, as x86/run takes it (default 10m: TCG is slow at 1024)
set -u
source "$(dirname "$0")/bench-common.sh"
runs=${RUNS:-5}
vcpus=${VCPUS:-288 1024}
sockets=${SOCKETS:-8}
mem=${MEM:-1024}
export ACCEL=${ACCEL:-kvm,kernel-irqchip=split}
export MACHINE=${MACHINE:-q35}
export CPU_FEATURES=+x2apic
export TIMEOUT=${TIMEOUT:-10m}
qemu=${QEMU:-$(sed -n 's/^QEMU=//p' config.mak 2>/dev/null)}
export QEMU=${qemu:-qemu-system-x86_64}

# Runs kernel $1 with $2 vCPUs once, kernel command line $3; prints its wall time in ms and
# leaves its output in $logdir/out. Fails naming the run if the kernel did not pass.
time_ms() {
	local start end n=$2
	start=$(date +%s%N)
	x86/run "$1" -smp "$n,sockets=$sockets,cores=$((n / sockets))" -m "$mem" \
		-append "$3" >"$logdir/out" 2>&1 || {
		echo "bench-smp: $1 with $n vCPUs did not pass:" >&2
		tail -n 5 "$logdir/out" >&2
		return 1
	}
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

for n in $vcpus; do
	if ((n % sockets)); then
		echo "bench-smp: $n vCPUs do not divide into $sockets sockets" >&2
		exit 2
	fi
done

echo "QEMU:        $QEMU ($("$QEMU" --version 2>/dev/null | head -n 1))"
echo "accelerator: $ACCEL, machine $MACHINE, $sockets sockets, $mem MiB; $runs runs of each"
for n in $vcpus; do
	: >"$logdir/smp.$n"
	: >"$logdir/empty.$n"
	: >"$logdir/bringup.$n"
	for ((i = 1; i <= runs; i++)); do
		time_ms x86/empty.elf "$n" "" >>"$logdir/empty.$n" || exit 1
		time_ms x86/smp.elf "$n" "expect-cpus=$n smp.delays=none" >>"$logdir/smp.$n" || exit 1
		sed -n 's/.*bring-up of [0-9]* APs: \([0-9]*\) us.*/\1/p' "$logdir/out" \
			>>"$logdir/bringup.$n"
	done
	smp=$(median <"$logdir/smp.$n")
	empty=$(median <"$logdir/empty.$n")
	echo "$n vCPUs, empty.elf (boot and exit): ${empty} ms median wall time" \
		"($(tr '\n' ' ' <"$logdir/empty.$n"))"
	echo "$n vCPUs, smp.elf:                   ${smp} ms median wall time" \
		"($(tr '\n' ' ' <"$logdir/smp.$n"))"
	awk -v n="$n" -v s="$smp" -v e="$empty" \
		'BEGIN { printf "%d vCPUs, ratio smp/empty:          %.2f (goal: at most 2)\n", n, s / e }'
done

first=${vcpus%% *}
last=${vcpus##* }
for n in $vcpus; do
	echo "in-guest bring-up of $((n - 1)) APs: $(median <"$logdir/bringup.$n") us median" \
		"($(tr '\n' ' ' <"$logdir/bringup.$n"))"
done
if [ "$first" != "$last" ]; then
	awk -v a="$(median <"$logdir/bringup.$first")" -v b="$(median <"$logdir/bringup.$last")" \
		-v na=$((first - 1)) -v nb=$((last - 1)) 'BEGIN {
		if (!a || !b) { print "bring-up ratio: no bring-up times in the output"; exit }
		printf "bring-up ratio %d/%d APs: %.2f (linear: %.2f)\n", nb, na, b / a, nb / na
	}'
fi
