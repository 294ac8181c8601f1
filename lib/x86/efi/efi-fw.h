/*
 * Firmware calls shared by the UEFI loader (stub.c) and the launcher (launcher.c), made
 * while boot services run: the image's own path, files on its volume, the command line.
 */
#ifndef LIB_X86_EFI_FW_H
#define LIB_X86_EFI_FW_H

#include <efi.h>
#include <efilib.h>

#define EFI_PATH_MAX 256
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The application's entry, called by gnu-efi's start-up code. */
EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *systab);

/*
 * Prints "ABORT: <prog>: <why>", a SUMMARY line and "--- DONE: 1 ---" (the kernel's forms,
 * so runners and people read a loader failure as a failed run, with its reason), then
 * powers off; returns only if the firmware cannot.
 */
void efi_abort(const CHAR16 *prog, const CHAR16 *fmt, ...);

/* The image's path on its volume ("\EFI\BOOT\BOOTX64.EFI"), from its device path. */
EFI_STATUS efi_image_path(EFI_LOADED_IMAGE *image, CHAR16 *path, UINTN path_chars);

/*
 * Reads the file at path on the image's volume into buf (at most *size bytes; *size becomes
 * what was read). EFI_NOT_FOUND when there is no such file.
 */
EFI_STATUS efi_read_file(EFI_LOADED_IMAGE *image, const CHAR16 *path, void *buf, UINTN *size);

/*
 * The command line: the image's LoadOptions when they are text, else the options file beside
 * the image (efi_options_path), else empty. Sets *source (enum efi_cmdline_source); a
 * malformed options file or one too long is a usage error naming the file: "ABORT: usage:"
 * and status 2, as the kernel reports a bad option.
 */
void efi_command_line(const CHAR16 *prog, EFI_LOADED_IMAGE *image, char *cmdline,
		      UINTN cmdline_size, UINT32 *source);

#endif
