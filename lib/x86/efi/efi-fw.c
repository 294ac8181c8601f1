#include "efi-fw.h"
#include "efi-parse.h"

#define OPTIONS_FILE_MAX 4096

/*
 * Prints the ABORT line and the end of a run in the kernel's forms, then powers off. A usage
 * error (lib/options.h) has no SUMMARY, since no check ran, and status 2; any other failure
 * counts one unexpected failure and has status 1.
 */
static void stop(BOOLEAN usage, const CHAR16 *prog, const CHAR16 *fmt, va_list va)
{
	Print(usage ? L"ABORT: usage: %s: " : L"ABORT: %s: ", prog);
	VPrint(fmt, va);
	Print(usage ? L"\n--- DONE: 2 ---\n" :
		      L"\nSUMMARY: 0 tests, 1 unexpected failures\n--- DONE: 1 ---\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown,
			  usage ? EFI_INVALID_PARAMETER : EFI_LOAD_ERROR, 0, NULL);
}

void efi_abort(const CHAR16 *prog, const CHAR16 *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	stop(FALSE, prog, fmt, va);
	va_end(va);
}

static void efi_usage(const CHAR16 *prog, const CHAR16 *fmt, ...)
{
	va_list va;

	va_start(va, fmt);
	stop(TRUE, prog, fmt, va);
	va_end(va);
}

EFI_STATUS efi_image_path(EFI_LOADED_IMAGE *image, CHAR16 *path, UINTN path_chars)
{
	EFI_DEVICE_PATH *node = image->FilePath;
	UINTN n = 0;

	/* Firmware may split the path over several file path nodes (directory, then file). */
	for (; node && !IsDevicePathEnd(node); node = NextDevicePathNode(node)) {
		FILEPATH_DEVICE_PATH *fp = (FILEPATH_DEVICE_PATH *)node;
		UINTN chars = (DevicePathNodeLength(node) - sizeof(EFI_DEVICE_PATH)) / sizeof(CHAR16);

		if (DevicePathType(node) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(node) != MEDIA_FILEPATH_DP)
			continue;
		for (UINTN i = 0; i < chars && fp->PathName[i]; i++) {
			CHAR16 c = fp->PathName[i];

			if (n && path[n - 1] == L'\\' && c == L'\\')
				continue;
			if (n + 1 >= path_chars)
				return EFI_BUFFER_TOO_SMALL;
			path[n++] = c;
		}
	}
	if (!n)
		return EFI_NOT_FOUND;
	path[n] = 0;
	return EFI_SUCCESS;
}

EFI_STATUS efi_read_file(EFI_LOADED_IMAGE *image, const CHAR16 *path, void *buf, UINTN *size)
{
	EFI_FILE_HANDLE root, file;
	EFI_STATUS status;

	root = LibOpenRoot(image->DeviceHandle);
	if (!root)
		return EFI_NOT_FOUND;
	status = uefi_call_wrapper(root->Open, 5, root, &file, (CHAR16 *)path, EFI_FILE_MODE_READ,
				   0);
	if (!EFI_ERROR(status)) {
		status = uefi_call_wrapper(file->Read, 3, file, size, buf);
		uefi_call_wrapper(file->Close, 1, file);
	}
	uefi_call_wrapper(root->Close, 1, root);
	return status;
}

/* Reads the options file; returns 0 when there is none. */
static int read_options_file(const CHAR16 *prog, EFI_LOADED_IMAGE *image, char *cmdline,
			     UINTN cmdline_size)
{
	static UINT8 buf[OPTIONS_FILE_MAX];
	CHAR16 image_path[EFI_PATH_MAX], path[EFI_PATH_MAX];
	UINTN size = sizeof(buf);
	EFI_STATUS status;
	int len;

	if (EFI_ERROR(efi_image_path(image, image_path, EFI_PATH_MAX)) ||
	    efi_options_path((uint16_t *)path, EFI_PATH_MAX, (uint16_t *)image_path) < 0)
		return 0;
	status = efi_read_file(image, path, buf, &size);
	if (status == EFI_NOT_FOUND)
		return 0;
	if (EFI_ERROR(status))
		efi_abort(prog, L"cannot read the options file %s: %r", path, status);
	if (size == sizeof(buf))
		efi_usage(prog, L"the options file %s is larger than %d bytes", path, sizeof(buf) - 1);
	len = efi_options_file_text(cmdline, cmdline_size, buf, size);
	if (len == EFI_TEXT_NOT_TEXT)
		efi_usage(prog, L"the options file %s is not plain ASCII text", path);
	if (len == EFI_TEXT_TOO_LONG)
		efi_usage(prog, L"the options file %s gives a command line longer than %d bytes", path,
			  cmdline_size - 1);
	return 1;
}

void efi_command_line(const CHAR16 *prog, EFI_LOADED_IMAGE *image, char *cmdline,
		      UINTN cmdline_size, UINT32 *source)
{
	int len = EFI_TEXT_NOT_TEXT;

	if (image->LoadOptionsSize)
		len = efi_load_options_text(cmdline, cmdline_size, image->LoadOptions,
					    image->LoadOptionsSize);
	if (len == EFI_TEXT_TOO_LONG)
		efi_usage(prog, L"the load options are longer than %d bytes", cmdline_size - 1);
	if (len > 0) {
		*source = EFI_CMDLINE_LOAD_OPTIONS;
		return;
	}
	cmdline[0] = '\0';
	*source = read_options_file(prog, image, cmdline, cmdline_size) ? EFI_CMDLINE_FILE :
									  EFI_CMDLINE_NONE;
}
