/*
 * The UEFI application around a program's kernel image (efi-handover.h says why it is built
 * so). While boot services run it gathers what only firmware knows: the command line, the
 * ACPI RSDP from the configuration table, a page below 1 MiB for the APs' start-up code and
 * the kernel's own load range. Then it leaves boot services, copies the image to its link
 * address and enters it. Anything that goes wrong before that is an ABORT line on the
 * console and a power-off, so a run never hangs in firmware.
 */
#include "efi-fw.h"
#include "efi-parse.h"

#define PAGE_SIZE 4096
#define PAGES(bytes) (((bytes) + PAGE_SIZE - 1) / PAGE_SIZE)
#define IMAGE_HEADER_SEARCH 8192
#define LOW_MEMORY_END 0x100000
#define BELOW_4G 0xffffffffull
#define MAP_SLACK_DESCRIPTORS 32 /* the map grows while we allocate its buffer */
#define EXIT_BOOT_SERVICES_TRIES 8
#define CR4_LA57 (1ull << 12)

extern const char payload_start[], payload_end[], payload_name[];

static CHAR16 prog[64];

static const struct efi_image_header *find_image_header(void)
{
	UINTN size = payload_end - payload_start;

	for (UINTN off = 0; off + sizeof(struct efi_image_header) <= size &&
			    off < IMAGE_HEADER_SEARCH; off += 8) {
		const struct efi_image_header *h = (const void *)(payload_start + off);

		if (h->magic == EFI_IMAGE_MAGIC)
			return h;
	}
	return NULL;
}

static UINT64 find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	EFI_GUID *want[] = { &acpi20, &acpi10 };

	/* ACPI 2.0 first: its RSDP also carries the XSDT, the only way to tables above 4 GiB. */
	for (UINTN w = 0; w < 2; w++)
		for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
			if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, want[w]))
				return (UINT64)ST->ConfigurationTable[i].VendorTable;
	return 0;
}

/* The firmware's vendor and revision, in ASCII, for the kernel's boot line. */
static void firmware_name(char *dst, UINTN size)
{
	static const char hex[] = "0123456789abcdef";
	const CHAR16 *v = ST->FirmwareVendor ? ST->FirmwareVendor : L"unknown";
	UINT32 rev = ST->FirmwareRevision;
	UINTN n = 0;

	for (; *v && n + 1 < size - 12; v++)
		dst[n++] = *v >= 0x20 && *v < 0x7f ? (char)*v : '?';
	dst[n++] = ' ';
	dst[n++] = '0';
	dst[n++] = 'x';
	for (int shift = 28; shift >= 0; shift -= 4)
		dst[n++] = hex[(rev >> shift) & 0xf];
	dst[n] = '\0';
}

static void *alloc_below(UINT64 max, UINTN pages, const CHAR16 *what)
{
	EFI_PHYSICAL_ADDRESS addr = max;
	EFI_STATUS status;

	status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData, pages,
				   &addr);
	if (EFI_ERROR(status))
		efi_abort(prog, L"no memory below 0x%lx for %s: %r", max + 1, what, status);
	return (void *)addr;
}

/* Takes the range the kernel is linked at, or explains which firmware memory is there. */
static void claim_kernel_range(const struct efi_image_header *h)
{
	EFI_PHYSICAL_ADDRESS addr = h->load_start;
	EFI_STATUS status;
	UINTN entries, key, desc_size;
	UINT32 desc_version;
	UINT8 *map;

	status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
				   PAGES(h->bss_end - h->load_start), &addr);
	if (!EFI_ERROR(status))
		return;
	map = (UINT8 *)LibMemoryMap(&entries, &key, &desc_size, &desc_version);
	for (UINTN i = 0; map && i < entries; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)(map + i * desc_size);
		UINT64 end = d->PhysicalStart + d->NumberOfPages * PAGE_SIZE;

		if (d->PhysicalStart < h->bss_end && end > h->load_start &&
		    d->Type != EfiConventionalMemory)
			Print(L"INFO: %s: [0x%lx, 0x%lx) is EFI memory type %d\n", prog,
			      d->PhysicalStart, end, d->Type);
	}
	efi_abort(prog, L"the kernel's range [0x%lx, 0x%lx) is not free memory: %r",
		  h->load_start, h->bss_end, status);
}

