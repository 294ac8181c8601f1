/*
 * The options every program takes (options.h): those the library reads as it starts CPUs
 * (lib/x86/smp.c), sets up the local APIC and finds PCI (lib/x86/pci.c).
 */
#include "options.h"
#include "pci.h"

const struct option common_options[] = {
	{ .name = "help", .type = OPTION_FLAG,
	  .help = "print these lines and exit with status 0, running no check (the other words "
		  "are checked first)" },
	{ .name = "smp.delays", .type = OPTION_CHOICE, .choices = "sdm|none", .def = "sdm",
	  .help = "the SDM's INIT/SIPI delays (10 ms, 200 us, 200 us), as real hardware needs "
		  "them, or none (enough under KVM)" },
	{ .name = "smp.timeout_ms", .type = OPTION_UINT, .min = 1, .max = 3600000,
	  .def = "10000", .help = "how long APs have to check in, in milliseconds" },
	{ .name = "apic", .type = OPTION_CHOICE, .choices = "x2apic|xapic", .def = "x2apic",
	  .help = "x2apic: run the CPUs in x2APIC mode when CPUID offers it; xapic: stay in "
		  "xAPIC mode" },
	{ .name = "pci.ecam", .type = OPTION_ADDR, .min = 1u << PCI_ECAM_BUS_SHIFT,
	  .max = (1ull << 32) - (1u << PCI_ECAM_BUS_SHIFT), .align = 1u << PCI_ECAM_BUS_SHIFT,
	  .help = "PCI's ECAM (buses 0-255, as many as fit below 4 GiB) when there is no ACPI "
		  "MCFG table, as on QEMU's microvm with pcie=on: 0xe0000000" },
	{ .name = "pci.mmio", .type = OPTION_ADDR, .min = 1, .max = PCI_MMIO_END - 1,
	  .def = "0xc0000000",
	  .help = "where unassigned memory BARs go, up to the IOAPIC at 0xfec00000; the default "
		  "is where the 32-bit PCI window of q35 and of microvm with pcie=on starts" },
	{}
};
