/*
 * The default boot program of the disk image (\EFI\BOOT\BOOTX64.EFI): starts the test program
 * that its options file names. The file (\EFI\BOOT\BOOTX64.cfg, efi_command_line) holds
 * "<program> [options...]"; the launcher loads \EFI\vic-tests\<program>.efi from the same
 * volume and hands it the options as its LoadOptions. So a vendor picks the program and its
 * options by editing one text file, without rebuilding anything.
 */
#include "efi-fw.h"
#include "efi-parse.h"

#define PROGRAM_DIR L"\\EFI\\vic-tests\\"
#define PROGRAM_NAME_MAX 64

static const CHAR16 me[] = L"launcher";

/* Takes "smp" or "smp.efi" into name16; false when it is not a plain file name. */
static BOOLEAN program_name(const char *word, CHAR16 *name16, UINTN chars)
{
	UINTN n = 0;

	for (; word[n]; n++) {
		char c = word[n];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
		    c != '_' && c != '-' && c != '.')
			return FALSE;
	}
	if (n > 4 && (word[n - 4] == '.') && (word[n - 3] | 0x20) == 'e' &&
	    (word[n - 2] | 0x20) == 'f' && (word[n - 1] | 0x20) == 'i')
		n -= 4;
	if (!n || n + 1 > chars)
		return FALSE;
	for (UINTN i = 0; i < n; i++)
		name16[i] = word[i];
	name16[n] = 0;
	return TRUE;
}

EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *systab)
{
	static char cmdline[EFI_HANDOVER_CMDLINE_MAX];
	static CHAR16 options[EFI_HANDOVER_CMDLINE_MAX];
	CHAR16 name[PROGRAM_NAME_MAX], path[EFI_PATH_MAX];
	char word[PROGRAM_NAME_MAX];
	EFI_LOADED_IMAGE *image, *child_image;
	EFI_DEVICE_PATH *file;
	EFI_HANDLE child;
	EFI_STATUS status;
	const char *rest;
	UINT32 source;
	int len;

	InitializeLib(image_handle, systab);
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image_handle, &LoadedImageProtocol,
					(void **)&image)))
		efi_abort(me, L"no LoadedImage protocol for this image");
	efi_command_line(me, image, cmdline, sizeof(cmdline), &source);
	rest = efi_first_word(cmdline, word, sizeof(word));
	if (source == EFI_CMDLINE_NONE || !word[0])
		efi_abort(me, L"no program to start: its options file (BOOTX64.cfg beside it) must "
			      L"start with a program name such as smp");
	if (!program_name(word, name, PROGRAM_NAME_MAX))
		efi_abort(me, L"'%a' in the options file is not a program name", word);
	SPrint(path, sizeof(path), L"%s%s.efi", PROGRAM_DIR, name);
	len = efi_ascii_to_utf16((uint16_t *)options, ARRAY_SIZE(options), rest);

	file = FileDevicePath(image->DeviceHandle, path);
	if (!file)
		efi_abort(me, L"cannot make a device path for %s", path);
	status = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image_handle, file, NULL, 0, &child);
	if (EFI_ERROR(status))
		efi_abort(me, L"cannot load %s (the options file names program '%a'): %r", path,
			  word, status);
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, child, &LoadedImageProtocol,
					(void **)&child_image)))
		efi_abort(me, L"no LoadedImage protocol for %s", path);
	child_image->LoadOptions = options;
	child_image->LoadOptionsSize = (len + 1) * sizeof(CHAR16);
	status = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	efi_abort(me, L"%s returned: %r", path, status);
	return status;
}
