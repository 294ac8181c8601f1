# shellcheck shell=bash
# Checks of the helpers in scripts/ called directly. Sourced by run.sh.

# RC and DETAIL, set here, are read by run.sh, which sources this file.
# shellcheck disable=SC2034
# shellcheck source=../../scripts/qemu.sh
source "$ROOT/scripts/qemu.sh"
# shellcheck source=../../scripts/unittests.sh
source "$ROOT/scripts/unittests.sh"

t_to_seconds()
{
	local spec want got

	for spec in 30=30 30s=30 2m=120 1h=3600 1.5=1.5 0=0; do
		want=${spec#*=}
		got=$(to_seconds "${spec%%=*}") || got=error
		expect_eq "$got" "$want" "to_seconds ${spec%%=*}" || return 1
	done
	for spec in 30x -1 '' 1.5m s; do
		if to_seconds "$spec" >/dev/null; then
			DETAIL="to_seconds accepted '$spec'"
			return 1
		fi
	done
}
check "durations: 30, 30s, 2m, 1.5 are accepted, 30x and 1.5m are not" t_to_seconds

t_split_words()
{
	split_words "-smp 2 -append 'a b' \"c \\\"d\\\"\" e\\ f '' \$HOME" || return 1
	expect_eq "${#WORDS[@]}" 8 "word count" &&
		expect_eq "${WORDS[3]}" "a b" "single quotes" &&
		expect_eq "${WORDS[4]}" 'c "d"' "double quotes with escapes" &&
		expect_eq "${WORDS[5]}" "e f" "backslash" &&
		expect_eq "${WORDS[6]}" "" "empty quotes" &&
		expect_eq "${WORDS[7]}" "\$HOME" "no expansion" || return 1
	if split_words "-append 'open"; then
		DETAIL="an unterminated quote was accepted"
		return 1
	fi
}
check "qemu_params split like shell words, quotes kept, nothing expanded" t_split_words

t_options()
{
	has_opt "cpu" -smp 2 --cpu max || { DETAIL="--cpu not seen"; return 1; }
	if has_opt "m" -append -m -smp 2; then
		DETAIL="-append's text taken as an option"
		return 1
	fi
	expect_eq "$(opt_value "machine M" -M pc -machine q35,kernel-irqchip=split)" \
		q35,kernel-irqchip=split "last -machine" &&
		expect_eq "$(machine_type q35,kernel-irqchip=split)" q35 "machine type" &&
		expect_eq "$(machine_type type=microvm,pcie=on)" microvm "type= machine type" &&
		expect_eq "$(machine_type kernel-irqchip=split)" "" "properties only"
}
check "QEMU options found in user options; machine types parsed" t_options

t_debug_exit_codes()
{
	local rc

	for rc in 1 3 155; do
		is_debug_exit $rc || { DETAIL="$rc not taken as a kernel status"; return 1; }
	done
	for rc in 0 2 124 134 137 139; do
		! is_debug_exit $rc || { DETAIL="$rc taken as a kernel status"; return 1; }
	done
}
check "isa-debug-exit statuses told from signals (155 = status 77, 139 = SIGSEGV)" t_debug_exit_codes

t_parse_summary()
{
	printf '%s\r\n' "PASS: a" "XFAIL: b" "SKIP: c: no feature" \
		"SUMMARY: 7 tests, 2 unexpected failures, 1 expected failures, 3 skipped" >"$WORK/o"
	parse_output "$WORK/o"
	expect_eq "$OUT_TESTS/$OUT_FAILED/$OUT_XFAILED/$OUT_SKIPPED" 7/2/1/3 "counts" &&
		expect_eq "$OUT_LAST_SKIP" "c: no feature" "skip reason"
}
check "SUMMARY line parsed (CRLF line ends too)" t_parse_summary

t_parse_without_summary()
{
	printf '%s\n' "PASS: a" "PASS: b" "FAIL: unexpected exception: vector 6, RIP 0x1000" \
		"--- DONE: 1 ---" >"$WORK/o"
	parse_output "$WORK/o"
	expect_eq "$OUT_TESTS/$OUT_FAILED" 3/1 "counts" && expect_eq "$OUT_DONE" 1 "DONE status"
}
check "counts taken from report lines when the kernel died before SUMMARY" t_parse_without_summary

t_config_mak()
{
	printf 'CC=gcc\nQEMU = /opt/qemu/bin/qemu-system-x86_64\n' >"$WORK/config.mak"
	expect_eq "$(QEMU='' qemu_binary "$WORK")" /opt/qemu/bin/qemu-system-x86_64 \
		"from config.mak" &&
		expect_eq "$(QEMU=/x/q qemu_binary "$WORK")" /x/q "QEMU overrides" &&
		expect_eq "$(QEMU='' qemu_binary "$WORK/k")" qemu-system-x86_64 "default"
}
check "QEMU from the environment, else config.mak, else qemu-system-x86_64" t_config_mak

t_stderr_summary()
{
	printf '%s\n' "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" \
		"/usr/bin/qemu-system-x86_64: kvm.c:3183: Assertion failed." >"$WORK/e"
	expect_eq "$(stderr_summary "$WORK/e")" \
		"error: failed to set MSR 0x10a to 0x69; kvm.c:3183: Assertion failed." "summary"
}
check "QEMU's stderr shortened to one line without the program name" t_stderr_summary

t_cfg_parse()
{
	cfg <<'EOF'
# a comment
[one]   # comment after a section
file = one.elf
extra_params = -smp 4,sockets=2 -append 'x y'
groups = apic  nodefault
timeout = 30s

[two.b]
file = sub/two.elf
accel = kvm
EOF
	cfg_load "$UNITTESTS_CFG" 2>"$ERR" || { DETAIL=$(cat "$ERR"); return 1; }
	expect_eq "${T_NAME[*]}" "one two.b" "names" &&
		expect_eq "${T_QEMU_PARAMS[0]}" "-smp 4,sockets=2 -append 'x y'" "extra_params" &&
		expect_eq "$(cfg_kernel 0) $(cfg_kernel 1)" "x86/one.elf sub/two.elf" "kernel paths" &&
		cfg_in_group 0 nodefault && ! cfg_in_group 0 apic2 || { DETAIL="groups wrong"; return 1; }
}
check "unittests.cfg parsed: comments, extra_params, groups, kernel paths" t_cfg_parse

t_cfg_errors()
{
	local bad

	for bad in "[a]\nfile = a.elf\nfiel = b" "[a]\nfile = a.elf\n[a]\nfile = b.elf" \
		"file = a.elf" "[a]\nfile = a.elf\ntimeout = soon" "[a]\nsmp = 2" \
		"[a]\nfile = a\nqemu_params = -m 1\nextra_params = -m 2" \
		"[a]\nfile = a\ncpu_features = x2apic"; do
		printf '%b\n' "$bad" >"$UNITTESTS_CFG"
		if cfg_load "$UNITTESTS_CFG" 2>"$ERR"; then
			DETAIL="accepted: $bad"
			return 1
		fi
		expect_match "$ERR" "unittests.cfg" || return 1
	done
}
check "unittests.cfg mistakes (unknown key, duplicate test, bad timeout or cpu_features, no file)" \
	t_cfg_errors
