# shellcheck shell=bash
# Known deviations: report lines that fail on one hypervisor because the hypervisor, not the
# test, is wrong. known-deviations.cfg (its top comment has the format and the policy) lists them
# per hypervisor; the runner turns such a FAIL into an XFAIL that names the entry, says why in an
# INFO line, corrects the SUMMARY line and the exit status, and turns a PASS that an entry
# expects to fail into an XPASS (an unexpected failure: the entry is stale there). Sourced by
# scripts/qemu.sh; defines functions and settings only.
#
# The hypervisor identity is what the host shows, not what the guest is told: "tcg" under TCG,
# and under KVM "kvm-" and the vendor module that drives /dev/kvm: kvm-intel, kvm-amd, kvm-pvm
# (KVM's PVM backend, as on the build hosts), or kvm-unknown. HYPERVISOR_ID overrides it.

# RUN_STATUS and RUN_REASON, set here, are read by the scripts that source this file.
# shellcheck disable=SC2034

# The harness tests point this at a fake tree to pretend to be another host.
SYSFS_ROOT=${SYSFS_ROOT:-/sys}

DEV_KEYS=(hypervisor qemu program report why evidence)
DEV_REQUIRED_KEYS=(hypervisor program report why evidence)

# Sets HV_ID to the identity of the hypervisor that runs a guest with -accel $1, and HV_FROM to
# what told it. Only one KVM vendor module can drive /dev/kvm; when several show in sysfs, the
# identity is kvm-unknown, so that no vendor's deviations can hide another vendor's failures.
hypervisor_id()
{
	local module found=()

	if [[ $HYPERVISOR_ID ]]; then
		HV_ID=$HYPERVISOR_ID HV_FROM=HYPERVISOR_ID
		return
	fi
	if [[ ${1%%,*} == tcg ]]; then
		HV_ID=tcg HV_FROM="accel tcg"
		return
	fi
	for module in kvm_intel kvm_amd kvm_pvm; do
		[[ -d $SYSFS_ROOT/module/$module ]] && found+=("$module")
	done
	case ${#found[@]} in
	0) HV_ID=kvm-unknown HV_FROM="no kvm_intel, kvm_amd or kvm_pvm in $SYSFS_ROOT/module" ;;
	1) HV_ID=kvm-${found[0]#kvm_} HV_FROM=$SYSFS_ROOT/module/${found[0]} ;;
	*) HV_ID=kvm-unknown HV_FROM="several vendor modules in $SYSFS_ROOT/module: ${found[*]}" ;;
	esac
}

# Succeeds when $1 matches one of the comma-separated globs in $2 (blanks around each ignored).
# case, unlike [[ == ]], keeps "(" and "|" plain characters (no extglob).
globs_match()
{
	local globs glob

	IFS=, read -ra globs <<<"$2"
	for glob in "${globs[@]}"; do
		glob=${glob#"${glob%%[![:space:]]*}"}
		glob=${glob%"${glob##*[![:space:]]}"}
		# shellcheck disable=SC2254
		case $1 in
		$glob) return 0 ;;
		esac
	done
	return 1
}

