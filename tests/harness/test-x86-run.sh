# shellcheck shell=bash
# Checks of x86/run with the fake QEMU. Sourced by run.sh.

# RC and DETAIL, set here, are read by run.sh, which sources this file.
# shellcheck disable=SC2034

t_run_pass()
{
	kernel pass "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	ACCEL=tcg run_one k/pass.elf
	expect_status 0 && expect_line "$OUT" "SUMMARY: 1 tests"
}
check "x86/run: a passing kernel exits 0 and its output is shown" t_run_pass

t_run_fail_skip()
{
	kernel fail "out FAIL: a" "out SUMMARY: 1 tests, 1 unexpected failures" "status 1"
	kernel skip "out SKIP: a: no x2APIC" "out SUMMARY: 1 tests, 1 skipped" "status 77"
	ACCEL=tcg run_one k/fail.elf
	expect_status 1 || return 1
	ACCEL=tcg run_one k/skip.elf
	expect_status 77
}
check "x86/run: kernel statuses 1 and 77 are passed through" t_run_fail_skip

t_run_done_line()
{
	kernel done77 "out SKIP: a: no x2APIC" "out --- DONE: 77 ---" "exit 0"
	kernel nodone "out PASS: a" "exit 0"
	ACCEL=tcg run_one k/done77.elf
	expect_status 77 || return 1
	ACCEL=tcg run_one k/nodone.elf
	expect_status 1 && expect_match "$ERR" "no exit status"
}
check "x86/run: QEMU exit 0 uses the DONE line's status, and fails without one" t_run_done_line

t_run_no_start()
{
	kernel bad "err qemu-system-x86_64: -foo: invalid option" "exit 1"
	ACCEL=tcg run_one k/bad.elf
	expect_status 3 && expect_match "$ERR" "QEMU failed to start: -foo: invalid option"
}
check "x86/run: QEMU failing to start is status 3 with QEMU's message" t_run_no_start

t_run_crash()
{
	kernel crash "out PASS: a" "err qemu-system-x86_64: kvm.c:99: Assertion failed" "signal ABRT"
	ACCEL=tcg run_one k/crash.elf
	expect_status 4 && expect_match "$ERR" "QEMU killed by SIGABRT: kvm.c:99: Assertion failed" &&
		expect_no_match "$ERR" "Aborted"
}
check "x86/run: QEMU killed by a signal is status 4 with QEMU's message" t_run_crash

t_run_timeout()
{
	local start took

	kernel hang "out PASS: a" "hang"
	start=$(now_ms)
	TIMEOUT=1 ACCEL=tcg run_one k/hang.elf
	took=$(($(now_ms) - start))
	expect_status 124 && expect_match "$ERR" "timeout" && expect_no_qemu_left || return 1
	((took < 2500)) || { DETAIL="took ${took} ms with TIMEOUT=1"; return 1; }
}
check "x86/run: TIMEOUT kills a hanging QEMU, status 124" t_run_timeout

t_run_missing()
{
	ACCEL=tcg run_one k/nothing.elf
	expect_status 2 && expect_match "$ERR" "k/nothing.elf not found; run make"
}
check "x86/run: a missing kernel is status 2, naming it and saying to run make" t_run_missing

t_run_defaults()
{
	local std="-nodefaults -display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4"

	kernel args "args" "status 0"
	ACCEL=tcg run_one k/args.elf -smp 2 -append "a b"
	expect_status 0 &&
		expect_match "$OUT" "^ARGS: $std -no-reboot -accel tcg -cpu max -machine q35 -m 256 -kernel k/args.elf -smp 2 -append a b \$"
}
check "x86/run: standard devices, TCG defaults (-cpu max, q35, 256 MiB), user options last" t_run_defaults

t_run_user_overrides()
{
	kernel args "args" "status 0"
	ACCEL=tcg run_one k/args.elf -cpu qemu64 -m 1G -M microvm -bios my.rom
	expect_status 0 && expect_no_match "$OUT" " (max|256|q35|-machine) " || return 1
	ACCEL=tcg MACHINE=pc run_one k/args.elf -machine kernel-irqchip=split
	expect_status 0 && expect_match "$OUT" " -machine pc .* -machine kernel-irqchip=split " || return 1
	ACCEL=tcg MACHINE=kernel-irqchip=split run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -machine q35,kernel-irqchip=split "
}
check "x86/run: no default -cpu/-m/-machine/-bios when given; MACHINE used, properties merged" \
	t_run_user_overrides

