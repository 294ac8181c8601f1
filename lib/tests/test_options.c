/*
 * The kernel's options: each type's accepted and refused forms, ranges, unknown names (with a
 * near miss named), missing values, duplicates (an error), the defaults, the tables' own check,
 * the help text, the usage error's line and status, and an accessor used against its
 * declaration (an ABORT).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "argv.h"
#include "options.h"
#include "report.h"

static const struct option test_options[] = {
	{ .name = "flag", .type = OPTION_FLAG, .help = "a flag" },
	{ .name = "count", .type = OPTION_UINT, .min = 1, .max = 100, .def = "10",
	  .help = "a number" },
	{ .name = "big", .type = OPTION_UINT, .max = UINT64_MAX, .help = "any 64-bit number" },
	{ .name = "base", .type = OPTION_ADDR, .min = 0x1000, .max = 0xfffff000, .align = 0x1000,
	  .help = "an address" },
	{ .name = "text", .type = OPTION_STRING, .help = "some text" },
	{ .name = "mode", .type = OPTION_CHOICE, .choices = "fast|slow|off", .def = "fast",
	  .help = "a word" },
	{ .name = "ids", .type = OPTION_LIST, .max = 0xffff, .help = "numbers" },
	{ .name = "dash-name", .type = OPTION_FLAG, .help = "a flag with a dash" },
	{}
};

static const struct option *const tables[] = { common_options, test_options, NULL };

static char why[512];

/* Checks line as the kernel's command line would be (argv[0] "prog" added); kept for reads. */
static bool accepts(const char *line)
{
	static char buf[256];
	static char *argv[32];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_cmdline(buf, argv, 32, "prog", false);
	why[0] = '\0';
	return options_init(tables, argc, argv, why, sizeof(why));
}

/* Refused, with why starting with the word and saying problem. */
static bool refuses(const char *line, const char *problem)
{
	if (accepts(line) || !strstr(why, problem)) {
		printf("\"%s\" gave \"%s\", expected \"%s\"\n", line, why, problem);
		return false;
	}
	return true;
}

static void test_numbers(void)
{
	u64 v = 0;

	CHECK(accepts("count=1") && option_number("count", &v) && v == 1);
	CHECK(accepts("count=100") && option_number("count", &v) && v == 100);
	CHECK(accepts("count=0x20") && option_number("count", &v) && v == 0x20);
	CHECK(accepts("count=0x0A") && option_number("count", &v) && v == 10);
	CHECK(accepts("big=18446744073709551615") && option_number("big", &v) && v == UINT64_MAX);
	CHECK(accepts("big=0xffffffffffffffff") && option_number("big", &v) && v == UINT64_MAX);
	CHECK(accepts("big=0") && option_number("big", &v) && v == 0);
	CHECK(refuses("count=0", "count=0: out of range; expected count=N, N in 1-100, "
		      "numbers as 10 or 0x10"));
	CHECK(refuses("count=101", "out of range"));
	CHECK(refuses("count=abc", "count=abc: not a number; expected count=N, N in 1-100"));
	CHECK(refuses("count=010", "not a number")); /* C's octal: 8, or a user's 10? */
	CHECK(refuses("count=00", "not a number"));
	CHECK(refuses("count=0X10", "not a number"));
	CHECK(refuses("count=0x", "not a number"));
	CHECK(refuses("count=5x", "not a number"));
	CHECK(refuses("count=+5", "not a number"));
	CHECK(refuses("count=-1", "not a number"));
	CHECK(refuses("count=1e2", "not a number"));
	CHECK(refuses("'count=5 '", "not a number"));
	CHECK(refuses("count=0x5g", "not a number"));
	CHECK(refuses("big=18446744073709551616", "big=18446744073709551616: out of range"));
	CHECK(refuses("big=0x10000000000000000", "out of range"));
	CHECK(refuses("count=", "count=: needs a value"));
	CHECK(refuses("count", "count: needs a value"));
}

