#!/bin/bash
# Boot tests of the images that scripts/make-images.sh builds (make images): the GRUB ISO under
# SeaBIOS and OVMF, the GPT disk under OVMF, with and without isa-debug-exit, and the disk
# with its options file changed through mtools. No -kernel: the images must boot by themselves,
# as on Hyper-V or a real machine. Everything runs under TCG so that it behaves the same on any
# host (OVMF does not run under this project's KVM hosts at all).
#
# Prints one line per check, "PASS: what (detail)" or "FAIL: what" and the reason, then the
# boot time of each path and "N passed, N failed"; exits 1 when a check failed. A section whose
# tool or image is missing is one "SKIP: ..." line with the reason (not counted).
#
# Environment: IMAGES_DIR (default build/images), QEMU (default from config.mak), OVMF (default
# /usr/share/ovmf/OVMF.fd), BOOT_TIMEOUT (seconds per boot, default 90), and LAUNCHER and
# EFI_DIR as for scripts/make-images.sh: the disk is only tested when the UEFI build is there.

HERE=$(cd "${BASH_SOURCE[0]%/*}" && pwd) || exit 2
ROOT=$(cd "$HERE/../.." && pwd) || exit 2
# shellcheck source=../../scripts/qemu.sh
source "$ROOT/scripts/qemu.sh" || exit 2

IMAGES_DIR=${IMAGES_DIR:-$ROOT/build/images}
QEMU=$(qemu_binary "$ROOT")
OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}
LAUNCHER=${LAUNCHER:-$ROOT/lib/x86/efi/launcher.efi}
EFI_DIR=${EFI_DIR:-$ROOT/x86}
ISO=$IMAGES_DIR/vic-tests.iso
IMG=$IMAGES_DIR/vic-tests.img
VHDX=$IMAGES_DIR/vic-tests.vhdx
# Where the EFI System Partition starts (make-images.sh puts it at 1 MiB).
ESP=@@1M

PASSED=0 FAILED=0
TIMES=()

# Runs check function $2, named $1, and prints its verdict with DETAIL.
check()
{
	DETAIL=
	if "$2"; then
		PASSED=$((PASSED + 1))
		printf 'PASS: %s (%s)\n' "$1" "$DETAIL"
	else
		FAILED=$((FAILED + 1))
		printf 'FAIL: %s\n' "$1"
		[[ $DETAIL ]] && printf '%s\n' "$DETAIL" | sed 's/^/    /'
	fi
}

# Prints that a whole section cannot run here and why; not counted, so a host without OVMF or
# without the UEFI build still gets a clean verdict on the rest.
skip_section()
{
	printf 'SKIP: %s\n' "$*"
}

# Boots QEMU under TCG (q35, 4 vCPUs) with options "${@:2}" and the serial port in a file, for
# at most BOOT_TIMEOUT seconds; -no-reboot turns a reset into an exit. Sets RC, LOG (the serial
# output without carriage returns and terminal escapes, which firmware and GRUB consoles add)
# and SECS, and records the boot time under name $1.
boot()
{
	local name=$1 raw=$WORK/$1.serial start

	shift
	QEMU_OUT=$WORK/$name.qemu
	start=$EPOCHREALTIME
	timeout --kill-after=5 "$BOOT_TIMEOUT" "$QEMU" -accel tcg -cpu max -machine q35 -smp 4 \
		-m 256 -nodefaults -display none -no-reboot -serial "file:$raw" "$@" \
		</dev/null >"$QEMU_OUT" 2>&1
	RC=$?
	SECS=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	LOG=$WORK/$name.log
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$raw" >"$LOG" 2>/dev/null
	TIMES+=("$name ${SECS} s")
}

# Succeeds when QEMU ended by itself: timeout(1) exits 124 (137 after the kill).
expect_own_exit()
{
	((RC != 124 && RC != 137)) && return 0
	DETAIL="QEMU still running after $BOOT_TIMEOUT s, killed; serial log ends:"$'\n'$(tail -n 5 "$LOG")
	return 1
}