t_run_kvm_model()
{
	: >"$WORK/kvm"
	: >"$WORK/qboot.rom"
	kernel args "args" "status 0"
	FAKE_KVM_MODELS="host,-arch-capabilities" QBOOT_ROM=$WORK/qboot.rom KVM_DEV=$WORK/kvm \
		run_one k/args.elf
	expect_status 0 &&
		expect_match "$OUT" " -accel kvm -cpu host,-arch-capabilities -machine q35 -bios $WORK/qboot.rom " &&
		expect_line "$FAKE_QEMU_LOG" "probe host" &&
		expect_line "$FAKE_QEMU_LOG" "probe host,-arch-capabilities" || return 1
	FAKE_KVM_MODELS="host" QBOOT_ROM=$WORK/qboot.rom KVM_DEV=$WORK/kvm MACHINE=microvm \
		run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -cpu host -machine microvm " &&
		expect_no_match "$OUT" " -bios "
}
check "x86/run: KVM CPU model probed (host, then host,-arch-capabilities); qboot on q35 only" t_run_kvm_model

t_run_no_kvm()
{
	kernel args "args" "status 0"
	run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -accel tcg " &&
		expect_match "$ERR" "kvm not available \(.*no-kvm missing\); using TCG" || return 1
	ACCEL=kvm run_one k/args.elf
	expect_status 77 && expect_match "$ERR" "kvm not available: .*no-kvm missing" || return 1
	: >"$WORK/kvm"
	FAKE_KVM_MODELS='' KVM_DEV=$WORK/kvm run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -accel tcg " &&
		expect_match "$ERR" "cannot run a KVM guest.*failed to set MSR 0x10a"
}
check "x86/run: TCG (and why) without a usable KVM; ACCEL=kvm then skips (77)" t_run_no_kvm

t_run_probe_passed_down()
{
	kernel args "args" "status 0"
	KVM_PROBE="ok host,-arch-capabilities" run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -cpu host,-arch-capabilities " &&
		expect_no_match "$FAKE_QEMU_LOG" "^probe"
}
check "x86/run: a KVM_PROBE answer from the environment is used without probing" t_run_probe_passed_down

t_run_verbose()
{
	local std="-nodefaults -display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4"

	kernel pass "out SUMMARY: 1 tests" "status 0"
	VERBOSE=1 ACCEL=tcg run_one k/pass.elf -append "x y"
	expect_status 0 && expect_line "$ERR" \
		"$FAKE_QEMU $std -no-reboot -accel tcg -cpu max -machine q35 -m 256 -kernel k/pass.elf -append 'x y'"
}
check "x86/run: VERBOSE prints the QEMU command line, quoted for a shell" t_run_verbose

# Waits up to 5 s until the fake QEMU has started $1 times.
wait_for_qemus()
{
	local i n

	for ((i = 0; i < 100; i++)); do
		n=$(grep -c "^pid " "$FAKE_QEMU_LOG" 2>/dev/null)
		((${n:-0} >= $1)) && return 0
		sleep 0.05
	done
	DETAIL="the fake QEMU did not start $1 times"
	return 1
}

# Waits up to 2 s until a line of OUT matches extended regular expression $1.
wait_for_line()
{
	local i

	for ((i = 0; i < 40; i++)); do
		grep -Eq -- "$1" "$OUT" && return 0
		sleep 0.05
	done
	DETAIL="no line matches /$1/ in 2 s"
	return 1
}

# Kills what a failed check left running: process group $1 and the fake QEMUs.
kill_leftovers()
{
	local pid

	{
		kill -KILL -- -"$1"
		while read -r pid; do
			kill -KILL "$pid"
		done < <(sed -n 's/^pid //p' "$FAKE_QEMU_LOG")
		wait "$1"
	} 2>/dev/null
}

