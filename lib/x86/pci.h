/*
 * PCI (PCI Local Bus Specification 3.0, "Configuration Space"; PCI Express Base
 * Specification, "Enhanced Configuration Access Mechanism"). Configuration space is reached
 * through ECAM, located by the ACPI MCFG table or given on the command line, else through
 * configuration mechanism #1 (ports 0xCF8/0xCFC). pci_init() lists the functions on bus 0
 * and on the buses behind bridges that firmware numbered (bridges are never re-programmed).
 * Memory BARs that firmware left unassigned (qboot assigns none) are given addresses from a
 * window of the 32-bit MMIO hole. The MSI capability is programmed from a struct msi_msg.
 *
 * Options (lib/x86/common-options.c): pci.ecam, where ECAM is when there is no MCFG table
 * (QEMU's microvm with pcie=on: 0xe0000000, no MCFG, no ports 0xCF8/0xCFC), and pci.mmio,
 * where unassigned memory BARs go.
 */
#ifndef LIB_X86_PCI_H
#define LIB_X86_PCI_H

#include "libcflat.h"
#include "msi.h"

/* A function's address: bus 15:8, device 7:3, function 2:0 (the Requester ID layout). */
#define PCI_BDF(bus, dev, fn) ((u16)((bus) << 8 | (dev) << 3 | (fn)))
#define PCI_BUS(bdf) ((bdf) >> 8)
#define PCI_SLOT(bdf) (((bdf) >> 3) & 0x1f)
#define PCI_FUNC(bdf) ((bdf) & 7)
#define PCI_BDF_FMT "%02x:%02x.%x"
#define PCI_BDF_ARGS(bdf) PCI_BUS(bdf), PCI_SLOT(bdf), PCI_FUNC(bdf)

/* The configuration header (type 0, device; type 1, bridge) */
#define PCI_VENDOR_ID 0x00
#define PCI_VENDOR_NONE 0xffff /* what an absent function reads */
#define PCI_VENDOR_INVALID 0x0000 /* never assigned: what unclaimed memory reads under QEMU */
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO BIT(0)
#define PCI_COMMAND_MEMORY BIT(1)
#define PCI_COMMAND_MASTER BIT(2) /* Bus Master Enable: without it, no DMA and no MSI */
#define PCI_COMMAND_INTX_DISABLE BIT(10)
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST BIT(4)
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_NORMAL 0
#define PCI_HEADER_TYPE_BRIDGE 1
#define PCI_HEADER_MULTI_FUNCTION 0x80
#define PCI_BAR0 0x10
#define PCI_BARS_NORMAL 6
#define PCI_BARS_BRIDGE 2
#define PCI_BAR_IO BIT(0)
#define PCI_BAR_MEM_TYPE_MASK 0x6
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_MEM_PREFETCH BIT(3)
#define PCI_BAR_MEM_ADDR_MASK 0xfffffff0u
#define PCI_BAR_IO_ADDR_MASK 0xfffffffcu
#define PCI_CAPABILITY_LIST 0x34
#define PCI_ROM_ADDRESS 0x30
#define PCI_ROM_ADDR_MASK 0xfffff800u
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
/* Type 1 (bridge) header */
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1a
#define PCI_MEMORY_BASE 0x20      /* 16-bit base and limit, address bits 31:20 */
#define PCI_PREF_MEMORY_BASE 0x24 /* the same for the prefetchable window */
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_BRIDGE_ROM_ADDRESS 0x38

/* Capabilities */
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_MSIX 0x11

/* The MSI capability, offsets from its start */
#define PCI_MSI_FLAGS 0x02 /* Message Control */
#define PCI_MSI_FLAGS_ENABLE BIT(0)
#define PCI_MSI_FLAGS_QMASK 0x000e /* multiple message capable, log2 */
#define PCI_MSI_FLAGS_QSIZE 0x0070 /* multiple message enable, log2 */
#define PCI_MSI_FLAGS_64BIT BIT(7)
#define PCI_MSI_FLAGS_MASKBIT BIT(8) /* per-vector masking capable */
#define PCI_MSI_ADDRESS_LO 0x04
#define PCI_MSI_ADDRESS_HI 0x08 /* 64-bit capable only */
#define PCI_MSI_DATA_32 0x08
#define PCI_MSI_DATA_64 0x0c
#define PCI_MSI_MASK_32 0x0c
#define PCI_MSI_MASK_64 0x10

#define PCI_CONF1_ADDRESS_PORT 0xcf8
#define PCI_CONF1_DATA_PORT 0xcfc
#define PCI_CONF1_ENABLE BIT(31)
#define PCI_ECAM_BUS_SHIFT 20 /* 1 MiB of ECAM per bus, 4 KiB per function */
#define PCI_MMIO_END 0xfec00000u /* the IOAPIC: QEMU's 32-bit PCI windows end below it */
#define PCI_MAX_DEVICES 256

/* A function found by pci_init(). */
struct pci_dev {
	u16 bdf;
	u16 vendor, device;
	u8 header_type; /* without the multi-function bit */
};

struct pci_bar {
	u64 addr; /* 0: not assigned */
	u64 size;
	bool io;
	bool mem64;
	bool prefetch;
};

/*
 * Picks the configuration access (MCFG, then pci.ecam=, then mechanism #1 if it responds) and
 * lists the functions. True with msg saying which access and
 * what was found (for an INFO line); false with msg saying why there is no PCI. Bridges that
 * are skipped (no bus numbers from firmware) are noted in INFO lines.
 */
bool pci_init(char *msg, size_t msg_len);

/* Configuration reads and writes; reg aligned to the size. All ones for an absent function. */
u8 pci_read8(u16 bdf, u16 reg);
u16 pci_read16(u16 bdf, u16 reg);
u32 pci_read32(u16 bdf, u16 reg);
void pci_write8(u16 bdf, u16 reg, u8 val);
void pci_write16(u16 bdf, u16 reg, u16 val);
void pci_write32(u16 bdf, u16 reg, u32 val);

/* The first function pci_init() found with these IDs, or NULL. */
const struct pci_dev *pci_find_device(u16 vendor, u16 device);

/* Sets then clears bits of the command register. */
void pci_update_command(u16 bdf, u16 set, u16 clear);

/*
 * Reads and sizes BAR n (the register at PCI_BAR0 + 4 * n; for a 64-bit BAR, n is its lower
 * half), with decoding off for the moment the BAR holds all ones. False when the function
 * does not implement it.
 */
bool pci_bar_probe(u16 bdf, int n, struct pci_bar *bar);

/*
 * The address of memory BAR n. A BAR firmware left at 0 is assigned first: the lowest address
 * in the window aligned to its size that overlaps no assigned BAR, expansion ROM, bridge
 * window or the ECAM area. Returns 0 with why when it cannot (an I/O BAR, no room, a BAR
 * above 4 GiB where nothing is mapped, a function behind a bridge). Decoding is left as it
 * was: enable it with pci_update_command().
 */
u64 pci_bar_map(u16 bdf, int n, char *why, size_t why_len);

/* The offset of the first capability with this ID in the capability list, or 0. */
u8 pci_find_cap(u16 bdf, u8 id);

/*
 * Programs the MSI capability with msg and enables it with one vector (multiple message
 * enable 0, vector 0 unmasked). False when the function has no MSI capability, or msg has an
 * address_hi and the capability only 32-bit addresses.
 */
bool pci_msi_enable(u16 bdf, const struct msi_msg *msg);
/* Clears MSI Enable: the function is back to INTx. False without an MSI capability. */
bool pci_msi_disable(u16 bdf);

#endif
