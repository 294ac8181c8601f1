/*
 * selftest: the test kernel's own foundation. Checks the report API, printf formats,
 * the page allocator over the boot memory map, the paging set-up, the helpers that run code
 * expecting an exception (#GP from a bad MSR, #UD, #PF on an unmapped page) and the
 * kernel command line. Needs no hypervisor feature; runs on any PC-like machine.
 *
 * Two arguments exist to test the test harness itself: "unexpected-exception" takes a #UD
 * with nothing to catch it (the kernel must report FAIL with vector and RIP), and "hang"
 * never finishes (the runner must kill it at its timeout).
 */
#include "libcflat.h"
#include "alloc_page.h"
#include "argv.h"
#include "desc.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "vm.h"

const struct option program_options[] = {
	{ .name = "expect-args", .type = OPTION_FLAG,
	  .help = "check that the command line reaches main() (given with key=value)" },
	{ .name = "key", .type = OPTION_STRING,
	  .help = "with expect-args, checked to be key=value in main()'s argv" },
	{ .name = "unexpected-exception", .type = OPTION_FLAG,
	  .help = "take a #UD that nothing catches: the kernel must report a FAIL with vector "
		  "and RIP" },
	{ .name = "hang", .type = OPTION_FLAG,
	  .help = "never finish: the runner must kill it at its time limit" },
	{}
};

#define EFER_RESERVED_BIT BIT_ULL(63)
#define NONEXISTENT_MSR 0xdeadbeef

extern char __image_start[], __image_end[];

static bool formats(const char *expected, const char *fmt, ...) __printf(2, 3);

static bool formats(const char *expected, const char *fmt, ...)
{
	char buf[128];
	va_list va;

	va_start(va, fmt);
	vsnprintf(buf, sizeof(buf), fmt, va);
	va_end(va);
	if (strcmp(buf, expected))
		report_info("\"%s\" gave \"%s\", expected \"%s\"", fmt, buf, expected);
	return !strcmp(buf, expected);
}

static void test_printf(void)
{
	char small[8];

	report_prefix_push("printf");
	report(formats("42 -7 4294967295", "%d %i %u", 42, -7, 0xffffffffu), "decimal");
	report(formats("ff FF 0x1f 17", "%x %X %#x %o", 255, 255, 31, 15), "hex and octal");
	report(formats("[   12][12   ][00012][-0012]", "[%5d][%-5d][%05d][%05d]", 12, 12, 12, -12),
	       "width, left-justify and zero padding");
	report(formats("ffffffffffffffff 18446744073709551615 -9223372036854775808",
		       "%lx %llu %ld", ~0ul, ~0ull, (long)(1ull << 63)),
	       "64-bit integers");
	report(formats("0x1000 (null) abc c %", "%p %s %.3s %c %%", (void *)0x1000,
		       (const char *)NULL, "abcdef", 'c'),
	       "pointers, strings, precision, characters");
	report(snprintf(small, sizeof(small), "%s", "0123456789") == 10 &&
		       !strcmp(small, "0123456"),
	       "truncation returns the full length and terminates");
	report_prefix_pop();
}

static void test_report_prefixes(void)
{
	report_prefix_push("report");
	report_prefix_pushf("level %d", 2);
	report_pass("nested prefixes print in order");
	report_prefix_pop();
	report_xfail(true, false, "an expected failure is counted as such");
	report_prefix_pop();
}

static void test_allocator(void)
{
	u8 *a, *b, *c;
	bool zeroed = true;
	u64 before = page_alloc_free_pages(kernel_page_alloc());

	report_prefix_push("allocator");
	a = alloc_pages_zeroed(4);
	b = alloc_page();
	report(a && b, "allocates pages (%lu free at start)", before);
	if (!a || !b) {
		report_prefix_pop();
		return;
	}
	for (int i = 0; i < 4 * 4096; i++)
		zeroed &= a[i] == 0;
	report(zeroed, "pages come zeroed");
	report(!((u64)a & 0xfff) && !((u64)b & 0xfff), "pages are page-aligned");
	report(b >= a + 4 * 4096 || b + 4096 <= a, "allocations do not overlap");
	report((u64)a >= (u64)__image_end || (u64)a + 4 * 4096 <= (u64)__image_start,
	       "allocations avoid the kernel image");
	report((u64)a >= 1ull << 20, "allocations are above 1 MiB");
	memset(a, 0x5a, 4 * 4096);
	report(a[4 * 4096 - 1] == 0x5a, "pages are writable");
	free_pages(a, 4);
	free_page(b);
	report(page_alloc_free_pages(kernel_page_alloc()) == before, "freeing returns every page");
	c = alloc_pages(4);
	report(c == a, "freed pages are reused");
	free_pages(c, 4);
	report_prefix_pop();
}

