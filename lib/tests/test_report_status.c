/* report_summary()'s exit status: 77 when everything was skipped, 0 when all passed, and a
 * failure when nothing was reported at all. Each case runs in a child: the counters are global. */
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"
#include "report.h"

static int run_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", 1);

		dup2(fd, 1);
		fn();
		_exit(report_summary());
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static void all_skipped(void)
{
	report_skip("a");
	report_skip("b");
}

static void all_passed(void)
{
	report_pass("a");
	report_skip("b");
	report_xfail(true, false, "c");
}

static void nothing(void)
{
}

int main(void)
{
	CHECK(run_child(all_skipped) == 77);
	CHECK(run_child(all_passed) == 0);
	CHECK(run_child(nothing) == 1);
	return check_done("report status");
}