# Succeeds when the log has a whole SUMMARY line (ended by a newline: a line cut off by a
# power-off that came too early does not count). Sets SUMMARY.
expect_summary()
{
	local line

	SUMMARY=
	while IFS= read -r line; do
		[[ $line =~ ^SUMMARY:\ [0-9]+\ tests ]] && SUMMARY=$line
	done <"$LOG"
	[[ $SUMMARY ]] && return 0
	DETAIL="no complete SUMMARY line; serial log ends:"$'\n'$(tail -n 10 "$LOG")
	[[ -s $QEMU_OUT ]] && DETAIL+=$'\n'"QEMU said: $(head -n 3 "$QEMU_OUT")"
	return 1
}

# The exit status the kernel must report for SUMMARY: 1 when a check failed unexpectedly.
summary_status()
{
	[[ $SUMMARY =~ [1-9][0-9]*\ unexpected\ failures ]] && echo 1 || echo 0
}

# Succeeds when QEMU exited through isa-debug-exit ((status << 1) | 1) with the status that
# agrees with the SUMMARY line; $1, when given, is the status expected besides.
expect_debug_exit()
{
	local want=${1:-$(summary_status)}

	if ((RC % 2 == 1 && (RC >> 1) == want)); then
		DETAIL="status $want, $SECS s: $SUMMARY"
		return 0
	fi
	DETAIL="QEMU exit status $RC, expected $(((want << 1) | 1)) (isa-debug-exit, status $want);"
	DETAIL+=" $SUMMARY; serial log ends:"$'\n'$(tail -n 5 "$LOG")
	return 1
}

# Succeeds when, with no isa-debug-exit, the kernel printed "--- DONE: <status> ---" with the
# status of its SUMMARY and the machine powered itself off (QEMU exits 0).
expect_poweroff()
{
	local want

	want=$(summary_status)
	if ((RC == 0)) && grep -qx -- "--- DONE: $want ---" "$LOG"; then
		DETAIL="--- DONE: $want ---, powered off, $SECS s: $SUMMARY"
		return 0
	fi
	DETAIL="QEMU exit status $RC (expected 0 after a power-off), 'DONE: $want' expected;"
	DETAIL+=" serial log ends:"$'\n'$(tail -n 5 "$LOG")
	return 1
}

# Succeeds when a line of the log matches extended regular expression $1.
expect_match()
{
	grep -Eq -- "$1" "$LOG" && return 0
	DETAIL="nothing matches /$1/ in the serial log:"$'\n'$(tail -n 10 "$LOG")
	return 1
}

# Succeeds when no line of the log matches $1.
expect_no_match()
{
	grep -Eq -- "$1" "$LOG" || return 0
	DETAIL="/$1/ matches in the serial log: $(grep -E -- "$1" "$LOG" | head -n 3)"
	return 1
}

# The default entry of the ISO is smp; -smp 4 must bring all 4 CPUs up, as with -kernel.
SMP_RAN='^PASS: bringup: every Enabled MADT CPU is online \(4 online'
# The boot line says which path ran: QEMU's own -kernel path would say "multiboot (qemu)".
VIA_GRUB='^INFO: boot: [a-z0-9_]+ via multiboot \(GRUB '
VIA_UEFI='^INFO: boot: [a-z0-9_]+ via uefi \(EDK II '

# SeaBIOS puts the RSDP where a Multiboot kernel finds it, so smp must pass here as under
# -kernel: status 0.
t_iso_seabios_exit()
{
	boot iso-seabios-debug-exit -device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom "$ISO"
	expect_own_exit && expect_summary && expect_match "$SMP_RAN" && expect_match "$VIA_GRUB" &&
		expect_debug_exit 0
}

