/*
 * The MSI encoder and decoder against the compatibility format's tables (SDM "Message
 * Signalled Interrupts"; interrupt-reference section 5.1) and KVM's extended destination ID
 * (section 5.2: destination bits 14:8 in address bits 11:5): addresses and data of known
 * messages, refusal of destinations the format cannot carry, and round trips.
 */
#include "msi.h"
#include <string.h>
#include "check.h"

static bool composes(u32 dest, bool logical, u8 vector, u8 dm, bool level, bool ext_dest,
		     u32 address, u32 data)
{
	struct msi_msg m;

	return msi_compose(dest, logical, vector, dm, level, ext_dest, &m) &&
	       m.address_lo == address && m.address_hi == 0 && m.data == data;
}

static void test_fields(void)
{
	/* Every field where the tables put it. */
	CHECK(MSI_ADDR_DEST_MASK == 0xffu << MSI_ADDR_DEST_SHIFT && MSI_ADDR_DEST_SHIFT == 12);
	CHECK(MSI_ADDR_EXT_DEST_MASK == 0x7fu << MSI_ADDR_EXT_DEST_SHIFT &&
	      MSI_ADDR_EXT_DEST_SHIFT == 5);
	CHECK(MSI_ADDR_REMAPPABLE == 0x10 && MSI_ADDR_RH == 0x8 && MSI_ADDR_DM_LOGICAL == 0x4);
	CHECK(INTR_DELIVERY_MODE_MASK == 0x700 && INTR_LEVEL_ASSERT == 0x4000 &&
	      INTR_TRIGGER_LEVEL == 0x8000);
	CHECK(!(MSI_ADDR_BASE_MASK & (MSI_ADDR_DEST_MASK | MSI_ADDR_EXT_DEST_MASK |
				      MSI_ADDR_REMAPPABLE | MSI_ADDR_RH | MSI_ADDR_DM_LOGICAL)));
	CHECK(!(MSI_ADDR_DEST_MASK & MSI_ADDR_EXT_DEST_MASK));
}

static void test_compose(void)
{
	/* Physical, fixed, edge */
	CHECK(composes(0, false, 0x41, DM_FIXED, false, false, 0xfee00000, 0x0041));
	CHECK(composes(0x03, false, 0x41, DM_FIXED, false, false, 0xfee03000, 0x0041));
	CHECK(composes(0xfe, false, 0xef, DM_FIXED, false, false, 0xfeefe000, 0x00ef));
	CHECK(composes(0xff, false, 0x41, DM_FIXED, false, false, 0xfeeff000, 0x0041));
	/* Logical: DM bit 2; the destination is a logical ID */
	CHECK(composes(0x0f, true, 0x51, DM_FIXED, false, false, 0xfee0f004, 0x0051));
	CHECK(composes(0x80, true, 0x51, DM_FIXED, false, false, 0xfee80004, 0x0051));
	/* Level triggered messages assert: bits 15 and 14 */
	CHECK(composes(0x01, false, 0x41, DM_FIXED, true, false, 0xfee01000, 0xc041));
	/* Delivery modes in data bits 10:8 */
	CHECK(composes(0x02, false, 0x41, DM_LOWEST_PRIORITY, false, false, 0xfee02000, 0x0141));
	CHECK(composes(0x02, false, 0x00, DM_SMI, false, false, 0xfee02000, 0x0200));
	CHECK(composes(0x02, false, 0x00, DM_NMI, false, false, 0xfee02000, 0x0400));
	CHECK(composes(0x02, false, 0x00, DM_INIT, false, false, 0xfee02000, 0x0500));
	CHECK(composes(0x02, false, 0x00, DM_EXTINT, false, false, 0xfee02000, 0x0700));
}

static void test_compose_ext_dest(void)
{
	/* dest[7:0] in 19:12, dest[14:8] in 11:5 */
	CHECK(composes(0x1e3, false, 0x41, DM_FIXED, false, true, 0xfeee3020, 0x0041));
	CHECK(composes(0x100, false, 0x41, DM_FIXED, false, true, 0xfee00020, 0x0041));
	CHECK(composes(0x11f, false, 0x41, DM_FIXED, false, true, 0xfee1f020, 0x0041));
	CHECK(composes(0x7fff, false, 0x41, DM_FIXED, false, true, 0xfeefffe0, 0x0041));
	CHECK(composes(0x1e3, true, 0x41, DM_FIXED, true, true, 0xfeee3024, 0xc041));
	/* A destination that fits in 8 bits is encoded the same with or without ext-dest. */
	CHECK(composes(0xe3, false, 0x41, DM_FIXED, false, true, 0xfeee3000, 0x0041));
	/* The NMI message to APIC 0x1e3 */
	CHECK(composes(0x1e3, false, 0, DM_NMI, false, true, 0xfeee3020, 0x0400));
}

