#include "edu.h"
#include "pci.h"

static u32 edu_read(const struct edu *edu, u32 reg)
{
	return *(volatile u32 *)(edu->mmio + reg);
}

static void edu_write(struct edu *edu, u32 reg, u32 val)
{
	*(volatile u32 *)(edu->mmio + reg) = val;
}

bool edu_find(struct edu *edu)
{
	const struct pci_dev *dev = pci_find_device(EDU_VENDOR_ID, EDU_DEVICE_ID);

	if (!dev)
		return false;
	*edu = (struct edu){ .bdf = dev->bdf };
	return true;
}

bool edu_setup(struct edu *edu, char *why, size_t why_len)
{
	char reason[120];

	edu->mmio = pci_bar_map(edu->bdf, EDU_MMIO_BAR, reason, sizeof(reason));
	if (!edu->mmio) {
		explain(why, why_len, "edu: %s", reason);
		return false;
	}
	pci_update_command(edu->bdf, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 0);
	edu->id = edu_read(edu, EDU_REG_ID);
	if ((edu->id & EDU_ID_MAGIC_MASK) != EDU_ID_MAGIC) {
		explain(why, why_len, "edu at " PCI_BDF_FMT ": identification register at 0x%lx "
			"reads 0x%08x, expected 0xRRrr00ed", PCI_BDF_ARGS(edu->bdf),
			edu->mmio + EDU_REG_ID, edu->id);
		return false;
	}
	return true;
}

bool edu_msi_enable(struct edu *edu, const struct msi_msg *msg)
{
	return pci_msi_enable(edu->bdf, msg);
}

void edu_msi_disable(struct edu *edu)
{
	pci_msi_disable(edu->bdf);
}

void edu_raise(struct edu *edu)
{
	edu_write(edu, EDU_REG_IRQ_RAISE, EDU_IRQ_TEST);
}

void edu_ack(struct edu *edu)
{
	edu_write(edu, EDU_REG_IRQ_ACK, EDU_IRQ_TEST);
}
