/*
 * empty: boots and exits at once, reporting one pass. The baseline of the benchmarks: the
 * cost of QEMU and of the kernel's own start-up, without any test.
 */
#include "libcflat.h"
#include "report.h"

int main(int argc, char **argv)
{
	report_pass("booted");
	return report_summary();
}
