/*
 * Test result reporting in kvm-unit-tests' line forms, which log parsers already read:
 * "PASS: prefix: msg", "FAIL: ...", "SKIP: ...", "XFAIL: ...", "XPASS: ...", "INFO: ..."
 * and last "SUMMARY: N tests, F unexpected failures, X expected failures, S skipped".
 * An "ABORT: ..." line says the test itself could not go on (a broken precondition),
 * as distinct from a FAIL, which says the thing under test is wrong. A usage error (a bad
 * kernel option) is the one line "ABORT: usage: ... (the 'help' option lists them)", no SUMMARY
 * (no check ran, so there are no counts to give), and exit status 2.
 */
#ifndef LIB_REPORT_H
#define LIB_REPORT_H

#include "libcflat.h"

/* The exit status of a usage error: the command line is wrong, not the hypervisor. */
#define EXIT_USAGE 2
/* Per check, how many individual mismatches (CPUs, MSRs) an INFO line spells out. */
#define REPORT_MAX_DETAILS 8

void report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_pass(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
void report_skip(const char *fmt, ...) __printf(1, 2);
/* With xfail set a failure is expected: XFAIL when !pass, XPASS (unexpected) when pass. */
void report_xfail(bool xfail, bool pass, const char *fmt, ...) __printf(3, 4);
void report_info(const char *fmt, ...) __printf(1, 2);
void report_abort(const char *fmt, ...) __printf(1, 2) __noreturn;
/* Exits with EXIT_USAGE after the usage error's line (above); counts nothing. */
void report_usage(const char *fmt, ...) __printf(1, 2) __noreturn;

void report_prefix_push(const char *prefix);
void report_prefix_pushf(const char *fmt, ...) __printf(1, 2);
void report_prefix_pop(void);

/* Prints the SUMMARY line; returns the exit status: 1 on any failure, 77 all skipped, else 0. */
int report_summary(void);

#endif
