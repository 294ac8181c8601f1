/*
 * Test result reporting. Counters and the prefix stack are shared by all CPUs under one lock;
 * each result is printed as one whole line.
 */
#include "report.h"
#include "spinlock.h"

#define PREFIX_SEPARATOR ": "

static struct {
	struct spinlock lock;
	unsigned int tests, failures, xfailures, skipped;
	char prefixes[256];
} rep;

void report_prefix_push(const char *prefix)
{
	report_prefix_pushf("%s", prefix);
}

void report_prefix_pushf(const char *fmt, ...)
{
	size_t len;
	va_list va;

	spin_lock(&rep.lock);
	len = strlen(rep.prefixes);
	va_start(va, fmt);
	vsnprintf(rep.prefixes + len, sizeof(rep.prefixes) - len, fmt, va);
	va_end(va);
	len = strlen(rep.prefixes);
	snprintf(rep.prefixes + len, sizeof(rep.prefixes) - len, PREFIX_SEPARATOR);
	spin_unlock(&rep.lock);
}

void report_prefix_pop(void)
{
	size_t len;

	spin_lock(&rep.lock);
	len = strlen(rep.prefixes);
	/* Drop the trailing separator, then everything back to the previous one. */
	if (len >= 2)
		len -= 2;
	while (len >= 2 && strncmp(rep.prefixes + len - 2, PREFIX_SEPARATOR, 2))
		len--;
	rep.prefixes[len < 2 ? 0 : len] = '\0';
	spin_unlock(&rep.lock);
}

/* Prints "KIND: prefixes message" as one line, formatted once; the caller holds the lock. */
static void print_line(const char *kind, const char *fmt, va_list va)
{
	char line[1024];
	size_t n = snprintf(line, sizeof(line) - 1, "%s: %s", kind, rep.prefixes);

	n += vsnprintf(line + n, sizeof(line) - 1 - n, fmt, va);
	n = MIN(n, sizeof(line) - 2);
	line[n] = '\n';
	line[n + 1] = '\0';
	printf("%s", line);
}

enum outcome { PASS, FAIL, SKIP, XFAIL, XPASS };

static void va_report(enum outcome outcome, const char *fmt, va_list va)
{
	static const char *const names[] = { "PASS", "FAIL", "SKIP", "XFAIL", "XPASS" };

	spin_lock(&rep.lock);
	rep.tests++;
	if (outcome == FAIL || outcome == XPASS)
		rep.failures++;
	else if (outcome == XFAIL)
		rep.xfailures++;
	else if (outcome == SKIP)
		rep.skipped++;
	print_line(names[outcome], fmt, va);
	spin_unlock(&rep.lock);
}

void report(bool pass, const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	va_report(pass ? PASS : FAIL, fmt, va);
	va_end(va);
}

void report_pass(const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	va_report(PASS, fmt, va);
	va_end(va);
}

void report_fail(const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	va_report(FAIL, fmt, va);
	va_end(va);
}

void report_skip(const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	va_report(SKIP, fmt, va);
	va_end(va);
}

void report_xfail(bool xfail, bool pass, const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	if (xfail)
		va_report(pass ? XPASS : XFAIL, fmt, va);
	else
		va_report(pass ? PASS : FAIL, fmt, va);
	va_end(va);
}

void report_info(const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	spin_lock(&rep.lock);
	print_line("INFO", fmt, va);
	spin_unlock(&rep.lock);
	va_end(va);
}

void report_abort(const char *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	spin_lock(&rep.lock);
	rep.failures++;
	print_line("ABORT", fmt, va);
	spin_unlock(&rep.lock);
	va_end(va);
	exit(report_summary());
}

void report_usage(const char *fmt, ...)
{
	char msg[900];
	va_list va;

	va_start(va, fmt);
	vsnprintf(msg, sizeof(msg), fmt, va);
	va_end(va);
	printf("ABORT: usage: %s (the 'help' option lists them)\n", msg);
	exit(EXIT_USAGE);
}

int report_summary(void)
{
	char line[160];
	int n;

	spin_lock(&rep.lock);
	if (rep.tests == 0) {
		/* A program that checked nothing cannot have passed. */
		rep.failures++;
		printf("FAIL: %sno check reported a result\n", rep.prefixes);
	}
	n = snprintf(line, sizeof(line), "SUMMARY: %u tests", rep.tests);
	if (rep.failures)
		n += snprintf(line + n, sizeof(line) - n, ", %u unexpected failures", rep.failures);
	if (rep.xfailures)
		n += snprintf(line + n, sizeof(line) - n, ", %u expected failures", rep.xfailures);
	if (rep.skipped)
		snprintf(line + n, sizeof(line) - n, ", %u skipped", rep.skipped);
	printf("%s\n", line);
	n = rep.failures ? 1 : rep.skipped == rep.tests ? 77 : 0;
	spin_unlock(&rep.lock);
	return n;
}
