/*
 * The kernel command line, split into argv as main() receives it: argv[0] is the program,
 * the boot arguments follow. Some loaders put the kernel's file name first (QEMU's -kernel),
 * others do not (GRUB 2); is_file_name() tells which. Words are separated by blanks; single
 * or double quotes group blanks into one word.
 */
#ifndef LIB_ARGV_H
#define LIB_ARGV_H

#include "libcflat.h"

/* The program's own name, "smp" for x86/smp.elf: built into each kernel (lib/program-name.c). */
extern const char program_name[];

/* Splits cmdline in place (it is modified); returns argc, at most max - 1 (argv is NULL-ended). */
int split_args(char *cmdline, char **argv, int max);

/* True when "word", the first word of a boot command line, is the kernel's file name. */
bool is_file_name(const char *word, const char *program, bool loader_prepends);

/*
 * Splits cmdline in place like split_args(); argv[0] is its first word when that is the file
 * name (is_file_name()), else "program". Returns argc, at least 1.
 */
int split_cmdline(char *cmdline, char **argv, int max, const char *program, bool loader_prepends);

/* The value of the first "key=value" word, or NULL; a bare "key" gives "". */
const char *find_arg(int argc, char **argv, const char *key);

#endif
