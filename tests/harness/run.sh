#!/bin/bash
# Host-side tests of the test harness: run_tests.sh, x86/run and scripts/. Most drive a fake
# QEMU (fake-qemu, beside this file) with fake kernels, so they are fast and do not depend on
# the host; when x86/selftest.elf is built and QEMU is installed, a few also run the real kernel
# under TCG. Prints one line per check, then "N passed, N failed"; exits 1 when a check failed.
#
# The checks are in the test-*.sh files beside this one (listed in main): each defines functions
# named t_* that return 0 when the check holds and otherwise leave the reason in DETAIL, and
# runs them with check.

HERE=$(cd "${BASH_SOURCE[0]%/*}" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
FAKE_QEMU=$HERE/fake-qemu

# The harness reads these; the user's settings must not change what the checks see.
unset QEMU ACCEL MACHINE TIMEOUT VERBOSE KVM_PROBE KVM_DEV QBOOT_ROM UNITTESTS_CFG LOGDIR
unset KNOWN_DEVIATIONS HYPERVISOR_ID SYSFS_ROOT CPU_FEATURES UEFI OVMF OVMF_KVM_PROBE
unset FAKE_KVM_MODELS FAKE_QEMU_LOG FAKE_QEMU_VERSION FAKE_QEMU_REFUSE

PASSED=0 FAILED=0

# Runs check function $2 and prints its verdict, named $1.
check()
{
	local name=$1

	DETAIL=
	reset_work
	if "$2"; then
		PASSED=$((PASSED + 1))
		printf 'PASS: %s\n' "$name"
	else
		FAILED=$((FAILED + 1))
		printf 'FAIL: %s\n' "$name"
		[[ $DETAIL ]] && printf '%s\n' "$DETAIL" | sed 's/^/    /'
	fi
}

# Prints that the checks of a whole section cannot run here, and why (not counted).
skip_section()
{
	printf 'SKIP: %s\n' "$*"
}

# A fresh directory for each check, with the defaults that every check starts from: the fake
# QEMU, a test list and logs of its own, no KVM (a missing device) unless a check gives one, an
# empty sysfs (no KVM vendor module), and no known deviations unless a check gives a file.
reset_work()
{
	[[ $WORK ]] && rm -rf "$WORK"
	WORK=$(mktemp -d) || exit 2
	mkdir "$WORK/k"
	export QEMU=$FAKE_QEMU
	export UNITTESTS_CFG=$WORK/unittests.cfg
	export LOGDIR=$WORK/logs
	export KVM_DEV=$WORK/no-kvm
	export FAKE_QEMU_LOG=$WORK/qemu.log
	export KNOWN_DEVIATIONS=none
	export SYSFS_ROOT=$WORK/sys
	mkdir -p "$SYSFS_ROOT/module"
	OUT=$WORK/out ERR=$WORK/err
}

# Writes fake kernel $WORK/k/$1.elf from the directives after it (see fake-qemu).
kernel()
{
	printf '%s\n' "${@:2}" >"$WORK/k/$1.elf"
}

# The same for a fake UEFI program, k/$1.efi.
efi_kernel()
{
	printf '%s\n' "${@:2}" >"$WORK/k/$1.efi"
}

# Writes the test list from stdin.
cfg()
{
	cat >"$UNITTESTS_CFG"
}

# Runs run_tests.sh with arguments "$@" from the work directory: stdout in OUT, stderr in ERR,
# exit status in RC.
run_suite()
{
	(cd "$WORK" && "$ROOT/run_tests.sh" "$@") >"$OUT" 2>"$ERR"
	RC=$?
}

# Runs x86/run with arguments "$@" likewise.
run_one()
{
	(cd "$WORK" && "$ROOT/x86/run" "$@") >"$OUT" 2>"$ERR"
	RC=$?
}

# Succeeds when file $1 has a line equal to $2.
expect_line()
{
	local line

	while IFS= read -r line; do
		[[ $line == "$2" ]] && return 0
	done <"$1"
	DETAIL="no line '$2' in ${1##*/}:"$'\n'$(head -n 20 "$1")
	return 1
}

# Succeeds when a line of file $1 matches extended regular expression $2.
expect_match()
{
	grep -Eq -- "$2" "$1" && return 0
	DETAIL="nothing matches /$2/ in ${1##*/}:"$'\n'$(head -n 20 "$1")
	return 1
}

# Succeeds when no line of file $1 matches extended regular expression $2.
expect_no_match()
{
	grep -Eq -- "$2" "$1" || return 0
	DETAIL="/$2/ matches in ${1##*/}:"$'\n'$(grep -E -- "$2" "$1" | head -n 5)
	return 1
}

# Succeeds when the last run exited with status $1.
expect_status()
{
	((RC == $1)) && return 0
	DETAIL="exit status $RC, expected $1; stdout:"$'\n'$(head -n 20 "$OUT")
	DETAIL+=$'\n'"stderr:"$'\n'$(head -n 10 "$ERR")
	return 1
}

# Succeeds when $1 equals $2 (named $3 in the failure detail).
expect_eq()
{
	[[ $1 == "$2" ]] && return 0
	DETAIL="$3: got '$1', expected '$2'"
	return 1
}

# Succeeds when no process that the fake QEMU logged ("pid N") is still there.
expect_no_qemu_left()
{
	local pid

	[[ -f $FAKE_QEMU_LOG ]] || return 0
	while read -r pid; do
		if kill -0 "$pid" 2>/dev/null; then
			DETAIL="fake QEMU $pid is still running"
			kill "$pid"
			return 1
		fi
	done < <(sed -n 's/^pid //p' "$FAKE_QEMU_LOG")
}

# Milliseconds since some fixed time, for measuring how long a run took.
now_ms()
{
	local t=${EPOCHREALTIME/./}

	echo $((t / 1000))
}

main()
{
	local section

	for section in scripts x86-run run-tests deviations uefi real-qemu; do
		# Each test-*.sh is checked as a script of its own.
		# shellcheck source=/dev/null
		source "$HERE/test-$section.sh"
	done
	rm -rf "$WORK"
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0))
}

trap '[[ $WORK ]] && rm -rf "$WORK"' EXIT
main
