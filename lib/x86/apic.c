#include "apic.h"
#include "desc.h"
#include "smp.h"
#include "percpu.h"
#include "processor.h"
#include "spinlock.h"

#define ICR_BUSY_POLL_LIMIT 1000000
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

enum apic_mode apic_mode(void)
{
	switch (rdmsr(MSR_IA32_APICBASE) & (APIC_BASE_EN | APIC_BASE_EXTD)) {
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

bool cpu_has_x2apic(void)
{
	return cpuid(1).c & CPUID_1_ECX_X2APIC;
}

static volatile u32 *xapic_reg(unsigned int reg)
{
	return (volatile u32 *)(APIC_DEFAULT_PHYS_BASE + reg);
}

static u32 xapic_read(unsigned int reg)
{
	return *xapic_reg(reg);
}

static void xapic_write(unsigned int reg, u32 val)
{
	*xapic_reg(reg) = val;
}

static void xapic_wait_icr_idle(void)
{
	for (int i = 0; i < ICR_BUSY_POLL_LIMIT && (xapic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

static void xapic_icr_write(u32 icr, u32 dest)
{
	/* ICR2 then ICR: an interrupt handler sending its own IPI in between would mix them. */
	unsigned long flags = irq_save();

	xapic_wait_icr_idle();
	xapic_write(APIC_ICR2, dest << 24);
	xapic_write(APIC_ICR, icr);
	irq_restore(flags);
}

static u32 xapic_id(void)
{
	return xapic_read(APIC_ID) >> 24;
}

const struct apic_ops xapic_ops = {
	.name = "xAPIC",
	.read = xapic_read,
	.write = xapic_write,
	.icr_write = xapic_icr_write,
	.id = xapic_id,
};

static u32 x2apic_read(unsigned int reg)
{
	return (u32)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
}

static void x2apic_write(unsigned int reg, u32 val)
{
	wrmsr(MSR_X2APIC_BASE + (reg >> 4), val);
}

static void x2apic_icr_write(u32 icr, u32 dest)
{
	/* WRMSR to the x2APIC is not serializing: earlier stores must be visible to the target. */
	mb();
	wrmsr(MSR_X2APIC_BASE + (APIC_ICR >> 4), (u64)dest << 32 | icr);
}

static u32 x2apic_id(void)
{
	return x2apic_read(APIC_ID);
}

const struct apic_ops x2apic_ops = {
	.name = "x2APIC",
	.read = x2apic_read,
	.write = x2apic_write,
	.icr_write = x2apic_icr_write,
	.id = x2apic_id,
};

static void spurious_interrupt(struct ex_regs *regs)
{
	/* A spurious interrupt sets no ISR bit and takes no EOI. */
}

enum apic_mode apic_setup_this_cpu(bool want_x2apic)
{
	struct percpu *pc = this_cpu();
	u64 base = rdmsr(MSR_IA32_APICBASE);

	if (pc->cpu == 0) {
		/* No legacy PIC interrupt may arrive through LINT0 as ExtINT. */
		outb(0xff, PIC1_DATA);
		outb(0xff, PIC2_DATA);
		set_handler(APIC_SPURIOUS_VECTOR, spurious_interrupt);
	}
	if (!(base & APIC_BASE_EXTD)) {
		if (!(base & APIC_BASE_EN))
			wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_EN);
		if (want_x2apic && cpu_has_x2apic())
			wrmsr(MSR_IA32_APICBASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	}
	pc->apic = apic_mode() == APIC_MODE_X2APIC ? &x2apic_ops : &xapic_ops;
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | APIC_SPURIOUS_VECTOR);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT0, APIC_LVT_MASKED);
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
	apic_write(APIC_ESR, 0);
	return pc->apic == &x2apic_ops ? APIC_MODE_X2APIC : APIC_MODE_XAPIC;
}

u32 apic_read(unsigned int reg)
{
	return this_cpu()->apic->read(reg);
}

void apic_write(unsigned int reg, u32 val)
{
	this_cpu()->apic->write(reg, val);
}

void apic_icr_write(u32 icr, u32 dest)
{
	this_cpu()->apic->icr_write(icr, dest);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

u32 cpuid_apic_id(void)
{
	struct cpuid b;

	/* CPUID 0xB gives the full x2APIC ID; leaf 1 only 8 bits, which overflow past 255. */
	if (cpuid(0).a >= 0xb && (b = cpuid_indexed(0xb, 0)).b)
		return b.d;
	return cpuid(1).b >> 24;
}

u32 apic_id(void)
{
	const struct apic_ops *ops = this_cpu()->apic;

	return ops ? ops->id() : cpuid_apic_id();
}

void xapic_set_logical_id(void *arg)
{
	const struct xapic_logical *l = arg;

	apic_write(APIC_DFR, l->dfr);
	apic_write(APIC_LDR, l->ldr[this_cpu()->cpu]);
}

bool apic_isr_set(u8 vector)
{
	return apic_read(APIC_ISR + (vector / 32) * 0x10) & BIT(vector % 32);
}

void apic_eoi_if_in_service(u8 vector)
{
	if (this_cpu()->apic && apic_isr_set(vector))
		apic_eoi();
}
