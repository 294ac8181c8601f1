#!/usr/bin/env bash
# Prints the compile database (compile_commands.json) of the make targets given as arguments,
# for clangd and other tools: the commands come from make's own dry run (make -n -B V=1), so
# the flags are the Makefile's. Each command that compiles C or assembly sources (it has -o and
# *.c or *.S arguments) gives one entry per source; a host test or fuzz target, compiled and
# linked in one command, gives each of its sources an entry without the other inputs.
set -u
# shellcheck source=unittests.sh
source "${BASH_SOURCE[0]%/*}/unittests.sh" || exit 2
cd "${BASH_SOURCE[0]%/*}/.." || exit 2

# Sets JSON to string $1 as a JSON string.
json()
{
	JSON=${1//\\/\\\\}
	JSON="\"${JSON//\"/\\\"}\""
}

# Prints the entry of source $1 of the command in WORDS, with $2 before it.
entry()
{
	local src=$1 word prev='' args='' dir

	for word in "${WORDS[@]}"; do
		if [[ $prev == -o || $word == "$src" || $word != *.[cSoa] ]]; then
			json "$word"
			args+="${args:+, }$JSON"
		fi
		prev=$word
	done
	json "$PWD"
	dir=$JSON
	json "$src"
	printf '%s  {"directory": %s, "file": %s, "arguments": [%s]}' "$2" "$dir" "$JSON" "$args"
}

commands=$(make --no-print-directory -n -B V=1 "$@") || exit 1
sep=''
echo '['
while IFS= read -r line; do
	split_words "$line" && [[ " ${WORDS[*]} " == *" -o "* ]] || continue
	for word in "${WORDS[@]}"; do
		if [[ $word == *.[cS] ]]; then
			entry "$word" "$sep"
			sep=$',\n'
		fi
	done
done <<<"$commands"
printf '\n]\n'
