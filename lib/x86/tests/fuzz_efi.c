/*
 * libFuzzer target for what the UEFI loader reads from firmware and from the boot volume:
 * arbitrary bytes as a memory map (the first byte picks the descriptor size, so small,
 * standard and odd sizes are all reached), as LoadOptions and as an options file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "efi/efi-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct efi_range ranges[EFI_HANDOVER_MAX_RANGES];
	char text[EFI_HANDOVER_CMDLINE_MAX];
	size_t desc_size = size ? 24 + data[0] % 48 : 48;
	/* Descriptors are 8-byte aligned in firmware's map: give the parser an aligned copy. */
	uint64_t *copy = malloc(size ? size : 1);
	int truncated;

	memcpy(copy, data, size);
	efi_memory_ranges(copy, size, desc_size, ranges, EFI_HANDOVER_MAX_RANGES, &truncated);
	efi_load_options_text(text, sizeof(text), copy, size);
	efi_options_file_text(text, sizeof(text), copy, size);
	free(copy);
	return 0;
}
