# shellcheck shell=bash
# Checks of run_tests.sh with the fake QEMU. Sourced by run.sh.

# RC and DETAIL, set here, are read by run.sh, which sources this file.
# shellcheck disable=SC2034

# Fake kernels for the usual outcomes, and a test list with one test of each.
outcome_kernels()
{
	kernel pass "out PASS: a: one" "out PASS: a: two" "out XFAIL: b" "out SKIP: c: no PV-EOI" \
		"out SUMMARY: 4 tests, 1 expected failures, 1 skipped" "status 0"
	kernel fail "out PASS: a" "out FAIL: msi: apic 0x1e3: vector 0x41 not received" \
		"out SUMMARY: 2 tests, 1 unexpected failures" "status 1"
	kernel skip "out SKIP: pv_eoi: first" "out SKIP: pv_eoi: no KVM_FEATURE_PV_EOI" \
		"out SUMMARY: 2 tests, 2 skipped" "status 77"
	kernel exception "out PASS: a" "out PASS: b" \
		"out FAIL: unexpected exception: vector 6 (#UD), error code 0x0, RIP 0x1001e8, APIC ID 0x0" \
		"status 1"
	kernel slow "out PASS: a" "sleep 0.4" "out SUMMARY: 1 tests" "status 0"
	cfg <<EOF
[slow]
file = $WORK/k/slow.elf
[pass]
file = $WORK/k/pass.elf
[fail]
file = $WORK/k/fail.elf
[skip]
file = $WORK/k/skip.elf
[exception]
file = $WORK/k/exception.elf
EOF
}

t_verdicts()
{
	outcome_kernels
	run_suite
	expect_status 1 &&
		expect_line "$OUT" "PASS pass (4 tests, 1 expected failures, 1 skipped)" &&
		expect_line "$OUT" "FAIL fail (1 of 2 tests failed)" &&
		expect_line "$OUT" "SKIP skip (pv_eoi: no KVM_FEATURE_PV_EOI)" &&
		expect_line "$OUT" "FAIL exception (1 of 3 tests failed)" &&
		expect_eq "$(tail -n 1 "$OUT")" "2 passed, 2 failed, 1 skipped" "last line"
}
check "run_tests.sh: PASS/FAIL/SKIP lines with counts, xfail and skip, then the totals" t_verdicts

t_logs()
{
	local std="-nodefaults -display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4"
	local args="$std -no-reboot -accel tcg -cpu max -machine q35 -m 256 -kernel $WORK/k/fail.elf"

	outcome_kernels
	run_suite
	expect_eq "$(head -n 1 "$LOGDIR/fail.log")" "$FAKE_QEMU $args" "first log line" &&
		expect_line "$FAKE_QEMU_LOG" "run $args" &&
		expect_line "$LOGDIR/exception.log" \
			"FAIL: unexpected exception: vector 6 (#UD), error code 0x0, RIP 0x1001e8, APIC ID 0x0" &&
		expect_eq "$(cat "$LOGDIR/SUMMARY")" "$(head -n -1 "$OUT")" "logs/SUMMARY"
}
check "run_tests.sh: logs/<name>.log starts with the command line; logs/SUMMARY has the verdicts" t_logs

t_all_pass_exit()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	kernel skip "out SKIP: a: no" "out SUMMARY: 1 tests, 1 skipped" "status 77"
	printf '[pass]\nfile = %s\n[skip]\nfile = %s\n' "$WORK/k/pass.elf" "$WORK/k/skip.elf" | cfg
	run_suite
	expect_status 0 && expect_eq "$(tail -n 1 "$OUT")" "1 passed, 0 failed, 1 skipped" "last line"
}
check "run_tests.sh: exit status 0 when nothing failed (skips allowed)" t_all_pass_exit

t_parallel_same()
{
	local serial

	outcome_kernels
	run_suite
	serial=$(cat "$OUT")
	run_suite -j 4
	expect_eq "$(cat "$OUT")" "$serial" "-j 4 output" &&
		expect_eq "$(head -n 1 "$OUT")" "PASS slow (1 tests)" "first line (slowest test)"
}
check "run_tests.sh: -j 4 gives the same lines in the same (unittests.cfg) order as serial" t_parallel_same

