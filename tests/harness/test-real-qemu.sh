# shellcheck shell=bash
# Checks with the real QEMU and the selftest kernel. They run under TCG so that they behave the
# same on any host, but for run_tests.sh's passing test, which uses what the runner picks by
# itself (KVM when it is usable here). Sourced by run.sh; skipped (and not counted) when the
# kernel is not built or QEMU is not installed.

REAL_QEMU=$(QEMU='' qemu_binary "$ROOT")

# Under QEMU 7.2's TCG the selftest passes only by known-deviations.cfg: with the file its two
# MSR #GP checks are XFAILs that name their entries; without it they are FAILs.
t_real_pass()
{
	KNOWN_DEVIATIONS='' QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.elf"
	expect_status 0 && expect_match "$OUT" "^SUMMARY: [0-9]+ tests, [0-9]+ expected failures" &&
		expect_match "$OUT" "^XFAIL: exceptions: rdmsr .*\[known deviation tcg-rdmsr-" &&
		expect_match "$OUT" "^XFAIL: exceptions: wrmsr .*\[known deviation tcg-wrmsr-" &&
		expect_match "$OUT" "^INFO: known deviation tcg-rdmsr-.*\(evidence: " || return 1
	KNOWN_DEVIATIONS=none QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.elf"
	expect_status 1 && expect_match "$OUT" "^FAIL: exceptions: rdmsr of a nonexistent MSR"
}

t_real_exception()
{
	QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.elf" -append unexpected-exception
	expect_status 1 && expect_match "$OUT" "^FAIL: .*vector .*RIP "
}

t_real_no_start()
{
	QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.elf" -no-such-option
	expect_status 3 && expect_match "$ERR" "QEMU failed to start: -no-such-option: invalid option"
}

# A mistyped option stops the kernel before any check: a usage error, status 2, not a FAIL.
t_real_usage()
{
	QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/smp.elf" -smp 2 -append 'expect_cpus=2'
	expect_status 2 && expect_match "$OUT" "^ABORT: usage: unknown option 'expect_cpus=2'" &&
		expect_no_match "$OUT" "^(PASS|FAIL|SUMMARY)" &&
		expect_match "$ERR" "usage error: unknown option 'expect_cpus=2'" || return 1
	QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/smp.elf" -append help
	expect_status 0 && expect_match "$OUT" "expect-cpus" && expect_no_match "$OUT" "^(PASS|FAIL)"
}

t_real_suite()
{
	cfg <<'EOF2'
[selftest]
file = selftest.elf
[exception]
file = selftest.elf
test_args = unexpected-exception
accel = tcg
[hang]
file = selftest.elf
test_args = hang
timeout = 3
accel = tcg
EOF2
	# Under TCG (no KVM here) the selftest passes only by the known deviations file.
	KNOWN_DEVIATIONS='' QEMU=$REAL_QEMU KVM_DEV=/dev/kvm run_suite -j 3
	expect_status 1 &&
		expect_match "$OUT" "^PASS selftest \([0-9]+ tests" &&
		expect_match "$OUT" "^FAIL exception \([0-9]+ of [0-9]+ tests failed\)$" &&
		expect_line "$OUT" "FAIL hang (timeout; duration=3s)" &&
		expect_match "$LOGDIR/exception.log" "^FAIL: .*vector .*RIP " &&
		expect_eq "$(tail -n 1 "$OUT")" "1 passed, 2 failed, 0 skipped" "last line"
}

# The UEFI build through OVMF (about 3-6 s under TCG): the same verdicts as the .elf, the
# command line from the options file with argv[0] the program, and the boot line saying UEFI.
t_real_efi()
{
	KNOWN_DEVIATIONS='' QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.efi" \
		-append 'expect-args key=value'
	expect_status 0 &&
		expect_match "$OUT" "^INFO: boot: selftest via uefi \(.*, options from the options file\)" &&
		expect_match "$OUT" "^PASS: cmdline: the boot command line reaches main \(argc 3, argv\[0\] selftest\)"
}

# A loader failure (here an options file that is not text: a usage error) is an ABORT with the
# reason and a power-off, never a hang in firmware.
t_real_efi_abort()
{
	QEMU=$REAL_QEMU ACCEL=tcg run_one "$ROOT/x86/selftest.efi" -append $'caf\xc3\xa9'
	expect_status 2 &&
		expect_match "$OUT" "^ABORT: usage: selftest: the options file .*BOOTX64.cfg is not plain ASCII text" &&
		expect_match "$OUT" "^--- DONE: 2 ---"
}

if [[ ! -f $ROOT/x86/selftest.elf ]]; then
	skip_section "real QEMU checks: x86/selftest.elf is not built (run make)"
elif ! command -v "$REAL_QEMU" >/dev/null; then
	skip_section "real QEMU checks: $REAL_QEMU is not installed"
else
	check "real QEMU, TCG: x86/run x86/selftest.elf passes by its known deviations (FAILs without)" \
		t_real_pass
	check "real QEMU, TCG: an unexpected exception prints FAIL with vector and RIP, status 1" \
		t_real_exception
	check "real QEMU: a bad option is 'QEMU failed to start' (status 3)" t_real_no_start
	check "real QEMU, TCG: a mistyped kernel option is a usage error (2); help lists options" \
		t_real_usage
	check "real QEMU: run_tests.sh -j 3: PASS; exception FAIL and hang killed at 3 s under TCG" \
		t_real_suite
	if [[ ! -f $ROOT/x86/selftest.efi ]]; then
		skip_section "real QEMU UEFI checks: x86/selftest.efi is not built (run make)"
	elif ! ovmf_args "$WORK" >/dev/null; then
		skip_section "real QEMU UEFI checks: $RUN_REASON"
	else
		check "real QEMU, OVMF/TCG: selftest.efi passes, options file as its command line" \
			t_real_efi
		check "real QEMU, OVMF/TCG: a malformed options file is a usage error and a power-off" \
			t_real_efi_abort
	fi
fi