static void test_paging(void)
{
	report_prefix_push("paging");
	report(vm_is_uncached(0xfee00000), "local APIC page is uncached");
	report(vm_is_uncached(0xfec00000), "IOAPIC page is uncached");
	report(!vm_is_uncached((u64)__image_start), "kernel image is cached");
	report_prefix_pop();
}

static void do_ud2(void *arg)
{
	asm volatile("ud2");
}

static void do_read(void *arg)
{
	*(volatile u64 *)arg;
}

static void do_write(void *arg)
{
	*(volatile u64 *)arg = 1;
}

static void do_nothing(void *arg)
{
}

static void do_nested(void *arg)
{
	*(int *)arg = catch_exception(do_ud2, NULL);
	do_read(vm_unmapped_address());
}

static void test_exceptions(void)
{
	void *unmapped = vm_unmapped_address();
	u64 value = 0;
	int inner = NO_EXCEPTION, vector;

	report_prefix_push("exceptions");
	vector = rdmsr_safe(NONEXISTENT_MSR, &value);
	report(vector == GP_VECTOR, "rdmsr of a nonexistent MSR raises #GP (got %d)", vector);
	vector = wrmsr_safe(MSR_EFER, rdmsr(MSR_EFER) | EFER_RESERVED_BIT);
	report(vector == GP_VECTOR, "wrmsr of a reserved EFER bit raises #GP (got %d)", vector);
	report(last_fault()->error_code == 0, "#GP error code is 0 (got 0x%lx)",
	       last_fault()->error_code);
	vector = rdmsr_safe(MSR_EFER, &value);
	report(vector == NO_EXCEPTION && (value & EFER_LME), "rdmsr of EFER succeeds, LME set");

	vector = catch_exception(do_ud2, NULL);
	report(vector == UD_VECTOR, "ud2 raises #UD (got %d)", vector);
	report(*(u16 *)last_fault()->rip == 0x0b0f, "#UD RIP points at the ud2");

	vector = catch_exception(do_read, unmapped);
	report(vector == PF_VECTOR && last_fault()->cr2 == (u64)unmapped,
	       "read of an unmapped page raises #PF with CR2 = %p (got %d, CR2 0x%lx)", unmapped,
	       vector, last_fault()->cr2);
	report(vector == PF_VECTOR && last_fault()->error_code == 0,
	       "#PF error code of a not-present read is 0 (got 0x%lx)", last_fault()->error_code);
	vector = catch_exception(do_write, unmapped);
	report(vector == PF_VECTOR && last_fault()->error_code == 2,
	       "#PF error code of a not-present write is 2 (got 0x%lx)", last_fault()->error_code);

	vector = catch_exception(do_nested, &inner);
	report(inner == UD_VECTOR && vector == PF_VECTOR,
	       "nested catches each see their own exception (inner %d, outer %d)", inner, vector);
	report(catch_exception(do_nothing, NULL) == NO_EXCEPTION, "no exception, NO_EXCEPTION");
	report_prefix_pop();
}

static void test_cmdline(int argc, char **argv)
{
	char line[] = "prog  one 'two words' \"x=\"y  three=";
	char *v[8];
	int n = split_args(line, v, ARRAY_SIZE(v));

	report_prefix_push("cmdline");
	report(n == 5 && !strcmp(v[1], "one") && !strcmp(v[2], "two words") &&
		       !strcmp(v[3], "x=y") && !strcmp(v[4], "three=") && !v[5],
	       "splitting with quotes (%d words)", n);
	report(find_arg(n, v, "three") && !strcmp(find_arg(n, v, "three"), "") &&
		       !find_arg(n, v, "thr") && !strcmp(find_arg(n, v, "x"), "y"),
	       "finding key=value words");
	if (option_flag("expect-args")) {
		/*
		 * unittests.cfg passes "expect-args key=value" through -append. The check reads
		 * argv itself, not the option: it is about what main() receives.
		 */
		report(argc >= 3 && strstr(argv[0], "selftest") && find_arg(argc, argv, "key") &&
			       !strcmp(find_arg(argc, argv, "key"), "value"),
		       "the boot command line reaches main (argc %d, argv[0] %s)", argc, argv[0]);
	} else {
		report_skip("the boot command line reaches main: no \"expect-args key=value\" given");
	}
	report_prefix_pop();
}

int main(int argc, char **argv)
{
	if (option_flag("unexpected-exception"))
		asm volatile("ud2");
	if (option_flag("hang")) {
		irq_disable();
		for (;;)
			halt();
	}
	test_printf();
	test_report_prefixes();
	test_allocator();
	test_paging();
	test_exceptions();
	test_cmdline(argc, argv);
	return report_summary();
}
