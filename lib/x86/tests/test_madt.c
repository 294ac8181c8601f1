/*
 * The MADT parser on hand-made tables: type 0 and type 9 processors mixed, duplicates,
 * disabled, online-capable and absent entries, IOAPICs, overrides, NMI entries, and the
 * malformed cases (zero, short and overrunning lengths, bad checksum, bad signature).
 */
#include <string.h>
#include "check.h"
#include "madt.h"

#define MAX_TEST_CPUS 6000

static u8 table[44 + MAX_TEST_CPUS * 16];
static size_t table_len;
static struct madt_cpu cpus[MAX_TEST_CPUS];
static struct madt_info info = { .cpus = cpus, .max_cpus = MAX_TEST_CPUS };
static char why[160];

static void begin(void)
{
	memset(table, 0, sizeof(table));
	memcpy(table, "APIC", 4);
	table[8] = 5;
	table_len = 44;
	table[36] = 0x00, table[37] = 0x00, table[38] = 0xe0, table[39] = 0xfe; /* 0xfee00000 */
	table[40] = 1;                                                     /* PCAT_COMPAT */
}

static void put(const u8 *entry, size_t len)
{
	memcpy(table + table_len, entry, len);
	table_len += len;
}

static void put32(u8 *p, u32 v)
{
	p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

static void lapic(u8 uid, u8 id, u32 flags)
{
	u8 e[8] = { 0, 8, uid, id };

	put32(e + 4, flags);
	put(e, sizeof(e));
}

static void x2apic(u32 id, u32 uid, u32 flags)
{
	u8 e[16] = { 9, 16 };

	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	put(e, sizeof(e));
}

/* Writes the length and checksum; returns the parse result. */
static bool finish_and_parse(void)
{
	u8 sum = 0;

	put32(table + 4, table_len);
	table[9] = 0;
	for (size_t i = 0; i < table_len; i++)
		sum += table[i];
	table[9] = -sum;
	why[0] = '\0';
	return madt_parse(table, table_len, &info, why, sizeof(why));
}

static void test_processors(void)
{
	begin();
	lapic(0, 0, MADT_CPU_ENABLED);
	lapic(1, 1, MADT_CPU_ENABLED);
	x2apic(300, 2, MADT_CPU_ENABLED);
	x2apic(1, 3, MADT_CPU_ENABLED); /* duplicate of APIC ID 1 */
	lapic(4, 4, 0);                   /* possible but absent */
	x2apic(480, 5, MADT_CPU_ONLINE_CAPABLE);
	lapic(6, 254, MADT_CPU_ENABLED);
	CHECK(finish_and_parse());
	CHECK(info.lapic_address == 0xfee00000 && (info.flags & MADT_PCAT_COMPAT));
	CHECK(info.nr_cpus == 6);
	CHECK(info.nr_enabled == 4 && info.nr_absent == 1 && info.nr_online_capable == 1);
	CHECK(info.nr_duplicates == 1 && info.first_duplicate_id == 1);
	CHECK(info.cpus[2].apic_id == 300 && info.cpus[2].uid == 2 &&
	      info.cpus[2].type == MADT_TYPE_LOCAL_X2APIC);
	CHECK(madt_find_cpu(&info, 480) && madt_find_cpu(&info, 480)->flags == MADT_CPU_ONLINE_CAPABLE);
	CHECK(madt_find_cpu(&info, 254) && madt_find_cpu(&info, 254)->type == MADT_TYPE_LOCAL_APIC);
	CHECK(madt_find_cpu(&info, 2) == NULL);
}

static void test_other_entries(void)
{
	static const u8 ioapic0[12] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
	static const u8 ioapic1[12] = { 1, 12, 1, 0, 0x00, 0x10, 0xc0, 0xfe, 24, 0, 0, 0 };
	static const u8 iso[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	static const u8 iso_level[10] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0 };
	static const u8 nmi[6] = { 4, 6, 0xff, 0x05, 0x00, 1 };
	static const u8 x2nmi[12] = { 0xa, 12, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0 };
	static const u8 unknown[7] = { 0x7f, 7, 1, 2, 3, 4, 5 };
	static const u8 longer_lapic[10] = { 0, 10, 7, 7, 1, 0, 0, 0, 0xaa, 0xbb };

	begin();
	put(ioapic0, sizeof(ioapic0));
	put(ioapic1, sizeof(ioapic1));
	put(iso, sizeof(iso));
	put(iso_level, sizeof(iso_level));
	put(nmi, sizeof(nmi));
	put(x2nmi, sizeof(x2nmi));
	put(unknown, sizeof(unknown));
	put(longer_lapic, sizeof(longer_lapic)); /* a later revision's longer entry */
	CHECK(finish_and_parse());
	CHECK(info.nr_ioapics == 2 && info.ioapics[1].id == 1 &&
	      info.ioapics[1].address == 0xfec01000 && info.ioapics[1].gsi_base == 24);
	CHECK(info.nr_overrides == 2 && info.overrides[0].source_irq == 0 &&
	      info.overrides[0].gsi == 2 && info.overrides[1].source_irq == 9 &&
	      (info.overrides[1].flags & MADT_TRIGGER_MASK) == MADT_TRIGGER_LEVEL &&
	      (info.overrides[1].flags & MADT_POLARITY_MASK) == MADT_POLARITY_ACTIVE_HIGH);
	CHECK(info.nr_nmis == 2 && info.nmis[0].uid == MADT_NMI_ALL_PROCESSORS &&
	      info.nmis[0].lint == 1 && info.nmis[0].flags == 5);
	CHECK(info.nmis[1].uid == MADT_NMI_ALL_PROCESSORS && info.nmis[1].lint == 1 &&
	      info.nmis[1].type == MADT_TYPE_LOCAL_X2APIC_NMI);
	CHECK(info.nr_unknown == 1);
	CHECK(info.nr_cpus == 1 && info.cpus[0].apic_id == 7);
}

static void test_malformed(void)
{
	static const u8 zero_len[2] = { 0, 0 };
	static const u8 short_x2apic[8] = { 9, 8, 0, 0, 1, 0, 0, 0 };
	static const u8 overrun[8] = { 0, 12, 0, 0, 1, 0, 0, 0 };

	begin();
	lapic(0, 0, 1);
	put(zero_len, sizeof(zero_len));
	CHECK(!finish_and_parse());
	CHECK(strstr(why, "length 0") && strstr(why, "offset 52"));
	CHECK(info.nr_cpus == 1); /* what came before the problem is kept */

	begin();
	put(short_x2apic, sizeof(short_x2apic));
	CHECK(!finish_and_parse() && strstr(why, "type 9") && strstr(why, "below 16"));

	begin();
	put(overrun, sizeof(overrun));
	CHECK(!finish_and_parse() && strstr(why, "past the table end"));

	begin();
	lapic(0, 0, 1);
	table_len += 1; /* one stray byte */
	CHECK(!finish_and_parse() && strstr(why, "stray byte"));

	begin();
	lapic(0, 0, 1);
	finish_and_parse();
	table[20] ^= 1;
	CHECK(!madt_parse(table, table_len, &info, why, sizeof(why)) && strstr(why, "checksum"));

	begin();
	finish_and_parse();
	memcpy(table, "APIX", 4);
	CHECK(!madt_parse(table, table_len, &info, why, sizeof(why)) && strstr(why, "signature"));

	/* The length field may not claim more than the bytes available, nor less than 44. */
	begin();
	lapic(0, 0, 1);
	CHECK(finish_and_parse());
	CHECK(!madt_parse(table, table_len - 1, &info, why, sizeof(why)) && strstr(why, "length"));
	CHECK(!madt_parse(table, 10, &info, why, sizeof(why)) && strstr(why, "shorter"));
	put32(table + 4, 40);
	CHECK(!madt_parse(table, table_len, &info, why, sizeof(why)) && strstr(why, "length"));

	/* No entries at all is a valid (if useless) table. */
	begin();
	CHECK(finish_and_parse() && info.nr_cpus == 0);
}

static void test_limits(void)
{
	begin();
	for (u32 i = 0; i < 250; i++)
		x2apic(i, i, MADT_CPU_ENABLED);
	CHECK(finish_and_parse());
	CHECK(info.nr_cpus == 250 && info.nr_enabled == 250 && info.nr_dropped == 0);

	/* More than the 4096 a fixed array once held: the count sizes the array. */
	begin();
	for (u32 i = 0; i < 5000; i++)
		x2apic(i * 3, i, MADT_CPU_ENABLED);
	lapic(0, 0, MADT_CPU_ENABLED); /* a duplicate still counts as an entry */
	CHECK(finish_and_parse());
	CHECK(madt_count_cpus(table, table_len) == 5001);
	CHECK(info.nr_cpus == 5000 && info.nr_enabled == 5000 && info.nr_dropped == 0);
	CHECK(info.nr_duplicates == 1 && info.cpus[4999].apic_id == 4999 * 3);

	/* Too small an array keeps what fits and counts the rest: no write past its end. */
	info.max_cpus = 100;
	cpus[100].apic_id = 0xdeadbeef;
	CHECK(madt_parse(table, table_len, &info, why, sizeof(why)));
	CHECK(info.nr_cpus == 100 && info.nr_cpus_dropped == 4900 && info.nr_dropped == 4900);
	CHECK(info.nr_duplicates == 1 && cpus[100].apic_id == 0xdeadbeef);
	info.max_cpus = MAX_TEST_CPUS;
}

static void test_count(void)
{
	begin();
	lapic(0, 0, MADT_CPU_ENABLED);
	x2apic(300, 1, 0);
	CHECK(finish_and_parse() && madt_count_cpus(table, table_len) == 2);
	/* Only the bytes given are read, and counting stops at a malformed entry. */
	CHECK(madt_count_cpus(table, table_len - 1) == 1);
	CHECK(madt_count_cpus(table, 20) == 0);
	put32(table + 4, 40); /* a length field inside the header: no entries */
	CHECK(madt_count_cpus(table, table_len) == 0);
	put32(table + 4, table_len);
	table[44 + 8 + 1] = 0;
	CHECK(madt_count_cpus(table, table_len) == 1);
}

int main(void)
{
	test_processors();
	test_other_entries();
	test_malformed();
	test_limits();
	test_count();
	return check_done("madt");
}
