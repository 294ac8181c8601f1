#include "efi-parse.h"

#define EFI_PAGE_SHIFT 12
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_BAD 5

static int is_text(unsigned int c)
{
	return c == '\t' || c == '\r' || c == '\n' || (c >= 0x20 && c < 0x7f);
}

/*
 * Copies characters of width "width" (1 or 2 bytes, little-endian) to dst as ASCII, up to a
 * NUL or the end, dropping '#' comments when "comments" is set and turning line ends into
 * spaces. Leading and trailing blanks are dropped.
 */
static int copy_text(char *dst, size_t dst_size, const uint8_t *src, size_t src_bytes, int width,
		     int comments)
{
	size_t n = 0, last_word_end = 0;
	int in_comment = 0;

	if (!dst_size)
		return EFI_TEXT_TOO_LONG;
	for (size_t i = 0; i + width <= src_bytes; i += width) {
		unsigned int c = width == 2 ? src[i] | src[i + 1] << 8 : src[i];

		if (!c)
			break;
		if (!is_text(c))
			return EFI_TEXT_NOT_TEXT;
		if (c == '\r' || c == '\n') {
			in_comment = 0;
			c = ' ';
		} else if (comments && c == '#') {
			in_comment = 1;
		}
		if (in_comment)
			continue;
		if (c == '\t')
			c = ' ';
		if (c == ' ' && n == 0)
			continue;
		if (n + 1 >= dst_size)
			return EFI_TEXT_TOO_LONG;
		dst[n++] = (char)c;
		if (c != ' ')
			last_word_end = n;
	}
	dst[last_word_end] = '\0';
	return (int)last_word_end;
}

int efi_load_options_text(char *dst, size_t dst_size, const void *src, size_t src_bytes)
{
	if (src_bytes % 2)
		return EFI_TEXT_NOT_TEXT;
	return copy_text(dst, dst_size, src, src_bytes, 2, 0);
}

int efi_options_file_text(char *dst, size_t dst_size, const void *src, size_t src_bytes)
{
	const uint8_t *p = src;

	if (src_bytes >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return copy_text(dst, dst_size, p + 3, src_bytes - 3, 1, 1);
	if (src_bytes >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		if (src_bytes % 2)
			return EFI_TEXT_NOT_TEXT;
		return copy_text(dst, dst_size, p + 2, src_bytes - 2, 2, 1);
	}
	return copy_text(dst, dst_size, p, src_bytes, 1, 1);
}

const char *efi_first_word(const char *cmdline, char *word, size_t word_size)
{
	size_t n = 0;

	while (*cmdline == ' ')
		cmdline++;
	for (; *cmdline && *cmdline != ' '; cmdline++)
		if (n + 1 < word_size)
			word[n++] = *cmdline;
	if (word_size)
		word[n] = '\0';
	while (*cmdline == ' ')
		cmdline++;
	return cmdline;
}

int efi_ascii_to_utf16(uint16_t *dst, size_t dst_chars, const char *src)
{
	size_t n = 0;

	for (; *src; src++) {
		if (n + 1 >= dst_chars)
			return -1;
		dst[n++] = (uint8_t)*src;
	}
	if (!dst_chars)
		return -1;
	dst[n] = 0;
	return (int)n;
}

int efi_options_path(uint16_t *dst, size_t dst_chars, const uint16_t *image_path)
{
	static const uint16_t ext[] = { '.', 'c', 'f', 'g', 0 };
	size_t len = 0, stem_end;

	while (image_path[len])
		len++;
	stem_end = len;
	for (size_t i = len; i > 0; i--) {
		uint16_t c = image_path[i - 1];

		if (c == '\\' || c == '/')
			break;
		if (c == '.') {
			stem_end = i - 1;
			break;
		}
	}
	if (stem_end + sizeof(ext) / sizeof(ext[0]) > dst_chars)
		return -1;
	for (size_t i = 0; i < stem_end; i++)
		dst[i] = image_path[i];
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		dst[stem_end + i] = ext[i];
	return 0;
}

uint32_t efi_memory_type_to_e820(uint32_t efi_type)
{
	switch (efi_type) {
	/* Once boot services have ended, their memory and the loader's belong to the kernel. */
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return E820_RAM;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return E820_NVS;
	case EFI_UNUSABLE_MEMORY:
		return E820_BAD;
	/* Unaccepted memory must be accepted (TDX, SEV-SNP) before use: not ours to take. */
	default:
		return E820_RESERVED;
	}
}

/* Reads descriptor i, or returns 0 when it is empty or its end wraps. */
static int read_range(const uint8_t *map, size_t desc_size, size_t i, struct efi_range *r)
{
	struct efi_memory_descriptor d;
	uint64_t pages;

	/* Copied out: a descriptor size that is no multiple of 8 would misalign the fields. */
	__builtin_memcpy(&d, map + i * desc_size, sizeof(d));
	pages = d.number_of_pages;
	if (!pages || pages > (UINT64_MAX >> EFI_PAGE_SHIFT) ||
	    d.physical_start > UINT64_MAX - (pages << EFI_PAGE_SHIFT))
		return 0;
	r->start = d.physical_start;
	r->end = d.physical_start + (pages << EFI_PAGE_SHIFT);
	r->type = efi_memory_type_to_e820(d.type);
	r->efi_runtime = d.type == EFI_RUNTIME_SERVICES_CODE || d.type == EFI_RUNTIME_SERVICES_DATA;
	return 1;
}

/* Orders descriptors by start address, then by index, so equal starts are all visited. */
static int before(const struct efi_range *a, size_t ia, const struct efi_range *b, size_t ib)
{
	return a->start < b->start || (a->start == b->start && ia < ib);
}

int efi_memory_ranges(const void *map, size_t map_size, size_t desc_size, struct efi_range *out,
		      int out_max, int *truncated)
{
	size_t count, prev_i = 0;
	struct efi_range prev = { 0 };
	int n = 0, have_prev = 0;

	*truncated = 0;
	if (desc_size < sizeof(struct efi_memory_descriptor))
		return -1;
	count = map_size / desc_size;
	/*
	 * Firmware usually sorts its map, but UEFI does not promise it: visit the descriptors
	 * in address order by selection. A map has a few hundred entries at most.
	 */
	for (size_t visited = 0; visited < count; visited++) {
		struct efi_range best, r;
		size_t best_i = 0;
		int found = 0;

		for (size_t i = 0; i < count; i++) {
			if (!read_range(map, desc_size, i, &r))
				continue;
			if (have_prev && !before(&prev, prev_i, &r, i))
				continue;
			if (!found || before(&r, i, &best, best_i)) {
				best = r;
				best_i = i;
				found = 1;
			}
		}
		if (!found)
			break;
		prev = best;
		prev_i = best_i;
		have_prev = 1;
		if (n && out[n - 1].end == best.start && out[n - 1].type == best.type &&
		    out[n - 1].efi_runtime == best.efi_runtime) {
			out[n - 1].end = best.end;
		} else if (n < out_max) {
			out[n++] = best;
		} else {
			*truncated = 1;
		}
	}
	return n;
}
