/*
 * What an entry point (multiboot.c, efi.c) hands the common C start-up: the memory map, the
 * command line and, where the loader knows them, the ACPI RSDP and a page for the APs.
 */
#ifndef LIB_X86_BOOT_H
#define LIB_X86_BOOT_H

#include "libcflat.h"

#define BOOT_MAX_MEM_RANGES 128
#define BOOT_CMDLINE_MAX 1024

enum mem_type {
	MEM_RAM = 1,
	MEM_RESERVED = 2,
	MEM_ACPI = 3,
	MEM_NVS = 4,
	MEM_BAD = 5,
};

struct mem_range {
	u64 start, end; /* [start, end) */
	u32 type;
};

struct boot_info {
	const char *loader; /* "multiboot (qemu)", "uefi (firmware, ...)", ... */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated;
	bool cmdline_has_file_name; /* the loader always puts the kernel's file name first */
	int nr_mem;
	bool mem_truncated;
	struct mem_range mem[BOOT_MAX_MEM_RANGES];
	u64 rsdp; /* 0: search the BIOS areas */
	u64 trampoline; /* a free page below 1 MiB for the APs' start-up code; 0: the default */
};

/* The common start-up every entry point calls once it has filled in a boot_info. */
void start_kernel(struct boot_info *boot) __noreturn;

/* Adds a memory range to boot_info, keeping what fits; used by the entry points' parsers. */
void boot_add_mem(struct boot_info *boot, u64 start, u64 len, u32 type);

#endif
