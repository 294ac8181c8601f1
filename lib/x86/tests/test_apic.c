/*
 * The local APIC encoders and the x2APIC MSR map against the SDM's tables (see
 * interrupt-reference section 1): which MSRs exist and how they may be accessed, the derived
 * x2APIC logical ID, logical destination matching, and the 64-bit ICR layout.
 */
#include "apic.h"
#include <string.h>
#include "check.h"

static void test_msr_map(void)
{
	static const u32 absent[] = { 0x800, 0x801, 0x804, 0x805, 0x806, 0x807, 0x809, 0x80c,
				      0x80e, 0x829, 0x82e, 0x831, 0x83a, 0x83d, 0x840, 0x8ff };
	static const u32 read_only[] = { 0x802, 0x803, 0x80a, 0x80d, 0x810, 0x817, 0x818, 0x81f,
					 0x820, 0x827, 0x839 };
	static const u32 read_write[] = { 0x808, 0x80f, 0x828, 0x830, 0x832, 0x833, 0x834, 0x835,
					  0x836, 0x837, 0x838, 0x83e };
	static const u32 write_only[] = { 0x80b, 0x83f };

	for (size_t i = 0; i < ARRAY_SIZE(absent); i++)
		CHECK(x2apic_msr_access(absent[i], 6) == X2APIC_ABSENT && !x2apic_msr_name(absent[i]));
	for (size_t i = 0; i < ARRAY_SIZE(read_only); i++)
		CHECK(x2apic_msr_access(read_only[i], 6) == X2APIC_READ);
	for (size_t i = 0; i < ARRAY_SIZE(read_write); i++)
		CHECK(x2apic_msr_access(read_write[i], 6) == X2APIC_READ_WRITE);
	for (size_t i = 0; i < ARRAY_SIZE(write_only); i++)
		CHECK(x2apic_msr_access(write_only[i], 6) == X2APIC_WRITE);
	/* LVT CMCI exists only with a max LVT entry of 6 or more */
	CHECK(x2apic_msr_access(0x82f, 6) == X2APIC_READ_WRITE);
	CHECK(x2apic_msr_access(0x82f, 5) == X2APIC_ABSENT);
	CHECK(!strcmp(x2apic_msr_name(0x813), "ISR"));
	CHECK(!strcmp(x2apic_msr_name(0x830), "ICR"));
	/* xAPIC offsets map to MSRs as 0x800 + offset / 16 */
	CHECK(MSR_X2APIC_BASE + (APIC_ICR >> 4) == 0x830);
	CHECK(MSR_X2APIC_BASE + (APIC_SELF_IPI >> 4) == 0x83f);
	CHECK(MSR_X2APIC_BASE + (APIC_TDCR >> 4) == 0x83e);
}

static void test_logical(void)
{
	CHECK(x2apic_ldr(0) == 0x00000001);
	CHECK(x2apic_ldr(15) == 0x00008000);
	CHECK(x2apic_ldr(16) == 0x00010001);
	CHECK(x2apic_ldr(0x1e3) == 0x001e0008); /* APIC 483: cluster 30, position 3 */
	CHECK(x2apic_ldr(0xffffffff) == 0xffff8000); /* the cluster field keeps bits 19:4 */
	CHECK(x2apic_logical_match(0x001e0008, x2apic_ldr(0x1e3)));
	CHECK(x2apic_logical_match(0x001effff, x2apic_ldr(0x1e3)));
	CHECK(!x2apic_logical_match(0x001e0004, x2apic_ldr(0x1e3)));
	CHECK(!x2apic_logical_match(0x001d0008, x2apic_ldr(0x1e3)));
	CHECK(xapic_flat_ldr(3) == 0x08000000);
	CHECK(xapic_cluster_ldr(2, 1) == 0x22000000);
}

static void test_icr(void)
{
	CHECK(x2apic_icr(APIC_DM_FIXED | 0x41, 0x1e3) == 0x000001e300000041ull);
	CHECK(x2apic_icr(APIC_DM_INIT | INTR_TRIGGER_LEVEL | INTR_LEVEL_ASSERT, 5) ==
	      0x000000050000c500ull);
	CHECK(x2apic_icr(APIC_DM_STARTUP | 0x08, 0x100) == 0x0000010000000608ull);
	CHECK(x2apic_icr(APIC_DEST_ALLBUT | APIC_DM_FIXED | 0xf0, 0) == 0x00000000000c00f0ull);
	/* The reserved bits: 13, 17:16 and 31:20; vector, mode, level, trigger, shorthand are not */
	CHECK(X2APIC_ICR_RESERVED_BITS == (BIT(13) | BIT(16) | BIT(17) | 0xfff00000u));
	CHECK(!(X2APIC_ICR_RESERVED_BITS & (0xff | 0x700 | INTR_DEST_MODE_LOGICAL | INTR_LEVEL_ASSERT |
					    INTR_TRIGGER_LEVEL | APIC_DEST_ALLBUT)));
}

int main(void)
{
	test_msr_map();
	test_logical();
	test_icr();
	return check_done("apic");
}
