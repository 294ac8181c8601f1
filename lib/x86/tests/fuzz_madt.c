/*
 * libFuzzer target for the MADT parser: arbitrary bytes, which the fuzzer may also give a
 * valid checksum (the target fixes it up half of the time, so entry parsing is reached).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "madt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct madt_info info;
	u8 *copy = malloc(size ? size : 1);
	char why[160];
	int n;

	memcpy(copy, data, size);
	if (size >= 44 && (size & 1)) {
		u8 sum = 0;

		memcpy(copy, "APIC", 4);
		copy[9] = 0;
		for (size_t i = 0; i < size && i < *(u32 *)(copy + 4); i++)
			sum += copy[i];
		copy[9] = -sum;
	}
	/* Sized by the count, the parser must keep every distinct processor it finds. */
	n = madt_count_cpus(copy, size);
	info.cpus = malloc((n ? n : 1) * sizeof(*info.cpus));
	info.max_cpus = n;
	madt_parse(copy, size, &info, why, sizeof(why));
	if (info.nr_cpus > n || info.nr_cpus_dropped)
		abort();
	free(info.cpus);
	free(copy);
	return 0;
}
