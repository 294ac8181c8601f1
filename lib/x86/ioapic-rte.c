/* The IOAPIC redirection table entry encoder and decoder: pure, pinned by host unit tests. */
#include "ioapic.h"

bool ioapic_rte_encode(const struct ioapic_rte *rte, bool ext_dest, u64 *raw)
{
	u64 v;

	if (rte->dest > (ext_dest ? IOAPIC_EXT_DEST_MAX : IOAPIC_DEST_MAX))
		return false;
	v = rte->vector | (u64)(rte->delivery_mode & 7) << INTR_DELIVERY_MODE_SHIFT;
	if (rte->logical)
		v |= INTR_DEST_MODE_LOGICAL;
	if (rte->active_low)
		v |= IOAPIC_RTE_ACTIVE_LOW;
	if (rte->level)
		v |= INTR_TRIGGER_LEVEL;
	if (rte->masked)
		v |= IOAPIC_RTE_MASKED;
	v |= (u64)(rte->dest & 0xff) << IOAPIC_RTE_DEST_SHIFT;
	v |= (u64)((rte->dest >> 8) & 0x7f) << IOAPIC_RTE_EXT_DEST_SHIFT;
	*raw = v;
	return true;
}

struct ioapic_rte ioapic_rte_decode(u64 raw, bool ext_dest)
{
	struct ioapic_rte r = {
		.vector = raw & INTR_VECTOR_MASK,
		.delivery_mode = (raw & INTR_DELIVERY_MODE_MASK) >> INTR_DELIVERY_MODE_SHIFT,
		.logical = raw & INTR_DEST_MODE_LOGICAL,
		.active_low = raw & IOAPIC_RTE_ACTIVE_LOW,
		.level = raw & INTR_TRIGGER_LEVEL,
		.masked = raw & IOAPIC_RTE_MASKED,
		.dest = (raw & IOAPIC_RTE_DEST_MASK) >> IOAPIC_RTE_DEST_SHIFT,
		.delivery_status = raw & IOAPIC_RTE_DELIVERY_STATUS,
		.remote_irr = raw & IOAPIC_RTE_REMOTE_IRR,
	};

	if (ext_dest)
		r.dest |= ((raw & IOAPIC_RTE_EXT_DEST_MASK) >> IOAPIC_RTE_EXT_DEST_SHIFT) << 8;
	return r;
}