t_parallel_runs_together()
{
	local start took

	kernel nap "sleep 1" "out SUMMARY: 1 tests" "status 0"
	printf '[a]\nfile = %s\n[b]\nfile = %s\n' "$WORK/k/nap.elf" "$WORK/k/nap.elf" | cfg
	start=$(now_ms)
	run_suite -j 2
	took=$(($(now_ms) - start))
	expect_status 0 || return 1
	((took < 1800)) || { DETAIL="two 1 s tests took $took ms with -j 2"; return 1; }
}
check "run_tests.sh: -j 2 runs two tests at once" t_parallel_runs_together

t_tap()
{
	outcome_kernels
	run_suite -t
	expect_status 1 &&
		expect_eq "$(head -n 2 "$OUT" | tr '\n' ' ')" "TAP version 13 1..5 " "TAP header" &&
		expect_line "$OUT" "ok 2 - pass (4 tests, 1 expected failures, 1 skipped)" &&
		expect_line "$OUT" "not ok 3 - fail (1 of 2 tests failed)" &&
		expect_line "$OUT" "ok 4 - skip # SKIP pv_eoi: no KVM_FEATURE_PV_EOI"
}
check "run_tests.sh -t: TAP version 13, a plan, 'not ok' for FAIL, '# SKIP reason'" t_tap

t_tap_prove_fails()
{
	outcome_kernels
	run_suite -t
	prove -e cat "$OUT" >"$WORK/prove" 2>&1
	expect_match "$WORK/prove" "Failed 2/5 subtests" &&
		expect_match "$WORK/prove" "Tests=5," && expect_no_match "$WORK/prove" "Parse errors"
}

t_tap_prove_passes()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	kernel skip "out SKIP: a: no" "out SUMMARY: 1 tests, 1 skipped" "status 77"
	printf '[pass]\nfile = %s\n[skip]\nfile = %s\n' "$WORK/k/pass.elf" "$WORK/k/skip.elf" | cfg
	run_suite -t -j 2 -v
	expect_status 0 || return 1
	prove -e cat "$OUT" >"$WORK/prove" 2>&1 || { DETAIL=$(cat "$WORK/prove"); return 1; }
	expect_match "$WORK/prove" "^Result: PASS"
}

if command -v prove >/dev/null; then
	check "run_tests.sh -t: prove reads the TAP without parse errors, 2 of 5 failed" \
		t_tap_prove_fails
	check "run_tests.sh -t -j 2 -v: prove passes a passing run (command lines as comments)" \
		t_tap_prove_passes
else
	skip_section "TAP checks with prove: prove is not installed"
fi

t_timeout()
{
	local start took

	kernel hang "out PASS: a" "hang"
	printf '[hang]\nfile = %s\ntimeout = 1s\n' "$WORK/k/hang.elf" | cfg
	start=$(now_ms)
	run_suite
	took=$(($(now_ms) - start))
	expect_status 1 && expect_line "$OUT" "FAIL hang (timeout; duration=1s)" &&
		expect_no_qemu_left || return 1
	((took < 2500)) || { DETAIL="took $took ms with timeout = 1s"; return 1; }
}
check "run_tests.sh: a hanging kernel is killed at its timeout: FAIL hang (timeout; ...)" t_timeout

t_timeout_env()
{
	kernel slow "sleep 3" "status 0"
	printf '[slow]\nfile = %s\ntimeout = 30\n' "$WORK/k/slow.elf" | cfg
	TIMEOUT=0.5 run_suite
	expect_line "$OUT" "FAIL slow (timeout; duration=0.5s)"
}
check "run_tests.sh: TIMEOUT overrides the test's timeout" t_timeout_env

