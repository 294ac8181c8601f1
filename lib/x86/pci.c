#include "pci.h"
#include "acpi.h"
#include "options.h"
#include "processor.h"
#include "report.h"
#include "spinlock.h"

#define PCI_MAX_RANGES 64
#define PCI_CAP_LIST_START 0x40
#define PCI_CAP_MAX 48 /* capabilities fit in (256 - 0x40) / 4 slots: more means a loop */
#define PCI_ECAM_MAX_BUSES 256
#define FOUR_GIB (1ull << 32)

/* The MCFG table (PCI Firmware Specification, "MCFG Table Description"). */
struct acpi_mcfg_entry {
	u64 base; /* of bus 0 of the segment */
	u16 segment;
	u8 start_bus;
	u8 end_bus;
	u32 reserved;
} __attribute__((packed));

struct acpi_mcfg {
	struct acpi_header header;
	u8 reserved[8];
	struct acpi_mcfg_entry entries[];
} __attribute__((packed));

enum pci_access {
	PCI_ACCESS_NONE,
	PCI_ACCESS_ECAM,
	PCI_ACCESS_CONF1,
};

struct range {
	u64 start, end; /* [start, end) */
};

static struct {
	enum pci_access access;
	u64 ecam;
	u8 start_bus, end_bus; /* the buses ECAM covers */
	u32 mmio_base;
	struct spinlock conf1_lock; /* the address and data ports are one access */
	int nr_buses;
	int nr_devs;
	int nr_dropped;
	struct pci_dev devs[PCI_MAX_DEVICES];
	bool bus_seen[PCI_ECAM_MAX_BUSES];
} pci;

static volatile void *ecam_address(u16 bdf, u16 reg)
{
	return (volatile void *)(pci.ecam + ((u64)bdf << 12) + reg);
}

static bool ecam_covers(u16 bdf, u16 reg)
{
	return PCI_BUS(bdf) >= pci.start_bus && PCI_BUS(bdf) <= pci.end_bus && reg < 0x1000;
}

static void conf1_select(u16 bdf, u16 reg)
{
	outl(PCI_CONF1_ENABLE | (u32)bdf << 8 | (reg & 0xfc), PCI_CONF1_ADDRESS_PORT);
}

static u32 config_read(u16 bdf, u16 reg, int size)
{
	u16 port = PCI_CONF1_DATA_PORT + (reg & 3);
	u32 v;

	if (pci.access == PCI_ACCESS_ECAM && ecam_covers(bdf, reg)) {
		volatile void *p = ecam_address(bdf, reg);

		return size == 1 ? *(volatile u8 *)p : size == 2 ? *(volatile u16 *)p :
								     *(volatile u32 *)p;
	}
	if (pci.access != PCI_ACCESS_CONF1 || reg > 0xff)
		return 0xffffffffu >> (32 - 8 * size);
	spin_lock(&pci.conf1_lock);
	conf1_select(bdf, reg);
	v = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
	spin_unlock(&pci.conf1_lock);
	return v;
}

static void config_write(u16 bdf, u16 reg, int size, u32 v)
{
	u16 port = PCI_CONF1_DATA_PORT + (reg & 3);

	if (pci.access == PCI_ACCESS_ECAM && ecam_covers(bdf, reg)) {
		volatile void *p = ecam_address(bdf, reg);

		if (size == 1)
			*(volatile u8 *)p = v;
		else if (size == 2)
			*(volatile u16 *)p = v;
		else
			*(volatile u32 *)p = v;
		return;
	}
	if (pci.access != PCI_ACCESS_CONF1 || reg > 0xff)
		return;
	spin_lock(&pci.conf1_lock);
	conf1_select(bdf, reg);
	if (size == 1)
		outb(v, port);
	else if (size == 2)
		outw(v, port);
	else
		outl(v, port);
	spin_unlock(&pci.conf1_lock);
}

u8 pci_read8(u16 bdf, u16 reg)
{
	return config_read(bdf, reg, 1);
}

u16 pci_read16(u16 bdf, u16 reg)
{
	return config_read(bdf, reg, 2);
}

u32 pci_read32(u16 bdf, u16 reg)
{
	return config_read(bdf, reg, 4);
}

void pci_write8(u16 bdf, u16 reg, u8 val)
{
	config_write(bdf, reg, 1, val);
}

void pci_write16(u16 bdf, u16 reg, u16 val)
{
	config_write(bdf, reg, 2, val);
}

void pci_write32(u16 bdf, u16 reg, u32 val)
{
	config_write(bdf, reg, 4, val);
}

