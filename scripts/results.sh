# shellcheck shell=bash
# Reading a test kernel's serial output, and the one-line verdicts run_tests.sh prints.
# Sourced by scripts/qemu.sh and run_tests.sh; defines functions only.
#
# The kernel prints one report line per check ("PASS: ...", "FAIL: ...", "SKIP: ...",
# "XFAIL: ...", "XPASS: ...", "ABORT: ...", "INFO: ..."), then
# "SUMMARY: N tests[, F unexpected failures][, X expected failures][, S skipped]".
# Without isa-debug-exit it also prints "--- DONE: <status> ---". The runner may have turned FAIL
# and PASS lines into XFAIL and XPASS, and corrected the SUMMARY, for the known deviations of the
# hypervisor (scripts/deviations.sh) before they are parsed here.

# The OUT_* variables set here are read by the scripts that source this file.
# shellcheck disable=SC2034
SUMMARY_RE='^SUMMARY: ([0-9]+) tests(, ([0-9]+) unexpected failures)?'
SUMMARY_RE+='(, ([0-9]+) expected failures)?(, ([0-9]+) skipped)?$'
DONE_RE='^--- DONE: ([0-9]+) ---$'

# Reads the kernel output in file $1 and sets:
#   OUT_ANY        1 when the kernel printed anything but white space
#   OUT_DONE       the status of the last "--- DONE: N ---" line, or empty
#   OUT_LAST_SKIP  the text after "SKIP: " of the last SKIP line, or empty
#   OUT_USAGE      the text after "ABORT: usage: " (the kernel refused its options), or empty
#   OUT_LAST       the last line the kernel printed, for a run that ended without a verdict
#   OUT_TESTS OUT_FAILED OUT_XFAILED OUT_SKIPPED  the counts; from the SUMMARY line when there
#                  is one, else counted from the report lines (a kernel that died early has none)
parse_output()
{
	local line pass=0 fail=0 skip=0 xfail=0 xpass=0 abort=0 summary=

	OUT_ANY='' OUT_DONE='' OUT_LAST_SKIP='' OUT_USAGE='' OUT_LAST=''
	while IFS= read -r line || [[ $line ]]; do
		line=${line%$'\r'}
		[[ $line == *[![:space:]]* ]] && OUT_ANY=1 OUT_LAST=$line
		case $line in
		"ABORT: usage: "*) abort=$((abort + 1)) OUT_USAGE=${line#ABORT: usage: } ;;
		"PASS: "*) pass=$((pass + 1)) ;;
		"FAIL: "*) fail=$((fail + 1)) ;;
		"XFAIL: "*) xfail=$((xfail + 1)) ;;
		"XPASS: "*) xpass=$((xpass + 1)) ;;
		"ABORT: "*) abort=$((abort + 1)) ;;
		"SKIP: "*) skip=$((skip + 1)) OUT_LAST_SKIP=${line#SKIP: } ;;
		"SUMMARY: "*) summary=$line ;;
		"--- DONE: "*) [[ $line =~ $DONE_RE ]] && OUT_DONE=${BASH_REMATCH[1]} ;;
		esac
	done <"$1"

	if [[ $summary =~ $SUMMARY_RE ]]; then
		OUT_TESTS=${BASH_REMATCH[1]}
		OUT_FAILED=${BASH_REMATCH[3]:-0}
		OUT_XFAILED=${BASH_REMATCH[5]:-0}
		OUT_SKIPPED=${BASH_REMATCH[7]:-0}
	else
		OUT_TESTS=$((pass + fail + skip + xfail + xpass))
		OUT_FAILED=$((fail + xpass + abort))
		OUT_XFAILED=$xfail
		OUT_SKIPPED=$skip
	fi
}

# Sets VERDICT (PASS, FAIL or SKIP) and VERDICT_DETAIL (the text in parentheses) from the
# RUN_STATUS and RUN_REASON that prepare_run or run_prepared (scripts/qemu.sh) left, and the
# OUT_* counts of parse_output. The words stay kvm-unit-tests' three, which log parsers know;
# the detail tells the rest. A PASS in which no check passed (only expected failures and
# skips) says "0 of N tests passed" first, so that it does not read as a plain pass.
make_verdict()
{
	local passed=$((OUT_TESTS - OUT_FAILED - OUT_XFAILED - OUT_SKIPPED))

	case $RUN_STATUS in
	0)
		VERDICT=PASS
		VERDICT_DETAIL="$OUT_TESTS tests"
		((passed <= 0 && OUT_TESTS > 0)) && VERDICT_DETAIL="0 of $OUT_TESTS tests passed"
		((OUT_XFAILED)) && VERDICT_DETAIL+=", $OUT_XFAILED expected failures"
		((OUT_SKIPPED)) && VERDICT_DETAIL+=", $OUT_SKIPPED skipped"
		;;
	77)
		VERDICT=SKIP
		VERDICT_DETAIL=$RUN_REASON
		;;
	124)
		VERDICT=FAIL
		VERDICT_DETAIL="timeout; duration=${RUN_TIMEOUT}s"
		;;
	*)
		VERDICT=FAIL
		VERDICT_DETAIL=${RUN_REASON:-"$OUT_FAILED of $OUT_TESTS tests failed"}
		;;
	esac
}

# Prints the plain verdict line: "PASS name (detail)".
verdict_line()
{
	printf '%s %s (%s)\n' "$VERDICT" "$1" "$VERDICT_DETAIL"
}

# Prints verdict number $2 of test $1 as a TAP 13 test line. A '#' in the description would
# start a TAP directive, so it is escaped; a skip is an "ok" with the reason as a SKIP directive.
tap_line()
{
	local name=${1//#/\\#} detail=${VERDICT_DETAIL//#/\\#}

	case $VERDICT in
	PASS) printf 'ok %d - %s (%s)\n' "$2" "$name" "$detail" ;;
	SKIP) printf 'ok %d - %s # SKIP %s\n' "$2" "$name" "$VERDICT_DETAIL" ;;
	*) printf 'not ok %d - %s (%s)\n' "$2" "$name" "$detail" ;;
	esac
}
