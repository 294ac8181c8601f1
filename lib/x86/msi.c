#include "msi.h"

bool msi_compose(u32 dest, bool logical, u8 vector, u8 delivery_mode, bool level, bool ext_dest,
		 struct msi_msg *out)
{
	if (dest > (ext_dest ? MSI_EXT_DEST_MAX : MSI_DEST_MAX) || delivery_mode > DM_EXTINT)
		return false;
	out->address_lo = MSI_ADDR_BASE | (dest & 0xff) << MSI_ADDR_DEST_SHIFT |
			  (dest >> 8) << MSI_ADDR_EXT_DEST_SHIFT | (logical ? MSI_ADDR_DM_LOGICAL : 0);
	/* The high half is part of the physical address: non-zero would miss the local APICs. */
	out->address_hi = 0;
	out->data = vector | (u32)delivery_mode << INTR_DELIVERY_MODE_SHIFT |
		    (level ? INTR_TRIGGER_LEVEL | INTR_LEVEL_ASSERT : 0);
	return true;
}

bool msi_decode(const struct msi_msg *msg, bool ext_dest, struct msi_fields *out)
{
	u32 a = msg->address_lo, d = msg->data;

	if ((a & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE || msg->address_hi ||
	    (a & MSI_ADDR_REMAPPABLE))
		return false;
	out->dest = (a & MSI_ADDR_DEST_MASK) >> MSI_ADDR_DEST_SHIFT;
	if (ext_dest)
		out->dest |= ((a & MSI_ADDR_EXT_DEST_MASK) >> MSI_ADDR_EXT_DEST_SHIFT) << 8;
	out->logical = a & MSI_ADDR_DM_LOGICAL;
	out->redirection_hint = a & MSI_ADDR_RH;
	out->vector = d & INTR_VECTOR_MASK;
	out->delivery_mode = (d & INTR_DELIVERY_MODE_MASK) >> INTR_DELIVERY_MODE_SHIFT;
	out->level = d & INTR_TRIGGER_LEVEL;
	out->assert = d & INTR_LEVEL_ASSERT;
	return true;
}

const char *msi_delivery_mode_name(u8 delivery_mode)
{
	static const char *const names[DM_EXTINT + 1] = {
		[DM_FIXED] = "fixed", [DM_LOWEST_PRIORITY] = "lowest priority",
		[DM_SMI] = "SMI",     [DM_NMI] = "NMI",
		[DM_INIT] = "INIT",   [DM_EXTINT] = "ExtINT",
	};

	return delivery_mode <= DM_EXTINT && names[delivery_mode] ? names[delivery_mode] :
								      "reserved";
}