# Hyper-V Generation 1 and real BIOS machines end this way: no isa-debug-exit, ACPI S5.
t_iso_seabios_poweroff()
{
	boot iso-seabios-acpi-s5 -cdrom "$ISO"
	expect_own_exit && expect_summary && expect_match "$SMP_RAN" && expect_poweroff
}

# GRUB-EFI hands a Multiboot v1 kernel no RSDP and OVMF leaves none in the BIOS areas: the
# kernel finds it in the memory map's ACPI ranges, so smp passes here as under SeaBIOS.
t_iso_ovmf_exit()
{
	boot iso-ovmf-debug-exit -bios "$OVMF" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-cdrom "$ISO"
	expect_own_exit && expect_summary && expect_match "$SMP_RAN" &&
		expect_match "$VIA_GRUB" && expect_debug_exit 0
}

# GRUB passes the command line without the file name in front (QEMU's -kernel puts it
# there): an ISO whose default entry is "selftest expect-args key=value" must show selftest
# all three words, argv[0] its own name. Built here with the same script, no menu delay.
t_iso_grub_cmdline()
{
	DEFAULT_PROGRAM=selftest DEFAULT_ARGS="expect-args key=value" ISO_TIMEOUT=0 \
		"$ROOT/scripts/make-images.sh" -f iso -o "$WORK/iso-args" selftest \
		>"$WORK/iso-args.out" 2>&1 || {
		DETAIL="make-images.sh failed: $(tail -n 3 "$WORK/iso-args.out")"
		return 1
	}
	boot iso-grub-cmdline -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-cdrom "$WORK/iso-args/vic-tests.iso"
	expect_own_exit && expect_summary && expect_match "$VIA_GRUB" &&
		expect_match '^PASS: cmdline: the boot command line reaches main \(argc 3, argv\[0\] selftest\)' &&
		DETAIL="$SECS s: $(grep -m1 'reaches main' "$LOG")"
}

# The disk is copied first: a boot may write to it, and the options checks change it.
fresh_disk()
{
	cp --sparse=always "$IMG" "$WORK/disk.img"
}

# The launcher starts the program that the default options file names (smp), handing it its
# options as LoadOptions; smp must pass as under -kernel.
t_img_ovmf_exit()
{
	fresh_disk || return 1
	boot img-ovmf-debug-exit -bios "$OVMF" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "file=$WORK/disk.img,format=raw,if=virtio"
	expect_own_exit && expect_summary && expect_match "$SMP_RAN" && expect_match "$VIA_UEFI" &&
		expect_debug_exit 0
}

# Hyper-V Generation 2 ends this way: no isa-debug-exit, so ACPI S5.
t_img_ovmf_poweroff()
{
	fresh_disk || return 1
	boot img-ovmf-acpi-s5 -bios "$OVMF" -drive "file=$WORK/disk.img,format=raw,if=virtio"
	expect_own_exit && expect_summary && expect_match "$SMP_RAN" && expect_poweroff
}

# With no ACPI tables either, the last way out is UEFI's ResetSystem(EfiResetShutdown), called
# after ExitBootServices. The default options run smp, which needs the MADT: selftest runs.
t_img_reset_system()
{
	fresh_disk || return 1
	printf 'selftest\n' >"$WORK/options.cfg"
	mcopy -o -i "$WORK/disk.img$ESP" "$WORK/options.cfg" ::/EFI/BOOT/BOOTX64.cfg || return 1
	# A reset (a triple fault in the firmware call, say) boots again here instead of exiting
	# as -no-reboot makes it, so only a real power-off ends the run in time.
	boot img-ovmf-reset-system -bios "$OVMF" -machine acpi=off -action reboot=reset \
		-drive "file=$WORK/disk.img,format=raw,if=virtio"
	expect_own_exit && expect_summary && expect_match "^INFO: boot: selftest via uefi" &&
		expect_poweroff && [[ $(grep -c '^INFO: boot: ' "$LOG") == 1 ]] || {
		DETAIL+=" (the kernel booted $(grep -c '^INFO: boot: ' "$LOG") times)"
		return 1
	}
}

