# shellcheck shell=bash
# Running one test kernel under QEMU: which accelerator and CPU model, the command line, the
# time limit, and what QEMU's exit status means. Sourced by x86/run and run_tests.sh; defines
# functions and settings only.
#
# A kernel's status reaches us through isa-debug-exit: QEMU exits with (status << 1) | 1.
# prepare_run and run_prepared leave one of these in RUN_STATUS (x86/run exits with it):
#   0    every check passed                     77   everything was skipped (or cannot run here)
#   1    a check failed, or the kernel ended without an exit status
#   2    a usage error: the kernel file is missing, a bad option or environment value, or the
#        kernel refused its command line ("ABORT: usage: ...", kernel status 2)
#   3    QEMU failed to start (bad option, missing firmware, ...)
#   4    QEMU died: killed by a signal (an assertion aborts it) or an unexpected exit code
#   124  the time limit ran out and QEMU was killed
# and a one-line explanation in RUN_REASON (empty for a plain pass or a kernel-reported failure).
# Statuses 0 and 1 are the kernel's as corrected for the known deviations of this hypervisor
# (scripts/deviations.sh): failures that are all known deviations pass, a known deviation that
# no longer shows fails.

# The callers read the variables set here (RUN_*, DEFAULT_TIMEOUT): shellcheck cannot see them.
# shellcheck disable=SC2034
source "${BASH_SOURCE[0]%/*}/results.sh"
source "${BASH_SOURCE[0]%/*}/deviations.sh"

QEMU_STD_ARGS=(-nodefaults -display none -serial stdio
	-device 'isa-debug-exit,iobase=0xf4,iosize=4' -no-reboot)
# Under the build hosts' nested KVM, SeaBIOS takes about 4 s to reach the kernel (its real-mode
# code is emulated instruction by instruction), qboot about 0.1 s.
QBOOT_ROM=${QBOOT_ROM:-/usr/share/qemu/qboot.rom}
# The harness tests point this elsewhere to pretend that KVM is missing.
KVM_DEV=${KVM_DEV:-/dev/kvm}
# Seconds QEMU gets to exit after SIGTERM (time limit or Ctrl-C) before SIGKILL.
KILL_GRACE=5
DEFAULT_TIMEOUT=90
# UEFI programs (x86/<name>.efi) boot through OVMF: under TCG it takes 4-14 s to reach them
# (more with more vCPUs), which their time limit gets on top.
EFI_FIRMWARE_SECONDS=30
# OVMF as one image for -bios (Debian 12), else its code and variables for two pflash drives.
OVMF_IMAGES=(/usr/share/ovmf/OVMF.fd /usr/share/qemu/OVMF.fd)
OVMF_PFLASH=(/usr/share/OVMF/OVMF_CODE_4M.fd:/usr/share/OVMF/OVMF_VARS_4M.fd
	/usr/share/OVMF/OVMF_CODE.fd:/usr/share/OVMF/OVMF_VARS.fd)

# Prints the QEMU binary: $QEMU, else QEMU= from config.mak in directory $1, else the default.
qemu_binary()
{
	local line value=

	if [[ $QEMU ]]; then
		printf '%s\n' "$QEMU"
		return
	fi
	if [[ -r $1/config.mak ]]; then
		while IFS= read -r line; do
			[[ $line =~ ^[[:space:]]*QEMU[[:space:]]*[:?]?=[[:space:]]*(.*[^[:space:]]) ]] &&
				value=${BASH_REMATCH[1]}
		done <"$1/config.mak"
	fi
	printf '%s\n' "${value:-qemu-system-x86_64}"
}

