/*
 * ACPI table discovery on hand-made tables: RSDP scanning (also over the memory map's ACPI
 * areas, as under UEFI firmware), checksums and lengths, XSDT with
 * RSDT fallback, clear reasons for malformed tables, and the \_S5 sleep type in AML.
 * Tables live in host buffers; their host addresses stand in for physical addresses.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "acpi.h"
#include "check.h"

#define MEMORY_SIZE (64 * 1024)

/* Below 4 GiB (MAP_32BIT), so that the RSDT's 32-bit entries can hold these addresses. */
static u8 *memory;

static void fix_checksum(void *p, size_t len, u8 *field)
{
	u8 sum = 0;

	*field = 0;
	for (size_t i = 0; i < len; i++)
		sum += ((u8 *)p)[i];
	*field = -sum;
}

static struct acpi_header *make_table(size_t offset, const char *sig, size_t len)
{
	struct acpi_header *t = (struct acpi_header *)(memory + offset);

	memset(t, 0, len);
	memcpy(t->signature, sig, 4);
	t->length = len;
	t->revision = 1;
	return t;
}

static void seal(struct acpi_header *t)
{
	fix_checksum(t, t->length, &t->checksum);
}

static struct acpi_rsdp *make_rsdp(size_t offset, u64 rsdt, u64 xsdt, u8 revision)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)(memory + offset);

	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	r->revision = revision;
	r->rsdt = (u32)rsdt;
	r->xsdt = xsdt;
	r->length = sizeof(*r);
	fix_checksum(r, 20, &r->checksum);
	fix_checksum(r, sizeof(*r), &r->extended_checksum);
	return r;
}

static void test_rsdp_scan(void)
{
	u64 base = (u64)(uintptr_t)memory;
	struct acpi_rsdp *r;

	memset(memory, 0, MEMORY_SIZE);
	CHECK(acpi_scan_rsdp(base, 4096) == NULL);
	/* A signature with a bad checksum is passed over; the next valid one is found. */
	memcpy(memory + 0x100, "RSD PTR ", 8);
	r = make_rsdp(0x200, 0, 0, 0);
	CHECK(acpi_scan_rsdp(base, 4096) == r);
	/* Only 16-byte boundaries count. */
	memset(memory, 0, MEMORY_SIZE);
	make_rsdp(0x208, 0, 0, 0);
	CHECK(acpi_scan_rsdp(base, 4096) == NULL);
	/* Revision 2 needs the extended checksum too. */
	memset(memory, 0, MEMORY_SIZE);
	r = make_rsdp(0x300, 0, 0, 2);
	CHECK(acpi_scan_rsdp(base, 4096) == r);
	r->extended_checksum++;
	CHECK(acpi_scan_rsdp(base, 4096) == NULL);
	/* A revision 2 length that runs past the end of the area is not followed. */
	memset(memory, 0, MEMORY_SIZE);
	r = make_rsdp(0x1000 - 48, 0, 0, 2);
	r->length = 64;
	fix_checksum(r, 20, &r->checksum);
	CHECK(acpi_scan_rsdp(base, 0x1000) == NULL);
	/* A candidate that would run past the end of the area is not read. */
	memset(memory, 0, MEMORY_SIZE);
	make_rsdp(0x1000 - 16, 0, 0, 0);
	CHECK(acpi_scan_rsdp(base, 0x1000) == NULL);
}

