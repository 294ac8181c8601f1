/*
 * The UEFI loader's pure parts (lib/x86/efi/efi-parse.c): LoadOptions and options files as a
 * command line, the options file's path, and the memory map as the kernel's ranges, against
 * the UEFI 2.10 definitions (7.2 memory types and descriptors, 9.1 LoadOptions).
 */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "efi/efi-parse.h"

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_BAD 5

static int utf16(uint16_t *dst, const char *s)
{
	int n = 0;

	while (*s)
		dst[n++] = (uint8_t)*s++;
	dst[n] = 0;
	return n;
}

static bool load_options_give(const char *in, const char *want)
{
	uint16_t u[256];
	char out[256];
	int n = utf16(u, in);

	return efi_load_options_text(out, sizeof(out), u, (n + 1) * 2) == (int)strlen(want) &&
	       !strcmp(out, want);
}

static void test_load_options(void)
{
	uint16_t guid[8] = { 0x1234, 0xabcd, 0x0012, 0x8000, 0xffff, 0x0001, 0x0203, 0x0405 };
	uint16_t u[32];
	char out[16];

	CHECK(load_options_give("smp.delays=none expect-cpus=4", "smp.delays=none expect-cpus=4"));
	CHECK(load_options_give("  fs0:\\EFI\\smp.efi  a=b  ", "fs0:\\EFI\\smp.efi  a=b"));
	CHECK(load_options_give("a\tb", "a b"));
	CHECK(load_options_give("", ""));
	/* No NUL: the size bounds it. */
	utf16(u, "abcdef");
	CHECK(efi_load_options_text(out, sizeof(out), u, 6) == 3 && !strcmp(out, "abc"));
	/* edk2's own boot entries carry a GUID: binary, not a command line. */
	CHECK(efi_load_options_text(out, sizeof(out), guid, sizeof(guid)) == EFI_TEXT_NOT_TEXT);
	/* Non-ASCII characters and odd sizes are not text either. */
	u[0] = 0x00e9;
	u[1] = 0;
	CHECK(efi_load_options_text(out, sizeof(out), u, 4) == EFI_TEXT_NOT_TEXT);
	CHECK(efi_load_options_text(out, sizeof(out), u, 3) == EFI_TEXT_NOT_TEXT);
	/* Too long for the destination: an error, not a silent cut. */
	utf16(u, "0123456789abcdef");
	CHECK(efi_load_options_text(out, sizeof(out), u, 34) == EFI_TEXT_TOO_LONG);
	CHECK(efi_load_options_text(out, 0, u, 34) == EFI_TEXT_TOO_LONG);
}

static bool file_gives(const void *in, size_t len, const char *want)
{
	char out[256];

	return efi_options_file_text(out, sizeof(out), in, len) == (int)strlen(want) &&
	       !strcmp(out, want);
}

#define FILE_GIVES(text, want) file_gives(text, sizeof(text) - 1, want)

static void test_options_file(void)
{
	static const uint8_t utf16_bom[] = { 0xff, 0xfe, 's', 0, 'm', 0, 'p', 0, '\r', 0, '\n', 0 };
	static const uint8_t utf16_bad[] = { 0xff, 0xfe, 's', 0, 0x3a, 0x26 };
	char out[8];

	CHECK(FILE_GIVES("smp expect-cpus=4\n", "smp expect-cpus=4"));
	CHECK(FILE_GIVES("# a comment\nsmp\r\n  expect-cpus=4 # why\n\n", "smp    expect-cpus=4"));
	CHECK(FILE_GIVES("#only a comment\n", ""));
	CHECK(FILE_GIVES("", ""));
	CHECK(FILE_GIVES("\xef\xbb\xbfselftest\r\n", "selftest"));
	CHECK(file_gives(utf16_bom, sizeof(utf16_bom), "smp"));
	CHECK(file_gives(utf16_bom, sizeof(utf16_bom) - 1, "") == false);
	CHECK(efi_options_file_text(out, sizeof(out), utf16_bad, sizeof(utf16_bad)) ==
	      EFI_TEXT_NOT_TEXT);
	CHECK(efi_options_file_text(out, sizeof(out), "caf\xc3\xa9", 5) == EFI_TEXT_NOT_TEXT);
	CHECK(efi_options_file_text(out, sizeof(out), "\x7f", 1) == EFI_TEXT_NOT_TEXT);
	CHECK(efi_options_file_text(out, sizeof(out), "0123456789", 10) == EFI_TEXT_TOO_LONG);
	/* A comment longer than the destination is no problem: it is dropped. */
	CHECK(efi_options_file_text(out, sizeof(out), "#0123456789\nsmp", 15) == 3);
}

