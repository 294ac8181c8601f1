/*
 * The fields that the local APIC's ICR, an IOAPIC redirection entry and MSI data share, at the
 * same bit positions (SDM Vol. 3A 11.6.1 "Interrupt Command Register (ICR)", 11.11.2 "Message
 * Data Register Format"; 82093AA IOAPIC datasheet 3.2.4 "I/O Redirection Table Registers"):
 * vector 7:0, delivery mode 10:8 and trigger mode 15 in all three; destination mode 11 in the
 * ICR and the RTE (MSI carries it in the address); level 14 in the ICR and MSI data. Defined
 * here once, for the ICR, RTE and MSI encoders alike.
 */
#ifndef LIB_X86_INTR_FIELDS_H
#define LIB_X86_INTR_FIELDS_H

#include "libcflat.h"

#define INTR_VECTOR_MASK 0xffu
#define INTR_DELIVERY_MODE_SHIFT 8
#define INTR_DELIVERY_MODE_MASK (7u << INTR_DELIVERY_MODE_SHIFT)
#define INTR_DEST_MODE_LOGICAL BIT(11)
#define INTR_LEVEL_ASSERT BIT(14)
#define INTR_TRIGGER_LEVEL BIT(15)

/* Delivery modes as the SDM names them; Start-Up only in the ICR, ExtINT only in RTE and MSI. */
enum delivery_mode {
	DM_FIXED = 0,
	DM_LOWEST_PRIORITY = 1,
	DM_SMI = 2,
	DM_NMI = 4,
	DM_INIT = 5,
	DM_STARTUP = 6,
	DM_EXTINT = 7,
};

/* A delivery mode in its place in the ICR, the RTE or MSI data. */
#define DELIVERY_MODE(dm) ((u32)(dm) << INTR_DELIVERY_MODE_SHIFT)

#endif
