# shellcheck shell=bash
# Reading unittests.cfg. Sourced by run_tests.sh; defines functions only.
#
# The format is kvm-unit-tests': a "[name]" line starts a test, "key = value" lines under it
# describe how to run it, and '#' starts a comment that runs to the end of the line.
# Keys:
#   file          the kernel; a bare name is looked up in x86/, other paths are taken as they are
#   smp           vCPUs, passed as -smp unless qemu_params has its own -smp (with a topology)
#   machine       machine type with optional properties ("microvm,pcie=on")
#   accel         kvm or tcg: the test runs only with that accelerator
#   qemu_params   more QEMU options (shell-like words: quotes group, nothing is expanded);
#                 extra_params is the older name for it
#   test_args     the kernel's command line, passed as one -append
#   groups        space-separated group names; "nodefault" and "bench" tests run only when asked
#   timeout       time limit, "30" or "30s" (also "2m")
#   arch          x86_64, or the test is skipped
#   cpu_features  CPU features added after a comma to the -cpu model the runner detects or
#                 defaults to ("-x2apic", "+x2apic,-pdpe1gb"); not with a -cpu in qemu_params
#   needs         what the test needs of QEMU or KVM beyond the common, in words ("x2APIC under
#                 TCG"): the runner first starts the test's QEMU paused, and when QEMU refuses
#                 the configuration the test is a SKIP naming this and quoting the refusal
# The parsed tests are in the T_* arrays, indexed from 0 in file order, for run_tests.sh.
# shellcheck disable=SC2034

# Splits string $1 into words the way a shell would, without expanding anything, into WORDS.
# Single quotes keep everything, double quotes let a backslash escape \ " $ and `, a backslash
# outside quotes escapes any character. Fails on an unterminated quote.
split_words()
{
	local s=$1 i=0 c quote='' word='' inword=''

	WORDS=()
	while ((i < ${#s})); do
		c=${s:i:1}
		i=$((i + 1))
		if [[ $quote == "'" ]]; then
			if [[ $c == "'" ]]; then quote=; else word+=$c; fi
		elif [[ $quote == '"' ]]; then
			if [[ $c == '"' ]]; then
				quote=
			elif [[ $c == \\ && ${s:i:1} == [\\\"\$\`] ]]; then
				word+=${s:i:1}
				i=$((i + 1))
			else
				word+=$c
			fi
		elif [[ $c == [[:space:]] ]]; then
			[[ $inword ]] && WORDS+=("$word")
			word='' inword=''
		else
			inword=1
			case $c in
			"'" | '"') quote=$c ;;
			\\)
				word+=${s:i:1}
				i=$((i + 1))
				;;
			*) word+=$c ;;
			esac
		fi
	done
	[[ ! $quote ]] || return 1
	[[ $inword ]] && WORDS+=("$word")
	return 0
}

# Checks and stores value $3 of key $2 for test $1. Sets CFG_PROBLEM and fails when it is bad.
cfg_set()
{
	local i=$1 key=$2 value=$3

	CFG_PROBLEM=
	case $key in
	file) T_FILE[i]=$value ;;
	smp)
		[[ $value =~ ^[1-9][0-9]*$ ]] || CFG_PROBLEM="smp must be a number of vCPUs, not '$value'"
		T_SMP[i]=$value
		;;
	machine) T_MACHINE[i]=$value ;;
	accel)
		[[ $value == kvm || $value == tcg ]] || CFG_PROBLEM="accel must be kvm or tcg, not '$value'"
		T_ACCEL[i]=$value
		;;
	qemu_params)
		split_words "$value" || CFG_PROBLEM="unterminated quote in $key"
		T_QEMU_PARAMS[i]=$value
		;;
	test_args)
		split_words "$value" || CFG_PROBLEM="unterminated quote in $key"
		T_TEST_ARGS[i]=$value
		;;
	groups) T_GROUPS[i]=$value ;;
	timeout)
		to_seconds "$value" >/dev/null || CFG_PROBLEM="timeout must be like 30 or 30s, not '$value'"
		T_TIMEOUT[i]=$value
		;;
	arch) T_ARCH[i]=$value ;;
	needs) T_NEEDS[i]=$value ;;
	cpu_features)
		valid_cpu_features "$value" ||
			CFG_PROBLEM="cpu_features must be like -x2apic or +x2apic,-pdpe1gb, not '$value'"
		T_CPU_FEATURES[i]=$value
		;;
	*) CFG_PROBLEM="unknown key '$key'" ;;
	esac
	[[ ! $CFG_PROBLEM ]]
}

# Parses unittests.cfg file $1 into the T_* arrays. Prints "file:line: problem" and fails on
# the first mistake: a mistyped key silently ignored would change what runs.
cfg_load()
{
	local file=$1 line n=0 i=-1 key value
	local -A seen_test=() seen_key=()

	T_NAME=() T_FILE=() T_SMP=() T_MACHINE=() T_ACCEL=() T_QEMU_PARAMS=() T_TEST_ARGS=()
	T_GROUPS=() T_TIMEOUT=() T_ARCH=() T_CPU_FEATURES=() T_NEEDS=()
	if [[ ! -r $file ]]; then
		echo "$file: cannot read the list of tests" >&2
		return 1
	fi
	while IFS= read -r line || [[ $line ]]; do
		n=$((n + 1))
		line=${line%%#*}
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		CFG_PROBLEM=
		if [[ ! $line ]]; then
			continue
		elif [[ $line =~ ^\[([A-Za-z0-9_.+-]+)\]$ ]]; then
			i=$((i + 1))
			T_NAME[i]=${BASH_REMATCH[1]}
			[[ ${seen_test[${T_NAME[i]}]} ]] && CFG_PROBLEM="test [${T_NAME[i]}] defined twice"
			seen_test[${T_NAME[i]}]=1
		elif [[ $line =~ ^([A-Za-z_]+)[[:space:]]*=[[:space:]]*(.*)$ ]]; then
			key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
			[[ $key == extra_params ]] && key=qemu_params
			if ((i < 0)); then
				CFG_PROBLEM="'$key' before the first [test]"
			elif [[ ${seen_key[$i.$key]} ]]; then
				CFG_PROBLEM="$key given twice in [${T_NAME[i]}] (extra_params is qemu_params)"
			else
				seen_key[$i.$key]=1
				cfg_set "$i" "$key" "$value"
			fi
		else
			CFG_PROBLEM="neither a [test] nor a 'key = value' line"
		fi
		if [[ $CFG_PROBLEM ]]; then
			echo "$file:$n: $CFG_PROBLEM" >&2
			return 1
		fi
	done <"$file"

	for ((i = 0; i < ${#T_NAME[@]}; i++)); do
		if [[ ! ${T_FILE[i]} ]]; then
			echo "$file: [${T_NAME[i]}] has no 'file = ...'" >&2
			return 1
		fi
	done
}

# Prints the kernel path of test $1: bare names are in x86/.
cfg_kernel()
{
	local file=${T_FILE[$1]}

	[[ $file == */* ]] || file=x86/$file
	printf '%s\n' "$file"
}

# Succeeds when test $1 is in group $2.
cfg_in_group()
{
	[[ " ${T_GROUPS[$1]} " == *[[:space:]]"$2"[[:space:]]* ]]
}
