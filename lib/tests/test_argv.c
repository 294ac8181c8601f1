/*
 * Splitting the kernel command line into argv, with or without the file name in front (QEMU's
 * -kernel, GRUB 2, UEFI LoadOptions), and key=value lookup.
 */
#include <string.h>
#include "argv.h"
#include "check.h"

/* Command lines as start-up splits them for program "smp", and the argv main() gets. */
static const struct {
	const char *line;
	bool loader_prepends;
	const char *argv[8];
} cmdlines[] = {
	{ "x86/smp.elf a=b", false, { "x86/smp.elf", "a=b" } },
	{ "x86/smp.elf a=b", true, { "x86/smp.elf", "a=b" } },
	{ "smp a=b", false, { "smp", "a=b" } },
	{ "a=b", false, { "smp", "a=b" } },
	{ "/boot/SMP.ELF", false, { "/boot/SMP.ELF" } },
	{ "fs0:\\EFI\\BOOT\\BOOTX64.EFI x", false, { "fs0:\\EFI\\BOOT\\BOOTX64.EFI", "x" } },
	{ "smp.delays=none", false, { "smp", "smp.delays=none" } },
	{ "expect-cpus=4 smp.delays=none", false, { "smp", "expect-cpus=4", "smp.delays=none" } },
	{ "", false, { "smp" } },
	{ "", true, { "smp" } },
	{ "  ", false, { "smp" } },
	/* More words than room: the program and what fits. */
	{ "1 2 3 4 5 6 7 8 9", false, { "smp", "1", "2", "3", "4", "5", "6" } },
	{ "smp.elf 1 2 3 4 5 6 7 8 9", false, { "smp.elf", "1", "2", "3", "4", "5" } },
};

static bool split_as_expected(int i)
{
	char line[128], *argv[ARRAY_SIZE(cmdlines[i].argv)];
	const char *const *want = cmdlines[i].argv;
	int argc, n = 0;

	snprintf(line, sizeof(line), "%s", cmdlines[i].line);
	argc = split_cmdline(line, argv, ARRAY_SIZE(argv), "smp", cmdlines[i].loader_prepends);
	for (; n < (int)ARRAY_SIZE(cmdlines[i].argv) && want[n]; n++)
		if (n >= argc || strcmp(argv[n], want[n]))
			break;
	if (argc == n && !argv[n])
		return true;
	printf("\"%s\" (loader prepends: %d) gave argc %d\n", cmdlines[i].line,
	       cmdlines[i].loader_prepends, argc);
	return false;
}

static void test_file_name(void)
{
	CHECK(is_file_name("x86/smp.elf", "smp", false));
	CHECK(is_file_name("smp", "smp", false));
	CHECK(is_file_name("/boot/SMP.ELF", "smp", false));
	CHECK(is_file_name("fs0:\\EFI\\BOOT\\BOOTX64.EFI", "smp", false));
	CHECK(is_file_name("smp.efi", "smp", false));
	CHECK(is_file_name("/boot/Smp.bin", "smp", false));
	CHECK(is_file_name("/boot/kernel", "smp", true)); /* QEMU's -kernel: whatever the name */
	CHECK(!is_file_name("a=b", "smp", false));
	CHECK(!is_file_name("smp.delays=none", "smp", false));
	CHECK(!is_file_name("expect-args", "selftest", false));
	CHECK(!is_file_name("smpx", "smp", false));
	CHECK(!is_file_name("sm", "smp", false));
	CHECK(!is_file_name("/boot/kernel", "smp", false));
	CHECK(!is_file_name("", "smp", false));
	for (int i = 0; i < (int)ARRAY_SIZE(cmdlines); i++)
		CHECK(split_as_expected(i));
}

int main(void)
{
	char *argv[64];
	char line1[] = "  x86/selftest.elf a  'b c'\t\"d\"e= f=\"g h\"  ";
	char line2[] = "";
	char line3[] = "one two three four five";
	char line4[] = "prog key=1 key=2 flag keyed=3 'unterminated quote";
	char *small[3];
	int argc;

	argc = split_args(line1, argv, ARRAY_SIZE(argv));
	CHECK(argc == 5);
	CHECK(!strcmp(argv[0], "x86/selftest.elf"));
	CHECK(!strcmp(argv[1], "a"));
	CHECK(!strcmp(argv[2], "b c"));
	CHECK(!strcmp(argv[3], "de="));
	CHECK(!strcmp(argv[4], "f=g h"));
	CHECK(argv[5] == NULL);

	CHECK(split_args(line2, argv, ARRAY_SIZE(argv)) == 0 && argv[0] == NULL);

	/* More words than room: keep what fits, always NULL-terminated. */
	CHECK(split_args(line3, small, 3) == 2);
	CHECK(!strcmp(small[0], "one") && !strcmp(small[1], "two") && small[2] == NULL);

	argc = split_args(line4, argv, ARRAY_SIZE(argv));
	CHECK(argc == 6);
	CHECK(!strcmp(find_arg(argc, argv, "key"), "1"));
	CHECK(!strcmp(find_arg(argc, argv, "flag"), ""));
	CHECK(!strcmp(find_arg(argc, argv, "keyed"), "3"));
	CHECK(find_arg(argc, argv, "ke") == NULL);
	CHECK(find_arg(argc, argv, "prog") == NULL); /* argv[0] is the program, not an option */
	CHECK(!strcmp(argv[5], "unterminated quote"));
	test_file_name();
	return check_done("argv");
}
