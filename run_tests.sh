#!/bin/bash
# Runs the tests that unittests.cfg lists and prints one verdict line per test, then a total.
# See usage below; scripts/unittests.sh describes the file, scripts/qemu.sh how a test runs.

usage()
{
	cat <<'EOF'
Usage: run_tests.sh [-h] [-v] [-a] [-u] [-g group] [-j N] [-t] [-l] [--] [test ...]

Runs the tests of unittests.cfg, or only the named ones, one line per test:
  PASS name (N tests[, X expected failures][, S skipped])
  FAIL name (F of N tests failed)  or  FAIL name (timeout; duration=Ts)  or  FAIL name (why)
  SKIP name (why)
then "N passed, N failed, N skipped". The exit status is 0 unless a test failed.

  -h       print this help
  -v       print each test's QEMU command line and hypervisor identity, and which known
           deviations apply to it
  -a       run all tests, also those in the nodefault and bench groups
  -u       boot each test's program as its UEFI build, x86/<name>.efi through OVMF, instead
           of the Multiboot kernel (x86/run -h says how); tests on a machine OVMF cannot boot
           (microvm) are skipped, saying so. Entries whose file is a .efi boot so anyway
  -g GROUP run only the tests in GROUP (may be repeated)
  -j N     run N tests at a time (the lines still come in unittests.cfg order)
  -t       print TAP version 13
  -l       list the tests that would run, and run none
Tests named on the command line run even when they are in nodefault or bench. Options and
names may come in any order; --help is -h. A mistake in an option, a test name, an
environment value, or a QEMU that is not there stops the run at once (status 2).

Logs: LOGDIR/<test>.log (the QEMU command line, the kernel's output, QEMU's messages, the
verdict) and LOGDIR/SUMMARY. The previous run's logs move to LOGDIR.old. One run at a time
writes to a LOGDIR (LOGDIR.lock names it); a directory holding files the runner did not write
is refused, not emptied. A run stopped by Ctrl-C or SIGTERM keeps the logs of the tests that
finished and the partial log of those running, and SUMMARY ends with "interrupted after N of
M tests". A test that QEMU refused to boot because of the kernel's own options is a
"FAIL name (usage error: ...)"; a PASS in which no check passed reads "PASS name (0 of N
tests passed, ...)".

Known deviations (known-deviations.cfg): a FAIL that the file expects on this hypervisor
becomes an XFAIL and does not fail the test; logs/<name>.log has the rewritten lines and, per
entry used, an INFO line with why and the evidence. A PASS that the file expects to fail
becomes an XPASS and fails the test: the entry is stale on this hypervisor. x86/run -h tells
how the hypervisor identity is found.

unittests.cfg takes kvm-unit-tests' keys (scripts/unittests.sh), needs (what the test needs
of QEMU or KVM, in words: a QEMU that refuses the test's configuration makes it a SKIP that
names the need and quotes the refusal), and cpu_features: CPU
features added after a comma to the -cpu model the runner detects or defaults to
("cpu_features = -x2apic" gives host,-arch-capabilities,-x2apic under this host's KVM, and
max,-x2apic under TCG; also "+x2apic,-pdpe1gb"). A test whose qemu_params has its own -cpu
cannot have cpu_features: it fails, saying so.

Environment:
  QEMU          QEMU binary (else QEMU= from config.mak, else qemu-system-x86_64)
  ACCEL         kvm or tcg for every test; a test whose accel differs is skipped.
                Default: kvm when usable here, else tcg (tests with accel = kvm are skipped)
  MACHINE       machine type and properties for every test; a test made for another machine
                type is skipped. Default: the test's machine, else q35
  TIMEOUT       time limit of every test ("30", "30s", "2m"; 0 for none). Default: the test's
                timeout, else 90s
  UEFI          1: the same as -u
  OVMF          the UEFI firmware image (x86/run -h)
  UNITTESTS_CFG the list of tests (default: unittests.cfg, else x86/unittests.cfg)
  LOGDIR        where <test>.log and SUMMARY go (default: logs)
  KNOWN_DEVIATIONS  the known deviations file (default: known-deviations.cfg beside this
                script); "none" for the kernels' own results
  HYPERVISOR_ID the hypervisor identity to match the known deviations against, instead of the
                detected one (tcg, kvm-intel, kvm-amd, kvm-pvm, kvm-unknown)