t_qemu_failures()
{
	kernel nostart "err qemu-system-x86_64: -device foo: 'foo' is not a valid device model name" \
		"exit 1"
	kernel crash "out PASS: a" "err qemu-system-x86_64: kvm.c:99: Assertion failed" "signal ABRT"
	kernel with_done "out PASS: a" "out SUMMARY: 1 tests" "out --- DONE: 0 ---" "exit 0"
	kernel without_done "out PASS: a" "exit 0"
	printf '[%s]\nfile = %s\n' nostart "$WORK/k/nostart.elf" crash "$WORK/k/crash.elf" \
		with_done "$WORK/k/with_done.elf" without_done "$WORK/k/without_done.elf" \
		missing "$WORK/k/missing.elf" | cfg
	run_suite
	expect_line "$OUT" \
		"FAIL nostart (QEMU failed to start: -device foo: 'foo' is not a valid device model name)" &&
		expect_line "$OUT" "FAIL crash (QEMU killed by SIGABRT: kvm.c:99: Assertion failed; last kernel output: PASS: a)" &&
		expect_line "$OUT" "PASS with_done (1 tests)" &&
		expect_match "$OUT" "^FAIL without_done \(no exit status" &&
		expect_line "$OUT" "FAIL missing (kernel $WORK/k/missing.elf not found; run make)" &&
		expect_eq "$(tail -n 1 "$OUT")" "1 passed, 4 failed, 0 skipped" "last line"
}
check "run_tests.sh: QEMU not starting, crashing, exit 0 with/without DONE, missing kernel" t_qemu_failures

# A test list with default, nodefault and bench tests in groups.
group_cfg()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	printf '[%s]\nfile = %s\ngroups = %s\n' a "$WORK/k/pass.elf" "apic" \
		b "$WORK/k/pass.elf" "ioapic" c "$WORK/k/pass.elf" "apic nodefault" \
		d "$WORK/k/pass.elf" "bench" | cfg
}

t_groups()
{
	group_cfg
	run_suite -l
	expect_eq "$(tr '\n' ' ' <"$OUT")" "a b " "-l" || return 1
	run_suite -l -a
	expect_eq "$(tr '\n' ' ' <"$OUT")" "a b c d " "-l -a" || return 1
	run_suite -g apic
	expect_eq "$(tr '\n' ' ' <"$OUT")" "PASS a (1 tests) PASS c (1 tests) 2 passed, 0 failed, 0 skipped " \
		"-g apic" || return 1
	run_suite
	expect_eq "$(tail -n 1 "$OUT")" "2 passed, 0 failed, 0 skipped" "default run" || return 1
	run_suite d
	expect_line "$OUT" "PASS d (1 tests)"
}
check "run_tests.sh: -l, -a, -g; nodefault and bench only when asked, by -a, group or name" t_groups

t_unknown_name()
{
	group_cfg
	run_suite a nosuch
	expect_status 2 && expect_match "$ERR" "unknown test nosuch .*-l" &&
		expect_eq "$(cat "$OUT")" "" "stdout" && expect_eq "$(cat "$FAKE_QEMU_LOG" 2>/dev/null)" "" \
		"QEMU runs" || return 1
	run_suite -g nosuch
	expect_status 2 && expect_match "$ERR" "no test in group nosuch"
}
check "run_tests.sh: an unknown test name (or group) is an error; nothing runs" t_unknown_name

t_accel_skip()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	printf '[%s]\nfile = %s\naccel = %s\n' pv_eoi "$WORK/k/pass.elf" kvm \
		tcg_only "$WORK/k/pass.elf" tcg | cfg
	run_suite
	expect_status 0 &&
		expect_line "$OUT" "SKIP pv_eoi (kvm not available: $WORK/no-kvm missing)" &&
		expect_line "$OUT" "PASS tcg_only (1 tests)" || return 1
	ACCEL=tcg run_suite
	expect_line "$OUT" "SKIP pv_eoi (test requires kvm, ACCEL=tcg)" || return 1
	: >"$WORK/kvm"
	KVM_DEV=$WORK/kvm FAKE_KVM_MODELS=host ACCEL=kvm run_suite
	expect_line "$OUT" "PASS pv_eoi (1 tests)" &&
		expect_line "$OUT" "SKIP tcg_only (test requires tcg, ACCEL=kvm)"
}
check "run_tests.sh: a test whose accelerator is unavailable or not ACCEL is a SKIP saying why" t_accel_skip

