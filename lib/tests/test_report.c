/* The report API's line forms, prefixes, counting and exit status, as kvm-unit-tests has them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "report.h"

static char captured[8192];

/* Runs fn with stdout sent to a temporary file, then reads what it printed. */
static const char *capture(void (*fn)(int *), int *status)
{
	FILE *tmp = tmpfile();
	int saved = dup(1);
	size_t n;

	fflush(stdout);
	dup2(fileno(tmp), 1);
	fn(status);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(captured, 1, sizeof(captured) - 1, tmp);
	captured[n] = '\0';
	fclose(tmp);
	return captured;
}

static void mixed_results(int *status)
{
	report_prefix_push("outer");
	report(true, "one %d", 1);
	report_prefix_pushf("inner %s", "x");
	report(false, "two");
	report_prefix_pop();
	report_skip("three");
	report_xfail(true, false, "four");
	report_xfail(true, true, "five");
	report_xfail(false, true, "six");
	report_info("seven");
	report_prefix_pop();
	report_pass("eight");
	*status = report_summary();
}

int main(void)
{
	int status = -1;
	const char *out = capture(mixed_results, &status);

	CHECK(!strcmp(out, "PASS: outer: one 1\n"
			   "FAIL: outer: inner x: two\n"
			   "SKIP: outer: three\n"
			   "XFAIL: outer: four\n"
			   "XPASS: outer: five\n"
			   "PASS: outer: six\n"
			   "INFO: outer: seven\n"
			   "PASS: eight\n"
			   "SUMMARY: 7 tests, 2 unexpected failures, 1 expected failures, 1 skipped\n"));
	CHECK(status == 1);
	if (checks_failed)
		printf("%s", out);
	return check_done("report");
}
