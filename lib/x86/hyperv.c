#include "hyperv.h"
#include "desc.h"
#include "processor.h"

void hyperv_eoi(void)
{
	wrmsr(HV_X64_MSR_EOI, 0);
}

static bool assist_enable(u32 *word)
{
	return wrmsr_safe(HV_X64_MSR_VP_ASSIST_PAGE, hv_vp_assist_msr((u64)word, true)) ==
	       NO_EXCEPTION;
}

static void assist_disable(void)
{
	wrmsr(HV_X64_MSR_VP_ASSIST_PAGE, 0);
}

const struct lazy_eoi_ops hyperv_apic_assist_ops = {
	.name = "apic-assist",
	.kind = LAZY_EOI_HYPERV,
	.enable = assist_enable,
	.disable = assist_disable,
	.eoi = hyperv_eoi,
};