static void test_addresses(void)
{
	u64 v = 0;

	CHECK(accepts("base=0x2000") && option_number("base", &v) && v == 0x2000);
	CHECK(accepts("base=4096") && option_number("base", &v) && v == 0x1000);
	CHECK(accepts("base=0xfffff000"));
	CHECK(refuses("base=0x1001", "base=0x1001: not aligned; expected base=ADDR, ADDR in "
		      "0x1000-0xfffff000, a multiple of 0x1000"));
	CHECK(refuses("base=0", "out of range"));
	CHECK(refuses("base=0x100000000", "out of range"));
	CHECK(refuses("pci.ecam=0xe0000001", "not aligned"));
	CHECK(refuses("pci.ecam=0x100000000", "out of range"));
	CHECK(refuses("pci.mmio=0xfec00000", "out of range"));
	CHECK(accepts("pci.ecam=0xe0000000") && option_number("pci.ecam", &v) && v == 0xe0000000);
}

static void test_words(void)
{
	CHECK(accepts("mode=slow") && option_is("mode", "slow") && !option_is("mode", "fast"));
	CHECK(refuses("mode=bogus", "mode=bogus: not one of the words; expected mode=fast|slow|off"));
	CHECK(refuses("mode=FAST", "not one of the words"));
	CHECK(refuses("mode=fast|slow", "not one of the words"));
	CHECK(refuses("mode=fas", "not one of the words"));
	CHECK(refuses("mode=", "needs a value"));
	CHECK(accepts("'text=a b=c'") && !strcmp(option_string("text"), "a b=c"));
	CHECK(refuses("text=", "text=: needs a value; expected text=TEXT"));
	CHECK(refuses("text", "needs a value"));
	CHECK(accepts("flag") && option_flag("flag") && !option_flag("dash-name"));
	CHECK(refuses("flag=1", "flag=1: takes no value; expected flag"));
	CHECK(refuses("flag=", "takes no value"));
}

static void test_lists(void)
{
	u64 ids[4] = { 0 };

	CHECK(accepts("ids=7") && option_list("ids", ids, 4) == 1 && ids[0] == 7);
	CHECK(accepts("ids=1,0x100,65535") && option_list("ids", ids, 4) == 3 && ids[0] == 1 &&
	      ids[1] == 0x100 && ids[2] == 0xffff);
	/* More than there is room for: all are counted, the first max stored. */
	ids[2] = 0;
	CHECK(accepts("ids=4,5,6") && option_list("ids", ids, 2) == 3 && ids[1] == 5 && !ids[2]);
	CHECK(refuses("ids=1,,2", "ids=1,,2: not a number; expected ids=N,N,..., each N in "
		      "0-65535"));
	CHECK(refuses("ids=1,", "not a number"));
	CHECK(refuses("ids=,1", "not a number"));
	CHECK(refuses("ids=1;2", "not a number"));
	CHECK(refuses("ids=65536", "out of range"));
	CHECK(refuses("ids=1,012", "not a number"));
}

static void test_names(void)
{
	CHECK(refuses("foo=bar", "unknown option 'foo=bar'"));
	CHECK(!strcmp(why, "unknown option 'foo=bar'"));
	CHECK(refuses("dash_name", "unknown option 'dash_name'; did you mean dash-name?"));
	CHECK(refuses("Count=5", "unknown option 'Count=5'; did you mean count=N, N in 1-100?"));
	CHECK(refuses("smp.timeout-ms=5", "did you mean smp.timeout_ms=N"));
	CHECK(refuses("coun=5", "unknown option 'coun=5'"));
	CHECK(refuses("counts=5", "unknown option"));
	CHECK(refuses("=5", "unknown option '=5'"));
	/* The first bad word stops the check. */
	CHECK(refuses("count=5 foo mode=bogus", "unknown option 'foo'"));
}

