/*
 * QEMU's "edu" educational PCI device (QEMU docs/specs/edu.rst), used here as an MSI source
 * that raises an interrupt whenever the test asks: a write to its raise register sends one
 * MSI when MSI is enabled in its capability (else it asserts INTx A). One vector, 64-bit
 * message address, no per-vector masking. QEMU sends the MSI through the device's
 * bus-master address space, so Bus Master Enable must be set for it to go out.
 */
#ifndef LIB_X86_EDU_H
#define LIB_X86_EDU_H

#include "libcflat.h"
#include "msi.h"

#define EDU_VENDOR_ID 0x1234
#define EDU_DEVICE_ID 0x11e8
#define EDU_MMIO_BAR 0

/* BAR0 registers; below 0x80 only 32-bit accesses */
#define EDU_REG_ID 0x00 /* 0xRRrr00ed: major and minor version, then 0xed */
#define EDU_ID_MAGIC_MASK 0x0000ffffu
#define EDU_ID_MAGIC 0x000000edu
#define EDU_REG_LIVENESS 0x04 /* reads back the complement of what was written */
#define EDU_REG_STATUS 0x20
#define EDU_REG_IRQ_STATUS 0x24 /* the OR of the values raised and not yet acknowledged */
#define EDU_REG_IRQ_RAISE 0x60  /* status |= value, then an interrupt */
#define EDU_REG_IRQ_ACK 0x64    /* status &= ~value; INTx drops when status reaches 0 */

/* The value raised: a bit the device's own sources (0x1 factorial, 0x100 DMA) leave alone. */
#define EDU_IRQ_TEST BIT(16)

struct edu {
	u16 bdf;
	u64 mmio; /* BAR0 */
	u32 id;
};

/* Looks the device up among the functions pci_init() found; false when there is none. */
bool edu_find(struct edu *edu);
/*
 * Maps BAR0 (assigning it when firmware did not), enables memory decoding and bus mastering,
 * and checks the identification register. False with why (naming the device) otherwise.
 */
bool edu_setup(struct edu *edu, char *why, size_t why_len);
/* Programs the MSI capability with msg and enables MSI; false if the device refuses it. */
bool edu_msi_enable(struct edu *edu, const struct msi_msg *msg);
void edu_msi_disable(struct edu *edu);
/* Raises EDU_IRQ_TEST: one MSI with MSI enabled (each raise sends a fresh one), else INTx. */
void edu_raise(struct edu *edu);
/* Acknowledges EDU_IRQ_TEST, which lowers INTx when it was the last raised value. */
void edu_ack(struct edu *edu);

#endif
