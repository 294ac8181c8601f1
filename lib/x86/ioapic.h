/*
 * The I/O APIC (82093AA datasheet; interrupt-reference section 4): found through the MADT,
 * reached through its select and window registers, with 64-bit redirection table entries
 * (RTEs) read and written as named fields. With an extended destination ID (KVM's
 * MSI_EXT_DEST_ID, Hyper-V's extended IOAPIC RTE) RTE bits 55:49 carry destination bits 14:8;
 * without it the destination is 8 bits. The RTE encoder and decoder are pure.
 */
#ifndef LIB_X86_IOAPIC_H
#define LIB_X86_IOAPIC_H

#include "libcflat.h"
#include "intr-fields.h"
#include "spinlock.h"

#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_ARBITRATION 0x02
#define IOAPIC_REG_RTE_LOW(pin) (0x10 + 2 * (pin))
#define IOAPIC_REG_RTE_HIGH(pin) (0x11 + 2 * (pin))
#define IOAPIC_MMIO_SELECT 0x00
#define IOAPIC_MMIO_WINDOW 0x10
#define IOAPIC_MMIO_EOI 0x40 /* version 0x20 only */
#define IOAPIC_VERSION_WITH_EOI 0x20
#define IOAPIC_VERSION(v) ((v) & 0xff)
#define IOAPIC_MAX_RTE(v) (((v) >> 16) & 0xff)
#define IOAPIC_ID(v) (((v) >> 24) & 0xf)

/* Vector, delivery mode, destination mode and trigger mode: intr-fields.h. */
#define IOAPIC_RTE_DELIVERY_STATUS BIT_ULL(12) /* read-only */
#define IOAPIC_RTE_ACTIVE_LOW BIT_ULL(13)
#define IOAPIC_RTE_REMOTE_IRR BIT_ULL(14) /* read-only */
#define IOAPIC_RTE_MASKED BIT_ULL(16)
#define IOAPIC_RTE_REMAPPABLE BIT_ULL(48) /* interrupt-remapping format; never set here */
#define IOAPIC_RTE_EXT_DEST_SHIFT 49  /* destination bits 14:8, with an extended destination ID */
#define IOAPIC_RTE_EXT_DEST_MASK (0x7full << 49)
#define IOAPIC_RTE_DEST_SHIFT 56
#define IOAPIC_RTE_DEST_MASK (0xffull << 56)
#define IOAPIC_DEST_MAX 0xffu
#define IOAPIC_EXT_DEST_MAX 0x7fffu


struct ioapic_rte {
	u8 vector;
	u8 delivery_mode;
	bool logical;
	bool active_low;
	bool level;
	bool masked;
	u32 dest;
	bool delivery_status; /* read-only state, filled by the decoder */
	bool remote_irr;
};

/* The 64-bit RTE; false (and nothing written) when dest does not fit in 8 or 15 bits. */
bool ioapic_rte_encode(const struct ioapic_rte *rte, bool ext_dest, u64 *raw);
struct ioapic_rte ioapic_rte_decode(u64 raw, bool ext_dest);

#ifndef HOST_TEST
#define MAX_IOAPICS 16

struct ioapic {
	u8 id;
	u32 address;
	u32 gsi_base;
	u32 version; /* the whole version register */
	u32 pins;
	struct spinlock lock; /* select and window are one access */
};

/* Finds the IOAPICs in the MADT and reads their version registers; returns how many. */
int ioapic_init(char *why, size_t why_len);
int ioapic_count(void);
struct ioapic *ioapic_get(int index);
/* The IOAPIC and pin of a GSI, or NULL. */
struct ioapic *ioapic_for_gsi(u32 gsi, u32 *pin);
/* The GSI of an ISA IRQ, after the MADT's interrupt source overrides (with their flags). */
u32 ioapic_isa_irq_to_gsi(u8 irq, u16 *inti_flags);

u32 ioapic_read(struct ioapic *io, u8 reg);
void ioapic_write(struct ioapic *io, u8 reg, u32 value);
u64 ioapic_read_rte(struct ioapic *io, u32 pin);
/* Writes the high half first, so the entry never points at a half-written destination. */
void ioapic_write_rte(struct ioapic *io, u32 pin, u64 rte);
void ioapic_set_masked(struct ioapic *io, u32 pin, bool masked);
bool ioapic_has_eoi_register(const struct ioapic *io);
/* Directed EOI through the IOAPIC's EOI register (version 0x20). */
void ioapic_eoi(struct ioapic *io, u8 vector);
#endif

#endif
