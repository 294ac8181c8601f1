/*
 * The kernel command line, split into argv as main() receives it. QEMU's Multiboot loader
 * puts the kernel's file name first, so argv[0] is the program; "-append" words follow.
 * Words are separated by blanks; single or double quotes group blanks into one word.
 */
#ifndef LIB_ARGV_H
#define LIB_ARGV_H

#include "libcflat.h"

#define MAX_ARGS 64

/* Splits cmdline in place (it is modified); returns argc, at most max - 1 (argv is NULL-ended). */
int split_args(char *cmdline, char **argv, int max);

/* The value of the first "key=value" word, or NULL; a bare "key" gives "". */
const char *find_arg(int argc, char **argv, const char *key);

#endif
