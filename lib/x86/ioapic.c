#include "ioapic.h"
#include "madt.h"

static struct ioapic ioapics[MAX_IOAPICS];
static int nr_ioapics;

static volatile u32 *mmio(const struct ioapic *io, u32 offset)
{
	return (volatile u32 *)((u64)io->address + offset);
}

u32 ioapic_read(struct ioapic *io, u8 reg)
{
	u32 v;

	spin_lock(&io->lock);
	*mmio(io, IOAPIC_MMIO_SELECT) = reg;
	v = *mmio(io, IOAPIC_MMIO_WINDOW);
	spin_unlock(&io->lock);
	return v;
}

void ioapic_write(struct ioapic *io, u8 reg, u32 value)
{
	spin_lock(&io->lock);
	*mmio(io, IOAPIC_MMIO_SELECT) = reg;
	*mmio(io, IOAPIC_MMIO_WINDOW) = value;
	spin_unlock(&io->lock);
}

int ioapic_init(char *why, size_t why_len)
{
	const struct madt_info *madt = madt_firmware(why, why_len);

	if (nr_ioapics || !madt)
		return nr_ioapics;
	for (int i = 0; i < madt->nr_ioapics && nr_ioapics < MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[nr_ioapics++];

		io->id = madt->ioapics[i].id;
		io->address = madt->ioapics[i].address;
		io->gsi_base = madt->ioapics[i].gsi_base;
		io->version = ioapic_read(io, IOAPIC_REG_VERSION);
		io->pins = IOAPIC_MAX_RTE(io->version) + 1;
	}
	if (!nr_ioapics)
		explain(why, why_len, "the MADT lists no IOAPIC");
	return nr_ioapics;
}

int ioapic_count(void)
{
	return nr_ioapics;
}

struct ioapic *ioapic_get(int index)
{
	return index >= 0 && index < nr_ioapics ? &ioapics[index] : NULL;
}

struct ioapic *ioapic_for_gsi(u32 gsi, u32 *pin)
{
	for (int i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

u32 ioapic_isa_irq_to_gsi(u8 irq, u16 *inti_flags)
{
	const struct madt_info *madt = madt_firmware(NULL, 0);

	*inti_flags = 0;
	for (int i = 0; madt && i < madt->nr_overrides; i++)
		if (madt->overrides[i].bus == 0 && madt->overrides[i].source_irq == irq) {
			*inti_flags = madt->overrides[i].flags;
			return madt->overrides[i].gsi;
		}
	return irq;
}

u64 ioapic_read_rte(struct ioapic *io, u32 pin)
{
	return ioapic_read(io, IOAPIC_REG_RTE_LOW(pin)) |
	       (u64)ioapic_read(io, IOAPIC_REG_RTE_HIGH(pin)) << 32;
}

void ioapic_write_rte(struct ioapic *io, u32 pin, u64 rte)
{
	ioapic_write(io, IOAPIC_REG_RTE_HIGH(pin), rte >> 32);
	ioapic_write(io, IOAPIC_REG_RTE_LOW(pin), (u32)rte);
}

void ioapic_set_masked(struct ioapic *io, u32 pin, bool masked)
{
	u32 low = ioapic_read(io, IOAPIC_REG_RTE_LOW(pin));

	if (masked)
		low |= IOAPIC_RTE_MASKED;
	else
		low &= ~(u32)IOAPIC_RTE_MASKED;
	ioapic_write(io, IOAPIC_REG_RTE_LOW(pin), low);
}

bool ioapic_has_eoi_register(const struct ioapic *io)
{
	return IOAPIC_VERSION(io->version) >= IOAPIC_VERSION_WITH_EOI;
}

void ioapic_eoi(struct ioapic *io, u8 vector)
{
	*mmio(io, IOAPIC_MMIO_EOI) = vector;
}