# Sends SIGINT to process group $1, as a terminal's Ctrl-C does, and waits up to 3 s for its
# leader to end; sets RC to its exit status.
ctrl_c()
{
	local i

	kill -INT -- -"$1"
	for ((i = 0; i < 60; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			RC=$?
			return 0
		fi
		sleep 0.05
	done
	DETAIL="still running 3 s after Ctrl-C"
	return 1
}

# Starts a run in a process group of its own and presses Ctrl-C. A shell ignores SIGINT in
# what it starts in the background (as when this script itself runs in the background), and
# an ignored SIGINT cannot be trapped: env gives the run the default handling back.
# A known deviation puts the line filter between QEMU and the output.
t_run_ctrl_c()
{
	local pid

	kernel hang "out PASS: a" "hang"
	printf '[a]\nhypervisor = tcg\nprogram = hang\nreport = a\nwhy = w\nevidence = e\n' >"$WORK/d.cfg"
	set -m
	(cd "$WORK" && KNOWN_DEVIATIONS=d.cfg ACCEL=tcg exec env --default-signal=INT "$ROOT/x86/run" \
		k/hang.elf) >"$OUT" 2>"$ERR" &
	pid=$!
	set +m
	if ! { wait_for_qemus 1 && wait_for_line "^XPASS: a " && ctrl_c "$pid"; }; then
		kill_leftovers "$pid"
		return 1
	fi
	expect_status 130 && expect_no_qemu_left
}
check "x86/run: Ctrl-C kills QEMU (with the known deviations filter running)" t_run_ctrl_c

t_run_no_qemu()
{
	kernel pass "out SUMMARY: 1 tests" "status 0"
	QEMU=$WORK/no-such-qemu ACCEL=tcg run_one k/pass.elf
	expect_status 2 && expect_match "$ERR" "QEMU '.*no-such-qemu' is not an executable" ||
		return 1
	: >"$WORK/not-executable"
	QEMU=$WORK/not-executable ACCEL=tcg run_one k/pass.elf
	expect_status 2 && expect_match "$ERR" "is not an executable" && expect_no_qemu_left
}
check "x86/run: a QEMU that is not there or not executable is a usage error (status 2)" t_run_no_qemu

t_run_kernel_usage()
{
	kernel usage "out ABORT: usage: unknown option 'expect_cpus' (the 'help' option lists them)" \
		"status 2"
	ACCEL=tcg run_one k/usage.elf
	expect_status 2 &&
		expect_match "$ERR" "usage error: unknown option 'expect_cpus' \(the 'help' option lists them\)"
}
check "x86/run: a kernel that refuses its options (status 2) is a usage error, status 2" \
	t_run_kernel_usage

t_run_qemu_dies()
{
	kernel dies "out PASS: a" "out INFO: bringup: 3 of 4" "err qemu: out of memory" "signal KILL"
	ACCEL=tcg run_one k/dies.elf
	expect_status 4 &&
		expect_match "$ERR" "QEMU killed by SIGKILL: out of memory; last kernel output: INFO: bringup: 3 of 4"
}
check "x86/run: a QEMU that dies mid-run says how and where the kernel had got to" t_run_qemu_dies

t_run_cpu_features()
{
	kernel args "args" "status 0"
	CPU_FEATURES=-x2apic ACCEL=tcg run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -cpu max,-x2apic -machine " || return 1
	: >"$WORK/kvm"
	CPU_FEATURES=+x2apic,-pdpe1gb FAKE_KVM_MODELS="host,-arch-capabilities" KVM_DEV=$WORK/kvm \
		run_one k/args.elf
	expect_status 0 && expect_match "$OUT" " -cpu host,-arch-capabilities,\+x2apic,-pdpe1gb " &&
		expect_line "$FAKE_QEMU_LOG" "probe host,-arch-capabilities" || return 1
	CPU_FEATURES=-x2apic ACCEL=tcg run_one k/args.elf -cpu qemu64
	expect_status 2 && expect_match "$ERR" "CPU_FEATURES=-x2apic and a -cpu option" || return 1
	CPU_FEATURES="x2apic off" ACCEL=tcg run_one k/args.elf
	expect_status 2 && expect_match "$ERR" "CPU_FEATURES=x2apic off is not a list"
}
check "x86/run: CPU_FEATURES go after the detected -cpu model; an error with -cpu or bad syntax" \
	t_run_cpu_features
