/*
 * A minimal framework for the host-side unit tests: CHECK() counts and names failures,
 * check_done() prints "<name>: N passed, N failed" and gives the exit status.
 */
#ifndef LIB_TESTS_CHECK_H
#define LIB_TESTS_CHECK_H

#include <stdbool.h>
#include <stdio.h>

static int checks_passed, checks_failed;

static inline bool check_result(bool ok, const char *what, const char *file, int line)
{
	if (ok) {
		checks_passed++;
	} else {
		checks_failed++;
		printf("FAIL: %s:%d: %s\n", file, line, what);
	}
	return ok;
}

#define CHECK(cond) check_result((cond), #cond, __FILE__, __LINE__)

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
	return checks_failed ? 1 : 0;
}

/* The library's own printf, built under another name so libc's stays usable beside it. */
int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
