/*
 * Test result reporting in kvm-unit-tests' line forms, which log parsers already read:
 * "PASS: prefix: msg", "FAIL: ...", "SKIP: ...", "XFAIL: ...", "XPASS: ...", "INFO: ..."
 * and last "SUMMARY: N tests, F unexpected failures, X expected failures, S skipped".
 * An "ABORT: ..." line says the test itself could not go on (a broken precondition),
 * as distinct from a FAIL, which says the thing under test is wrong.
 */
#ifndef LIB_REPORT_H
#define LIB_REPORT_H

#include "libcflat.h"

void report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_pass(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
void report_skip(const char *fmt, ...) __printf(1, 2);
/* With xfail set a failure is expected: XFAIL when !pass, XPASS (unexpected) when pass. */
void report_xfail(bool xfail, bool pass, const char *fmt, ...) __printf(3, 4);
void report_info(const char *fmt, ...) __printf(1, 2);
void report_abort(const char *fmt, ...) __printf(1, 2) __noreturn;

void report_prefix_push(const char *prefix);
void report_prefix_pushf(const char *fmt, ...) __printf(1, 2);
void report_prefix_pop(void);

/* Prints the SUMMARY line; returns the exit status: 1 on any failure, 77 all skipped, else 0. */
int report_summary(void);

#endif
