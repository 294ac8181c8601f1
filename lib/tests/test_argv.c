/* Splitting the kernel command line into argv, and key=value lookup. */
#include <string.h>
#include "argv.h"
#include "check.h"

int main(void)
{
	char *argv[MAX_ARGS];
	char line1[] = "  x86/selftest.elf a  'b c'\t\"d\"e= f=\"g h\"  ";
	char line2[] = "";
	char line3[] = "one two three four five";
	char line4[] = "prog key=1 key=2 flag keyed=3 'unterminated quote";
	char *small[3];
	int argc;

	argc = split_args(line1, argv, MAX_ARGS);
	CHECK(argc == 5);
	CHECK(!strcmp(argv[0], "x86/selftest.elf"));
	CHECK(!strcmp(argv[1], "a"));
	CHECK(!strcmp(argv[2], "b c"));
	CHECK(!strcmp(argv[3], "de="));
	CHECK(!strcmp(argv[4], "f=g h"));
	CHECK(argv[5] == NULL);

	CHECK(split_args(line2, argv, MAX_ARGS) == 0 && argv[0] == NULL);

	/* More words than room: keep what fits, always NULL-terminated. */
	CHECK(split_args(line3, small, 3) == 2);
	CHECK(!strcmp(small[0], "one") && !strcmp(small[1], "two") && small[2] == NULL);

	argc = split_args(line4, argv, MAX_ARGS);
	CHECK(argc == 6);
	CHECK(!strcmp(find_arg(argc, argv, "key"), "1"));
	CHECK(!strcmp(find_arg(argc, argv, "flag"), ""));
	CHECK(!strcmp(find_arg(argc, argv, "keyed"), "3"));
	CHECK(find_arg(argc, argv, "ke") == NULL);
	CHECK(find_arg(argc, argv, "prog") == NULL); /* argv[0] is the program, not an option */
	CHECK(!strcmp(argv[5], "unterminated quote"));
	return check_done("argv");
}