# Sets DEV_TEXT to line $1 without its comment and the blanks around it. A comment starts at a
# '#' that begins the line or stands between blanks (or a blank and the end of the line): the
# '#' of "#GP" is text.
dev_strip()
{
	local line=$1

	line=${line#"${line%%[![:space:]]*}"}
	[[ $line == "#"* ]] && line=
	line=${line%%[[:space:]]#[[:space:]]*}
	line=${line%[[:space:]]#}
	DEV_TEXT=${line%"${line##*[![:space:]]}"}
}

# Checks that entry $1 of file $2 has every required key. Sets DEV_PROBLEM and fails when not.
dev_check_entry()
{
	local i=$1 key ref

	DEV_PROBLEM=
	((i >= 0)) || return 0
	for key in "${DEV_REQUIRED_KEYS[@]}"; do
		ref="DEV_${key^^}[$i]"
		if [[ ! ${!ref} ]]; then
			DEV_PROBLEM="$2:${DEV_LINE[i]}: [${DEV_ID[i]}] has no '$key = ...'"
			return 1
		fi
	done
}

# Parses known-deviations file $1 into the DEV_* arrays, indexed from 0 in file order. Prints
# "file:line: problem" and fails on the first mistake: an entry that silently does not apply
# would show a FAIL, but one that applies too widely would hide a finding.
dev_load()
{
	local file=$1 raw n=0 i=-1 key value
	local -A seen_id=() seen_key=()

	DEV_ID=() DEV_LINE=() DEV_HYPERVISOR=() DEV_QEMU=() DEV_PROGRAM=() DEV_REPORT=() DEV_WHY=()
	DEV_EVIDENCE=() DEV_PROBLEM=
	if [[ ! -r $file ]]; then
		echo "$file: cannot read the known deviations" >&2
		return 1
	fi
	# dev_check_entry only names the file in its messages: nothing in the loop writes to it.
	# shellcheck disable=SC2094
	while IFS= read -r raw || [[ $raw ]]; do
		n=$((n + 1))
		dev_strip "${raw%$'\r'}"
		if [[ ! $DEV_TEXT ]]; then
			continue
		elif [[ $DEV_TEXT =~ ^\[([A-Za-z0-9_.+-]+)\]$ ]]; then
			dev_check_entry "$i" "$file" || break
			i=$((i + 1))
			DEV_ID[i]=${BASH_REMATCH[1]} DEV_LINE[i]=$n
			if [[ ${seen_id[${DEV_ID[i]}]} ]]; then
				DEV_PROBLEM="$file:$n: [${DEV_ID[i]}] defined twice"
			fi
			seen_id[${DEV_ID[i]}]=1
		elif [[ $DEV_TEXT =~ ^([A-Za-z_]+)[[:space:]]*=[[:space:]]*(.*)$ ]]; then
			key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
			if [[ " ${DEV_KEYS[*]} " != *" $key "* ]]; then
				DEV_PROBLEM="$file:$n: unknown key '$key' (the keys: ${DEV_KEYS[*]})"
			elif ((i < 0)); then
				DEV_PROBLEM="$file:$n: '$key' before the first [entry]"
			elif [[ ${seen_key[$i.$key]} ]]; then
				DEV_PROBLEM="$file:$n: $key given twice in [${DEV_ID[i]}]"
			elif [[ ! $value ]]; then
				DEV_PROBLEM="$file:$n: $key of [${DEV_ID[i]}] is empty"
			else
				seen_key[$i.$key]=1
				printf -v "DEV_${key^^}[$i]" '%s' "$value"
			fi
		else
			DEV_PROBLEM="$file:$n: neither an [entry] nor a 'key = value' line"
		fi
		[[ $DEV_PROBLEM ]] && break
	done <"$file"
	[[ $DEV_PROBLEM ]] || dev_check_entry "$i" "$file"
	if [[ $DEV_PROBLEM ]]; then
		echo "$DEV_PROBLEM" >&2
		return 1
	fi
}

# Reads the known deviations that KNOWN_DEVIATIONS names: a file, "none" for raw results, or
# nothing for known-deviations.cfg in directory $1 (which may be missing). Sets DEV_FILE (empty
# when there are none) and, when an entry has a qemu glob, QEMU_VERSION (empty when QEMU does not
# tell) and DEV_QEMU_NOTE for DEV_NOTE. Fails with a message on a bad file. QEMU must be set.
dev_setup()
{
	local glob

	DEV_FILE=${KNOWN_DEVIATIONS:-$1/known-deviations.cfg} QEMU_VERSION='' DEV_QEMU_NOTE=''
	DEV_ID=()
	if [[ $KNOWN_DEVIATIONS == none ]] || [[ ! $KNOWN_DEVIATIONS && ! -e $DEV_FILE ]]; then
		DEV_FILE=
		return 0
	fi
	[[ $DEV_FILE == /* ]] || DEV_FILE=$PWD/$DEV_FILE
	dev_load "$DEV_FILE" || return 1
	for glob in "${DEV_QEMU[@]}"; do
		if [[ $glob ]]; then
			QEMU_VERSION=$(qemu_version)
			DEV_QEMU_NOTE=" under QEMU ${QEMU_VERSION:-of unknown version}"
			break
		fi
	done
}

# Chooses the entries that apply to kernel $1 ("x86/<program>.elf" or .efi) run with -accel RUN_ACCEL:
# sets DEV_APPLY to their indices and DEV_NOTE to a line that says which hypervisor identity and
# entries were used (for -v and VERBOSE). An entry with a qemu glob does not apply when the
# version is unknown.
dev_select()
{
	local program=${1##*/} i

	program=${program%.elf}
	program=${program%.efi}
	hypervisor_id "$RUN_ACCEL"
	DEV_APPLY=()
	DEV_NOTE="hypervisor $HV_ID ($HV_FROM); "
	if [[ ! $DEV_FILE ]]; then
		if [[ $KNOWN_DEVIATIONS == none ]]; then
			DEV_NOTE+="known deviations off (KNOWN_DEVIATIONS=none)"
		else
			DEV_NOTE+="no known deviations file"
		fi
		return
	fi
	for i in "${!DEV_ID[@]}"; do
		globs_match "$HV_ID" "${DEV_HYPERVISOR[i]}" || continue
		globs_match "$program" "${DEV_PROGRAM[i]}" || continue
		if [[ ${DEV_QEMU[i]} ]]; then
			[[ $QEMU_VERSION ]] && globs_match "$QEMU_VERSION" "${DEV_QEMU[i]}" || continue
		fi
		DEV_APPLY+=("$i")
	done
	DEV_NOTE+="known deviations: ${#DEV_APPLY[@]} of ${#DEV_ID[@]} entries of $DEV_FILE apply"
	DEV_NOTE+=" to $program$DEV_QEMU_NOTE"
}

# Sets DEV_MATCH to the first entry of DEV_APPLY whose report glob matches report text $1.
dev_match()
{
	local i

	for i in "${DEV_APPLY[@]}"; do
		# shellcheck disable=SC2254
		case $1 in
		${DEV_REPORT[i]})
			DEV_MATCH=$i
			return 0
			;;
		esac
	done
	return 1
}

# Sets DEV_TEXT to SUMMARY line $1 with $2 unexpected failures turned into expected ones and $3
# more unexpected failures, and DEV_FAILED to its new count of unexpected failures. Fails when
# $1 is not a SUMMARY line that parse_output understands.
dev_summary()
{
	local tests failed xfailed skipped

	[[ $1 =~ $SUMMARY_RE ]] || return 1
	tests=${BASH_REMATCH[1]} failed=${BASH_REMATCH[3]:-0}
	xfailed=${BASH_REMATCH[5]:-0} skipped=${BASH_REMATCH[7]:-0}
	failed=$((failed - $2 + $3))
	((failed < 0)) && failed=0
	xfailed=$((xfailed + $2))
	DEV_FAILED=$failed
	DEV_TEXT="SUMMARY: $tests tests"
	((failed)) && DEV_TEXT+=", $failed unexpected failures"
	((xfailed)) && DEV_TEXT+=", $xfailed expected failures"
	((skipped)) && DEV_TEXT+=", $skipped skipped"
	return 0
}

# Prints an INFO line for each entry that has changed a report line and has none yet.
dev_info_lines()
{
	local i

	for i in "${!DEV_USED[@]}"; do
		[[ ${DEV_TOLD[i]} ]] && continue
		DEV_TOLD[i]=1
		printf 'INFO: known deviation %s: %s (evidence: %s)\n' "${DEV_ID[i]}" "${DEV_WHY[i]}" \
			"${DEV_EVIDENCE[i]}"
	done
}

# Copies a kernel's output from stdin to stdout a line at a time (each written at once: the
# output is shown live), applying the entries of DEV_APPLY: a matching FAIL becomes an XFAIL, a
# matching PASS an XPASS; the INFO lines go before the SUMMARY line, which gets the corrected
# counts (or at the end when no SUMMARY came). At the end writes to file $1 what
# dev_correct_status needs: "XFAILS XPASSES FAILS ABORTS SUMMARY FAILED", FAILS and ABORTS being
# the lines no entry matched, SUMMARY 1 when a SUMMARY line came, FAILED its corrected count.
dev_filter()
{
	local state=$1 line cr kind text id summary=0 failed=0 xfails=0 xpasses=0 fails=0 aborts=0

	DEV_USED=() DEV_TOLD=()
	while IFS= read -r line || [[ $line ]]; do
		cr=
		if [[ $line == *$'\r' ]]; then
			cr=$'\r' line=${line%$'\r'}
		fi
		case $line in
		"FAIL: "* | "PASS: "*)
			kind=${line%%: *} text=${line#*: }
			if dev_match "$text"; then
				DEV_USED[DEV_MATCH]=1 id=${DEV_ID[DEV_MATCH]}
				if [[ $kind == FAIL ]]; then
					line="XFAIL: $text [known deviation $id]"
					xfails=$((xfails + 1))
				else
					line="XPASS: $text [known deviation $id no longer seen]"
					xpasses=$((xpasses + 1))
				fi
			elif [[ $kind == FAIL ]]; then
				fails=$((fails + 1))
			fi
			;;
		"ABORT: "*) aborts=$((aborts + 1)) ;;
		"SUMMARY: "*)
			dev_info_lines
			if dev_summary "$line" "$xfails" "$xpasses"; then
				line=$DEV_TEXT summary=1 failed=$DEV_FAILED
			fi
			;;
		esac
		printf '%s%s\n' "$line" "$cr"
	done
	dev_info_lines
	echo "$xfails $xpasses $fails $aborts $summary $failed" >"$state"
}

# Corrects RUN_STATUS for the known deviations that dev_filter applied (its file $1) to a kernel
# that exited with status $2. A status 1 becomes 0 only when every failure was a known deviation
# and the kernel finished (printed its SUMMARY); a status 0 becomes 1 when an entry saw a PASS.
# 77 stays 77; without the file (no entry applied to this run) nothing changes.
dev_correct_status()
{
	local xfails xpasses fails aborts summary failed

	[[ -r $1 ]] || return 0
	read -r xfails xpasses fails aborts summary failed <"$1" || return 0
	if (($2 == 1 && xfails > 0)); then
		if ((summary && failed == 0 && xpasses == 0 && fails == 0 && aborts == 0)); then
			RUN_STATUS=0 RUN_REASON=
		elif ((!summary)); then
			RUN_REASON="exit status 1 without a SUMMARY line ($xfails known deviations seen)"
		fi
	elif (($2 == 0 && xpasses > 0)); then
		RUN_STATUS=1 RUN_REASON=
	fi
}
