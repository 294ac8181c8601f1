/*
 * Reads the UEFI loader's handover block into a boot_info, as multiboot.c reads Multiboot's
 * information, and keeps the firmware's ResetSystem for a power-off that neither
 * isa-debug-exit nor ACPI S5 achieved.
 */
#include "boot.h"
#include "uefi.h"
#include "efi-handover.h"
#include "processor.h"

#define EFI_RESET_SHUTDOWN 2 /* EFI_RESET_TYPE EfiResetShutdown (UEFI 2.10, 8.5.1) */
#define X86_CR4_OSFXSR BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)

typedef void __attribute__((ms_abi)) (*efi_reset_system_t)(u32 type, u64 status, u64 size,
							   void *data);

static struct boot_info boot;
static char loader[16 + EFI_HANDOVER_FIRMWARE_MAX + 32];
static efi_reset_system_t reset_system;

static const char *const cmdline_sources[] = {
	[EFI_CMDLINE_NONE] = "no options",
	[EFI_CMDLINE_LOAD_OPTIONS] = "options from LoadOptions",
	[EFI_CMDLINE_FILE] = "options from the options file",
};

void efi_start(const struct efi_handover *ho) __noreturn;

void efi_start(const struct efi_handover *ho)
{
	if (ho->magic != EFI_HANDOVER_MAGIC || ho->version != EFI_HANDOVER_VERSION) {
		boot.loader = "an unknown UEFI loader (no handover block of this kernel's version)";
		start_kernel(&boot);
	}
	snprintf(loader, sizeof(loader), "uefi (%.*s, %s)", EFI_HANDOVER_FIRMWARE_MAX, ho->firmware,
		 ho->cmdline_source < ARRAY_SIZE(cmdline_sources) ?
			 cmdline_sources[ho->cmdline_source] : "options");
	boot.loader = loader;
	boot.cmdline_truncated = strlcpy(boot.cmdline, ho->cmdline, sizeof(boot.cmdline)) >=
				 sizeof(boot.cmdline);
	for (u32 i = 0; i < ho->nr_ranges && i < EFI_HANDOVER_MAX_RANGES; i++) {
		const struct efi_range *r = &ho->ranges[i];

		boot_add_mem(&boot, r->start, r->end - r->start, r->type);
	}
	boot.mem_truncated |= ho->ranges_truncated;
	boot.rsdp = ho->rsdp;
	boot.trampoline = ho->trampoline;
	reset_system = (efi_reset_system_t)ho->reset_system;
	start_kernel(&boot);
}

void efi_poweroff(void)
{
	if (!reset_system)
		return;
	/*
	 * Runtime services stay callable after ExitBootServices at their physical addresses
	 * (UEFI 2.10, 8 "Services - Runtime Services"); they may use SSE, which needs OSFXSR.
	 */
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	reset_system(EFI_RESET_SHUTDOWN, 0, 0, NULL);
}