EOF
}

# wait -n -p, with which the tests run in parallel, came with bash 5.1.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)); then
	echo "run_tests.sh: needs bash 5.1 or later" >&2
	exit 2
fi
ROOT=$(cd "${BASH_SOURCE[0]%/*}" && pwd) || exit 2
source "$ROOT/scripts/qemu.sh" || exit 2
source "$ROOT/scripts/unittests.sh" || exit 2

die()
{
	echo "run_tests.sh: $*" >&2
	exit 2
}

# Reads the command line: options and test names in any order (as getopt does), "--" ends the
# options; -gGROUP and -jN also work glued. Any mistake stops the run before anything starts.
parse_options()
{
	local arg value

	OPT_VERBOSE='' OPT_ALL='' OPT_GROUPS=() OPT_JOBS=1 OPT_TAP='' OPT_LIST='' OPT_UEFI=''
	OPT_NAMES=()
	case $UEFI in
	'' | 0) ;;
	1) OPT_UEFI=1 ;;
	*) die "UEFI=$UEFI: 1 boots the UEFI builds, 0 or nothing the Multiboot kernels" ;;
	esac
	while (($#)); do
		arg=$1
		shift
		case $arg in
		-h | --help)
			usage
			exit 0
			;;
		-v) OPT_VERBOSE=1 ;;
		-a) OPT_ALL=1 ;;
		-u) OPT_UEFI=1 ;;
		-t) OPT_TAP=1 ;;
		-l) OPT_LIST=1 ;;
		-g | -j)
			(($#)) || die "$arg needs a value (see -h)"
			value=$1
			shift
			set_value_option "$arg" "$value"
			;;
		-g?* | -j?*) set_value_option "${arg:0:2}" "${arg:2}" ;;
		--)
			OPT_NAMES+=("$@")
			break
			;;
		-*) die "unknown option $arg (see -h)" ;;
		*) OPT_NAMES+=("$arg") ;;
		esac
	done
}

# Takes value $2 of option $1 (-g or -j).
set_value_option()
{
	case $1 in
	-g) OPT_GROUPS+=("$2") ;;
	-j)
		[[ $2 =~ ^[1-9][0-9]*$ ]] || die "-j needs a number of tests, not '$2'"
		OPT_JOBS=$2
		;;
	esac
}

