/*
 * The IOAPIC RTE encoder and decoder against the reference's table (interrupt-reference 4.2 and
 * 4.3): field positions, the 8-bit destination in 63:56, destination bits 14:8 in 55:49 only
 * with the extended destination ID, refusals, and QEMU's RTE-to-MSI mapping of those bits.
 */
#include "check.h"
#include "ioapic.h"

static void test_encode(void)
{
	struct ioapic_rte r = { .vector = 0x41, .dest = 0x12 };
	u64 raw = 0;

	CHECK(ioapic_rte_encode(&r, false, &raw) && raw == 0x1200000000000041ull);
	r = (struct ioapic_rte){ .vector = 0x52, .delivery_mode = DM_NMI, .logical = true,
				 .active_low = true, .level = true, .masked = true, .dest = 0xff };
	CHECK(ioapic_rte_encode(&r, false, &raw) && raw == 0xff0000000001ac52ull);
	/* APIC 480 = 0x1e0: low byte 0xe0 in 63:56, bits 14:8 = 0x01 in 55:49 */
	r = (struct ioapic_rte){ .vector = 0x41, .dest = 0x1e0 };
	CHECK(ioapic_rte_encode(&r, true, &raw) && raw == 0xe002000000000041ull);
	/* The largest 15-bit destination fills 63:49 and leaves bit 48 (remappable) clear */
	r.dest = 0x7fff;
	CHECK(ioapic_rte_encode(&r, true, &raw) && (raw >> 48) == 0xfffe);
	CHECK(!(raw & IOAPIC_RTE_REMAPPABLE));
	/* Destinations that do not fit are refused and nothing is written */
	raw = 7;
	r.dest = 0x100;
	CHECK(!ioapic_rte_encode(&r, false, &raw) && raw == 7);
	r.dest = 0x8000;
	CHECK(!ioapic_rte_encode(&r, true, &raw) && raw == 7);
}

static void test_decode(void)
{
	struct ioapic_rte r = ioapic_rte_decode(0xe002000000015041ull | IOAPIC_RTE_REMOTE_IRR, true);

	CHECK(r.vector == 0x41 && r.dest == 0x1e0 && r.masked && r.delivery_status &&
	      r.remote_irr && !r.level && !r.logical && r.delivery_mode == 0);
	/* Without the extended destination ID, bits 55:49 are not part of the destination */
	r = ioapic_rte_decode(0xe002000000000041ull, false);
	CHECK(r.dest == 0xe0);
	for (u32 dest = 0; dest <= IOAPIC_EXT_DEST_MAX; dest += 0x1f1) {
		struct ioapic_rte in = { .vector = dest & 0xff, .level = dest & 1, .dest = dest };
		u64 raw;

		CHECK(ioapic_rte_encode(&in, true, &raw) && ioapic_rte_decode(raw, true).dest == dest);
	}
}

/* QEMU's IOAPIC turns an RTE into an MSI address: 0xfee00000 | RTE[63:48] << 4. */
static void test_msi_mapping(void)
{
	struct ioapic_rte r = { .vector = 0x41, .dest = 0x1e3 };
	u64 raw;
	u32 address;

	CHECK(ioapic_rte_encode(&r, true, &raw));
	address = 0xfee00000u | (u32)((raw >> 48) << 4);
	CHECK(((address >> 12) & 0xff) == 0xe3);  /* destination 7:0 in address 19:12 */
	CHECK(((address >> 5) & 0x7f) == 0x01);   /* destination 14:8 in address 11:5 */
	CHECK(!(address & BIT(4)));               /* compatibility format */
}

int main(void)
{
	test_encode();
	test_decode();
	test_msi_mapping();
	return check_done("ioapic");
}
