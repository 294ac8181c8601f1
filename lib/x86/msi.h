/*
 * Message Signalled Interrupts in the compatibility format (SDM Vol. 3A, "Message Signalled
 * Interrupts": Message Address Register and Message Data Register formats), with KVM's
 * extended destination ID (Linux Documentation/virt/kvm/x86/cpuid.rst,
 * KVM_FEATURE_MSI_EXT_DEST_ID, see hypervisor.h): destination bits 14:8 in address bits 11:5,
 * which the SDM leaves reserved. The encoder and decoder are pure, so host unit tests pin them
 * against the SDM's tables; programming a device with a message is the PCI side's (pci.h).
 */
#ifndef LIB_X86_MSI_H
#define LIB_X86_MSI_H

#include "libcflat.h"
#include "intr-fields.h"

/* Message address, bits 31:0 */
#define MSI_ADDR_BASE 0xfee00000u
#define MSI_ADDR_BASE_MASK 0xfff00000u
#define MSI_ADDR_DEST_SHIFT 12 /* destination ID 7:0 in 19:12 */
#define MSI_ADDR_DEST_MASK 0x000ff000u
#define MSI_ADDR_EXT_DEST_SHIFT 5 /* KVM: destination ID 14:8 in 11:5 */
#define MSI_ADDR_EXT_DEST_MASK 0x00000fe0u
#define MSI_ADDR_REMAPPABLE BIT(4) /* VT-d remappable format; never set here */
#define MSI_ADDR_RH BIT(3)         /* redirection hint */
#define MSI_ADDR_DM_LOGICAL BIT(2) /* destination mode: 0 physical, 1 logical */

/* Message data: vector, delivery mode (enum delivery_mode), level and trigger, intr-fields.h. */

/* The largest destination each format carries. */
#define MSI_DEST_MAX 0xffu
#define MSI_EXT_DEST_MAX 0x7fffu

/* What a device writes: address_hi is part of the address, 0 for the local APICs. */
struct msi_msg {
	u32 address_lo;
	u32 address_hi;
	u32 data;
};

/* A compatibility-format message taken apart. */
struct msi_fields {
	u32 dest;
	bool logical;
	bool redirection_hint;
	u8 vector;
	u8 delivery_mode;
	bool level;  /* trigger mode */
	bool assert; /* the level-assert bit */
};

/*
 * Builds the message for dest (an APIC ID, or a logical destination when logical) with this
 * vector and delivery mode (enum delivery_mode), edge or level triggered (a level message asserts).
 * Refuses (false) a destination the format cannot carry: above MSI_DEST_MAX, or with ext_dest
 * above MSI_EXT_DEST_MAX; and a delivery mode above DM_EXTINT.
 */
bool msi_compose(u32 dest, bool logical, u8 vector, u8 delivery_mode, bool level, bool ext_dest,
		 struct msi_msg *out);

/*
 * Takes a compatibility-format message apart, reading address bits 11:5 as destination bits
 * 14:8 only when ext_dest (else they are reserved and ignored, as without the feature).
 * Refuses (false) anything else: an address outside 0xFEExxxxx, a non-zero address_hi, or the
 * remappable format.
 */
bool msi_decode(const struct msi_msg *msg, bool ext_dest, struct msi_fields *out);

/* "fixed", "lowest priority", "NMI", ...: for report lines. */
const char *msi_delivery_mode_name(u8 delivery_mode);

#endif
