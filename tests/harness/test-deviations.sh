# shellcheck shell=bash
# Checks of the known deviations (scripts/deviations.sh) with the fake QEMU: how the hypervisor
# identity is found, how known-deviations.cfg is read, and what x86/run and run_tests.sh make
# of a kernel's lines with it. Sourced by run.sh.

# RC and DETAIL, set here, are read by run.sh, which sources this file.
# shellcheck disable=SC2034
# shellcheck source=../../scripts/qemu.sh
source "$ROOT/scripts/qemu.sh"

# Writes the known deviations file from stdin and points KNOWN_DEVIATIONS at it.
deviations()
{
	export KNOWN_DEVIATIONS=$WORK/known-deviations.cfg
	cat >"$KNOWN_DEVIATIONS"
}

# A file with an entry for kvm-pvm and one for tcg (and kvm-amd) under QEMU 7.2.
two_deviations()
{
	deviations <<'EOF'
# a comment
[pvm-lazy-eoi]   # comment after a section
hypervisor = kvm-pvm
program = apic
report = pv_eoi: lazy EOI engages*
why = the PV-EOI flag is never set
evidence = 1000 self-IPIs saw it 0 times

[tcg-msr]
hypervisor = tcg, kvm-amd        # a trailing comment
qemu = 7.2.*
program = selftest
report = exceptions: rdmsr raises #GP (got *)
why = TCG returns 0 for an MSR it does not implement
evidence = misc_helper.c helper_rdmsr() default case
EOF
}

# Fake kernel $WORK/k/$1.elf: a pass, then FAIL report text $2, then a SUMMARY and status 1.
failing_kernel()
{
	kernel "$1" "out PASS: a" "out FAIL: $2" "out SUMMARY: 2 tests, 1 unexpected failures" \
		"status 1"
}

t_dev_identity()
{
	local tree=$SYSFS_ROOT/module m

	hypervisor_id tcg
	expect_eq "$HV_ID" tcg "accel tcg" || return 1
	hypervisor_id kvm
	expect_eq "$HV_ID" kvm-unknown "no vendor module" || return 1
	for m in intel amd pvm; do
		mkdir "$tree/kvm_$m"
		hypervisor_id kvm,kernel-irqchip=split
		expect_eq "$HV_ID/$HV_FROM" "kvm-$m/$tree/kvm_$m" "kvm_$m" || return 1
		hypervisor_id tcg
		expect_eq "$HV_ID" tcg "tcg with kvm_$m loaded" || return 1
		rmdir "$tree/kvm_$m"
	done
	mkdir "$tree/kvm_intel" "$tree/kvm_pvm"
	hypervisor_id kvm
	expect_eq "$HV_ID" kvm-unknown "two vendor modules" || return 1
	HYPERVISOR_ID=kvm-amd hypervisor_id tcg
	expect_eq "$HV_ID" kvm-amd "HYPERVISOR_ID"
}
check "deviations: identity tcg, kvm-intel/amd/pvm from sysfs, kvm-unknown; HYPERVISOR_ID wins" \
	t_dev_identity

t_dev_load()
{
	two_deviations
	dev_load "$KNOWN_DEVIATIONS" 2>"$ERR" || { DETAIL=$(cat "$ERR"); return 1; }
	expect_eq "${DEV_ID[*]}" "pvm-lazy-eoi tcg-msr" "ids" &&
		expect_eq "${DEV_HYPERVISOR[1]}" "tcg, kvm-amd" "trailing comment" &&
		expect_eq "${DEV_REPORT[1]}" "exceptions: rdmsr raises #GP (got *)" "#GP kept" &&
		expect_eq "${DEV_QEMU[0]}/${DEV_QEMU[1]}" "/7.2.*" "optional qemu" &&
		globs_match kvm-amd "${DEV_HYPERVISOR[1]}" && ! globs_match kvm-intel "${DEV_HYPERVISOR[1]}" ||
		{ DETAIL="hypervisor globs wrong"; return 1; }
}
check "deviations: file read; comments after blanks, '#GP' kept, comma-separated globs" t_dev_load