static void test_duplicates(void)
{
	CHECK(refuses("count=5 mode=slow count=6",
		      "count given twice ('count=5', then 'count=6'); give it once"));
	CHECK(refuses("flag flag", "flag given twice"));
	CHECK(refuses("count=5 count=5", "given twice"));
}

static void test_defaults(void)
{
	u64 v = 0, ids[1];

	CHECK(accepts(""));
	CHECK(option_number("count", &v) && v == 10);
	CHECK(!option_number("base", &v) && v == 10);
	CHECK(option_is("mode", "fast"));
	CHECK(!option_flag("flag"));
	CHECK(option_string("text") == NULL);
	CHECK(option_list("ids", ids, 1) == -1);
	CHECK(option_is("smp.delays", "sdm") && option_is("apic", "x2apic"));
	CHECK(option_number("smp.timeout_ms", &v) && v == 10000);
	CHECK(option_number("pci.mmio", &v) && v == 0xc0000000);
	CHECK(!option_number("pci.ecam", &v));
	/* The file name the loader put first is argv[0], not an option. */
	{
		char line[] = "x86/prog.elf count=5", *argv[4];
		int argc = split_cmdline(line, argv, 4, "prog", true);

		CHECK(options_init(tables, argc, argv, why, sizeof(why)));
		CHECK(option_number("count", &v) && v == 5);
	}
}

/* The runner's arguments, and the five a user got wrong without being told. */
static void test_common(void)
{
	CHECK(accepts("smp.delays=none apic=xapic pci.ecam=0xe0000000 pci.mmio=0xc0000000 "
		      "smp.timeout_ms=10000 help"));
	CHECK(option_is("smp.delays", "none") && option_is("apic", "xapic") && option_flag("help"));
	CHECK(refuses("smp.timeout_ms=bogus", "smp.timeout_ms=bogus: not a number; expected "
		      "smp.timeout_ms=N, N in 1-3600000, numbers as 10 or 0x10"));
	CHECK(refuses("smp.timeout_ms=0", "out of range"));
	CHECK(refuses("smp.delays=bogus", "smp.delays=bogus: not one of the words; expected "
		      "smp.delays=sdm|none"));
	CHECK(refuses("apic=x2APIC", "not one of the words; expected apic=x2apic|xapic"));
}

static char bad_why[300];

static bool tables_ok(const struct option *t)
{
	const struct option *const list[] = { common_options, t, NULL };

	bad_why[0] = '\0';
	return options_check_tables(list, bad_why, sizeof(bad_why));
}

static void test_tables(void)
{
	static const struct option dup[] = {
		{ .name = "help", .type = OPTION_FLAG, .help = "again" }, {} };
	static const struct option bad_def[] = {
		{ .name = "n", .type = OPTION_UINT, .min = 1, .max = 9, .def = "0", .help = "n" }, {} };
	static const struct option octal_def[] = {
		{ .name = "n", .type = OPTION_UINT, .max = 9, .def = "07", .help = "n" }, {} };
	static const struct option bad_choice_def[] = {
		{ .name = "c", .type = OPTION_CHOICE, .choices = "a|b", .def = "x", .help = "c" }, {} };
	static const struct option empty_range[] = {
		{ .name = "n", .type = OPTION_LIST, .min = 2, .max = 1, .help = "n" }, {} };
	static const struct option no_choices[] = {
		{ .name = "c", .type = OPTION_CHOICE, .help = "c" }, {} };
	static const struct option eq_name[] = {
		{ .name = "a=b", .type = OPTION_FLAG, .help = "a" }, {} };
	static const struct option no_help[] = { { .name = "a", .type = OPTION_FLAG }, {} };
	static const struct option flag_def[] = {
		{ .name = "a", .type = OPTION_FLAG, .def = "1", .help = "a" }, {} };

	CHECK(tables_ok(test_options) && tables_ok(program_options));
	CHECK(!tables_ok(dup) && strstr(bad_why, "option help declared twice"));
	CHECK(!tables_ok(bad_def) && strstr(bad_why, "option n: its default is wrong: n=0: "
					    "out of range"));
	CHECK(!tables_ok(octal_def) && strstr(bad_why, "not a number"));
	CHECK(!tables_ok(bad_choice_def) && strstr(bad_why, "default is wrong"));
	CHECK(!tables_ok(empty_range) && strstr(bad_why, "no value is in its range"));
	CHECK(!tables_ok(no_choices) && strstr(bad_why, "no value is in its range or choices"));
	CHECK(!tables_ok(eq_name) && strstr(bad_why, "an '=' in it"));
	CHECK(!tables_ok(no_help) && strstr(bad_why, "no help"));
	CHECK(!tables_ok(flag_def) && strstr(bad_why, "takes no value"));
}