# The options file names another program and its command line: selftest must run instead of
# smp and see its arguments (its cmdline check runs only when given "expect-args key=value").
t_img_options()
{
	fresh_disk || return 1
	printf '# changed by tests/images/run.sh\nselftest\nexpect-args key=value # joined\n' \
		>"$WORK/options.cfg"
	if ! mcopy -o -i "$WORK/disk.img$ESP" "$WORK/options.cfg" ::/EFI/BOOT/BOOTX64.cfg \
		2>"$WORK/mcopy.err"; then
		DETAIL="mcopy failed: $(cat "$WORK/mcopy.err")"
		return 1
	fi
	boot img-ovmf-options -bios "$OVMF" -device isa-debug-exit,iobase=0xf4,iosize=4 \
		-drive "file=$WORK/disk.img,format=raw,if=virtio"
	expect_own_exit && expect_summary &&
		expect_match '^PASS: cmdline: the boot command line reaches main \(argc 3, argv\[0\] selftest\)' &&
		expect_match '^INFO: boot: selftest via uefi \(.*, options from LoadOptions\)' &&
		expect_no_match '^(PASS|FAIL|SKIP): bringup:' && expect_debug_exit
}

# What the disk holds, read without booting: one EFI System Partition at 1 MiB, the launcher,
# the default options (smp) and a program per .elf.
t_img_layout()
{
	local parts cfg

	parts=$(sgdisk -p "$IMG" 2>&1 | awk '$1 ~ /^[0-9]+$/ { print $1, $2, $6 }')
	[[ $parts == "1 2048 EF00" ]] || {
		DETAIL="partitions (number, first sector, type): '$parts', expected '1 2048 EF00'"
		return 1
	}
	cfg=$(mtype -i "$IMG$ESP" ::/EFI/BOOT/BOOTX64.cfg 2>&1 | sed 's/#.*//' | tr -s ' \n' ' ')
	[[ $cfg == " smp " || $cfg == "smp " ]] || {
		DETAIL="options file, without comments: '$cfg', expected 'smp'"
		return 1
	}
	mdir -b -i "$IMG$ESP" ::/EFI/BOOT/BOOTX64.EFI ::/EFI/vic-tests/smp.efi \
		::/EFI/vic-tests/selftest.efi >/dev/null 2>&1 || {
		DETAIL="BOOTX64.EFI, vic-tests/smp.efi or vic-tests/selftest.efi missing from the ESP"
		return 1
	}
	DETAIL="GPT, ESP at 1 MiB, options 'smp', $(mdir -b -i "$IMG$ESP" ::/EFI/vic-tests | wc -l) programs"
}

# Hyper-V takes a VHDX whose virtual size is a whole number of MiB; it must be the raw disk's.
t_vhdx()
{
	local vsize raw

	vsize=$(qemu-img info --output=json "$VHDX" | sed -n 's/.*"virtual-size": \([0-9]*\).*/\1/p')
	raw=$(stat -c %s "$IMG")
	if [[ $vsize && $vsize == "$raw" ]] && ((vsize % 1048576 == 0)); then
		DETAIL="virtual size $((vsize / 1048576)) MiB"
		return 0
	fi
	DETAIL="VHDX virtual size '$vsize', raw disk $raw bytes: expected equal, a multiple of 1 MiB"
	return 1
}

# The ISO carries both El Torito boot images: BIOS (GRUB i386-pc) and UEFI (x86_64-efi).
t_iso_platforms()
{
	local report

	report=$(xorriso -indev "$ISO" -report_el_torito plain 2>/dev/null)
	if grep -q 'boot img :.* BIOS ' <<<"$report" && grep -q 'boot img :.* UEFI ' <<<"$report"; then
		DETAIL="El Torito BIOS and UEFI images"
		return 0
	fi
	DETAIL="El Torito report:"$'\n'$report
	return 1
}