# Prints the version of QEMU ("7.2.22" from "QEMU emulator version 7.2.22 (Debian ...)"), or
# nothing when QEMU does not say.
qemu_version()
{
	local line

	line=$(timeout 10 "$QEMU" --version 2>/dev/null </dev/null)
	[[ $line =~ version\ ([0-9]+(\.[0-9]+)+) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
}

# Succeeds when $1 is a list of CPU features for -cpu: comma-separated "+name", "-name" or
# "name=value" ("-x2apic", "+x2apic,-pdpe1gb", "pmu=off").
valid_cpu_features()
{
	local item='([+-][A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]+)'

	[[ $1 =~ ^$item(,$item)*$ ]]
}

# Prints duration $1 ("30", "30s", "2.5", "2m", "1h") in seconds; fails on anything else.
to_seconds()
{
	[[ $1 =~ ^([0-9]+)(\.[0-9]+)?(s|m|h)?$ ]] || return 1
	local whole=${BASH_REMATCH[1]} frac=${BASH_REMATCH[2]} unit=${BASH_REMATCH[3]}

	case $unit in
	m | h) [[ ! $frac ]] || return 1 ;;
	esac
	case $unit in
	m) echo $((10#$whole * 60)) ;;
	h) echo $((10#$whole * 3600)) ;;
	*) echo "$((10#$whole))$frac" ;;
	esac
}

# Joins the lines of QEMU's stderr in file $1 into one short line for a verdict, without the
# "qemu-system-x86_64: " every message starts with.
stderr_summary()
{
	local line text=

	while IFS= read -r line || [[ $line ]]; do
		line=${line%$'\r'}
		[[ $line == *[![:space:]]* ]] || continue
		[[ $line =~ ^[^[:space:]:]*qemu[^[:space:]:]*:\ (.*) ]] && line=${BASH_REMATCH[1]}
		text+=${text:+; }$line
	done <"$1"
	text=${text:-no message}
	((${#text} > 200)) && text="${text:0:197}..."
	printf '%s\n' "$text"
}

# Succeeds when QEMU starts a KVM guest with -cpu $1; QEMU's stderr goes to file $2. QEMU is
# started paused and told to quit over QMP: about 0.03 s.
kvm_cpu_works()
{
	qemu_starts_paused "$2" 10 "$QEMU" -nodefaults -display none -accel kvm -cpu "$1" \
		-machine microvm
}

# Runs QEMU command "${@:3}" paused (-S) and tells it to quit over QMP, for at most $2 seconds,
# its stderr into file $1: succeeds when QEMU accepted the whole configuration. QMP takes
# stdio, so the command must not use stdio itself.
qemu_starts_paused()
{
	local err=$1 seconds=$2

	shift 2
	echo '{"execute":"qmp_capabilities"}{"execute":"quit"}' |
		timeout -k 5 "$seconds" "$@" -S -qmp stdio >/dev/null 2>"$err"
}

# Prints "ok MODEL" with the first -cpu model QEMU can start a KVM guest with, or "no REASON".
# -cpu host makes QEMU 7.2 abort ("failed to set MSR 0x10a") where KVM refuses the host's
# MSR_IA32_ARCH_CAPABILITIES, as on the nested build hosts; then the model without that feature
# is tried.
kvm_probe()
{
	local model err

	if [[ ! -e $KVM_DEV ]]; then
		echo "no $KVM_DEV missing"
		return
	fi
	if [[ ! -r $KVM_DEV || ! -w $KVM_DEV ]]; then
		echo "no $KVM_DEV not read-writable"
		return
	fi
	err=$(mktemp) || return
	for model in host host,-arch-capabilities; do
		# 2>/dev/null: bash reports a QEMU that aborts ("Aborted") on our stderr.
		if kvm_cpu_works "$model" "$err" 2>/dev/null; then
			rm -f "$err"
			echo "ok $model"
			return
		fi
	done
	echo "no QEMU cannot run a KVM guest with -cpu host or host,-arch-capabilities:" \
		"$(stderr_summary "$err")"
	rm -f "$err"
}

# Chooses the accelerator from $1, what the user or ACCEL asked for, and $2, what the test
# requires (unittests.cfg's accel); either may be empty. Probes KVM unless KVM_PROBE already
# holds a probe's answer (run_tests.sh probes once for all tests). Sets RUN_ACCEL (the -accel
# value) and RUN_CPU; when the test cannot run here, returns 1 with RUN_STATUS and RUN_REASON
# set. RUN_NOTE says why it falls back to TCG.
pick_accel()
{
	local want=$1 need=$2

	case ${want%%,*} in
	'' | kvm | tcg) ;;
	*)
		RUN_STATUS=2 RUN_REASON="unknown accelerator '$want' (kvm or tcg)"
		return 1
		;;
	esac
	if [[ $need && $want && ${want%%,*} != "$need" ]]; then
		RUN_STATUS=77 RUN_REASON="test requires $need, ACCEL=$want"
		return 1
	fi
	want=${want:-$need}
	if [[ ${want%%,*} == tcg ]]; then
		RUN_ACCEL=$want RUN_CPU=max
		return 0
	fi
	[[ $KVM_PROBE == "ok "* || $KVM_PROBE == "no "* ]] || KVM_PROBE=$(kvm_probe)
	if [[ $KVM_PROBE == "ok "* ]]; then
		RUN_ACCEL=${want:-kvm} RUN_CPU=${KVM_PROBE#ok }
		return 0
	fi
	if [[ $want ]]; then
		RUN_STATUS=77 RUN_REASON="kvm not available: ${KVM_PROBE#no }"
		return 1
	fi
	RUN_NOTE="kvm not available (${KVM_PROBE#no }); using TCG"
	RUN_ACCEL=tcg RUN_CPU=max
}

# Sets OVMF_ARGS to the QEMU options that load UEFI firmware: $OVMF (an image for -bios), else
# the first of OVMF_IMAGES, else a code and variables pair of OVMF_PFLASH (the variables copied
# into directory $1, since the firmware writes them). Fails with RUN_STATUS and RUN_REASON.
ovmf_args()
{
	local pair

	OVMF_ARGS=()
	if [[ $OVMF ]]; then
		[[ -r $OVMF ]] && OVMF_ARGS=(-bios "$OVMF") && return 0
		RUN_STATUS=2 RUN_REASON="OVMF=$OVMF: no such firmware image"
		return 1
	fi
	for pair in "${OVMF_IMAGES[@]}"; do
		[[ -r $pair ]] && OVMF_ARGS=(-bios "$pair") && return 0
	done
	for pair in "${OVMF_PFLASH[@]}"; do
		[[ -r ${pair%%:*} && -r ${pair#*:} ]] || continue
		cp -- "${pair#*:}" "$1/ovmf-vars.fd" || break
		OVMF_ARGS=(-drive "if=pflash,format=raw,readonly=on,file=${pair%%:*}"
			-drive "if=pflash,format=raw,file=$1/ovmf-vars.fd")
		return 0
	done
	RUN_STATUS=77 RUN_REASON="no UEFI firmware (Debian package ovmf; or set OVMF=)"
	return 1
}

# Prints "ok" when OVMF boots a UEFI program under KVM here, else "no REASON". On some hosts it
# cannot (this project's build hosts stop at an x87 instruction OVMF runs, with "KVM internal
# error", and QEMU then hangs): the probe boots x86/empty.efi, bounded in time, once per run.
ovmf_kvm_probe()
{
	local dir rc

	if [[ ! -f $ROOT/x86/empty.efi ]]; then
		echo "no x86/empty.efi, which the probe boots, is not built"
		return
	fi
	dir=$(mktemp -d) || return
	efi_boot_disk "$ROOT/x86/empty.efi" "$dir" && ovmf_args "$dir" || {
		echo "no ${RUN_REASON:-cannot prepare the probe}"
		rm -rf "$dir"
		return
	}
	timeout -k 2 20 "$QEMU" "${QEMU_STD_ARGS[@]}" -accel kvm -cpu "${KVM_PROBE#ok }" -machine q35 \
		-m 256 "${OVMF_ARGS[@]}" -drive "file=fat:rw:$dir/esp,format=raw" \
		</dev/null >"$dir/out" 2>"$dir/err"
	rc=$?
	if ((rc == 1)); then
		echo ok
	elif ((rc == 124 || rc == 137)); then
		echo "no OVMF did not boot x86/empty.efi under KVM within 20 s: $(stderr_summary "$dir/err")"
	else
		echo "no OVMF under KVM ended with QEMU status $rc: $(stderr_summary "$dir/err")"
	fi
	rm -rf "$dir"
}

# For a UEFI program under KVM: keeps KVM when OVMF runs under it here (OVMF_KVM_PROBE caches
# the answer, as KVM_PROBE does), else falls back to TCG, or skips a test that requires KVM.
pick_efi_accel()
{
	local need=$1

	[[ ${RUN_ACCEL%%,*} == kvm ]] || return 0
	[[ $OVMF_KVM_PROBE == ok || $OVMF_KVM_PROBE == "no "* ]] || OVMF_KVM_PROBE=$(ovmf_kvm_probe)
	[[ $OVMF_KVM_PROBE == ok ]] && return 0
	if [[ $need == kvm || ${RUN_ACCEL_WANT%%,*} == kvm ]]; then
		RUN_STATUS=77 RUN_REASON="UEFI firmware cannot run under kvm here: ${OVMF_KVM_PROBE#no }"
		return 1
	fi
	RUN_NOTE="UEFI firmware cannot run under kvm here (${OVMF_KVM_PROBE#no }); using TCG"
	RUN_ACCEL=tcg RUN_CPU=max
}

# Makes the boot disk of UEFI program $1 in directory $2 (as $2/esp) for QEMU options "${@:3}":
# the program becomes the default boot file \EFI\BOOT\BOOTX64.EFI of a FAT directory, so the
# firmware starts it at once (no shell, no countdown), and -append's text its options file
# BOOTX64.cfg, since no loader passes it a command line. Sets EFI_ARGS to the QEMU options less
# -append.
efi_boot_disk()
{
	local kernel=$1 dir=$2 word append='' next=''

	shift 2
	EFI_ARGS=()
	for word; do
		if [[ $next ]]; then
			append=$word next=
			continue
		fi
		case $word in
		-append | --append) next=1 ;;
		*) EFI_ARGS+=("$word") ;;
		esac
	done
	mkdir -p "$dir/esp/EFI/BOOT" && cp -- "$kernel" "$dir/esp/EFI/BOOT/BOOTX64.EFI" &&
		printf '%s\n' "$append" >"$dir/esp/EFI/BOOT/BOOTX64.cfg"
}

# Starts QEMU_CMD paused (qemu_starts_paused): succeeds when QEMU accepts the whole
# configuration (machine, vCPUs and topology, CPU features, devices, accelerator); otherwise
# leaves its complaint in PROBE_REFUSAL. The serial port goes nowhere, since QMP takes stdio.
# Creating a thousand vCPUs takes some seconds, hence the bound of 60 s.
qemu_accepts()
{
	local word prev='' probe=() err rc

	for word in "${QEMU_CMD[@]}"; do
		[[ $prev == -serial && $word == stdio ]] && word=null
		probe+=("$word")
		prev=$word
	done
	err=$(mktemp) || return 1
	qemu_starts_paused "$err" 60 "${probe[@]}"
	rc=$?
	PROBE_REFUSAL=$(stderr_summary "$err")
	rm -f "$err"
	((rc == 0)) && return 0
	((rc == 124 || rc == 137)) && PROBE_REFUSAL="QEMU did not start within 60 s"
	((rc > 128 && rc != 137)) && PROBE_REFUSAL="QEMU died (SIG$(kill -l $((rc - 128)))): $PROBE_REFUSAL"
	return 1
}

# Succeeds when the QEMU options after $1 contain one of the options named in $1 (names without
# dashes, space-separated; QEMU takes "-m" and "--m" alike). -append's text is not an option.
has_opt()
{
	local names=" $1 " word skip=

	shift
	for word; do
		if [[ $skip ]]; then
			skip=
			continue
		fi
		[[ $word == -* ]] || continue
		word=${word#-}
		word=${word#-}
		[[ $names == *" $word "* ]] && return 0
		[[ $word == append ]] && skip=1
	done
	return 1
}

# Prints the value of the last of the options named in $1 among the QEMU options after it.
opt_value()
{
	local names=" $1 " word name next='' value=''

	shift
	for word; do
		if [[ $next ]]; then
			[[ $next == take ]] && value=$word
			next=
			continue
		fi
		[[ $word == -* ]] || continue
		name=${word#-}
		name=${name#-}
		if [[ $names == *" $name "* ]]; then
			next=take
		elif [[ $name == append ]]; then
			next=skip
		fi
	done
	printf '%s' "$value"
}

# Prints the machine type of a -machine value ("q35,kernel-irqchip=split" or
# "type=q35,..."); nothing when it only sets properties.
machine_type()
{
	local first=${1%%,*}

	case $first in
	type=*) printf '%s' "${first#type=}" ;;
	*=*) ;;
	*) printf '%s' "$first" ;;
	esac
}

# Fills QEMU_CMD to run kernel $1 with the user's QEMU options "${@:2}": the standard devices,
# then a default for each thing the user's options leave out, then the user's options, last so
# that they win. RUN_ACCEL, RUN_CPU, RUN_CPU_FEATURES (added to RUN_CPU after a comma) and
# RUN_MACHINE (q35 when it is empty or only has properties) come from the caller.
build_cmdline()
{
	local kernel=$1 type machine

	shift
	QEMU_CMD=("$QEMU" "${QEMU_STD_ARGS[@]}")
	has_opt "accel enable-kvm" "$@" || QEMU_CMD+=(-accel "$RUN_ACCEL")
	has_opt cpu "$@" || QEMU_CMD+=(-cpu "$RUN_CPU${RUN_CPU_FEATURES:+,$RUN_CPU_FEATURES}")
	type=$(machine_type "$(opt_value "machine M" "$@")")
	if [[ ! $type ]]; then
		# QEMU merges repeated -machine options, so user properties without a type still apply.
		machine=${RUN_MACHINE:-q35}
		[[ $(machine_type "$machine") ]] || machine=q35,$machine
		QEMU_CMD+=(-machine "$machine")
		type=$(machine_type "$machine")
	fi
	if [[ $kernel == *.efi ]]; then
		has_opt bios "$@" || QEMU_CMD+=("${OVMF_ARGS[@]}")
		has_opt m "$@" || QEMU_CMD+=(-m 256)
		QEMU_CMD+=(-drive "file=fat:rw:$RUN_WORKDIR/esp,format=raw" "${EFI_ARGS[@]}")
		return
	fi
	if [[ ${RUN_ACCEL%%,*} == kvm && ($type == q35 || $type == pc || $type == pc-*) ]] &&
		! has_opt bios "$@" && [[ -r $QBOOT_ROM ]]; then
		QEMU_CMD+=(-bios "$QBOOT_ROM")
	fi
	has_opt m "$@" || QEMU_CMD+=(-m 256)
	QEMU_CMD+=(-kernel "$kernel" "$@")
}

# Prints QEMU_CMD as one line that a shell reads back as the same words. Words that need no
# quotes get none (printf %q would escape every comma of a -device option).
quoted_cmdline()
{
	local word line=

	for word in "${QEMU_CMD[@]}"; do
		if [[ ! $word =~ ^[A-Za-z0-9_,.=/:+@%-]+$ ]]; then
			word="'${word//\'/\'\\\'\'}'"
		fi
		line+=${line:+ }$word
	done
	printf '%s\n' "$line"
}

# Gets kernel $1 with QEMU options "${@:2}" ready to run: checks the kernel exists, picks the
# accelerator, fills QEMU_CMD and chooses the known deviations that apply (dev_select; DEV_NOTE
# names the hypervisor identity). Inputs: QEMU, RUN_MACHINE, RUN_ACCEL_WANT (ACCEL),
# RUN_ACCEL_NEED (the test's accel), RUN_CPU_FEATURES, KVM_PROBE, OVMF_KVM_PROBE, RUN_TIMEOUT,
# RUN_WORKDIR (an empty directory that lives as long as the run: a UEFI program's boot disk
# goes there), and what dev_setup read. Returns 1 with RUN_STATUS and RUN_REASON set when it
# cannot run; RUN_NOTE may explain a choice.
prepare_run()
{
	local kernel=$1 want=$RUN_ACCEL_WANT user_accel type

	shift
	QEMU_CMD=() RUN_REASON='' RUN_NOTE='' DEV_APPLY=() DEV_NOTE=''
	if [[ ! -f $kernel ]]; then
		RUN_STATUS=2 RUN_REASON="kernel $kernel not found; run make"
		return 1
	fi
	# An accelerator in the user's own options counts as asked for.
	user_accel=$(opt_value accel "$@")
	[[ ! $user_accel ]] && has_opt enable-kvm "$@" && user_accel=kvm
	pick_accel "${user_accel:-$want}" "$RUN_ACCEL_NEED" || return 1
	if [[ $kernel == *.efi ]]; then
		type=$(machine_type "$(opt_value "machine M" "$@")")
		type=${type:-$(machine_type "${RUN_MACHINE:-q35}")}
		if [[ $type != q35 && $type != pc && $type != pc-* ]]; then
			RUN_STATUS=77 RUN_REASON="UEFI firmware (OVMF) runs on q35 or pc, not ${type:-q35}"
			return 1
		fi
		pick_efi_accel "$RUN_ACCEL_NEED" || return 1
		if ! has_opt bios "$@"; then
			ovmf_args "$RUN_WORKDIR" || return 1
		fi
		efi_boot_disk "$kernel" "$RUN_WORKDIR" "$@" || {
			RUN_STATUS=2 RUN_REASON="cannot write the boot disk in $RUN_WORKDIR"
			return 1
		}
		[[ $RUN_TIMEOUT == 0 ]] || RUN_TIMEOUT=$((${RUN_TIMEOUT%.*} + EFI_FIRMWARE_SECONDS))
	fi
	build_cmdline "$kernel" "$@"
	dev_select "$kernel"
}

# Runs QEMU_CMD under the time limit RUN_TIMEOUT (seconds; 0 = none), QEMU's stdout into file
# $1 and its stderr into file $2, both also passed through to ours when RUN_ECHO is set. When
# known deviations apply (DEV_APPLY), the kernel's lines go through dev_filter first, which
# leaves its counts in file $1.known. Sets QEMU_RC and QEMU_TIMED_OUT.
run_qemu()
{
	local out=$1 err=$2 started=$SECONDS out_fd err_fd tees=()

	rm -f -- "$out.known"
	if ((${#DEV_APPLY[@]})); then
		if [[ $RUN_ECHO ]]; then
			exec {out_fd}> >(dev_filter "$out.known" | tee -- "$out")
		else
			exec {out_fd}> >(dev_filter "$out.known" >"$out")
		fi
		tees+=($!)
	elif [[ $RUN_ECHO ]]; then
		exec {out_fd}> >(tee -- "$out")
		tees+=($!)
	else
		exec {out_fd}>"$out"
	fi
	if [[ $RUN_ECHO ]]; then
		exec {err_fd}> >(tee -- "$err" >&2)
		tees+=($!)
	else
		exec {err_fd}>"$err"
	fi
	# timeout(1) puts QEMU in a process group of its own, which a terminal's Ctrl-C does not
	# reach: stop_qemu, called from the callers' signal traps, passes the signal on. Running it
	# in the background lets those traps run while we wait.
	timeout -k "$KILL_GRACE" "$RUN_TIMEOUT" "${QEMU_CMD[@]}" </dev/null 1>&"$out_fd" 2>&"$err_fd" &
	QEMU_JOB=$!
	# Without 2>/dev/null bash reports a QEMU killed by a signal ("Aborted") on our stderr.
	wait "$QEMU_JOB" 2>/dev/null
	QEMU_RC=$?
	QEMU_JOB=
	exec {out_fd}>&- {err_fd}>&-
	((${#tees[@]})) && wait "${tees[@]}"

	# timeout(1) exits 124 when it stopped QEMU with SIGTERM, 137 when QEMU needed SIGKILL.
	QEMU_TIMED_OUT=
	if ((QEMU_RC == 124)) ||
		[[ $QEMU_RC == 137 && $RUN_TIMEOUT != 0 && $((SECONDS - started)) -ge ${RUN_TIMEOUT%.*} ]]; then
		QEMU_TIMED_OUT=1
	fi
}

# Stops a QEMU that run_qemu started (for the callers' SIGINT/SIGTERM traps): timeout(1) passes
# SIGTERM on to QEMU, and kills it after KILL_GRACE seconds if it is still there.
stop_qemu()
{
	[[ $QEMU_JOB ]] || return 0
	kill -TERM "$QEMU_JOB" 2>/dev/null
	wait "$QEMU_JOB" 2>/dev/null
	QEMU_JOB=
}

# Succeeds when QEMU's exit status $1 is a kernel's status passed through isa-debug-exit. Those
# are odd, (status << 1) | 1; a status of 64 or more would look like a signal, 128 + N, so of
# those only 77 (skip, exit 155) is taken as a status: the kernel uses 0, 1 and 77.
is_debug_exit()
{
	(($1 % 2 == 1 && ($1 < 128 || $1 == 155)))
}

# Adds to RUN_REASON where a QEMU that died had got to: the kernel's last line, if any.
last_output()
{
	if [[ $OUT_LAST ]]; then
		RUN_REASON+="; last kernel output: ${OUT_LAST:0:120}"
	fi
}

# Sets RUN_STATUS and RUN_REASON from how QEMU ended (QEMU_RC, QEMU_TIMED_OUT) and the kernel's
# output in file $1 (also parsed into the OUT_* variables) and QEMU's stderr in file $2, then
# corrects the kernel's status for the known deviations that run_qemu applied ($1.known).
classify_exit()
{
	local out=$1 err=$2 rc=$QEMU_RC kstatus

	RUN_REASON=
	parse_output "$out"
	if [[ $QEMU_TIMED_OUT ]]; then
		RUN_STATUS=124 RUN_REASON="timeout: QEMU killed after ${RUN_TIMEOUT}s"
		return
	fi
	if ((rc == 0)); then
		# No isa-debug-exit: the kernel printed its status and powered off (or QEMU was reset,
		# which -no-reboot turns into an exit, after a triple fault).
		kstatus=$OUT_DONE
		if [[ ! $kstatus ]]; then
			RUN_STATUS=1 RUN_REASON="no exit status; QEMU exited 0 without a '--- DONE: N ---' line"
			return
		fi
	elif ((rc == 1 || rc == 126 || rc == 127)) && [[ ! $OUT_ANY ]]; then
		# Status 0 through isa-debug-exit is also 1, but a kernel that ran printed something;
		# timeout(1) exits 126 or 127 when it cannot run QEMU at all.
		RUN_STATUS=3 RUN_REASON="QEMU failed to start: $(stderr_summary "$err")"
		return
	elif is_debug_exit "$rc"; then
		kstatus=$((rc >> 1))
	elif ((rc > 128 && rc <= 128 + 64)); then
		RUN_STATUS=4 RUN_REASON="QEMU killed by SIG$(kill -l $((rc - 128))): $(stderr_summary "$err")"
		last_output
		return
	else
		RUN_STATUS=4 RUN_REASON="QEMU exited with status $rc: $(stderr_summary "$err")"
		last_output
		return
	fi

	case $kstatus in
	0) RUN_STATUS=0 ;;
	2)
		RUN_STATUS=2 RUN_REASON="usage error: ${OUT_USAGE:-the kernel reported a usage error}"
		return
		;;
	77) RUN_STATUS=77 RUN_REASON=${OUT_LAST_SKIP:-all tests skipped} ;;
	1)
		RUN_STATUS=1
		((OUT_FAILED > 0)) || RUN_REASON="exit status 1 but no failure reported"
		;;
	*) RUN_STATUS=1 RUN_REASON="exit status $kstatus; $OUT_FAILED of $OUT_TESTS tests failed" ;;
	esac
	dev_correct_status "$out.known" "$kstatus"
}

# Runs what prepare_run got ready, output into files $1 (stdout) and $2 (stderr), and sets
# RUN_STATUS and RUN_REASON. RUN_TIMEOUT and RUN_ECHO as for run_qemu.
run_prepared()
{
	run_qemu "$1" "$2"
	classify_exit "$1" "$2"
}
