# shellcheck shell=bash
# Checks of the UEFI boot path of x86/run and run_tests.sh with the fake QEMU: the firmware
# and boot disk instead of -kernel, -append as the options file, the machines and accelerators
# OVMF can use. Sourced by run.sh.

t_efi_cmdline()
{
	: >"$WORK/ovmf.fd"
	efi_kernel args "args" "cfg" "status 0"
	OVMF=$WORK/ovmf.fd ACCEL=tcg run_one k/args.efi -smp 2 -append 'expect-cpus=2 a="b c"'
	expect_status 0 &&
		expect_match "$OUT" "^ARGS: .* -machine q35 -bios $WORK/ovmf.fd -m 256 -drive file=fat:rw:[^ ]*/esp,format=raw -smp 2 $" &&
		expect_no_match "$OUT" " -kernel | -append " &&
		expect_line "$OUT" 'CFG: expect-cpus=2 a="b c"'
}
check "x86/run: a .efi boots OVMF from a FAT disk; -append becomes its options file" t_efi_cmdline

t_efi_no_append()
{
	: >"$WORK/ovmf.fd"
	efi_kernel args "cfg" "status 0"
	OVMF=$WORK/ovmf.fd ACCEL=tcg run_one k/args.efi
	expect_status 0 && expect_line "$OUT" "CFG: "
}
check "x86/run: without -append the options file is empty" t_efi_no_append

t_efi_machines()
{
	: >"$WORK/ovmf.fd"
	efi_kernel args "args" "status 0"
	OVMF=$WORK/ovmf.fd ACCEL=tcg MACHINE=microvm run_one k/args.efi
	expect_status 77 && expect_match "$ERR" "runs on q35 or pc, not microvm" || return 1
	OVMF=$WORK/ovmf.fd ACCEL=tcg run_one k/args.efi -machine pc
	expect_status 0 && expect_match "$OUT" " -machine pc "
}
check "x86/run: a .efi on microvm is skipped (77), on pc it runs" t_efi_machines

t_efi_no_firmware()
{
	efi_kernel args "args" "status 0"
	OVMF=$WORK/none.fd ACCEL=tcg run_one k/args.efi
	expect_status 2 && expect_match "$ERR" "OVMF=$WORK/none.fd: no such firmware image" || return 1
	# A -bios of the user's own needs no OVMF.
	OVMF=$WORK/none.fd ACCEL=tcg run_one k/args.efi -bios "$WORK/mine.fd"
	expect_status 0 && expect_match "$OUT" " -bios $WORK/mine.fd " &&
		expect_no_match "$OUT" "none.fd"
}
check "x86/run: a missing OVMF is a usage error naming it; -bios replaces it" t_efi_no_firmware

t_efi_kvm_fallback()
{
	: >"$WORK/kvm"
	: >"$WORK/ovmf.fd"
	efi_kernel args "args" "status 0"
	FAKE_KVM_MODELS=host KVM_DEV=$WORK/kvm OVMF=$WORK/ovmf.fd \
		OVMF_KVM_PROBE="no emulation failure" run_one k/args.efi
	expect_status 0 && expect_match "$OUT" " -accel tcg -cpu max " &&
		expect_match "$ERR" "UEFI firmware cannot run under kvm here \(emulation failure\); using TCG" ||
		return 1
	FAKE_KVM_MODELS=host KVM_DEV=$WORK/kvm OVMF=$WORK/ovmf.fd ACCEL=kvm \
		OVMF_KVM_PROBE="no emulation failure" run_one k/args.efi
	expect_status 77 && expect_match "$ERR" "UEFI firmware cannot run under kvm here" || return 1
	FAKE_KVM_MODELS=host KVM_DEV=$WORK/kvm OVMF=$WORK/ovmf.fd OVMF_KVM_PROBE=ok \
		run_one k/args.efi
	expect_status 0 && expect_match "$OUT" " -accel kvm -cpu host -machine q35 -bios $WORK/ovmf.fd "
}
check "x86/run: a .efi uses KVM only where OVMF runs under it, else TCG (or 77 if kvm is required)" \
	t_efi_kvm_fallback

t_efi_suite()
{
	: >"$WORK/ovmf.fd"
	kernel prog "out PASS: multiboot" "out SUMMARY: 1 tests" "status 0"
	efi_kernel prog "out PASS: uefi" "cfg" "out SUMMARY: 1 tests" "status 0"
	cfg <<EOF
[prog]
file = $WORK/k/prog.elf
test_args = x=1
[prog_microvm]
file = $WORK/k/prog.elf
machine = microvm
[prog_efi]
file = $WORK/k/prog.efi
EOF
	OVMF=$WORK/ovmf.fd ACCEL=tcg run_suite prog prog_efi
	expect_status 0 && expect_line "$LOGDIR/prog.log" "PASS: multiboot" &&
		expect_line "$LOGDIR/prog_efi.log" "PASS: uefi" || return 1
	OVMF=$WORK/ovmf.fd ACCEL=tcg run_suite -u
	expect_status 0 && expect_line "$LOGDIR/prog.log" "PASS: uefi" &&
		expect_line "$LOGDIR/prog.log" "CFG: x=1" &&
		expect_line "$OUT" "SKIP prog_microvm (UEFI firmware (OVMF) runs on q35 or pc, not microvm)" ||
		return 1
	OVMF=$WORK/ovmf.fd ACCEL=tcg UEFI=1 run_suite prog
	expect_status 0 && expect_line "$LOGDIR/prog.log" "PASS: uefi" || return 1
	UEFI=yes run_suite prog
	expect_status 2 && expect_match "$ERR" "UEFI=yes"
}
check "run_tests.sh: .efi entries boot OVMF; -u and UEFI=1 boot every entry's UEFI build" \
	t_efi_suite