/* The memory map's ACPI areas, scanned in turn, each only as far as ACPI_AREA_SCAN_MAX. */
static void test_rsdp_areas(void)
{
	size_t big_size = ACPI_AREA_SCAN_MAX + 0x10000;
	u8 *big = mmap(NULL, big_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u64 base = (u64)(uintptr_t)memory, big_base = (u64)(uintptr_t)big;
	struct acpi_area areas[3];
	struct acpi_rsdp *r;

	if (!CHECK(big != MAP_FAILED))
		return;
	memset(memory, 0, MEMORY_SIZE);
	CHECK(acpi_scan_rsdp_areas(NULL, 0) == NULL);
	/* Found in the second area, near its end as OVMF leaves it. */
	r = make_rsdp(0xf000, 0, 0, 2);
	areas[0] = (struct acpi_area){ base, base + 0x1000 };
	areas[1] = (struct acpi_area){ base + 0x8000, base + 0x10000 };
	CHECK(acpi_scan_rsdp_areas(areas, 1) == NULL);
	CHECK(acpi_scan_rsdp_areas(areas, 2) == r);
	/* Empty and inverted areas are passed over, not read. */
	areas[0] = (struct acpi_area){ base + 0x2000, base + 0x2000 };
	areas[1] = (struct acpi_area){ base + 0x3000, base + 0x1000 };
	areas[2] = (struct acpi_area){ base + 0xf000, base + 0xf000 + sizeof(*r) };
	CHECK(acpi_scan_rsdp_areas(areas, 3) == r);
	/* An RSDP that runs past its area's end is not one. */
	areas[2].end--;
	CHECK(acpi_scan_rsdp_areas(areas, 3) == NULL);

	/* In a large area, the first ACPI_AREA_SCAN_MAX bytes only. */
	memset(big, 0, big_size);
	memcpy(big + ACPI_AREA_SCAN_MAX, memory + 0xf000, sizeof(*r));
	areas[0] = (struct acpi_area){ big_base, big_base + big_size };
	CHECK(acpi_scan_rsdp_areas(areas, 1) == NULL);
	memcpy(big + ACPI_AREA_SCAN_MAX - 48, memory + 0xf000, sizeof(*r));
	CHECK(acpi_scan_rsdp_areas(areas, 1) ==
	      (const struct acpi_rsdp *)(big + ACPI_AREA_SCAN_MAX - 48));
	munmap(big, big_size);
}

static void test_lookup(void)
{
	char why[160];
	struct acpi_header *xsdt, *rsdt, *apic, *facp, *bad;
	struct acpi_rsdp *rsdp;
	u64 xe[3];
	u32 re;

	memset(memory, 0, MEMORY_SIZE);
	apic = make_table(0x1000, "APIC", 44);
	seal(apic);
	facp = make_table(0x2000, "FACP", 276);
	seal(facp);
	bad = make_table(0x3000, "HPET", 56);
	seal(bad);
	bad->checksum++;
	xsdt = make_table(0x4000, "XSDT", 36 + 3 * 8);
	xe[0] = (u64)(uintptr_t)apic;
	xe[1] = (u64)(uintptr_t)bad;
	xe[2] = (u64)(uintptr_t)facp;
	memcpy((u8 *)xsdt + 36, xe, sizeof(xe)); /* XSDT entries are not 8-byte aligned */
	seal(xsdt);
	rsdt = make_table(0x5000, "RSDT", 36 + 4);
	re = (u32)(uintptr_t)apic;
	memcpy((u8 *)rsdt + 36, &re, sizeof(re));
	seal(rsdt);
	rsdp = make_rsdp(0x6000, (u64)(uintptr_t)rsdt, (u64)(uintptr_t)xsdt, 2);

	CHECK(acpi_lookup(rsdp, "APIC", why, sizeof(why)) == apic);
	CHECK(acpi_lookup(rsdp, "FACP", why, sizeof(why)) == facp);
	CHECK(acpi_lookup(rsdp, "HPET", why, sizeof(why)) == NULL);
	CHECK(strstr(why, "HPET") && strstr(why, "checksum"));
	CHECK(acpi_lookup(rsdp, "MCFG", why, sizeof(why)) == NULL);
	CHECK(strstr(why, "no MCFG table in the XSDT") != NULL);
	CHECK(acpi_lookup(NULL, "APIC", why, sizeof(why)) == NULL && strstr(why, "RSDP"));

	/* A corrupt XSDT falls back to the RSDT, which lists only the MADT. */
	xsdt->checksum++;
	CHECK(acpi_lookup(rsdp, "APIC", why, sizeof(why)) == apic);
	CHECK(acpi_lookup(rsdp, "FACP", why, sizeof(why)) == NULL);
	CHECK(strstr(why, "RSDT") != NULL);

	/* Revision 0 uses the RSDT even when an XSDT address is present. */
	xsdt->checksum--;
	rsdp = make_rsdp(0x6000, (u64)(uintptr_t)rsdt, (u64)(uintptr_t)xsdt, 0);
	CHECK(acpi_lookup(rsdp, "FACP", NULL, 0) == NULL);

	/* Lengths below the header or absurdly large are rejected before the checksum is read. */
	apic->length = 20;
	CHECK(!acpi_table_valid(apic, why, sizeof(why)) && strstr(why, "length 20"));
	apic->length = 0xffffffff;
	CHECK(!acpi_table_valid(apic, why, sizeof(why)) && strstr(why, "out of range"));

	/* Neither root table valid. */
	rsdp = make_rsdp(0x6000, 0, 0, 2);
	CHECK(acpi_lookup(rsdp, "APIC", why, sizeof(why)) == NULL && strstr(why, "no valid"));
}

static bool s5(const u8 *aml, size_t len, u8 *a, u8 *b)
{
	*a = *b = 0xee;
	return acpi_s5_sleep_type(aml, len, a, b);
}

static void test_s5(void)
{
	/* Name (_S5_, Package (0x04) { Zero, Zero, Zero, Zero }) as QEMU's pc and q35 have it */
	static const u8 qemu_pc[] = { 0x10, 0x08, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
				      0x00, 0x00, 0x00, 0x00 };
	/* Name (\_S5, Package { 0x05, 0x07 }) with byte prefixes */
	static const u8 rooted[] = { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x07, 0x02,
				     0x0a, 0x05, 0x0a, 0x07 };
	/* A two-byte PkgLength and a single element */
	static const u8 long_pkg[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x01, 0x01, 0x01 };
	/* "_S5_" used as a reference (not after NameOp) is passed over, then the real one found */
	static const u8 reference_first[] = { 0x70, '_', 'S', '5', '_', 0x08, '_', 'S', '5', '_',
					      0x12, 0x04, 0x02, 0x0a, 0x03, 0x00 };
	static const u8 truncated[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a };
	static const u8 not_package[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 };
	static const u8 unknown_element[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0b, 0x05,
					      0x00 };
	u8 a, b;

	CHECK(s5(qemu_pc, sizeof(qemu_pc), &a, &b) && a == 0 && b == 0);
	CHECK(s5(rooted, sizeof(rooted), &a, &b) && a == 5 && b == 7);
	CHECK(s5(long_pkg, sizeof(long_pkg), &a, &b) && a == 1 && b == 1);
	CHECK(s5(reference_first, sizeof(reference_first), &a, &b) && a == 3 && b == 0);
	CHECK(!s5(truncated, sizeof(truncated), &a, &b));
	CHECK(!s5(not_package, sizeof(not_package), &a, &b));
	CHECK(!s5(unknown_element, sizeof(unknown_element), &a, &b));
	CHECK(!s5(qemu_pc, 6, &a, &b));
	CHECK(!s5((const u8 *)"", 0, &a, &b));
}

int main(void)
{
	memory = mmap(NULL, MEMORY_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (memory == MAP_FAILED) {
		perror("mmap below 4 GiB");
		return 1;
	}
	test_rsdp_scan();
	test_rsdp_areas();
	test_lookup();
	test_s5();
	return check_done("acpi");
}
