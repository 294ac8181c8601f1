#include "apic.h"
#include "processor.h"

enum apic_mode apic_mode(void)
{
	u64 base = rdmsr(MSR_IA32_APICBASE);

	switch (base & (APIC_BASE_EN | APIC_BASE_EXTD)) {
	case APIC_BASE_EN | APIC_BASE_EXTD:
		return APIC_MODE_X2APIC;
	case APIC_BASE_EN:
		return APIC_MODE_XAPIC;
	case 0:
		return APIC_MODE_DISABLED;
	default:
		return APIC_MODE_INVALID;
	}
}

static volatile u32 *xapic_reg(unsigned int reg)
{
	return (volatile u32 *)(APIC_DEFAULT_PHYS_BASE + reg);
}

u32 apic_read(unsigned int reg)
{
	if (apic_mode() == APIC_MODE_X2APIC)
		return (u32)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return *xapic_reg(reg);
}

void apic_write(unsigned int reg, u32 val)
{
	if (apic_mode() == APIC_MODE_X2APIC)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), val);
	else
		*xapic_reg(reg) = val;
}

static u32 cpuid_apic_id(void)
{
	/* CPUID 0xB gives the full x2APIC ID; leaf 1 only 8 bits, which overflow past 255. */
	if (cpuid(0).a >= 0xb && cpuid_indexed(0xb, 0).b)
		return cpuid_indexed(0xb, 0).d;
	return cpuid(1).b >> 24;
}

u32 apic_id(void)
{
	switch (apic_mode()) {
	case APIC_MODE_X2APIC:
		return (u32)rdmsr(MSR_X2APIC_BASE + (APIC_ID >> 4));
	case APIC_MODE_XAPIC:
		return *xapic_reg(APIC_ID) >> 24;
	default:
		return cpuid_apic_id();
	}
}

void apic_eoi_if_in_service(u8 vector)
{
	enum apic_mode mode = apic_mode();

	if (mode != APIC_MODE_XAPIC && mode != APIC_MODE_X2APIC)
		return;
	if (apic_read(APIC_ISR + (vector / 32) * 0x10) & BIT(vector % 32))
		apic_write(APIC_EOI, 0);
}
