#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the runner need. As root it runs
# apt-get; otherwise it prints the exact command to run. Exits non-zero if anything is missing.
set -u

# gcc, make and binutils build the kernels; gnu-efi their UEFI builds; qemu-system-x86 runs
# them; qemu-system-data has qboot (the fast firmware under KVM), seabios the default one (the
# ISO's BIOS boot too), ovmf the UEFI one; clang and libclang-rt-dev build the fuzz targets;
# perl has prove, which checks the TAP output; the GRUB packages (grub-mkrescue and its BIOS
# and UEFI modules), xorriso, mtools, gdisk and qemu-utils build the images (make images); the
# shell scripts are checked by shellcheck (make check).
packages=(gcc make binutils gnu-efi qemu-system-x86 qemu-system-data seabios ovmf clang
	libclang-rt-dev perl grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools gdisk
	qemu-utils shellcheck)

# Debian 12's QEMU is 7.2; most users have 10.0 (Debian 13's). On Debian 12 the suite runs on
# both: QEMU 10.0 from bookworm-backports goes into build/qemu-backports, beside the system's.
second_qemu()
{
	local codename=

	# shellcheck source=/dev/null # the system's file, not one of the project's
	[ -r /etc/os-release ] && codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ "$codename" = bookworm ] || return 0
	"$(dirname "$0")/install-qemu-backports.sh"
}

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ "${#missing[@]}" = 0 ] && { second_qemu; exit; }

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: missing packages: ${missing[*]} (not a Debian system: install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || {
	echo "install-deps: apt-get failed to install: ${missing[*]}" >&2
	exit 1
}
second_qemu
