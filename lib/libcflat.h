/*
 * The freestanding C environment every test program and library file starts from:
 * fixed-width types, console output, assertions and the exit path. Only the compiler's
 * own headers are used, so the same code builds for the kernel and for host unit tests.
 */
#ifndef LIBCFLAT_H
#define LIBCFLAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint64_t phys_addr_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1u << (n))
#define BIT_ULL(n) (1ull << (n))
#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))

int vsnprintf(char *buf, size_t size, const char *fmt, va_list va);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* Formats into why unless it is NULL: how parsers say what they rejected, when asked. */
void explain(char *why, size_t why_len, const char *fmt, ...) __printf(3, 4);

#ifdef HOST_TEST
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#else
#include "string.h"

/* Console output: whole calls are written under one lock, so lines never interleave. */
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list va);
void puts(const char *s);

/* Ends the test with a status (0 pass, 1 failure, 77 all skipped); never returns. */
void exit(int status) __noreturn;
void abort(void) __noreturn;

#define assert(cond)                                                                   \
	do {                                                                           \
		if (!(cond))                                                           \
			assert_failed(#cond, __FILE__, __LINE__);                      \
	} while (0)
void assert_failed(const char *cond, const char *file, int line) __noreturn;
#endif

#endif