static bool vendor_present(u16 vendor)
{
	return vendor != PCI_VENDOR_NONE && vendor != PCI_VENDOR_INVALID;
}

/* Uses ECAM at base for buses [start, end] if 00:00.0 answers there. */
static bool try_ecam(u64 base, u8 start, u8 end, char *why, size_t why_len)
{
	if (base + ((u64)(end + 1) << PCI_ECAM_BUS_SHIFT) > FOUR_GIB) {
		explain(why, why_len, "ECAM at 0x%lx ends above 4 GiB, where nothing is mapped", base);
		return false;
	}
	pci.access = PCI_ACCESS_ECAM;
	pci.ecam = base;
	pci.start_bus = start;
	pci.end_bus = end;
	if (start == 0 && vendor_present(pci_read16(PCI_BDF(0, 0, 0), PCI_VENDOR_ID)))
		return true;
	explain(why, why_len, "nothing answers at 00:00.0 through ECAM at 0x%lx", base);
	pci.access = PCI_ACCESS_NONE;
	return false;
}

/* The MCFG entry for segment 0 that covers bus 0. */
static bool try_mcfg(char *why, size_t why_len)
{
	const struct acpi_mcfg *mcfg = (const void *)acpi_find_table("MCFG", why, why_len);
	size_t n;

	if (!mcfg)
		return false;
	n = (mcfg->header.length - MIN(mcfg->header.length, sizeof(*mcfg))) /
	    sizeof(mcfg->entries[0]);
	for (size_t i = 0; i < n; i++) {
		const struct acpi_mcfg_entry *e = &mcfg->entries[i];

		if (e->segment == 0 && e->start_bus == 0)
			return try_ecam(e->base, e->start_bus, e->end_bus, why, why_len);
	}
	explain(why, why_len, "the MCFG has no entry for segment 0 from bus 0 (%zu entries)", n);
	return false;
}

static bool try_conf1(void)
{
	u32 old = inl(PCI_CONF1_ADDRESS_PORT), v;

	/* A host bridge with mechanism #1 reads back the address register; no port reads ones. */
	outl(PCI_CONF1_ENABLE, PCI_CONF1_ADDRESS_PORT);
	v = inl(PCI_CONF1_ADDRESS_PORT);
	outl(old, PCI_CONF1_ADDRESS_PORT);
	if (v != PCI_CONF1_ENABLE)
		return false;
	pci.access = PCI_ACCESS_CONF1;
	return true;
}

/* A command-line address; a malformed one ends the test, as the option promised something. */
static void scan_bus(u8 bus);

static void scan_bridge(u16 bdf, u8 bus)
{
	u8 secondary = pci_read8(bdf, PCI_SECONDARY_BUS);

	if (!secondary) {
		report_info("pci: bridge " PCI_BDF_FMT " has no bus numbers (secondary bus 0): "
			    "what is behind it is not scanned", PCI_BDF_ARGS(bdf));
		return;
	}
	if (secondary <= bus || pci.bus_seen[secondary]) {
		report_info("pci: bridge " PCI_BDF_FMT " names secondary bus 0x%x, already scanned or "
			    "not below bus 0x%x: not scanned again", PCI_BDF_ARGS(bdf), secondary, bus);
		return;
	}
	scan_bus(secondary);
}

static void add_device(u16 bdf, u32 ids, u8 header_type)
{
	if (pci.nr_devs == PCI_MAX_DEVICES) {
		pci.nr_dropped++;
		return;
	}
	pci.devs[pci.nr_devs++] = (struct pci_dev){
		.bdf = bdf,
		.vendor = ids & 0xffff,
		.device = ids >> 16,
		.header_type = header_type & PCI_HEADER_TYPE_MASK,
	};
}

/* Lists the functions of a bus, then those of the buses behind its bridges: bus order. */
static void scan_bus(u8 bus)
{
	int first = pci.nr_devs;

	pci.bus_seen[bus] = true;
	pci.nr_buses++;
	for (int dev = 0; dev < 32; dev++) {
		for (int fn = 0; fn < 8; fn++) {
			u16 bdf = PCI_BDF(bus, dev, fn);
			u32 ids = pci_read32(bdf, PCI_VENDOR_ID);
			u8 header_type;

			if (!vendor_present(ids & 0xffff)) {
				if (fn == 0)
					break;
				continue;
			}
			header_type = pci_read8(bdf, PCI_HEADER_TYPE);
			add_device(bdf, ids, header_type);
			if (fn == 0 && !(header_type & PCI_HEADER_MULTI_FUNCTION))
				break;
		}
	}
	for (int i = first, last = pci.nr_devs; i < last; i++)
		if (pci.devs[i].header_type == PCI_HEADER_TYPE_BRIDGE)
			scan_bridge(pci.devs[i].bdf, bus);
}

