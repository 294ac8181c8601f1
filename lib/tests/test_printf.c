/* The library's vsnprintf against the host C library's, format by format. */
#include <stdint.h>
#include <string.h>
#include "check.h"

#define SAME(...)                                                                      \
	do {                                                                           \
		char ours[256], libc[256];                                             \
		int n1 = lib_snprintf(ours, sizeof(ours), __VA_ARGS__);                \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);                    \
		if (!check_result(n1 == n2 && !strcmp(ours, libc), #__VA_ARGS__,       \
				  __FILE__, __LINE__))                                 \
			printf("  ours \"%s\" (%d), libc \"%s\" (%d)\n", ours, n1, libc, n2); \
	} while (0)

static const char *volatile null_string;

int main(void)
{
	char small[5];

	SAME("%d %d %d %d", 0, 1, -1, 2147483647);
	SAME("%d", (int)-2147483647 - 1);
	SAME("%i %u %u", -42, 0u, 4294967295u);
	SAME("%x %X %o %#x %#X %#o %#o", 0xbeefu, 0xbeefu, 8u, 0u, 255u, 0u, 8u);
	SAME("%ld %lu %lx", (long)INT64_MIN, (unsigned long)UINT64_MAX, 0x123456789abcdeful);
	SAME("%lld %llu %llx", (long long)-1, 18446744073709551615ull, 1ull << 63);
	SAME("%zu %zx %jd %td", (size_t)123, (size_t)0xfff, (intmax_t)-5, (ptrdiff_t)-7);
	SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	SAME("[%5d] [%-5d] [%05d] [%5s] [%-5s]", 42, 42, -42, "ab", "ab");
	SAME("[%.3d] [%8.3d] [%-8.3x] [%.0d] [%.0x]", 7, -7, 0xau, 0, 0u);
	SAME("[%+d] [%+d] [% d] [% d] [%+5d]", 5, -5, 5, -5, 3);
	SAME("[%*d] [%-*d] [%.*s] [%*s]", 6, 1, 6, 2, 2, "xyz", -4, "q");
	SAME("[%#10x] [%#010x] [%10p]", 0x1fu, 0x1fu, (void *)0x10);
	SAME("%s|%.2s|%10.1s|%c|%5c|%-3c|", "hello", "hello", "hi", 'x', 'y', 'z');
	SAME("%p %p", (void *)0x1000, (void *)0xffff800000000000ul);
	SAME("100%% %%d %s", "done");
	SAME("%016lx %08x", 0xabcul, 0x12u);
	SAME("%s", "");

	/* Truncation: the return value is the length that would have been written. */
	CHECK(lib_snprintf(small, sizeof(small), "%s", "abcdefgh") == 8);
	CHECK(!strcmp(small, "abcd"));
	CHECK(lib_snprintf(small, 0, "%d", 12345) == 5);
	CHECK(lib_snprintf(NULL, 0, "%s%s", "ab", "cd") == 4);
	/* NULL strings print as (null) rather than faulting. */
	CHECK(lib_snprintf(small, sizeof(small), "%s", null_string) == 6);
	return check_done("printf");
}