t_dev_bad_file()
{
	local bad want
	local -a cases=(
		"[a]\nhypervisor = tcg\nprogram = p\nreport = r\nreason = x\nevidence = e|:5: unknown key 'reason'"
		"\n[a]\nhypervisor = tcg\nprogram = p\nreport = r\nwhy = w\n[b]|:2: \\[a\\] has no 'evidence = ...'"
		"[a]\nhypervisor = tcg\nprogram = p\nreport = r\nwhy = w|:1: \\[a\\] has no 'evidence = ...'"
		"why = w|:1: 'why' before the first"
		"[a]\nhypervisor =\n|:2: hypervisor of \\[a\\] is empty"
		"[a]\nwhy = w\nwhy = v|:3: why given twice"
		"[a a]|:1: neither"
	)

	for bad in "${cases[@]}"; do
		want=${bad##*|}
		printf '%b\n' "${bad%|*}" >"$WORK/bad.cfg"
		if dev_load "$WORK/bad.cfg" 2>"$ERR"; then
			DETAIL="accepted: ${bad%|*}"
			return 1
		fi
		expect_match "$ERR" "^$WORK/bad.cfg$want" || return 1
	done
	kernel selftest "out PASS: a" "out SUMMARY: 1 tests" "status 0"
	printf '[a]\nhypervisor = tcg\nprogramme = selftest\n' >"$WORK/bad.cfg"
	KNOWN_DEVIATIONS=$WORK/bad.cfg ACCEL=tcg run_one k/selftest.elf
	expect_status 2 && expect_match "$ERR" "bad.cfg:3: unknown key 'programme'" || return 1
	printf '[t]\nfile = %s\n' "$WORK/k/selftest.elf" | cfg
	KNOWN_DEVIATIONS=$WORK/bad.cfg ACCEL=tcg run_suite
	expect_status 2 && expect_match "$ERR" "bad.cfg:3: unknown key 'programme'" &&
		expect_eq "$(cat "$OUT")" "" "stdout" &&
		expect_eq "$(cat "$FAKE_QEMU_LOG" 2>/dev/null)" "" "QEMU runs" || return 1
	KNOWN_DEVIATIONS=$WORK/missing.cfg ACCEL=tcg run_one k/selftest.elf
	expect_status 2 && expect_match "$ERR" "missing.cfg: cannot read"
}
check "deviations: unknown or missing key, empty value, ... are errors at file:line (status 2)" \
	t_dev_bad_file

t_dev_xfail()
{
	two_deviations
	failing_kernel selftest "exceptions: rdmsr raises #GP (got -1)"
	HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 0 &&
		expect_eq "$(tail -n 3 "$OUT")" "XFAIL: exceptions: rdmsr raises #GP (got -1) [known deviation tcg-msr]
INFO: known deviation tcg-msr: TCG returns 0 for an MSR it does not implement (evidence: misc_helper.c helper_rdmsr() default case)
SUMMARY: 2 tests, 1 expected failures" "output" && expect_no_match "$OUT" "^FAIL"
}
check "deviations: x86/run: a known FAIL is an XFAIL, INFO before SUMMARY, status 1 -> 0" t_dev_xfail

t_dev_unmatched()
{
	two_deviations
	kernel selftest "out FAIL: exceptions: rdmsr raises #GP (got -1)" "out FAIL: other" \
		"out SUMMARY: 2 tests, 2 unexpected failures" "status 1"
	HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 1 && expect_line "$OUT" "FAIL: other" &&
		expect_line "$OUT" "SUMMARY: 2 tests, 1 unexpected failures, 1 expected failures" || return 1
	kernel selftest "out FAIL: exceptions: rdmsr raises #GP (got -1)" "out ABORT: lost the AP" \
		"out SUMMARY: 1 tests, 1 unexpected failures" "status 1"
	HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 1
}
check "deviations: a FAIL or ABORT no entry matches keeps status 1" t_dev_unmatched

t_dev_xpass()
{
	two_deviations
	kernel selftest "out PASS: exceptions: rdmsr raises #GP (got 13)" "out SUMMARY: 1 tests" \
		"status 0"
	HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 1 && expect_line "$OUT" \
		"XPASS: exceptions: rdmsr raises #GP (got 13) [known deviation tcg-msr no longer seen]" &&
		expect_line "$OUT" "SUMMARY: 1 tests, 1 unexpected failures" || return 1
	printf '[t]\nfile = %s\n' "$WORK/k/selftest.elf" | cfg
	HYPERVISOR_ID=tcg run_suite
	expect_status 1 && expect_line "$OUT" "FAIL t (1 of 1 tests failed)"
}
check "deviations: a PASS an entry expects to fail is an XPASS, status 0 -> 1, test FAILs" t_dev_xpass

t_dev_summary()
{
	two_deviations
	printf '%s\r\n' "out PASS: a" "out FAIL: exceptions: rdmsr raises #GP (got -1)" "out FAIL: b" \
		"out XFAIL: c" "out SKIP: d" \
		"out SUMMARY: 5 tests, 2 unexpected failures, 1 expected failures, 1 skipped" \
		>"$WORK/k/selftest.elf"
	echo "status 1" >>"$WORK/k/selftest.elf"
	HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 1 &&
		expect_line "$OUT" $'SUMMARY: 5 tests, 1 unexpected failures, 2 expected failures, 1 skipped\r' &&
		expect_line "$OUT" $'XFAIL: exceptions: rdmsr raises #GP (got -1) [known deviation tcg-msr]\r'
}
check "deviations: SUMMARY counts corrected in the kernel's format (CRLF kept)" t_dev_summary

t_dev_not_applied()
{
	local id

	two_deviations
	failing_kernel selftest "exceptions: rdmsr raises #GP (got -1)"
	failing_kernel other "exceptions: rdmsr raises #GP (got -1)"
	failing_kernel apic "pv_eoi: lazy EOI engages (0 of 1000)"
	HYPERVISOR_ID=kvm-intel run_one k/selftest.elf
	expect_status 1 && expect_line "$OUT" "FAIL: exceptions: rdmsr raises #GP (got -1)" || return 1
	HYPERVISOR_ID=kvm-amd run_one k/selftest.elf
	expect_status 0 || return 1
	HYPERVISOR_ID=tcg run_one k/other.elf
	expect_status 1 || return 1
	FAKE_QEMU_VERSION=8.0.0 HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 1 && expect_no_match "$OUT" "^(XFAIL|INFO)" || return 1
	FAKE_QEMU_VERSION=7.2.5 HYPERVISOR_ID=tcg run_one k/selftest.elf
	expect_status 0 || return 1
	for id in kvm-intel kvm-amd tcg kvm-unknown; do
		HYPERVISOR_ID=$id run_one k/apic.elf
		expect_status 1 || { DETAIL="$id: $DETAIL"; return 1; }
	done
	HYPERVISOR_ID=kvm-pvm run_one k/apic.elf
	expect_status 0
}
check "deviations: entries for another identity, program or QEMU version do not apply" \
	t_dev_not_applied

t_dev_sysfs()
{
	two_deviations
	failing_kernel apic "pv_eoi: lazy EOI engages (0 of 1000)"
	: >"$WORK/kvm"
	mkdir "$SYSFS_ROOT/module/kvm_intel"
	KVM_DEV=$WORK/kvm FAKE_KVM_MODELS=host VERBOSE=1 run_one k/apic.elf
	expect_status 1 && expect_match "$ERR" "^x86/run: hypervisor kvm-intel \(.*/kvm_intel\)" || return 1
	rmdir "$SYSFS_ROOT/module/kvm_intel"
	mkdir "$SYSFS_ROOT/module/kvm_pvm"
	KVM_DEV=$WORK/kvm FAKE_KVM_MODELS=host VERBOSE=1 run_one k/apic.elf
	expect_status 0 && expect_match "$ERR" "^x86/run: hypervisor kvm-pvm .* 1 of 2 entries of "
}
check "deviations: under KVM the identity comes from sysfs (kvm_intel vs kvm_pvm); VERBOSE says" \
	t_dev_sysfs

t_dev_failures_stay()
{
	two_deviations
	kernel hang "out FAIL: exceptions: rdmsr raises #GP (got -1)" "hang"
	kernel crash "out FAIL: exceptions: rdmsr raises #GP (got -1)" "signal ABRT"
	kernel nosummary "out FAIL: exceptions: rdmsr raises #GP (got -1)" "status 1"
	kernel skip "out FAIL: exceptions: rdmsr raises #GP (got -1)" "out SKIP: x: no feature" \
		"out SUMMARY: 2 tests, 1 unexpected failures, 1 skipped" "status 77"
	cat >>"$KNOWN_DEVIATIONS" <<'EOF'
[all]
hypervisor = tcg
program = hang,crash,nosummary,skip
report = exceptions: *
why = w
evidence = e
EOF
	TIMEOUT=1 HYPERVISOR_ID=tcg run_one k/hang.elf
	expect_status 124 && expect_match "$OUT" "^XFAIL: .*\[known deviation all\]" || return 1
	HYPERVISOR_ID=tcg run_one k/crash.elf
	expect_status 4 || return 1
	HYPERVISOR_ID=tcg run_one k/nosummary.elf
	expect_status 1 && expect_match "$ERR" "without a SUMMARY line" || return 1
	HYPERVISOR_ID=tcg run_one k/skip.elf
	expect_status 77
}
check "deviations: a timeout, a crash or no SUMMARY still fails with a known FAIL; 77 stays 77" \
	t_dev_failures_stay

t_dev_none()
{
	two_deviations
	failing_kernel selftest "exceptions: rdmsr raises #GP (got -1)"
	KNOWN_DEVIATIONS=none HYPERVISOR_ID=tcg VERBOSE=1 run_one k/selftest.elf
	expect_status 1 && expect_line "$OUT" "FAIL: exceptions: rdmsr raises #GP (got -1)" &&
		expect_line "$OUT" "SUMMARY: 2 tests, 1 unexpected failures" &&
		expect_no_match "$OUT" "^INFO" && expect_match "$ERR" "known deviations off"
}
check "deviations: KNOWN_DEVIATIONS=none gives the raw results" t_dev_none

t_dev_suite()
{
	two_deviations
	failing_kernel selftest "exceptions: rdmsr raises #GP (got -1)"
	printf '[t]\nfile = %s\n' "$WORK/k/selftest.elf" | cfg
	(cd "$WORK" && KNOWN_DEVIATIONS=known-deviations.cfg ACCEL=tcg "$ROOT/run_tests.sh" -v) \
		>"$OUT" 2>"$ERR"
	RC=$?
	expect_status 0 && expect_line "$OUT" "PASS t (2 tests, 1 expected failures)" &&
		expect_match "$OUT" "^hypervisor tcg \(accel tcg\); known deviations: 1 of 2 entries" &&
		expect_match "$LOGDIR/t.log" "^XFAIL: .*\[known deviation tcg-msr\]$" &&
		expect_match "$LOGDIR/t.log" "^INFO: known deviation tcg-msr: " &&
		expect_line "$LOGDIR/t.log" "SUMMARY: 2 tests, 1 expected failures"
}
check "deviations: run_tests.sh: PASS with expected failures, rewritten log, -v names identity" \
	t_dev_suite

# The filter must not hold lines back: x86/run shows a kernel's output as it comes.
t_dev_live()
{
	local pid

	two_deviations
	kernel selftest "out FAIL: exceptions: rdmsr raises #GP (got -1)" "sleep 3" \
		"out SUMMARY: 1 tests, 1 unexpected failures" "status 1"
	(cd "$WORK" && HYPERVISOR_ID=tcg exec "$ROOT/x86/run" k/selftest.elf) >"$OUT" 2>"$ERR" &
	pid=$!
	wait_for_line "^XFAIL: "
	if ! kill -0 "$pid" 2>/dev/null; then
		DETAIL="x86/run ended before its first line was seen; $DETAIL"
	fi
	wait "$pid"
	RC=$?
	[[ ! $DETAIL ]] && expect_status 0
}
check "deviations: rewritten lines are shown as they come, not at the end" t_dev_live

t_help_documents()
{
	run_one -h
	expect_match "$OUT" "KNOWN_DEVIATIONS" && expect_match "$OUT" "HYPERVISOR_ID" &&
		expect_match "$OUT" "CPU_FEATURES" || return 1
	run_suite -h
	expect_match "$OUT" "KNOWN_DEVIATIONS" && expect_match "$OUT" "HYPERVISOR_ID" &&
		expect_match "$OUT" "cpu_features"
}
check "x86/run -h and run_tests.sh -h document KNOWN_DEVIATIONS, HYPERVISOR_ID, CPU features" \
	t_help_documents
