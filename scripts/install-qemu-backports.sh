#!/usr/bin/env bash
# Unpacks QEMU 10.0 from Debian 12's bookworm-backports (the QEMU of Debian 13, what most users
# have) into build/qemu-backports/, beside the system's QEMU 7.2, so that the suite runs on both.
# apt works from a private source list and package lists kept there: the system's apt
# configuration is not changed and nothing is installed. The mirror is the one the system's
# apt sources already use for bookworm. Run by install-deps.sh on Debian 12; no root needed.
#
# Result: build/qemu-backports/qemu-system-x86_64, a wrapper that runs the unpacked binary with
# its own firmware directory first (qboot, PVH and option ROMs of 10.0) and the system's after
# it (SeaBIOS, OVMF). QEMU=build/qemu-backports/qemu-system-x86_64 runs anything on it.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 2
DEST=${QEMU_BACKPORTS_DIR:-$ROOT/build/qemu-backports}
SUITE=bookworm-backports
PACKAGES=(qemu-system-x86 qemu-system-data qemu-system-common)

die()
{
	echo "install-qemu-backports: $*" >&2
	exit 1
}

# Prints the first mirror URI that the system's apt sources use for the bookworm suite, from
# deb822 .sources files or one-line sources.list entries.
bookworm_mirror()
{
	local f

	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -r $f ]] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		     {
			uris = ""; ok = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, " "); uris = u[1] }
				if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
				if ($i ~ /^Types:/ && $i !~ /[ \t]deb([ \t]|$)/) ok = -1
			}
			if (ok == 1 && uris != "") { print uris; exit }
		     }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -r $f ]] || continue
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }
		     $1 == "deb" && $2 ~ /^\[/ && $4 == "bookworm" { print $3; exit }' "$f"
	done
}

# Succeeds when the unpacked QEMU is there and runs on this system's libraries.
qemu_works()
{
	"$DEST/qemu-system-x86_64" --version 2>/dev/null | grep -q '^QEMU emulator version 10\.'
}

main()
{
	local mirror apt_opts deb

	if qemu_works; then
		echo "install-qemu-backports: $("$DEST/qemu-system-x86_64" --version | head -n 1)" \
			"already in ${DEST#"$ROOT"/}"
		return 0
	fi
	command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "needs apt-get and dpkg"
	mirror=$(bookworm_mirror | head -n 1)
	[[ $mirror ]] || die "no apt source for Debian 12 (bookworm) found in /etc/apt"
	rm -rf "$DEST"
	mkdir -p "$DEST/apt/lists/partial" "$DEST/apt/archives/partial" "$DEST/apt/sources.list.d" \
		"$DEST/root" || die "cannot write $DEST"
	echo "deb $mirror $SUITE main" >"$DEST/apt/sources.list"
	apt_opts=(-q -o "Dir::Etc::SourceList=$DEST/apt/sources.list"
		-o "Dir::Etc::SourceParts=$DEST/apt/sources.list.d"
		-o "Dir::State::Lists=$DEST/apt/lists" -o "Dir::Cache::Archives=$DEST/apt/archives"
		-o "APT::Sandbox::User=$(id -un)")
	apt-get "${apt_opts[@]}" update >"$DEST/apt/update.log" 2>&1 ||
		die "apt-get update of $SUITE failed: $(tail -n 2 "$DEST/apt/update.log")"
	(cd "$DEST/apt/archives" && apt-get "${apt_opts[@]}" -t "$SUITE" download "${PACKAGES[@]}") \
		>"$DEST/apt/download.log" 2>&1 ||
		die "apt-get download of ${PACKAGES[*]} from $SUITE failed: $(tail -n 2 "$DEST/apt/download.log")"
	for deb in "$DEST"/apt/archives/*.deb; do
		dpkg -x "$deb" "$DEST/root" || die "cannot unpack $deb"
	done
	cat >"$DEST/qemu-system-x86_64" <<EOF
#!/bin/sh
# QEMU from $SUITE, unpacked by scripts/install-qemu-backports.sh: its own firmware first,
# then the system's (SeaBIOS, OVMF).
exec "$DEST/root/usr/bin/qemu-system-x86_64" -L "$DEST/root/usr/share/qemu" -L /usr/share/qemu "\$@"
EOF
	chmod +x "$DEST/qemu-system-x86_64"
	qemu_works || die "the unpacked QEMU does not run here: $("$DEST/qemu-system-x86_64" --version 2>&1 | head -n 2)"
	rm -rf "$DEST/apt/archives"
	echo "install-qemu-backports: $("$DEST/qemu-system-x86_64" --version | head -n 1) in ${DEST#"$ROOT"/}"
}

main "$@"
