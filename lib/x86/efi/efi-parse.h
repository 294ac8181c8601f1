/*
 * The pure parts of the UEFI loader: what it reads from firmware and from the boot volume,
 * turned into what the kernel takes. No firmware calls here, so the host unit tests
 * (lib/x86/tests/test_efi.c) and a fuzz target run the same code as the loader.
 */
#ifndef LIB_X86_EFI_PARSE_H
#define LIB_X86_EFI_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "efi-handover.h"

/* EFI_MEMORY_TYPE (UEFI 2.10, 7.2 "Memory Allocation Services"). */
enum {
	EFI_RESERVED_MEMORY = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

/* EFI_MEMORY_DESCRIPTOR's fields; the map's entries are desc_size bytes apart, not sizeof. */
struct efi_memory_descriptor {
	uint32_t type;
	uint32_t pad;
	uint64_t physical_start;
	uint64_t virtual_start;
	uint64_t number_of_pages;
	uint64_t attribute;
};

/* Errors of the text readers below; 0 or more is a length. */
#define EFI_TEXT_NOT_TEXT (-1) /* bytes other than printable ASCII, tab, CR, LF */
#define EFI_TEXT_TOO_LONG (-2) /* does not fit the destination */

/*
 * LoadOptions as a command line: UTF-16 text up to the first NUL or src_bytes. Firmware
 * boot entries often carry binary data there (edk2 puts a GUID in the options of the boot
 * entries it makes by itself), so anything but printable ASCII is EFI_TEXT_NOT_TEXT, to be
 * taken as "no options". Returns the length written to dst (NUL-terminated).
 */
int efi_load_options_text(char *dst, size_t dst_size, const void *src, size_t src_bytes);

/*
 * An options file as a command line: '#' starts a comment that runs to the end of its line;
 * lines are joined with spaces. The file may be ASCII, UTF-8 with a byte order mark, or
 * UTF-16LE with one (what Windows editors write), as long as every character is ASCII.
 * Returns the length written to dst (NUL-terminated), or an EFI_TEXT_* error.
 */
int efi_options_file_text(char *dst, size_t dst_size, const void *src, size_t src_bytes);

/* Splits off the first word of cmdline into word (for the launcher); returns the rest. */
const char *efi_first_word(const char *cmdline, char *word, size_t word_size);

/* ASCII to UTF-16 (for file names and LoadOptions); returns characters written or -1. */
int efi_ascii_to_utf16(uint16_t *dst, size_t dst_chars, const char *src);

/*
 * The options file's path for an image path ("\EFI\BOOT\BOOTX64.EFI" gives
 * "\EFI\BOOT\BOOTX64.cfg"): the extension of the last component replaced by ".cfg", or
 * ".cfg" appended when it has none. Returns -1 when it does not fit.
 */
int efi_options_path(uint16_t *dst, size_t dst_chars, const uint16_t *image_path);

/* The E820 type (boot.h enum mem_type) that the kernel sees for an EFI memory type. */
uint32_t efi_memory_type_to_e820(uint32_t efi_type);

/*
 * The memory map after ExitBootServices as sorted ranges, adjacent ranges of the same
 * kind merged (the kernel keeps a bounded list). Entries that are empty or wrap are left
 * out. Returns the number of ranges, sets *truncated when more were needed than out_max,
 * or -1 when desc_size is too small to be a descriptor.
 */
int efi_memory_ranges(const void *map, size_t map_size, size_t desc_size, struct efi_range *out,
		      int out_max, int *truncated);

#endif