t_probe_once()
{
	kernel args "args" "status 0"
	: >"$WORK/kvm"
	: >"$WORK/qboot.rom"
	printf '[%s]\nfile = %s\nmachine = %s\n' one "$WORK/k/args.elf" q35 \
		two "$WORK/k/args.elf" microvm three "$WORK/k/args.elf" "q35,kernel-irqchip=split" | cfg
	KVM_DEV=$WORK/kvm FAKE_KVM_MODELS="host,-arch-capabilities" QBOOT_ROM=$WORK/qboot.rom \
		run_suite -j 3
	expect_status 0 || return 1
	expect_eq "$(grep -c '^probe' "$FAKE_QEMU_LOG")" 2 "probes (host, host,-arch-capabilities)" &&
		expect_match "$LOGDIR/one.log" "^ARGS: .* -cpu host,-arch-capabilities .* -bios " &&
		expect_no_match "$LOGDIR/two.log" "^ARGS: .* -bios " &&
		expect_match "$LOGDIR/three.log" "^ARGS: .* -machine q35,kernel-irqchip=split "
}
check "run_tests.sh: KVM probed once per run; qboot for q35/pc, machine properties kept" t_probe_once

t_test_options()
{
	kernel args "args" "status 0"
	cat >"$UNITTESTS_CFG" <<EOF
[smp]
file = $WORK/k/args.elf
smp = 4
test_args = expect-args "key=a b"
[topology]
file = $WORK/k/args.elf
smp = 4
extra_params = -smp 4,sockets=2 -cpu qemu64 -m 64
EOF
	ACCEL=tcg run_suite
	expect_status 0 &&
		expect_match "$LOGDIR/smp.log" "^ARGS: .*/args.elf -smp 4 -append expect-args key=a b \$" &&
		expect_match "$LOGDIR/smp.log" "/args.elf -smp 4 -append 'expect-args key=a b'\$" &&
		expect_match "$LOGDIR/topology.log" "^ARGS: .*/args.elf -smp 4,sockets=2 -cpu qemu64 -m 64 \$" &&
		expect_no_match "$LOGDIR/topology.log" " (max|256) "
}
check "run_tests.sh: smp and test_args; qemu_params' -smp, -cpu and -m replace the defaults" t_test_options

t_machine_env()
{
	kernel args "args" "status 0"
	printf '[%s]\nfile = %s\nmachine = %s\n' micro "$WORK/k/args.elf" "microvm,pcie=on" | cfg
	printf '[any]\nfile = %s\n' "$WORK/k/args.elf" >>"$UNITTESTS_CFG"
	ACCEL=tcg MACHINE=pc run_suite
	expect_line "$OUT" "SKIP micro (test requires machine microvm, MACHINE=pc)" &&
		expect_match "$LOGDIR/any.log" "^ARGS: .* -machine pc " || return 1
	ACCEL=tcg MACHINE=microvm,rtc=off run_suite
	expect_match "$LOGDIR/micro.log" "^ARGS: .* -machine microvm,rtc=off "
}
check "run_tests.sh: MACHINE replaces the default machine; tests made for another are skipped" t_machine_env

t_arch()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	printf '[%s]\nfile = %s\narch = %s\n' arm "$WORK/k/pass.elf" aarch64 \
		x86 "$WORK/k/pass.elf" x86_64 | cfg
	ACCEL=tcg run_suite
	expect_status 0 && expect_line "$OUT" "SKIP arm (test is for aarch64)" &&
		expect_line "$OUT" "PASS x86 (1 tests)"
}
check "run_tests.sh: a test with another arch than x86_64 is skipped" t_arch

# Starts a run in a process group of its own and presses Ctrl-C (see t_run_ctrl_c).
t_ctrl_c()
{
	local pid

	kernel hang "out PASS: a" "hang"
	printf '[%s]\nfile = %s\n' a "$WORK/k/hang.elf" b "$WORK/k/hang.elf" | cfg
	set -m
	(cd "$WORK" && ACCEL=tcg exec env --default-signal=INT "$ROOT/run_tests.sh" -j 2) \
		>"$OUT" 2>"$ERR" &
	pid=$!
	set +m
	if ! { wait_for_qemus 2 && ctrl_c "$pid"; }; then
		kill_leftovers "$pid"
		return 1
	fi
	expect_status 130 && expect_no_qemu_left
}
check "run_tests.sh: Ctrl-C kills the running QEMUs" t_ctrl_c

