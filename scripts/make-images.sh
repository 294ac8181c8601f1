#!/usr/bin/env bash
# Builds bootable images of the test programs, for machines that cannot boot a kernel with
# QEMU's -kernel: Hyper-V Generation 1 and 2, other hypervisors, real machines. See usage.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 2

# Sizes and names that the README and tests/images/run.sh rely on. The disk is a whole number
# of MiB because Hyper-V wants a VHDX's virtual size to be one; the EFI System Partition starts
# at 1 MiB (where mtools reach it: IMAGE@@1M) and leaves 1 MiB at the end for the backup GPT.
IMG_MIB=${IMG_MIB:-64}
ESP_START_MIB=1
ISO_TIMEOUT=${ISO_TIMEOUT:-3}
DEFAULT_PROGRAM=${DEFAULT_PROGRAM:-smp}
DEFAULT_ARGS=${DEFAULT_ARGS:-}
LAUNCHER=${LAUNCHER:-$ROOT/lib/x86/efi/launcher.efi}
EFI_DIR=${EFI_DIR:-}

usage()
{
	cat <<EOF
Usage: scripts/make-images.sh [-o OUTDIR] [-f FORMATS] [x86/ | PROGRAM...]

Builds, in OUTDIR (default build/images):
  vic-tests.img   a ${IMG_MIB} MiB GPT disk with one EFI System Partition (FAT32, at 1 MiB):
                  \\EFI\\BOOT\\BOOTX64.EFI (the launcher), \\EFI\\BOOT\\BOOTX64.cfg (its options:
                  the program to start and its command line), \\EFI\\vic-tests\\<name>.efi
  vic-tests.vhdx  the same disk for Hyper-V (Generation 2)
  vic-tests.iso   a GRUB ISO that boots under BIOS and UEFI, one menu entry per program
                  (multiboot /boot/<name>.elf), serial console on COM1, default $DEFAULT_PROGRAM

The programs are every x86/<name>.elf in the directory given (default: the tree's x86/),
or the names given. The disk needs <name>.efi beside each <name>.elf and the launcher.

Options:
  -o OUTDIR    where the images go (created if needed)
  -f FORMATS   comma-separated subset of img,vhdx,iso (default: all three); the ISO alone
               needs no UEFI build
Environment:
  LAUNCHER     the UEFI launcher (default: lib/x86/efi/launcher.efi)
  EFI_DIR      where <name>.efi are (default: beside the .elf files)
  IMG_MIB      disk size in MiB (default 64; at least 36, for FAT32)
  ISO_TIMEOUT  seconds the GRUB menu waits (default 3)
  DEFAULT_PROGRAM  the program both images start by default (default smp)
  DEFAULT_ARGS the default program's command line, in its menu entry and the options file
EOF
}

die()
{
	echo "make-images: $*" >&2
	exit 1
}

# Fails naming the Debian package of a missing tool, so that the fix is one apt-get away.
need()
{
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found (Debian package: $2; scripts/install-deps.sh installs it)"
}

# Sets PROGRAMS (names) and ELF_DIR from the arguments: a directory stands for all its
# *.elf files, anything else is a program name in the tree's x86/.
find_programs()
{
	local f

	ELF_DIR=$ROOT/x86
	PROGRAMS=()
	if (($# == 0)); then
		set -- "$ELF_DIR"
	fi
	if (($# == 1)) && [[ -d $1 ]]; then
		ELF_DIR=$(cd "$1" && pwd) || exit 2
		for f in "$ELF_DIR"/*.elf; do
			[[ -f $f ]] && PROGRAMS+=("$(basename "$f" .elf)")
		done
		((${#PROGRAMS[@]})) || die "no *.elf in $1: run make first"
		return
	fi
	for f in "$@"; do
		f=${f##*/}
		PROGRAMS+=("${f%.elf}")
	done
	for f in "${PROGRAMS[@]}"; do
		[[ -f $ELF_DIR/$f.elf ]] || die "x86/$f.elf is missing: run make first"
	done
}

# The program that the ISO menu and the options file start by default: smp when it is
# there (the quickest whole-system check), else the first one.
default_program()
{
	local p

	for p in "${PROGRAMS[@]}"; do
		[[ $p == "$DEFAULT_PROGRAM" ]] && echo "$p" && return
	done
	echo "${PROGRAMS[0]}"
}

# Writes GRUB's configuration for the ISO. The kernels print to COM1 only, so GRUB must use
# the serial port too or a headless VM shows nothing until the kernel starts. GRUB passes
# the Multiboot command line without the file name in front; the kernel copes with both.
write_grub_cfg()
{
	local p default args

	default=$(default_program)
	cat <<EOF
# vic-tests: one entry per test program; 'e' on an entry edits its command line.
set timeout=$ISO_TIMEOUT
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial console
terminal_output serial console
EOF
	for p in "${PROGRAMS[@]}"; do
		[[ $p == "$default" ]] && echo "set default=$p"
	done
	for p in "${PROGRAMS[@]}"; do
		args=
		[[ $p == "$default" && $DEFAULT_ARGS ]] && args=" $DEFAULT_ARGS"
		printf '\nmenuentry "%s" --id %s {\n\tmultiboot /boot/%s.elf%s\n}\n' "$p" "$p" "$p" \
			"$args"
	done
}

# Builds the hybrid ISO with grub-mkrescue (BIOS through i386-pc, UEFI through x86_64-efi).
# All modules go in (GRUB-EFI's built-in start-up loads every partition map, and someone at
# the GRUB prompt of a real machine may want more), but no fonts, locales or themes: about
# 12 MiB, built in under a second.
make_iso()
{
	local out=$1 stage=$WORK/iso p

	need grub-mkrescue grub-common
	need xorriso xorriso
	need mformat mtools
	[[ -d /usr/lib/grub/i386-pc ]] || die "GRUB for BIOS not found (Debian package: grub-pc-bin)"
	[[ -d /usr/lib/grub/x86_64-efi ]] ||
		die "GRUB for UEFI not found (Debian package: grub-efi-amd64-bin)"
	mkdir -p "$stage/boot/grub" || exit 2
	for p in "${PROGRAMS[@]}"; do
		cp "$ELF_DIR/$p.elf" "$stage/boot/" || exit 2
	done
	write_grub_cfg >"$stage/boot/grub/grub.cfg" || exit 2
	grub-mkrescue -o "$out" \
		--locales= --fonts= --themes= "$stage" >"$WORK/grub-mkrescue.log" 2>&1 || {
		cat "$WORK/grub-mkrescue.log" >&2
		die "grub-mkrescue failed"
	}
}

# Writes the launcher's default options file: how it is read, then the default program.
write_options()
{
	cat <<EOF
# vic-tests launcher options. The first word names the program to start, from
# \\EFI\\vic-tests\\<program>.efi; the rest is its command line (e.g. "smp expect-cpus=4").
# '#' starts a comment to the end of the line; lines are joined with spaces.
# Programs on this disk: ${PROGRAMS[*]}
$(default_program)${DEFAULT_ARGS:+ $DEFAULT_ARGS}
EOF
}

# Builds the GPT disk. sgdisk and mtools both work on a plain file at an offset, so no loop
# device or root is needed. FAT32 (which UEFI firmware must read on a hard disk) needs at least
# 65525 clusters: with 512-byte clusters that is a partition of about 33 MiB.
make_img()
{
	local out=$1 esp_mib=$((IMG_MIB - 2)) img=$WORK/disk.img p
	local fat="$WORK/disk.img@@${ESP_START_MIB}M"

	need sgdisk gdisk
	need mformat mtools
	((esp_mib >= 34)) || die "IMG_MIB=$IMG_MIB is too small for a FAT32 partition (36 or more)"
	[[ -f $LAUNCHER ]] || die "$LAUNCHER is missing: the disk needs the UEFI build (LAUNCHER=)"
	for p in "${PROGRAMS[@]}"; do
		[[ -f $EFI_DIR/$p.efi ]] ||
			die "$EFI_DIR/$p.efi is missing: the disk needs the UEFI build (EFI_DIR=)"
	done
	truncate -s "${IMG_MIB}M" "$img" || exit 2
	# Fixed GUIDs: two builds of the same programs give the same partition table.
	sgdisk --clear --disk-guid=7a6f1c5e-0b1d-4c3a-9e2f-766963746573 \
		--new=1:${ESP_START_MIB}M:+${esp_mib}M --typecode=1:ef00 --change-name=1:"EFI System" \
		--partition-guid=1:7a6f1c5e-0b1d-4c3a-9e2f-657370000001 "$img" >"$WORK/sgdisk.log" 2>&1 || {
		cat "$WORK/sgdisk.log" >&2
		die "sgdisk failed"
	}
	# -H: the sectors before the partition, recorded in the boot sector as FAT expects.
	# MTOOLS_SKIP_CHECK: the geometry of a file is made up; mtools need not check it.
	export MTOOLS_SKIP_CHECK=1
	mformat -i "$fat" -F -T $((esp_mib * 2048)) -H $((ESP_START_MIB * 2048)) -h 64 -s 32 \
		-N 76696374 -v VIC-TESTS :: || die "mformat failed"
	mmd -i "$fat" ::/EFI ::/EFI/BOOT ::/EFI/vic-tests || die "mmd failed"
	write_options >"$WORK/BOOTX64.cfg" || exit 2
	mcopy -i "$fat" "$LAUNCHER" ::/EFI/BOOT/BOOTX64.EFI || die "mcopy failed"
	mcopy -i "$fat" "$WORK/BOOTX64.cfg" ::/EFI/BOOT/BOOTX64.cfg || die "mcopy failed"
	for p in "${PROGRAMS[@]}"; do
		mcopy -i "$fat" "$EFI_DIR/$p.efi" "::/EFI/vic-tests/$p.efi" || die "mcopy failed"
	done
	mv "$img" "$out" || exit 2
}

# Converts the disk to a dynamic VHDX for Hyper-V; the virtual size stays the raw size.
make_vhdx()
{
	local img=$1 out=$2

	need qemu-img qemu-utils
	qemu-img convert -f raw -O vhdx -o subformat=dynamic "$img" "$WORK/disk.vhdx" ||
		die "qemu-img convert failed"
	mv "$WORK/disk.vhdx" "$out" || exit 2
}

main()
{
	local outdir=$ROOT/build/images formats=img,vhdx,iso opt f

	while getopts o:f:h opt; do
		case $opt in
		o) outdir=$OPTARG ;;
		f) formats=$OPTARG ;;
		h) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	for f in ${formats//,/ }; do
		[[ $f == img || $f == vhdx || $f == iso ]] || die "unknown format '$f' (img, vhdx, iso)"
	done
	find_programs "$@"
	EFI_DIR=${EFI_DIR:-$ELF_DIR}
	mkdir -p "$outdir" || exit 2
	WORK=$(mktemp -d) || exit 2
	trap 'rm -rf "$WORK"' EXIT

	if [[ ,$formats, == *,img,* || ,$formats, == *,vhdx,* ]]; then
		make_img "$outdir/vic-tests.img"
		[[ ,$formats, == *,vhdx,* ]] && make_vhdx "$outdir/vic-tests.img" "$outdir/vic-tests.vhdx"
		[[ ,$formats, == *,img,* ]] || rm -f "$outdir/vic-tests.img"
	fi
	[[ ,$formats, == *,iso,* ]] && make_iso "$outdir/vic-tests.iso"
	for f in img vhdx iso; do
		[[ ,$formats, == *,$f,* ]] && echo "make-images: $outdir/vic-tests.$f (${#PROGRAMS[@]} programs)"
	done
	return 0
}

main "$@"