static void test_first_word(void)
{
	char word[8];
	const char *rest;

	rest = efi_first_word("  smp expect-cpus=4  a=b", word, sizeof(word));
	CHECK(!strcmp(word, "smp") && !strcmp(rest, "expect-cpus=4  a=b"));
	/* A word longer than the buffer is cut to it, still terminated. */
	rest = efi_first_word("selftest", word, sizeof(word));
	CHECK(!strcmp(word, "selftes") && !strcmp(rest, ""));
	rest = efi_first_word("", word, sizeof(word));
	CHECK(!strcmp(word, "") && !strcmp(rest, ""));
}

static bool path_gives(const char *in, const char *want)
{
	uint16_t u[64], out[64], w[64];

	utf16(u, in);
	utf16(w, want);
	return efi_options_path(out, 64, u) == 0 && !memcmp(out, w, (strlen(want) + 1) * 2);
}

static void test_options_path(void)
{
	uint16_t u[64], out[8];

	CHECK(path_gives("\\EFI\\BOOT\\BOOTX64.EFI", "\\EFI\\BOOT\\BOOTX64.cfg"));
	CHECK(path_gives("\\EFI\\vic-tests\\smp.efi", "\\EFI\\vic-tests\\smp.cfg"));
	CHECK(path_gives("\\smp", "\\smp.cfg"));
	CHECK(path_gives("\\dir.d\\smp", "\\dir.d\\smp.cfg"));
	CHECK(path_gives("\\a.b.efi", "\\a.b.cfg"));
	utf16(u, "\\EFI\\BOOT\\BOOTX64.EFI");
	CHECK(efi_options_path(out, 8, u) == -1);
	CHECK(efi_ascii_to_utf16(out, 8, "1234567") == 7 && out[6] == '7' && out[7] == 0);
	CHECK(efi_ascii_to_utf16(out, 8, "12345678") == -1);
}

static void test_memory_types(void)
{
	/* After ExitBootServices the loader's and boot services' memory is free (UEFI 7.2). */
	CHECK(efi_memory_type_to_e820(EFI_CONVENTIONAL_MEMORY) == E820_RAM);
	CHECK(efi_memory_type_to_e820(EFI_LOADER_CODE) == E820_RAM);
	CHECK(efi_memory_type_to_e820(EFI_LOADER_DATA) == E820_RAM);
	CHECK(efi_memory_type_to_e820(EFI_BOOT_SERVICES_CODE) == E820_RAM);
	CHECK(efi_memory_type_to_e820(EFI_BOOT_SERVICES_DATA) == E820_RAM);
	CHECK(efi_memory_type_to_e820(EFI_RUNTIME_SERVICES_CODE) == E820_RESERVED);
	CHECK(efi_memory_type_to_e820(EFI_RUNTIME_SERVICES_DATA) == E820_RESERVED);
	CHECK(efi_memory_type_to_e820(EFI_ACPI_RECLAIM_MEMORY) == E820_ACPI);
	CHECK(efi_memory_type_to_e820(EFI_ACPI_MEMORY_NVS) == E820_NVS);
	CHECK(efi_memory_type_to_e820(EFI_UNUSABLE_MEMORY) == E820_BAD);
	CHECK(efi_memory_type_to_e820(EFI_MEMORY_MAPPED_IO) == E820_RESERVED);
	CHECK(efi_memory_type_to_e820(EFI_UNACCEPTED_MEMORY) == E820_RESERVED);
	CHECK(efi_memory_type_to_e820(0x80000000) == E820_RESERVED);
}