static void test_refusals(void)
{
	struct msi_msg m = { 0x12345678, 0x9abcdef0, 0x0fedcba9 };

	CHECK(!msi_compose(0x100, false, 0x41, DM_FIXED, false, false, &m));
	CHECK(!msi_compose(0x1e3, true, 0x41, DM_FIXED, false, false, &m));
	CHECK(!msi_compose(0xffffffff, false, 0x41, DM_FIXED, false, false, &m));
	CHECK(!msi_compose(0x8000, false, 0x41, DM_FIXED, false, true, &m));
	CHECK(!msi_compose(0xffffffff, false, 0x41, DM_FIXED, false, true, &m));
	CHECK(!msi_compose(0x01, false, 0x41, 8, false, false, &m));
	CHECK(!msi_compose(0x01, false, 0x41, 0xff, false, true, &m));
	/* A refused message leaves the output alone. */
	CHECK(m.address_lo == 0x12345678 && m.address_hi == 0x9abcdef0 && m.data == 0x0fedcba9);
}

static void test_decode(void)
{
	struct msi_fields f;
	struct msi_msg m;

	m = (struct msi_msg){ 0xfeee302c, 0, 0xc4ef };
	CHECK(msi_decode(&m, true, &f));
	CHECK(f.dest == 0x1e3 && f.logical && f.redirection_hint && f.vector == 0xef &&
	      f.delivery_mode == DM_NMI && f.level && f.assert);
	/* Without ext-dest, bits 11:5 are reserved: the destination is bits 19:12 only. */
	CHECK(msi_decode(&m, false, &f) && f.dest == 0xe3);
	m = (struct msi_msg){ 0xfee01000, 0, 0x0041 };
	CHECK(msi_decode(&m, false, &f));
	CHECK(f.dest == 1 && !f.logical && !f.redirection_hint && f.vector == 0x41 &&
	      f.delivery_mode == DM_FIXED && !f.level && !f.assert);
	/* Bits 1:0 are don't-care. */
	m = (struct msi_msg){ 0xfee01003, 0, 0x0041 };
	CHECK(msi_decode(&m, false, &f) && f.dest == 1 && !f.logical && !f.redirection_hint);
	/* Not compatibility-format interrupt messages */
	m = (struct msi_msg){ 0xfed01000, 0, 0x0041 };
	CHECK(!msi_decode(&m, false, &f));
	m = (struct msi_msg){ 0x0ee01000, 0, 0x0041 };
	CHECK(!msi_decode(&m, true, &f));
	m = (struct msi_msg){ 0xfee01000, 1, 0x0041 };
	CHECK(!msi_decode(&m, false, &f));
	m = (struct msi_msg){ 0xfee01010, 0, 0x0041 };
	CHECK(!msi_decode(&m, true, &f));
}

static void test_round_trips(void)
{
	static const u32 dests[] = { 0, 1, 0x7f, 0xfe, 0xff, 0x100, 0x1e3, 0x1ff, 0x4000, 0x7fff };
	static const u8 modes[] = { DM_FIXED, DM_LOWEST_PRIORITY, DM_SMI, DM_NMI, DM_INIT,
				    DM_EXTINT };
	int bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(dests); i++)
		for (size_t j = 0; j < ARRAY_SIZE(modes); j++)
			for (int k = 0; k < 8; k++) {
				bool logical = k & 1, level = k & 2, ext = k & 4;
				u8 vector = 0x20 + i * 16 + j;
				struct msi_fields f;
				struct msi_msg m;

				if (!msi_compose(dests[i], logical, vector, modes[j], level, ext, &m)) {
					bad += dests[i] <= (ext ? MSI_EXT_DEST_MAX : MSI_DEST_MAX);
					continue;
				}
				bad += !msi_decode(&m, ext, &f) || f.dest != dests[i] ||
				       f.logical != logical || f.redirection_hint ||
				       f.vector != vector || f.delivery_mode != modes[j] ||
				       f.level != level || f.assert != level;
			}
	CHECK(bad == 0);
}

static void test_names(void)
{
	CHECK(!strcmp(msi_delivery_mode_name(DM_FIXED), "fixed"));
	CHECK(!strcmp(msi_delivery_mode_name(DM_NMI), "NMI"));
	CHECK(!strcmp(msi_delivery_mode_name(3), "reserved"));
	CHECK(!strcmp(msi_delivery_mode_name(6), "reserved"));
	CHECK(!strcmp(msi_delivery_mode_name(8), "reserved"));
}

int main(void)
{
	test_fields();
	test_compose();
	test_compose_ext_dest();
	test_refusals();
	test_decode();
	test_round_trips();
	test_names();
	return check_done("msi");
}