/*
 * Gets the memory map and ends boot services, again while the map key is stale (UEFI 2.10,
 * 7.4 "ExitBootServices()": the map may change under us, and then only GetMemoryMap and
 * ExitBootServices may be called). Returns the map's size; boot services are gone after.
 */
static UINTN exit_boot_services(EFI_HANDLE image, void *map, UINTN map_room, UINTN *desc_size)
{
	EFI_STATUS status = EFI_INVALID_PARAMETER;
	UINTN size = 0, key;
	UINT32 desc_version;

	for (int i = 0; i < EXIT_BOOT_SERVICES_TRIES && status == EFI_INVALID_PARAMETER; i++) {
		size = map_room;
		status = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, map, &key, desc_size,
					   &desc_version);
		if (EFI_ERROR(status))
			break;
		status = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
	}
	if (EFI_ERROR(status))
		efi_abort(prog, L"ExitBootServices failed: %r", status);
	return size;
}

/* How much room the memory map needs, with slack for the allocations still to come. */
static UINTN memory_map_room(void)
{
	UINTN size = 0, key, desc_size = sizeof(EFI_MEMORY_DESCRIPTOR);
	UINT32 desc_version;

	uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &desc_size, &desc_version);
	return size + MAP_SLACK_DESCRIPTORS * desc_size;
}

EFI_STATUS efi_main(EFI_HANDLE image_handle, EFI_SYSTEM_TABLE *systab)
{
	const struct efi_image_header *h;
	struct efi_handover *ho;
	EFI_LOADED_IMAGE *image;
	UINTN map_room, map_size, desc_size;
	UINT64 cr4;
	void *map;
	int truncated, nr_ranges;

	InitializeLib(image_handle, systab);
	efi_ascii_to_utf16((uint16_t *)prog, ARRAY_SIZE(prog), payload_name);
	h = find_image_header();
	if (!h || payload_end - payload_start != (long)(h->load_end - h->load_start))
		efi_abort(prog, L"the kernel image inside this file is damaged (rebuild it)");
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_LA57)
		efi_abort(prog, L"the firmware runs 5-level paging, which the kernel cannot take");
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image_handle, &LoadedImageProtocol,
					(void **)&image)))
		efi_abort(prog, L"no LoadedImage protocol for this image");

	ho = alloc_below(BELOW_4G, PAGES(sizeof(*ho)), L"the handover block");
	ZeroMem(ho, sizeof(*ho));
	ho->magic = EFI_HANDOVER_MAGIC;
	ho->version = EFI_HANDOVER_VERSION;
	efi_command_line(prog, image, ho->cmdline, sizeof(ho->cmdline), &ho->cmdline_source);
	firmware_name(ho->firmware, sizeof(ho->firmware));
	ho->rsdp = find_rsdp();
	ho->trampoline = (UINT64)alloc_below(LOW_MEMORY_END - 1, 1, L"the AP start-up page");
	ho->reset_system = (UINT64)RT->ResetSystem;
	claim_kernel_range(h);
	map_room = memory_map_room();
	map = alloc_below(BELOW_4G, PAGES(map_room), L"the memory map");

	map_size = exit_boot_services(image_handle, map, PAGES(map_room) * PAGE_SIZE, &desc_size);
	asm volatile("cli");
	/* No map (a descriptor size too small to be one) gives the kernel's own ABORT. */
	nr_ranges = efi_memory_ranges(map, map_size, desc_size, ho->ranges, EFI_HANDOVER_MAX_RANGES,
				      &truncated);
	ho->nr_ranges = nr_ranges < 0 ? 0 : nr_ranges;
	ho->ranges_truncated = truncated;
	/* gnu-efi's CopyMem and ZeroMem are plain code: still usable with boot services gone. */
	CopyMem((void *)h->load_start, payload_start, h->load_end - h->load_start);
	ZeroMem((void *)h->load_end, h->bss_end - h->load_end);
	asm volatile("jmp *%0" : : "r"(h->entry64), "D"(ho) : "memory");
	__builtin_unreachable();
}
