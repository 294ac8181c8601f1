/*
 * The lazy-EOI protocol of KVM PV-EOI and Hyper-V apic-assist (interrupt-reference sections 7.1
 * and 8.2): consuming the mark, what each interface leaves of the word, and the MSR and
 * synthetic ICR encodings. This host's KVM never sets the mark, so the handler's lazy path is
 * pinned here rather than only on a host where it engages.
 */
#include "check.h"
#include "lazy-eoi.h"

/* A handler's end of interrupt: skip the EOI write when the mark was set. */
static int eoi_writes;

static void end_of_interrupt(enum lazy_eoi_kind kind, u32 *word)
{
	if (!lazy_eoi_consume(kind, word))
		eoi_writes++;
}

static void test_kvm(void)
{
	u32 word = LAZY_EOI_FLAG;

	eoi_writes = 0;
	end_of_interrupt(LAZY_EOI_KVM, &word);
	CHECK(eoi_writes == 0 && word == 0); /* lazy: no EOI write, mark consumed */
	end_of_interrupt(LAZY_EOI_KVM, &word);
	CHECK(eoi_writes == 1 && word == 0); /* not marked: the EOI is written */
	/* Only bit 0 is KVM's: the rest of the word is left alone */
	word = 0xa5a5a5a4 | LAZY_EOI_FLAG;
	CHECK(lazy_eoi_consume(LAZY_EOI_KVM, &word) && word == 0xa5a5a5a4);
	CHECK(!lazy_eoi_consume(LAZY_EOI_KVM, &word) && word == 0xa5a5a5a4);
}

static void test_hyperv(void)
{
	u32 word = LAZY_EOI_FLAG;

	eoi_writes = 0;
	end_of_interrupt(LAZY_EOI_HYPERV, &word);
	CHECK(eoi_writes == 0 && word == 0);
	end_of_interrupt(LAZY_EOI_HYPERV, &word);
	CHECK(eoi_writes == 1 && word == 0);
	/* The guest swaps the whole dword with 0 */
	word = 0xf0 | LAZY_EOI_FLAG;
	CHECK(lazy_eoi_consume(LAZY_EOI_HYPERV, &word) && word == 0);
	word = 0xf0;
	CHECK(!lazy_eoi_consume(LAZY_EOI_HYPERV, &word) && word == 0);
}

/* A sequence: the hypervisor marks some deliveries; every unmarked one gets exactly one EOI. */
static void test_sequence(enum lazy_eoi_kind kind)
{
	static const bool marked[] = { true, false, false, true, true, false, true };
	u32 word = 0;
	int lazy = 0;

	eoi_writes = 0;
	for (size_t i = 0; i < ARRAY_SIZE(marked); i++) {
		if (marked[i])
			word |= LAZY_EOI_FLAG;
		if (lazy_eoi_consume(kind, &word))
			lazy++;
		else
			eoi_writes++;
		CHECK(!(word & LAZY_EOI_FLAG));
	}
	CHECK(lazy == 4 && eoi_writes == 3);
}

static void test_encodings(void)
{
	CHECK(kvm_pv_eoi_msr(0x12340, true) == 0x12341);
	CHECK(kvm_pv_eoi_msr(0x12340, false) == 0x12340);
	CHECK(kvm_pv_eoi_msr_valid(0x12341) && kvm_pv_eoi_msr_valid(0x12344) &&
	      kvm_pv_eoi_msr_valid(0));
	CHECK(!kvm_pv_eoi_msr_valid(0x12342 | 1)); /* reserved bit 1 */
	CHECK(!kvm_pv_eoi_msr_valid(0x12341 + 2)); /* bit 1 set */
	CHECK(!kvm_pv_eoi_msr_valid(0x12345 + 2)); /* address 2 mod 4 */
	CHECK(hv_vp_assist_msr(0x5000, true) == 0x5001);
	CHECK(hv_vp_assist_msr(0x5fff, false) == 0x5000);
	CHECK(hv_icr(0x4041, 0x12, false) == 0x1200000000004041ull);
	CHECK(hv_icr(0x4041, 0x1e3, true) == 0x000001e300004041ull);
}

int main(void)
{
	test_kvm();
	test_hyperv();
	test_sequence(LAZY_EOI_KVM);
	test_sequence(LAZY_EOI_HYPERV);
	test_encodings();
	return check_done("lazy eoi");
}