/* ECAM where pci.ecam= says, for as many buses as fit below 4 GiB (at most 256). */
static bool try_ecam_option(u64 base, char *why, size_t why_len)
{
	u64 buses = MIN((FOUR_GIB - base) >> PCI_ECAM_BUS_SHIFT, PCI_ECAM_MAX_BUSES);
	char reason[100];

	if (try_ecam(base, 0, buses - 1, reason, sizeof(reason)))
		return true;
	explain(why, why_len, "pci.ecam=0x%lx: %s", base, reason);
	return false;
}

bool pci_init(char *msg, size_t msg_len)
{
	char mcfg_why[100], ecam_why[140] = "no pci.ecam= option", access[300];
	u64 ecam_base = 0, mmio_base = 0;
	bool ecam_given = option_number("pci.ecam", &ecam_base);

	memset(&pci, 0, sizeof(pci));
	/* Declared with a default, and a range below PCI_MMIO_END: it is there and fits. */
	option_number("pci.mmio", &mmio_base);
	pci.mmio_base = mmio_base;
	if (try_mcfg(mcfg_why, sizeof(mcfg_why))) {
		snprintf(access, sizeof(access), "ECAM at 0x%lx for buses 0x%x-0x%x (ACPI MCFG%s)",
			 pci.ecam, pci.start_bus, pci.end_bus, ecam_given ? "; pci.ecam= ignored" : "");
	} else if (ecam_given && try_ecam_option(ecam_base, ecam_why, sizeof(ecam_why))) {
		snprintf(access, sizeof(access), "ECAM at 0x%lx for buses 0x%x-0x%x (pci.ecam=; %s)",
			 pci.ecam, pci.start_bus, pci.end_bus, mcfg_why);
	} else if (try_conf1()) {
		snprintf(access, sizeof(access), "configuration mechanism #1, ports 0x%x/0x%x (%s; %s)",
			 PCI_CONF1_ADDRESS_PORT, PCI_CONF1_DATA_PORT, mcfg_why, ecam_why);
	} else {
		explain(msg, msg_len, "%s; %s; ports 0x%x/0x%x do not respond", mcfg_why, ecam_why,
			PCI_CONF1_ADDRESS_PORT, PCI_CONF1_DATA_PORT);
		return false;
	}
	scan_bus(0);
	if (pci.nr_dropped)
		report_info("pci: more than %d functions: %d not listed", PCI_MAX_DEVICES,
			    pci.nr_dropped);
	explain(msg, msg_len, "%s; %d functions on %d bus%s", access, pci.nr_devs, pci.nr_buses,
		pci.nr_buses == 1 ? "" : "es");
	return true;
}

const struct pci_dev *pci_find_device(u16 vendor, u16 device)
{
	for (int i = 0; i < pci.nr_devs; i++)
		if (pci.devs[i].vendor == vendor && pci.devs[i].device == device)
			return &pci.devs[i];
	return NULL;
}

void pci_update_command(u16 bdf, u16 set, u16 clear)
{
	pci_write16(bdf, PCI_COMMAND, (pci_read16(bdf, PCI_COMMAND) | set) & ~clear);
}

