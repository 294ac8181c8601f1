/*
 * The x2APIC MSR map (SDM Vol. 3A, "Local APIC Register Address Map Supported by x2APIC"): which
 * MSRs exist, and which may be read or written. Pure data, so host unit tests pin it down.
 */
#include "apic.h"

struct x2apic_reg {
	u32 msr;
	u32 count; /* consecutive MSRs of the same kind (ISR, TMR, IRR) */
	enum x2apic_access access;
	const char *name;
};

static const struct x2apic_reg regs[] = {
	{ 0x802, 1, X2APIC_READ, "ID" },
	{ 0x803, 1, X2APIC_READ, "version" },
	{ 0x808, 1, X2APIC_READ_WRITE, "TPR" },
	{ 0x80a, 1, X2APIC_READ, "PPR" },
	{ 0x80b, 1, X2APIC_WRITE, "EOI" },
	{ 0x80d, 1, X2APIC_READ, "LDR" },
	{ 0x80f, 1, X2APIC_READ_WRITE, "SVR" },
	{ 0x810, 8, X2APIC_READ, "ISR" },
	{ 0x818, 8, X2APIC_READ, "TMR" },
	{ 0x820, 8, X2APIC_READ, "IRR" },
	{ 0x828, 1, X2APIC_READ_WRITE, "ESR" },
	{ 0x82f, 1, X2APIC_READ_WRITE, "LVT CMCI" },
	{ 0x830, 1, X2APIC_READ_WRITE, "ICR" },
	{ 0x832, 1, X2APIC_READ_WRITE, "LVT timer" },
	{ 0x833, 1, X2APIC_READ_WRITE, "LVT thermal" },
	{ 0x834, 1, X2APIC_READ_WRITE, "LVT performance counter" },
	{ 0x835, 1, X2APIC_READ_WRITE, "LVT LINT0" },
	{ 0x836, 1, X2APIC_READ_WRITE, "LVT LINT1" },
	{ 0x837, 1, X2APIC_READ_WRITE, "LVT error" },
	{ 0x838, 1, X2APIC_READ_WRITE, "timer initial count" },
	{ 0x839, 1, X2APIC_READ, "timer current count" },
	{ 0x83e, 1, X2APIC_READ_WRITE, "timer divide configuration" },
	{ 0x83f, 1, X2APIC_WRITE, "SELF IPI" },
};

static const struct x2apic_reg *find(u32 msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++)
		if (msr >= regs[i].msr && msr < regs[i].msr + regs[i].count)
			return &regs[i];
	return NULL;
}

enum x2apic_access x2apic_msr_access(u32 msr, u32 max_lvt)
{
	const struct x2apic_reg *r = find(msr);

	if (!r || (msr == MSR_X2APIC_LVT_CMCI && max_lvt < 6))
		return X2APIC_ABSENT;
	return r->access;
}

const char *x2apic_msr_name(u32 msr)
{
	const struct x2apic_reg *r = find(msr);

	return r ? r->name : NULL;
}