# Makes the paths from the environment absolute, since the tests run from the top directory.
locate_files()
{
	CFG=${UNITTESTS_CFG:-$ROOT/unittests.cfg}
	if [[ ! $UNITTESTS_CFG && ! -e $CFG && -e $ROOT/x86/unittests.cfg ]]; then
		CFG=$ROOT/x86/unittests.cfg
	fi
	[[ $CFG == /* ]] || CFG=$PWD/$CFG
	LOGDIR=${LOGDIR:-$ROOT/logs}
	[[ $LOGDIR == /* ]] || LOGDIR=$PWD/$LOGDIR
	if [[ $KNOWN_DEVIATIONS && $KNOWN_DEVIATIONS != none && $KNOWN_DEVIATIONS != /* ]]; then
		KNOWN_DEVIATIONS=$PWD/$KNOWN_DEVIATIONS
	fi
}

# Succeeds when test $1 runs without being asked for by name or group.
runs_by_default()
{
	! cfg_in_group "$1" nodefault && ! cfg_in_group "$1" bench
}

# Succeeds when test $1 is in one of the groups given with -g.
in_chosen_group()
{
	local group

	for group in "${OPT_GROUPS[@]}"; do
		cfg_in_group "$1" "$group" && return 0
	done
	return 1
}

# Fills SELECTED with the indices of the tests to run, in unittests.cfg order.
select_tests()
{
	local i name unknown=()
	local -A known=() named=()

	for ((i = 0; i < ${#T_NAME[@]}; i++)); do
		known[${T_NAME[i]}]=1
	done
	for name in "${OPT_NAMES[@]}"; do
		[[ ${known[$name]} ]] || unknown+=("$name")
		named[$name]=1
	done
	if ((${#unknown[@]})); then
		die "unknown test ${unknown[*]} (not in $CFG); run_tests.sh -l lists the tests"
	fi

	SELECTED=()
	for ((i = 0; i < ${#T_NAME[@]}; i++)); do
		if ((${#OPT_NAMES[@]})); then
			[[ ${named[${T_NAME[i]}]} ]] || continue
		elif [[ ! $OPT_ALL ]] && ((${#OPT_GROUPS[@]} == 0)); then
			runs_by_default "$i" || continue
		fi
		if ((${#OPT_GROUPS[@]})) && ! in_chosen_group "$i"; then
			continue
		fi
		SELECTED+=("$i")
	done
	if ((${#OPT_GROUPS[@]} && ${#SELECTED[@]} == 0)); then
		die "no test in group ${OPT_GROUPS[*]} in $CFG"
	fi
}

# Checks the environment that applies to every test, so that a typo stops the run at once.
check_environment()
{
	if [[ $TIMEOUT ]] && ! to_seconds "$TIMEOUT" >/dev/null; then
		die "TIMEOUT=$TIMEOUT is not a duration like 30 or 30s"
	fi
	case ${ACCEL%%,*} in
	'' | kvm | tcg) ;;
	*) die "ACCEL=$ACCEL: the accelerator is kvm or tcg" ;;
	esac
}

# Prints the kernel that test $1 boots: its file, or with -u the UEFI build of it.
test_kernel()
{
	local kernel

	kernel=$(cfg_kernel "$1")
	[[ $OPT_UEFI && $kernel == *.elf ]] && kernel=${kernel%.elf}.efi
	printf '%s\n' "$kernel"
}

# Probes KVM once for all tests, unless every test runs under TCG anyway, and passes the answer
# to the tests in KVM_PROBE; likewise whether OVMF runs under KVM (OVMF_KVM_PROBE) when a UEFI
# program may run under KVM.
probe_kvm()
{
	local i

	[[ ${ACCEL%%,*} == tcg ]] && return
	for i in "${SELECTED[@]}"; do
		[[ ${T_ACCEL[i]} == tcg ]] && continue
		if [[ $KVM_PROBE != "ok "* && $KVM_PROBE != "no "* ]]; then
			export KVM_PROBE
			KVM_PROBE=$(kvm_probe)
			if [[ $KVM_PROBE == "no "* ]]; then
				echo "run_tests.sh: kvm not available (${KVM_PROBE#no }): tests run under" \
					"TCG, tests that require kvm are skipped" >&2
			fi
		fi
		[[ $KVM_PROBE == "ok "* && $(test_kernel "$i") == *.efi ]] || continue
		if [[ $OVMF_KVM_PROBE != ok && $OVMF_KVM_PROBE != "no "* ]]; then
			export OVMF_KVM_PROBE
			OVMF_KVM_PROBE=$(ovmf_kvm_probe)
			if [[ $OVMF_KVM_PROBE == "no "* ]]; then
				echo "run_tests.sh: UEFI firmware cannot run under kvm here" \
					"(${OVMF_KVM_PROBE#no }): UEFI programs run under TCG" >&2
			fi
		fi
		return
	done
}

# Fills ARGS with test $1's QEMU options: -smp (unless qemu_params has its own -smp, which may
# carry a topology), qemu_params, and test_args as the kernel's command line.
test_options()
{
	local i=$1 params

	split_words "${T_QEMU_PARAMS[i]}"
	params=("${WORDS[@]}")
	ARGS=()
	if [[ ${T_SMP[i]} ]] && ! has_opt smp "${params[@]}"; then
		ARGS+=(-smp "${T_SMP[i]}")
	fi
	ARGS+=("${params[@]}")
	if [[ ${T_TEST_ARGS[i]} ]]; then
		split_words "${T_TEST_ARGS[i]}"
		ARGS+=(-append "${WORDS[*]}")
	fi
}

# Sets RUN_MACHINE for test $1: MACHINE, else the test's machine. Returns 1 with RUN_STATUS and
# RUN_REASON set when MACHINE names another machine type than the one the test is made for.
test_machine()
{
	local mine=${T_MACHINE[$1]} type

	RUN_MACHINE=${MACHINE:-$mine}
	[[ $mine && $MACHINE ]] || return 0
	type=$(machine_type "$MACHINE")
	if [[ ! $type ]]; then
		# MACHINE only sets properties: they go with the test's machine.
		RUN_MACHINE=$mine,$MACHINE
	elif [[ $type != "$(machine_type "$mine")" ]]; then
		RUN_STATUS=77 RUN_REASON="test requires machine $(machine_type "$mine"), MACHINE=$MACHINE"
		return 1
	fi
}

# Writes test $1's log: the command line, the kernel's output, QEMU's stderr, the verdict.
write_log()
{
	local i=$1 cmd=$2 out=$TMP/$1.out err=$TMP/$1.err

	{
		printf '%s\n' "${cmd:-(QEMU not started)}"
		if [[ -s $out ]]; then
			cat "$out"
			[[ $(tail -c 1 "$out") ]] && echo
		fi
		[[ -s $err ]] && cat "$err"
		verdict_line "${T_NAME[i]}"
	} >"$LOGDIR/${T_NAME[i]}.log"
}

# Makes test $1, which declares what it needs, a SKIP naming that and quoting QEMU's refusal $2.
refused()
{
	RUN_STATUS=77
	RUN_REASON="needs ${T_NEEDS[$1]}: QEMU ${QEMU_VERSION:-of unknown version}"
	RUN_REASON+=" (${RUN_ACCEL%%,*}) refused: $2"
}

# Writes the partial log and the result of test $1, run as command $2, stopped by a signal.
interrupted()
{
	VERDICT=FAIL VERDICT_DETAIL="interrupted"
	write_log "$1" "$2"
	printf '%s\n%s\n%s\n%s\n' "$VERDICT" "$VERDICT_DETAIL" "$2" "$DEV_NOTE" >"$TMP/$1.result"
}

# Runs test $1 (a worker, in a subshell of its own) and leaves the verdict, the command line and
# the hypervisor identity with the known deviations used in $TMP/$1.result for report_result.
run_test()
{
	local i=$1 cmd=

	# A terminal's Ctrl-C reaches us (SIGINT) and the main shell (which sends SIGTERM), but not
	# QEMU, which timeout(1) puts in a process group of its own: stop it, then keep what it
	# printed as this test's log and result.
	trap 'stop_qemu; interrupted "$i" "$cmd"; exit 130' INT TERM
	: >"$TMP/$i.out"
	: >"$TMP/$i.err"
	RUN_TIMEOUT=$(to_seconds "${TIMEOUT:-${T_TIMEOUT[i]:-$DEFAULT_TIMEOUT}}")
	RUN_ACCEL_WANT=$ACCEL RUN_ACCEL_NEED=${T_ACCEL[i]} RUN_ECHO='' DEV_NOTE=''
	RUN_CPU_FEATURES=${T_CPU_FEATURES[i]}
	RUN_WORKDIR=$TMP/$i.work
	mkdir -p "$RUN_WORKDIR"
	test_options "$i"

	if [[ ${T_ARCH[i]} && ${T_ARCH[i]} != x86_64 ]]; then
		RUN_STATUS=77 RUN_REASON="test is for ${T_ARCH[i]}"
	elif [[ $RUN_CPU_FEATURES ]] && has_opt cpu "${ARGS[@]}"; then
		RUN_STATUS=2
		RUN_REASON="cpu_features = $RUN_CPU_FEATURES and a -cpu in qemu_params:"
		RUN_REASON+=" put the features in that -cpu"
	elif test_machine "$i" && prepare_run "$(test_kernel "$i")" "${ARGS[@]}"; then
		cmd=$(quoted_cmdline)
		if [[ ${T_NEEDS[i]} ]] && ! qemu_accepts; then
			refused "$i" "$PROBE_REFUSAL"
		else
			run_prepared "$TMP/$i.out" "$TMP/$i.err"
			# Some refusals come only when the vCPUs first run: QEMU 7.2 aborts on a KVM
			# that rejects a Hyper-V MSR, before the kernel printed anything.
			if [[ ${T_NEEDS[i]} ]] && ((RUN_STATUS == 3 || (RUN_STATUS == 4 && !OUT_ANY))); then
				refused "$i" "${RUN_REASON#*: }"
			fi
		fi
	fi
	make_verdict
	write_log "$i" "$cmd"
	printf '%s\n%s\n%s\n%s\n' "$VERDICT" "$VERDICT_DETAIL" "$cmd" "$DEV_NOTE" >"$TMP/$i.result"
}

# Prints the result of test $1, number $2 of the run, and counts it.
report_result()
{
	local i=$1 cmd='' note=''

	if ! { read -r VERDICT && read -r VERDICT_DETAIL && read -r cmd && read -r note; } \
		<"$TMP/$i.result"; then
		VERDICT=FAIL VERDICT_DETAIL="the runner lost this test's result"
	fi
	case $VERDICT in
	PASS) PASSED=$((PASSED + 1)) ;;
	SKIP) SKIPPED=$((SKIPPED + 1)) ;;
	*) FAILED=$((FAILED + 1)) ;;
	esac
	verdict_line "${T_NAME[i]}" >>"$LOGDIR/SUMMARY"
	if [[ $OPT_TAP ]]; then
		[[ $OPT_VERBOSE && $note ]] && printf '# %s\n' "$note"
		[[ $OPT_VERBOSE && $cmd ]] && printf '# %s\n' "$cmd"
		tap_line "${T_NAME[i]}" "$2"
	else
		[[ $OPT_VERBOSE && $note ]] && printf '%s\n' "$note"
		[[ $OPT_VERBOSE && $cmd ]] && printf '%s\n' "$cmd"
		verdict_line "${T_NAME[i]}"
	fi
}

# Prints the results that are ready, in unittests.cfg order: a finished test waits for the
# ones before it, so that the output does not depend on -j.
flush_results()
{
	while ((NEXT < ${#SELECTED[@]})) && [[ ${FINISHED[NEXT]} ]]; do
		report_result "${SELECTED[NEXT]}" $((NEXT + 1))
		NEXT=$((NEXT + 1))
	done
}

# Waits for one worker to end, then prints what is ready.
reap_one()
{
	local pid=

	wait -n -p pid "${!RUNNING[@]}"
	# Without a pid the wait was interrupted by a signal, which on_signal handles.
	[[ $pid ]] || return
	FINISHED[${RUNNING[$pid]}]=1
	unset "RUNNING[$pid]"
	flush_results
}

# Runs the selected tests, OPT_JOBS at a time.
run_selected()
{
	local n

	PASSED=0 FAILED=0 SKIPPED=0 NEXT=0 FINISHED=()
	declare -gA RUNNING=()
	for ((n = 0; n < ${#SELECTED[@]}; n++)); do
		while ((${#RUNNING[@]} >= OPT_JOBS)); do
			reap_one
		done
		run_test "${SELECTED[n]}" &
		RUNNING[$!]=$n
	done
	while ((${#RUNNING[@]})); do
		reap_one
	done
}

# Ctrl-C or SIGTERM: the workers stop their QEMUs and write what they have (run_test's trap);
# the results that are there are reported, and SUMMARY says the run was interrupted.
on_signal()
{
	local pid

	trap '' INT TERM
	((${#RUNNING[@]})) && kill -TERM "${!RUNNING[@]}" 2>/dev/null
	wait
	for pid in "${!RUNNING[@]}"; do
		[[ -s $TMP/${SELECTED[${RUNNING[$pid]}]}.result ]] && FINISHED[${RUNNING[$pid]}]=1
	done
	flush_results
	echo "interrupted after $NEXT of ${#SELECTED[@]} tests" >>"$LOGDIR/SUMMARY"
	echo "run_tests.sh: interrupted after $NEXT of ${#SELECTED[@]} tests; logs in $LOGDIR" >&2
	exit 130
}

# A log directory is the runner's when it has its marker, or when it is the default one (logs/
# or logs.old/ in the tree) from before the marker and holds nothing but <test>.log files and
# SUMMARY; only such a directory is ever moved or removed.
LOG_MARKER=.run_tests-logs

logdir_is_ours()
{
	local f

	[[ -e $1/$LOG_MARKER ]] && return 0
	[[ $1 == "$ROOT/logs" || $1 == "$ROOT/logs.old" ]] || return 1
	for f in "$1"/* "$1"/.[!.]*; do
		[[ -e $f ]] || continue
		[[ -f $f && (${f##*/} == *.log || ${f##*/} == SUMMARY) ]] || return 1
	done
}

# Makes LOGDIR ready for this run: one run at a time per directory (LOGDIR.lock, held with
# flock and naming its run), and the previous run's logs kept as LOGDIR.old, as kvm-unit-tests
# keeps logs.old. A directory with files the runner did not write stops the run: they are not
# its to move.
prepare_logdir()
{
	local other

	if [[ -e $LOGDIR && ! -d $LOGDIR ]]; then
		die "LOGDIR=$LOGDIR is not a directory"
	fi
	if [[ -d $LOGDIR ]] && ! logdir_is_ours "$LOGDIR"; then
		die "LOGDIR=$LOGDIR holds files run_tests.sh did not write: give a new or empty directory"
	fi
	mkdir -p -- "$(dirname -- "$LOGDIR")" && exec {LOCK_FD}>>"$LOGDIR.lock" ||
		die "cannot create $LOGDIR.lock"
	if ! flock -n "$LOCK_FD"; then
		other=$(<"$LOGDIR.lock")
		die "another run_tests.sh (pid ${other:-unknown}) is writing $LOGDIR: wait for it," \
			"or give this run another LOGDIR"
	fi
	LOCKED=1
	echo "$$" >"$LOGDIR.lock"
	if [[ -d $LOGDIR ]] && [[ $(ls -A -- "$LOGDIR") ]]; then
		if [[ -e $LOGDIR.old ]]; then
			logdir_is_ours "$LOGDIR.old" ||
				die "$LOGDIR.old holds files run_tests.sh did not write: move it away"
			rm -rf -- "$LOGDIR.old"
		fi
		mv -- "$LOGDIR" "$LOGDIR.old" || die "cannot keep the previous logs as $LOGDIR.old"
	fi
	mkdir -p -- "$LOGDIR" && : >"$LOGDIR/$LOG_MARKER" || die "cannot write in $LOGDIR"
}

main()
{
	local i totals

	parse_options "$@"
	locate_files
	cfg_load "$CFG" || exit 2
	select_tests
	if [[ $OPT_LIST ]]; then
		for i in "${SELECTED[@]}"; do
			printf '%s\n' "${T_NAME[i]}"
		done
		exit 0
	fi
	check_environment
	cd "$ROOT" || exit 2
	QEMU=$(qemu_binary "$ROOT")
	command -v -- "$QEMU" >/dev/null ||
		die "QEMU '$QEMU' is not an executable (set QEMU=, or install qemu-system-x86)"
	dev_setup "$ROOT" || exit 2
	# Which QEMU ran is part of every result: the suite runs on several.
	QEMU_VERSION=${QEMU_VERSION:-$(qemu_version)}
	echo "run_tests.sh: QEMU ${QEMU_VERSION:-of unknown version} ($QEMU)" >&2
	probe_kvm

	TMP=$(mktemp -d) || exit 2
	trap 'rm -rf "$TMP"; [[ $LOCKED ]] && rm -f "$LOGDIR.lock"' EXIT
	prepare_logdir
	trap on_signal INT TERM

	if [[ $OPT_TAP ]]; then
		echo "TAP version 13"
		echo "1..${#SELECTED[@]}"
	fi
	run_selected
	totals="$PASSED passed, $FAILED failed, $SKIPPED skipped"
	if [[ $OPT_TAP ]]; then
		echo "# $totals"
	else
		echo "$totals"
	fi
	((FAILED == 0))
}

main "$@"