static int bar_count(u16 bdf)
{
	switch (pci_read8(bdf, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK) {
	case PCI_HEADER_TYPE_NORMAL:
		return PCI_BARS_NORMAL;
	case PCI_HEADER_TYPE_BRIDGE:
		return PCI_BARS_BRIDGE;
	}
	return 0;
}

/* Writes ones to a BAR-like register and reads what sticks, then puts the old value back. */
static u32 size_register(u16 bdf, u16 reg, u32 ones)
{
	u32 old = pci_read32(bdf, reg), v;

	pci_write32(bdf, reg, ones);
	v = pci_read32(bdf, reg);
	pci_write32(bdf, reg, old);
	return v;
}

bool pci_bar_probe(u16 bdf, int n, struct pci_bar *bar)
{
	u16 reg = PCI_BAR0 + 4 * n, cmd;
	u32 lo, hi = 0, mask_lo, mask_hi = 0xffffffffu;
	int count = bar_count(bdf);
	u64 mask;

	if (n < 0 || n >= count)
		return false;
	lo = pci_read32(bdf, reg);
	memset(bar, 0, sizeof(*bar));
	bar->io = lo & PCI_BAR_IO;
	bar->mem64 = !bar->io && (lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64;
	bar->prefetch = !bar->io && (lo & PCI_BAR_MEM_PREFETCH);
	if (bar->mem64 && n + 1 >= count)
		return false;
	if (bar->mem64)
		hi = pci_read32(bdf, reg + 4);
	/* While it holds all ones the BAR would claim addresses it does not own: decode off. */
	cmd = pci_read16(bdf, PCI_COMMAND);
	pci_write16(bdf, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	mask_lo = size_register(bdf, reg, 0xffffffffu);
	if (bar->mem64)
		mask_hi = size_register(bdf, reg + 4, 0xffffffffu);
	pci_write16(bdf, PCI_COMMAND, cmd);
	if (bar->io) {
		mask_lo &= PCI_BAR_IO_ADDR_MASK;
		/* An I/O BAR may implement only address bits 15:2. */
		if (mask_lo && !(mask_lo >> 16))
			mask_lo |= 0xffff0000u;
		bar->addr = lo & PCI_BAR_IO_ADDR_MASK;
		bar->size = (u32)(~mask_lo + 1);
		return mask_lo != 0;
	}
	mask = (u64)mask_hi << 32 | (mask_lo & PCI_BAR_MEM_ADDR_MASK);
	bar->addr = (u64)hi << 32 | (lo & PCI_BAR_MEM_ADDR_MASK);
	bar->size = ~mask + 1;
	return (u32)mask != 0 || (bar->mem64 && mask_hi);
}

static bool add_range(struct range *r, int *nr, u64 start, u64 end)
{
	if (*nr == PCI_MAX_RANGES)
		return false;
	r[(*nr)++] = (struct range){ start, end };
	return true;
}

/* A bridge's memory window register: base and limit in 16-bit halves, bits 31:20 of each. */
static bool add_bridge_window(struct range *r, int *nr, u16 bdf, u16 reg, u64 upper_base,
			      u64 upper_limit)
{
	u32 v = pci_read32(bdf, reg);
	u64 base = upper_base << 32 | (u64)(v & 0xfff0) << 16;
	u64 limit = upper_limit << 32 | (u64)(v & 0xfff00000u) | 0xfffff;

	return base > limit || add_range(r, nr, base, limit + 1);
}

static bool add_rom(struct range *r, int *nr, u16 bdf, u16 reg)
{
	u32 addr = pci_read32(bdf, reg) & PCI_ROM_ADDR_MASK, mask;

	if (!addr)
		return true;
	mask = size_register(bdf, reg, PCI_ROM_ADDR_MASK) & PCI_ROM_ADDR_MASK;
	return !mask || add_range(r, nr, addr, addr + (u32)(~mask + 1));
}

/* Everything in memory space that PCI already decodes: BARs, ROMs, bridge windows, ECAM. */
static bool busy_ranges(struct range *r, int *nr)
{
	*nr = 0;
	if (pci.access == PCI_ACCESS_ECAM &&
	    !add_range(r, nr, pci.ecam + ((u64)pci.start_bus << PCI_ECAM_BUS_SHIFT),
		       pci.ecam + ((u64)(pci.end_bus + 1) << PCI_ECAM_BUS_SHIFT)))
		return false;
	for (int i = 0; i < pci.nr_devs; i++) {
		u16 bdf = pci.devs[i].bdf;
		bool bridge = pci.devs[i].header_type == PCI_HEADER_TYPE_BRIDGE;
		struct pci_bar bar;

		for (int n = 0; n < bar_count(bdf); n++) {
			if (!pci_bar_probe(bdf, n, &bar))
				continue;
			if (!bar.io && bar.addr && !add_range(r, nr, bar.addr, bar.addr + bar.size))
				return false;
			n += bar.mem64;
		}
		if (!add_rom(r, nr, bdf, bridge ? PCI_BRIDGE_ROM_ADDRESS : PCI_ROM_ADDRESS))
			return false;
		if (bridge && (!add_bridge_window(r, nr, bdf, PCI_MEMORY_BASE, 0, 0) ||
			       !add_bridge_window(r, nr, bdf, PCI_PREF_MEMORY_BASE,
						  pci_read32(bdf, PCI_PREF_BASE_UPPER32),
						  pci_read32(bdf, PCI_PREF_LIMIT_UPPER32))))
			return false;
	}
	return true;
}

/* The lowest address in the window, aligned to size, that overlaps none of r; 0 if none. */
static u64 find_room(const struct range *r, int nr, u64 size)
{
	u64 a = ALIGN_UP((u64)pci.mmio_base, size);
	bool moved = true;

	while (moved && a + size <= PCI_MMIO_END) {
		moved = false;
		for (int i = 0; i < nr; i++) {
			if (a < r[i].end && r[i].start < a + size) {
				a = ALIGN_UP(r[i].end, size);
				moved = true;
			}
		}
	}
	return a + size <= PCI_MMIO_END ? a : 0;
}

u64 pci_bar_map(u16 bdf, int n, char *why, size_t why_len)
{
	struct range busy[PCI_MAX_RANGES];
	struct pci_bar bar;
	int nr;
	u64 a;

	if (!pci_bar_probe(bdf, n, &bar) || bar.io) {
		explain(why, why_len, PCI_BDF_FMT " BAR%d is not a memory BAR", PCI_BDF_ARGS(bdf), n);
		return 0;
	}
	if (bar.addr) {
		if (bar.addr + bar.size <= FOUR_GIB)
			return bar.addr;
		explain(why, why_len, PCI_BDF_FMT " BAR%d is at 0x%lx, above 4 GiB: not mapped here",
			PCI_BDF_ARGS(bdf), n, bar.addr);
		return 0;
	}
	if (PCI_BUS(bdf) != 0) {
		explain(why, why_len, PCI_BDF_FMT " BAR%d is unassigned, behind a bridge whose "
			"windows are not programmed here", PCI_BDF_ARGS(bdf), n);
		return 0;
	}
	if (!busy_ranges(busy, &nr)) {
		explain(why, why_len, "more than %d assigned ranges in memory space", PCI_MAX_RANGES);
		return 0;
	}
	a = find_room(busy, nr, bar.size);
	if (!a) {
		explain(why, why_len, PCI_BDF_FMT " BAR%d: no room for 0x%lx bytes in [0x%x, 0x%x)",
			PCI_BDF_ARGS(bdf), n, bar.size, pci.mmio_base, PCI_MMIO_END);
		return 0;
	}
	pci_write32(bdf, PCI_BAR0 + 4 * n, a);
	if (bar.mem64)
		pci_write32(bdf, PCI_BAR0 + 4 * n + 4, 0);
	if ((pci_read32(bdf, PCI_BAR0 + 4 * n) & PCI_BAR_MEM_ADDR_MASK) != a) {
		explain(why, why_len, PCI_BDF_FMT " BAR%d does not keep the address 0x%lx",
			PCI_BDF_ARGS(bdf), n, a);
		return 0;
	}
	return a;
}

u8 pci_find_cap(u16 bdf, u8 id)
{
	u8 pos;

	if (!(pci_read16(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read8(bdf, PCI_CAPABILITY_LIST);
	for (int i = 0; i < PCI_CAP_MAX && pos >= PCI_CAP_LIST_START; i++) {
		u16 header = pci_read16(bdf, pos & ~3);

		if ((header & 0xff) == id)
			return pos & ~3;
		pos = header >> 8;
	}
	return 0;
}

bool pci_msi_enable(u16 bdf, const struct msi_msg *msg)
{
	u8 cap = pci_find_cap(bdf, PCI_CAP_ID_MSI);
	u16 ctrl;
	bool is64;

	if (!cap)
		return false;
	ctrl = pci_read16(bdf, cap + PCI_MSI_FLAGS);
	is64 = ctrl & PCI_MSI_FLAGS_64BIT;
	if (msg->address_hi && !is64)
		return false;
	/* Off while the message changes, so that no MSI goes out half old, half new. */
	ctrl &= ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	pci_write16(bdf, cap + PCI_MSI_FLAGS, ctrl);
	pci_write32(bdf, cap + PCI_MSI_ADDRESS_LO, msg->address_lo);
	if (is64)
		pci_write32(bdf, cap + PCI_MSI_ADDRESS_HI, msg->address_hi);
	pci_write16(bdf, cap + (is64 ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), msg->data);
	if (ctrl & PCI_MSI_FLAGS_MASKBIT) {
		u16 mask = cap + (is64 ? PCI_MSI_MASK_64 : PCI_MSI_MASK_32);

		pci_write32(bdf, mask, pci_read32(bdf, mask) & ~1u);
	}
	pci_write16(bdf, cap + PCI_MSI_FLAGS, ctrl | PCI_MSI_FLAGS_ENABLE);
	return true;
}

bool pci_msi_disable(u16 bdf)
{
	u8 cap = pci_find_cap(bdf, PCI_CAP_ID_MSI);

	if (!cap)
		return false;
	pci_write16(bdf, cap + PCI_MSI_FLAGS,
		    pci_read16(bdf, cap + PCI_MSI_FLAGS) & ~PCI_MSI_FLAGS_ENABLE);
	return true;
}