/* Firmware's descriptors are often larger than the structure: 48 bytes in edk2. */
#define DESC_SIZE 48

static void put(uint8_t *map, int i, uint32_t type, uint64_t start, uint64_t pages)
{
	struct efi_memory_descriptor d = { .type = type, .physical_start = start,
					   .number_of_pages = pages };

	memset(map + i * DESC_SIZE, 0xa5, DESC_SIZE);
	memcpy(map + i * DESC_SIZE, &d, sizeof(d));
}

static void test_memory_ranges(void)
{
	uint8_t map[16 * DESC_SIZE];
	struct efi_range r[8];
	int truncated, n;

	/* Out of order, with adjacent RAM of several EFI types merged into one range. */
	put(map, 0, EFI_BOOT_SERVICES_DATA, 0x100000, 0x100);
	put(map, 1, EFI_CONVENTIONAL_MEMORY, 0x0, 0xa0);
	put(map, 2, EFI_LOADER_CODE, 0x200000, 0x10);
	put(map, 3, EFI_ACPI_RECLAIM_MEMORY, 0x210000, 0x2);
	put(map, 4, EFI_RUNTIME_SERVICES_CODE, 0x212000, 0x1);
	put(map, 5, EFI_RUNTIME_SERVICES_DATA, 0x213000, 0x1);
	put(map, 6, EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400);
	put(map, 7, EFI_CONVENTIONAL_MEMORY, 0x214000, 0);	 /* empty: left out */
	put(map, 8, EFI_CONVENTIONAL_MEMORY, ~0ull - 0xfff, 2); /* wraps: left out */
	put(map, 9, EFI_RESERVED_MEMORY, 0x214000, 0x1);	 /* reserved, next to runtime */
	n = efi_memory_ranges(map, 10 * DESC_SIZE, DESC_SIZE, r, 8, &truncated);
	CHECK(n == 6 && !truncated);
	CHECK(r[0].start == 0 && r[0].end == 0xa0000 && r[0].type == E820_RAM);
	CHECK(r[1].start == 0x100000 && r[1].end == 0x210000 && r[1].type == E820_RAM &&
	      !r[1].efi_runtime);
	CHECK(r[2].start == 0x210000 && r[2].end == 0x212000 && r[2].type == E820_ACPI);
	CHECK(r[3].start == 0x212000 && r[3].end == 0x214000 && r[3].type == E820_RESERVED &&
	      r[3].efi_runtime);
	CHECK(r[4].start == 0x214000 && r[4].end == 0x215000 && r[4].type == E820_RESERVED &&
	      !r[4].efi_runtime);
	CHECK(r[5].start == 0xffc00000 && r[5].end == 0x100000000ull);

	/* More ranges than room: the first ones kept, truncation said. */
	n = efi_memory_ranges(map, 10 * DESC_SIZE, DESC_SIZE, r, 2, &truncated);
	CHECK(n == 2 && truncated && r[1].end == 0x210000);

	/* Two descriptors with one start (a firmware bug) are both visited, in map order. */
	put(map, 0, EFI_CONVENTIONAL_MEMORY, 0x1000, 1);
	put(map, 1, EFI_ACPI_MEMORY_NVS, 0x1000, 1);
	n = efi_memory_ranges(map, 2 * DESC_SIZE, DESC_SIZE, r, 8, &truncated);
	CHECK(n == 2 && r[0].type == E820_RAM && r[1].type == E820_NVS);

	/* A partial descriptor at the end is ignored; a descriptor size too small is refused. */
	CHECK(efi_memory_ranges(map, DESC_SIZE + 10, DESC_SIZE, r, 8, &truncated) == 1);
	CHECK(efi_memory_ranges(map, sizeof(map), 8, r, 8, &truncated) == -1);
	CHECK(efi_memory_ranges(map, 0, DESC_SIZE, r, 8, &truncated) == 0 && !truncated);
}

int main(void)
{
	test_load_options();
	test_options_file();
	test_first_word();
	test_options_path();
	test_memory_types();
	test_memory_ranges();
	return check_done("efi");
}
