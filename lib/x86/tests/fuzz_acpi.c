/*
 * libFuzzer target for the ACPI parsers that read firmware bytes: the RSDP scan over a memory
 * area and over a list of areas, table length and checksum validation, and the \_S5 search in
 * AML. Whatever the bytes, they must return without reading outside the buffer (AddressSanitizer
 * watches).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy = malloc(size ? size : 1);
	u64 base = (u64)(uintptr_t)copy;
	/* The same bytes as two areas of a memory map, split where the first byte says. */
	u64 split = base + (size ? data[0] * 16u % (size + 1) : 0);
	struct acpi_area areas[] = { { base, split }, { split, base + size } };
	u8 a, b;

	memcpy(copy, data, size);
	acpi_s5_sleep_type(copy, size, &a, &b);
	acpi_scan_rsdp(base, size);
	acpi_scan_rsdp_areas(areas, ARRAY_SIZE(areas));
	if (size >= ACPI_HEADER_SIZE) {
		const struct acpi_header *t = (const void *)copy;
		char why[128];

		/* The kernel reads "length" bytes of a table in memory; here only what exists. */
		if (t->length <= size)
			acpi_table_valid(t, why, sizeof(why));
	}
	free(copy);
	return 0;
}
