/*
 * What the UEFI loader (lib/x86/efi/stub.c) hands the kernel, and how it finds the kernel.
 *
 * A program's .efi file is a small gnu-efi application carrying the same kernel image that
 * Multiboot loads (x86/<name>.elf, as a flat binary). The application does what only firmware
 * can do (memory map, RSDP, command line, a page below 1 MiB), leaves boot services, copies
 * the image to the address it is linked at and jumps to its 64-bit entry. From there on the
 * kernel runs exactly as under Multiboot: same addresses, same page tables, same start-up.
 *
 * Both sides include this file: the kernel (libcflat) and the application (gnu-efi), so it
 * uses the compiler's fixed-width types only.
 */
#ifndef LIB_X86_EFI_HANDOVER_H
#define LIB_X86_EFI_HANDOVER_H

#define EFI_IMAGE_MAGIC 0x6567616d69636976 /* "vicimage" as a little-endian u64 */
#define EFI_HANDOVER_MAGIC 0x7265766f646e6168 /* "handover" as a little-endian u64 */
#define EFI_HANDOVER_VERSION 1

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * In the kernel image, within its first 8 KiB, 8-byte aligned: where the image goes and
 * where to enter it (kernel.lds puts it after the Multiboot header).
 */
struct efi_image_header {
	uint64_t magic;		/* EFI_IMAGE_MAGIC */
	uint64_t load_start;	/* link address of the first byte of the flat image */
	uint64_t load_end;	/* end of the bytes the flat image carries */
	uint64_t bss_end;	/* end of the zeroed memory after them */
	uint64_t entry64;	/* 64-bit entry: %rdi = struct efi_handover * */
};

#define EFI_HANDOVER_CMDLINE_MAX 1024
#define EFI_HANDOVER_MAX_RANGES 256
#define EFI_HANDOVER_FIRMWARE_MAX 64

/* Where the command line came from. */
enum efi_cmdline_source {
	EFI_CMDLINE_NONE,	  /* no load options and no options file */
	EFI_CMDLINE_LOAD_OPTIONS, /* the LoadedImage protocol's LoadOptions */
	EFI_CMDLINE_FILE,	  /* the options file beside the image */
};

/* One memory range with an E820 type (boot.h's enum mem_type), after boot services end. */
struct efi_range {
	uint64_t start, end;
	uint32_t type;
	uint32_t efi_runtime; /* the firmware's runtime code or data: never reused */
};

/* Below 4 GiB (the kernel's page tables map that much from the start). */
struct efi_handover {
	uint64_t magic;		/* EFI_HANDOVER_MAGIC */
	uint32_t version;	/* EFI_HANDOVER_VERSION */
	uint32_t cmdline_source; /* enum efi_cmdline_source */
	char cmdline[EFI_HANDOVER_CMDLINE_MAX];
	uint32_t cmdline_truncated;
	char firmware[EFI_HANDOVER_FIRMWARE_MAX]; /* vendor and revision, for the boot line */
	uint64_t rsdp;		/* from the configuration table; 0 when it has none */
	uint64_t trampoline;	/* a page below 1 MiB for the AP start-up code */
	uint64_t reset_system;	/* EFI_RUNTIME_SERVICES.ResetSystem, the last way to power off */
	uint32_t nr_ranges;
	uint32_t ranges_truncated;
	struct efi_range ranges[EFI_HANDOVER_MAX_RANGES];
};
#endif

#endif