# The ISO needs only the .elf kernels, so these run before the UEFI build exists.
iso_section()
{
	if [[ ! -f $ISO ]]; then
		skip_section "ISO checks: $ISO is missing (make images)"
		return
	fi
	if command -v xorriso >/dev/null; then
		check "iso: hybrid, boots under BIOS and UEFI" t_iso_platforms
	fi
	check "iso, SeaBIOS/TCG, isa-debug-exit: GRUB starts smp, 4 CPUs, status by isa-debug-exit" \
		t_iso_seabios_exit
	check "iso, SeaBIOS/TCG, no isa-debug-exit: '--- DONE: N ---', then ACPI S5 power-off" \
		t_iso_seabios_poweroff
	check "iso, SeaBIOS/TCG: GRUB's command line (no file name) reaches main whole" \
		t_iso_grub_cmdline
	if [[ -f $OVMF ]]; then
		check "iso, OVMF/TCG, isa-debug-exit: GRUB-EFI starts smp, which finds ACPI and passes" \
			t_iso_ovmf_exit
	else
		skip_section "ISO under UEFI: $OVMF is missing (Debian package: ovmf)"
	fi
}

# The disk holds the UEFI build; without it the disk cannot have been built from this tree.
img_section()
{
	local p missing=

	for p in "$LAUNCHER" "$EFI_DIR/smp.efi" "$EFI_DIR/selftest.efi"; do
		[[ -f $p ]] || missing+=" ${p#"$ROOT"/}"
	done
	if [[ $missing ]]; then
		skip_section "disk image checks: no UEFI build here (missing:$missing)"
		return
	fi
	if [[ ! -f $IMG ]]; then
		skip_section "disk image checks: $IMG is missing (make images)"
		return
	fi
	if ! command -v mtype >/dev/null || ! command -v sgdisk >/dev/null; then
		skip_section "disk image checks: mtools or sgdisk missing (Debian packages: mtools, gdisk)"
		return
	fi
	check "img: GPT with one EFI System Partition, launcher, options, programs" t_img_layout
	if command -v qemu-img >/dev/null && [[ -f $VHDX ]]; then
		check "vhdx: the same disk, virtual size a multiple of 1 MiB" t_vhdx
	else
		skip_section "VHDX check: qemu-img (Debian package: qemu-utils) or $VHDX missing"
	fi
	if [[ ! -f $OVMF ]]; then
		skip_section "disk boots: $OVMF is missing (Debian package: ovmf)"
		return
	fi
	check "img, OVMF/TCG, isa-debug-exit: the launcher starts smp, status by isa-debug-exit" \
		t_img_ovmf_exit
	check "img, OVMF/TCG, no isa-debug-exit: '--- DONE: N ---', then ACPI S5 power-off" \
		t_img_ovmf_poweroff
	check "img, OVMF/TCG, no isa-debug-exit, no ACPI: power-off by UEFI ResetSystem" \
		t_img_reset_system
	check "img, options file changed with mcopy: selftest runs instead, with its arguments" \
		t_img_options
}

# A host without QEMU cannot boot anything: one SKIP, and no failure, as in tests/harness.
main()
{
	local t

	if ! command -v "$QEMU" >/dev/null; then
		skip_section "image boot tests: $QEMU is not installed (Debian package: qemu-system-x86)"
		echo "0 passed, 0 failed"
		return 0
	fi
	WORK=$(mktemp -d) || exit 2
	trap 'rm -rf "$WORK"' EXIT
	iso_section
	img_section
	if ((${#TIMES[@]})); then
		echo "boot times (wall, TCG):"
		for t in "${TIMES[@]}"; do
			echo "    $t"
		done
	fi
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0))
}

main