/* Runs fn in a child with stdout in out; returns its exit status. */
static int run_child(void (*fn)(void), char *out, size_t len)
{
	int status, fds[2];
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		fn();
		fflush(stdout);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void print_help(void)
{
	accepts("");
	options_print_help("prog");
}

static void read_flag_as_number(void)
{
	u64 v;

	accepts("");
	option_number("flag", &v);
}

static void compare_with_no_choice(void)
{
	accepts("");
	option_is("mode", "medium");
}

static void read_undeclared(void)
{
	accepts("");
	option_flag("nothing");
}

/* What start-up does with a refused command line. */
static void usage_error(void)
{
	report_pass("counted before");
	if (!accepts("expect_cpus=4"))
		report_usage("%s", why);
}

static void test_help_and_misuse(void)
{
	static const char head[] = "Options of prog, each at most once, numbers as 10 or 0x10:\n"
				   "  help\n      print these lines";
	static char out[8192];

	CHECK(run_child(print_help, out, sizeof(out)) == 0);
	CHECK(!strncmp(out, head, strlen(head)));
	CHECK(strstr(out, "\n  smp.timeout_ms=N, N in 1-3600000 (default 10000)\n"
			  "      how long APs have to check in, in milliseconds\n"));
	CHECK(strstr(out, "\n  pci.ecam=ADDR, ADDR in 0x100000-0xfff00000, a multiple of "
			  "0x100000\n"));
	CHECK(strstr(out, "\n  count=N, N in 1-100 (default 10)\n      a number\n"));
	CHECK(strstr(out, "\n  mode=fast|slow|off (default fast)\n"));
	CHECK(strstr(out, "\n  ids=N,N,..., each N in 0-65535\n      numbers\n"));
	CHECK(strstr(out, "\n  text=TEXT\n") && strstr(out, "\n  dash-name\n"));
	if (checks_failed)
		printf("%s", out);

	/* Status 2 and no SUMMARY: a usage error is no failure of what is tested. */
	CHECK(run_child(usage_error, out, sizeof(out)) == EXIT_USAGE && EXIT_USAGE == 2);
	CHECK(!strcmp(out, "PASS: counted before\nABORT: usage: unknown option 'expect_cpus=4' "
			   "(the 'help' option lists them)\n"));

	CHECK(run_child(read_flag_as_number, out, sizeof(out)) == 1);
	CHECK(strstr(out, "ABORT: option flag read but not declared with that type\n"));
	CHECK(run_child(compare_with_no_choice, out, sizeof(out)) == 1);
	CHECK(strstr(out, "ABORT: option mode compared with medium, not one of fast|slow|off\n"));
	CHECK(run_child(read_undeclared, out, sizeof(out)) == 1);
	CHECK(strstr(out, "ABORT: option nothing read but not declared"));
}

int main(void)
{
	test_numbers();
	test_addresses();
	test_words();
	test_lists();
	test_names();
	test_duplicates();
	test_defaults();
	test_common();
	test_tables();
	test_help_and_misuse();
	return check_done("options");
}