t_cpu_features()
{
	kernel args "args" "status 0"
	: >"$WORK/kvm"
	cat >"$UNITTESTS_CFG" <<EOF2
[hidden]
file = $WORK/k/args.elf
cpu_features = -x2apic
[both]
file = $WORK/k/args.elf
cpu_features = -x2apic
qemu_params = -cpu qemu64
EOF2
	KVM_DEV=$WORK/kvm FAKE_KVM_MODELS="host,-arch-capabilities" run_suite
	expect_status 1 &&
		expect_match "$LOGDIR/hidden.log" "^ARGS: .* -cpu host,-arch-capabilities,-x2apic " &&
		expect_line "$OUT" \
			"FAIL both (cpu_features = -x2apic and a -cpu in qemu_params: put the features in that -cpu)" ||
		return 1
	ACCEL=tcg run_suite hidden
	expect_match "$LOGDIR/hidden.log" "^ARGS: .* -cpu max,-x2apic "
}
check "run_tests.sh: cpu_features added to the detected -cpu model; with qemu_params' -cpu a FAIL" \
	t_cpu_features

t_suite_needs()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	kernel nostart "err qemu-system-x86_64: failed to set MSR 0x40000073" "exit 1"
	kernel abort "err qemu-system-x86_64: kvm.c:99: kvm_buf_set_msrs: Assertion failed" "signal ABRT"
	cfg <<EOF2
[big]
file = $WORK/k/pass.elf
qemu_params = -smp 999
needs = 999 vCPUs
[small]
file = $WORK/k/pass.elf
needs = nothing special
[late]
file = $WORK/k/nostart.elf
needs = Hyper-V enlightenments
[aborts]
file = $WORK/k/abort.elf
needs = Hyper-V enlightenments
[plain]
file = $WORK/k/nostart.elf
EOF2
	FAKE_QEMU_REFUSE="-smp 999" ACCEL=tcg run_suite
	expect_status 1 &&
		expect_line "$OUT" "SKIP big (needs 999 vCPUs: QEMU 7.2.22 (tcg) refused: cannot do -smp 999)" &&
		expect_line "$OUT" "PASS small (1 tests)" &&
		expect_line "$OUT" "SKIP late (needs Hyper-V enlightenments: QEMU 7.2.22 (tcg) refused: failed to set MSR 0x40000073)" &&
		expect_line "$OUT" "SKIP aborts (needs Hyper-V enlightenments: QEMU 7.2.22 (tcg) refused: kvm.c:99: kvm_buf_set_msrs: Assertion failed)" &&
		expect_match "$OUT" "^FAIL plain \(QEMU failed to start: failed to set MSR 0x40000073\)" &&
		expect_match "$ERR" "^run_tests.sh: QEMU 7.2.22 \(.*fake-qemu\)$"
}
check "run_tests.sh: a refused 'needs' is a SKIP quoting QEMU; without 'needs' it is a FAIL" \
	t_suite_needs

t_suite_usage_errors()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	cfg <<EOF2
[pass]
file = $WORK/k/pass.elf
EOF2
	QEMU=$WORK/no-such-qemu run_suite
	expect_status 2 && expect_match "$ERR" "QEMU '.*no-such-qemu' is not an executable" &&
		expect_no_match "$ERR" "kvm not available" && expect_eq "$(cat "$OUT")" "" "stdout" &&
		[[ ! -e $FAKE_QEMU_LOG ]] || { DETAIL+=" (QEMU started)"; return 1; }
	ACCEL=tcg run_suite pass -v -t
	expect_status 0 && expect_line "$OUT" "TAP version 13" || return 1
	ACCEL=tcg run_suite -j2 -- pass
	expect_status 0 && expect_line "$OUT" "PASS pass (1 tests)" || return 1
	run_suite --help
	expect_status 0 && expect_match "$OUT" "^Usage: run_tests.sh" || return 1
	run_suite pass --bogus
	expect_status 2 && expect_match "$ERR" "unknown option --bogus" || return 1
	ACCEL=qemu run_suite pass
	expect_status 2 && expect_match "$ERR" "ACCEL=qemu" || return 1
	TIMEOUT=soon run_suite pass
	expect_status 2 && expect_match "$ERR" "TIMEOUT=soon"
}
check "run_tests.sh: usage errors stop the run before QEMU starts (status 2); options anywhere" \
	t_suite_usage_errors

