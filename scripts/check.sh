#!/usr/bin/env bash
# Runs the host-side unit test programs named as arguments, then the tests of the test
# harness, and prints the totals as "N passed, N failed". Exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
add_counts() { # add_counts OUTPUT STATUS: sums "N passed, N failed" lines, counts a crash
	local line p f
	line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$2" = 0 ] || [ "$f" != 0 ] || failed=$((failed + 1))
}

for t in "$@"; do
	out=$("$t" 2>&1)
	status=$?
	printf '%s\n' "$out"
	add_counts "$out" "$status"
done

if [ -x tests/harness/run.sh ]; then
	out=$(tests/harness/run.sh 2>&1)
	status=$?
	printf '%s\n' "$out"
	add_counts "$out" "$status"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
