# shellcheck shell=bash
# Shared by the benchmark scripts (sourced): it moves to the top of the tree, makes $logdir (a
# temporary directory removed at exit) and gives medians and BENCH lines collected from test runs.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT

# Prints the median of the numbers on standard input (nothing when there are none).
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# collect_bench RUNS LOGDIR OUT ENTRY...: runs each unittests.cfg entry RUNS times, in turn, and
# appends its "BENCH: name value unit" lines to OUT. Fails naming an entry that did not pass.
collect_bench() {
	local runs=$1 logdir=$2 out=$3 entry i
	shift 3
	for ((i = 1; i <= runs; i++)); do
		for entry in "$@"; do
			LOGDIR=$logdir ./run_tests.sh "$entry" >/dev/null || {
				echo "${0##*/}: $entry did not pass; see ./run_tests.sh $entry" >&2
				return 1
			}
			grep '^BENCH: ' "$logdir/$entry.log" >>"$out"
		done
	done
}
