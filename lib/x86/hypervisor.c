#include "hypervisor.h"
#include "processor.h"

#define HYPERVISOR_LEAF_LAST 0x4000ff00u

static struct hypervisor_leaves read_leaves(u32 base)
{
	struct cpuid r = cpuid(base);
	struct hypervisor_leaves h = { .base = base, .max_leaf = r.a };

	memcpy(h.signature, &r.b, 4);
	memcpy(h.signature + 4, &r.c, 4);
	memcpy(h.signature + 8, &r.d, 4);
	return h;
}

static bool plausible(const struct hypervisor_leaves *h)
{
	/* Old KVM reports 0 as its maximum leaf; anything else must lie within the block. */
	return h->signature[0] && (h->max_leaf == 0 || (h->max_leaf >= h->base &&
							 h->max_leaf < h->base + 0x100));
}

struct hypervisor_leaves hypervisor_first(void)
{
	struct hypervisor_leaves h;

	if (!(cpuid(1).c & CPUID_1_ECX_HYPERVISOR))
		return (struct hypervisor_leaves){ 0 };
	h = read_leaves(CPUID_HYPERVISOR_BASE);
	return plausible(&h) ? h : (struct hypervisor_leaves){ 0 };
}

struct hypervisor_leaves hypervisor_find(const char signature[12])
{
	if (!(cpuid(1).c & CPUID_1_ECX_HYPERVISOR))
		return (struct hypervisor_leaves){ 0 };
	for (u32 base = CPUID_HYPERVISOR_BASE; base <= HYPERVISOR_LEAF_LAST; base += 0x100) {
		struct hypervisor_leaves h = read_leaves(base);

		if (plausible(&h) && !memcmp(h.signature, signature, 12)) {
			if (h.max_leaf == 0)
				h.max_leaf = base + 1;
			return h;
		}
	}
	return (struct hypervisor_leaves){ 0 };
}

u32 kvm_features(void)
{
	struct hypervisor_leaves kvm = hypervisor_find(HV_SIGNATURE_KVM);

	return kvm.base ? cpuid(kvm.base + KVM_CPUID_FEATURES).a : 0;
}

const char *ext_dest_id_offered_by(void)
{
	if (kvm_features() & KVM_FEATURE_MSI_EXT_DEST_ID)
		return "KVM";
	if (hypervisor_find(HV_SIGNATURE_HYPERV).base &&
	    cpuid(HYPERV_CPUID_VIRT_STACK_INTERFACE).a == HYPERV_VS1_SIGNATURE &&
	    (cpuid(HYPERV_CPUID_VIRT_STACK_PROPERTIES).a & HYPERV_VS1_EXT_DEST_ID))
		return "Hyper-V";
	return NULL;
}
