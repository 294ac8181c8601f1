/*
 * Kernel command-line options, declared once: a table of the options every program takes
 * (common_options, with the library that reads them) and one of each program's own
 * (program_options, in x86/<name>.c; empty for a program that has none). Before main() the
 * start-up checks every word of the command line against both, so that a misspelt name or a
 * bad value stops the run as a usage error instead of silently changing what it checks; the
 * code then reads typed values through the same declarations.
 *
 * Words are "name" (a flag) or "name=value". Numbers are written "10" or "0x10" and nothing
 * else: no sign, no octal (C reads "010" as 8), no trailing text, nothing beyond 64 bits.
 * Each option may be given once: a second one is a usage error, as "last wins" would hide
 * which of two conflicting words a composed command line meant.
 */
#ifndef LIB_OPTIONS_H
#define LIB_OPTIONS_H

#include "libcflat.h"

enum option_type {
	OPTION_FLAG,   /* "name" alone */
	OPTION_UINT,   /* "name=N", min <= N <= max */
	OPTION_ADDR,   /* "name=ADDR", min <= ADDR <= max, a multiple of align (0: any) */
	OPTION_STRING, /* "name=TEXT", any text but none at all */
	OPTION_CHOICE, /* "name=WORD", one of the words of choices ("sdm|none") */
	OPTION_LIST,   /* "name=N,N,...", each min <= N <= max */
};

/* A table ends with an entry whose name is NULL. */
struct option {
	const char *name;
	enum option_type type;
	/* The value when the option is not given, written as on the command line; NULL: none. */
	const char *def;
	const char *help;
	u64 min, max;
	u64 align;
	const char *choices;
};

/* The library's options (lib/x86/common-options.c) and the program's own (weak: none). */
extern const struct option common_options[];
extern const struct option program_options[];

/*
 * Checks the tables themselves (NULL-ended list): names unique, ranges and choices sensible,
 * every default valid. False with why saying what is wrong: a bug of the program, not of the
 * command line.
 */
bool options_check_tables(const struct option *const *tables, char *why, size_t why_len);

/*
 * Checks argv[1] to argv[argc - 1] against the tables and keeps them for the accessors below.
 * False with why naming the word, what is wrong and the forms accepted (a usage error).
 */
bool options_init(const struct option *const *tables, int argc, char **argv, char *why,
		  size_t why_len);

/* Prints every option of the tables options_init() took, with its form, default and help. */
void options_print_help(const char *program);

/*
 * The values, given or else the default; after options_init() succeeded. Reading a name that
 * no table declares with that type is a bug of the program: an ABORT.
 */
bool option_flag(const char *name);
/* OPTION_UINT or OPTION_ADDR: false, value untouched, when neither given nor defaulted. */
bool option_number(const char *name, u64 *value);
/* OPTION_STRING: NULL when neither given nor defaulted. */
const char *option_string(const char *name);
/* OPTION_CHOICE: whether the value is word, which must be one of its choices. */
bool option_is(const char *name, const char *word);
/* OPTION_LIST: how many numbers (the first max of them stored), or -1 when none given. */
int option_list(const char *name, u64 *values, int max);

#endif