t_suite_kernel_usage()
{
	kernel usage "out ABORT: usage: expect-cpus: 'abc' is not a number" "status 2"
	kernel xfail "out XFAIL: a" "out SKIP: b" "out SUMMARY: 2 tests, 1 expected failures, 1 skipped" \
		"status 0"
	cfg <<EOF2
[usage]
file = $WORK/k/usage.elf
[xfail]
file = $WORK/k/xfail.elf
EOF2
	ACCEL=tcg run_suite
	expect_status 1 &&
		expect_line "$OUT" "FAIL usage (usage error: expect-cpus: 'abc' is not a number)" &&
		expect_line "$OUT" "PASS xfail (0 of 2 tests passed, 1 expected failures, 1 skipped)"
}
check "run_tests.sh: a kernel usage error is its own verdict; a PASS with no check passed says so" \
	t_suite_kernel_usage

t_suite_logs_kept()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	cfg <<EOF2
[pass]
file = $WORK/k/pass.elf
EOF2
	ACCEL=tcg run_suite
	expect_status 0 && [[ -f $LOGDIR/pass.log ]] || { DETAIL="no log: $DETAIL"; return 1; }
	echo "mine" >"$LOGDIR/pass.log.note"
	ACCEL=tcg run_suite
	expect_status 0 && [[ -f $LOGDIR/pass.log && -f $LOGDIR.old/pass.log ]] &&
		[[ $(<"$LOGDIR.old/pass.log.note") == mine ]] ||
		{ DETAIL="previous run not kept in $LOGDIR.old: $DETAIL"; return 1; }
	# A directory with files the runner did not write is refused, and left alone, even when
	# they look like logs.
	mkdir "$WORK/mine" && echo keep >"$WORK/mine/important.log"
	ACCEL=tcg LOGDIR=$WORK/mine run_suite
	expect_status 2 && expect_match "$ERR" "holds files run_tests.sh did not write" &&
		[[ $(<"$WORK/mine/important.log") == keep && ! -e $WORK/mine.old ]] || return 1
	# A second run on the same directory while one holds it is refused, naming the first.
	exec {fd}>>"$LOGDIR.lock"
	flock -n "$fd" && echo 4242 >"$LOGDIR.lock"
	ACCEL=tcg run_suite
	exec {fd}>&-
	expect_status 2 && expect_match "$ERR" "another run_tests.sh \(pid 4242\) is writing"
}
check "run_tests.sh: previous logs kept as LOGDIR.old; foreign files and a second run refused" \
	t_suite_logs_kept

t_suite_interrupted()
{
	local pid

	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	kernel hang "out PASS: before the hang" "hang"
	cfg <<EOF2
[pass]
file = $WORK/k/pass.elf
[hang]
file = $WORK/k/hang.elf
EOF2
	(cd "$WORK" && ACCEL=tcg exec "$ROOT/run_tests.sh") >"$OUT" 2>"$ERR" &
	pid=$!
	for _ in $(seq 50); do
		grep -q "PASS: before the hang" "$FAKE_QEMU_LOG" 2>/dev/null && break
		[[ $(grep -c '^run ' "$FAKE_QEMU_LOG" 2>/dev/null) == 2 ]] && break
		sleep 0.1
	done
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	RC=$?
	expect_status 130 && expect_line "$LOGDIR/pass.log" "PASS: a" &&
		expect_line "$LOGDIR/hang.log" "PASS: before the hang" &&
		expect_line "$LOGDIR/hang.log" "FAIL hang (interrupted)" &&
		expect_line "$LOGDIR/SUMMARY" "interrupted after 2 of 2 tests" &&
		expect_line "$OUT" "FAIL hang (interrupted)" && expect_no_qemu_left
}
check "run_tests.sh: Ctrl-C keeps finished logs and the running test's partial log" \
	t_suite_interrupted
