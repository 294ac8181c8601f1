#include "acpi.h"

#define RSDP_V1_LENGTH 20
#define RSDP_SIGNATURE 0x2052545020445352ull /* "RSD PTR " read as a little-endian u64 */
#define AML_NAME_OP 0x08
#define AML_ROOT_CHAR '\\'
#define AML_PACKAGE_OP 0x12
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a
#define AML_ONES_OP 0xff

/*
 * The byte sum is taken 8 bytes at a time (adding the bytes of a word in parallel): tables of
 * a few KiB are checked at every boot, under hypervisors that may emulate each instruction.
 */
bool acpi_checksum_ok(const void *p, size_t len)
{
	const u8 *b = p;
	u64 sum = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		u64 w;

		__builtin_memcpy(&w, b + i, 8);
		w = (w & 0x00ff00ff00ff00ffull) + ((w >> 8) & 0x00ff00ff00ff00ffull);
		sum += (w * 0x0001000100010001ull) >> 48; /* the four 16-bit lanes added */
	}
	for (; i < len; i++)
		sum += b[i];
	return (u8)sum == 0;
}

/* Checks an RSDP of which at most "avail" bytes may be read. */
static bool rsdp_valid(const struct acpi_rsdp *r, u64 avail)
{
	u64 signature;

	__builtin_memcpy(&signature, r->signature, 8);
	if (signature != RSDP_SIGNATURE || !acpi_checksum_ok(r, RSDP_V1_LENGTH))
		return false;
	if (r->revision < 2)
		return true;
	return r->length >= sizeof(*r) && r->length <= avail && acpi_checksum_ok(r, r->length);
}

const struct acpi_rsdp *acpi_scan_rsdp(u64 start, u64 len)
{
	u64 end = start + len;

	/* The signature test stays in the loop: thousands of candidates are looked at. */
	for (u64 p = ALIGN_UP(start, 16); p + sizeof(struct acpi_rsdp) <= end; p += 16)
		if (*(const u64 *)p == RSDP_SIGNATURE &&
		    rsdp_valid((const struct acpi_rsdp *)p, end - p))
			return (const struct acpi_rsdp *)p;
	return NULL;
}

const struct acpi_rsdp *acpi_scan_rsdp_areas(const struct acpi_area *areas, int n)
{
	for (int i = 0; i < n; i++) {
		const struct acpi_rsdp *r;

		if (areas[i].end <= areas[i].start)
			continue;
		r = acpi_scan_rsdp(areas[i].start,
				   MIN(areas[i].end - areas[i].start, (u64)ACPI_AREA_SCAN_MAX));
		if (r)
			return r;
	}
	return NULL;
}

bool acpi_table_valid(const struct acpi_header *t, char *why, size_t why_len)
{
	char sig[5] = { 0 };

	memcpy(sig, t->signature, 4);
	if (t->length < ACPI_HEADER_SIZE || t->length > ACPI_TABLE_MAX_LENGTH) {
		explain(why, why_len, "ACPI table %s at %p: length %u is out of range", sig, t,
		    t->length);
		return false;
	}
	if (!acpi_checksum_ok(t, t->length)) {
		explain(why, why_len, "ACPI table %s at %p: bad checksum over %u bytes", sig, t,
		    t->length);
		return false;
	}
	return true;
}

/* Walks one root table (entry_size 8 for the XSDT, 4 for the RSDT). */
static const struct acpi_header *root_lookup(const struct acpi_header *root, size_t entry_size,
					     const char *sig, char *why, size_t why_len)
{
	size_t n;
	const u8 *entries = (const u8 *)root + ACPI_HEADER_SIZE;

	if (!acpi_table_valid(root, why, why_len))
		return NULL;
	n = (root->length - ACPI_HEADER_SIZE) / entry_size;
	for (size_t i = 0; i < n; i++) {
		u64 addr = 0;
		const struct acpi_header *t;

		memcpy(&addr, entries + i * entry_size, entry_size);
		t = (const struct acpi_header *)(uintptr_t)addr;
		if (!t || memcmp(t->signature, sig, 4))
			continue;
		return acpi_table_valid(t, why, why_len) ? t : NULL;
	}
	explain(why, why_len, "no %.4s table in the %.4s (%zu entries)", sig, root->signature, n);
	return NULL;
}

const struct acpi_header *acpi_lookup(const struct acpi_rsdp *rsdp, const char *sig, char *why,
				      size_t why_len)
{
	const struct acpi_header *xsdt = NULL, *rsdt;

	if (!rsdp) {
		explain(why, why_len, "no ACPI RSDP found");
		return NULL;
	}
	if (rsdp->revision >= 2 && rsdp->xsdt) {
		xsdt = (const struct acpi_header *)(uintptr_t)rsdp->xsdt;
		if (!memcmp(xsdt->signature, "XSDT", 4) && acpi_table_valid(xsdt, NULL, 0))
			return root_lookup(xsdt, 8, sig, why, why_len);
	}
	rsdt = (const struct acpi_header *)(uintptr_t)rsdp->rsdt;
	if (!rsdt || memcmp(rsdt->signature, "RSDT", 4)) {
		explain(why, why_len, "the ACPI RSDP points to no valid XSDT or RSDT");
		return NULL;
	}
	return root_lookup(rsdt, 4, sig, why, why_len);
}

/* Reads one small integer object of AML at *p; false if it is not one we know. */
static bool aml_small_integer(const u8 *aml, size_t len, size_t *p, u8 *value)
{
	if (*p >= len)
		return false;
	switch (aml[*p]) {
	case AML_ZERO_OP:
		*value = 0;
		break;
	case AML_ONE_OP:
		*value = 1;
		break;
	case AML_ONES_OP:
		*value = 0xff;
		break;
	case AML_BYTE_PREFIX:
		if (*p + 1 >= len)
			return false;
		*value = aml[++*p];
		break;
	default:
		return false;
	}
	++*p;
	return true;
}

bool acpi_s5_sleep_type(const u8 *aml, size_t len, u8 *slp_typ_a, u8 *slp_typ_b)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		size_t p;
		u8 elements;

		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* Name(_S5_, Package(){...}), possibly written as Name(\_S5_, ...) */
		if (aml[i - 1] != AML_NAME_OP &&
		    !(aml[i - 1] == AML_ROOT_CHAR && i >= 2 && aml[i - 2] == AML_NAME_OP))
			continue;
		p = i + 4;
		if (p >= len || aml[p] != AML_PACKAGE_OP)
			continue;
		p++;
		if (p >= len)
			return false;
		p += 1 + (aml[p] >> 6); /* PkgLength: lead byte bits 7:6 count the bytes after it */
		if (p >= len)
			return false;
		elements = aml[p++];
		if (elements < 1 || !aml_small_integer(aml, len, &p, slp_typ_a))
			return false;
		if (elements < 2 || !aml_small_integer(aml, len, &p, slp_typ_b))
			*slp_typ_b = *slp_typ_a;
		return true;
	}
	return false;
}

#ifndef HOST_TEST
#include "processor.h"

#define EBDA_SEGMENT_PTR 0x40e
#define EBDA_SEARCH_LENGTH 1024
#define BIOS_ROM_START 0xe0000
#define BIOS_F_SEGMENT 0xf0000
#define BIOS_SEGMENT_LENGTH 0x10000

static u64 rsdp_hint;
static const struct acpi_area *rsdp_areas;
static int nr_rsdp_areas;

void acpi_set_rsdp_hint(u64 rsdp)
{
	rsdp_hint = rsdp;
}

void acpi_set_rsdp_areas(const struct acpi_area *areas, int n)
{
	rsdp_areas = areas;
	nr_rsdp_areas = n;
}

const struct acpi_rsdp *acpi_rsdp(void)
{
	u64 ebda;
	const struct acpi_rsdp *r;

	if (rsdp_hint && rsdp_valid((const struct acpi_rsdp *)rsdp_hint, sizeof(struct acpi_rsdp)))
		return (const struct acpi_rsdp *)rsdp_hint;
	/*
	 * The first KiB of the EBDA, whose segment the BIOS data area holds, then the ROM area
	 * 0xE0000-0xFFFFF, its F segment first: firmware puts the RSDP there (SeaBIOS, qboot), and
	 * each candidate costs a microsecond where guest code is emulated.
	 */
	ebda = (u64)*(volatile u16 *)EBDA_SEGMENT_PTR << 4;
	r = ebda >= 0x400 && ebda < BIOS_ROM_START ? acpi_scan_rsdp(ebda, EBDA_SEARCH_LENGTH) : NULL;
	if (!r)
		r = acpi_scan_rsdp(BIOS_F_SEGMENT, BIOS_SEGMENT_LENGTH);
	if (!r)
		r = acpi_scan_rsdp(BIOS_ROM_START, BIOS_SEGMENT_LENGTH);
	/*
	 * UEFI firmware (OVMF) leaves none in the BIOS areas; a loader that does not pass it on
	 * (GRUB-EFI with Multiboot v1) leaves it in ACPI reclaim memory of the memory map.
	 */
	if (!r)
		r = acpi_scan_rsdp_areas(rsdp_areas, nr_rsdp_areas);
	if (r)
		rsdp_hint = (u64)r;
	return r;
}

const struct acpi_header *acpi_find_table(const char *sig, char *why, size_t why_len)
{
	return acpi_lookup(acpi_rsdp(), sig, why, why_len);
}

static const u8 *fadt_dsdt(const struct acpi_fadt *fadt, size_t *len)
{
	u64 addr = ACPI_FADT_HAS(fadt, x_dsdt) && fadt->x_dsdt ? fadt->x_dsdt : fadt->dsdt;
	const struct acpi_header *dsdt = (const struct acpi_header *)addr;

	if (!addr || memcmp(dsdt->signature, "DSDT", 4) || !acpi_table_valid(dsdt, NULL, 0))
		return NULL;
	*len = dsdt->length - ACPI_HEADER_SIZE;
	return (const u8 *)dsdt + ACPI_HEADER_SIZE;
}

static void gas_write8(const struct acpi_gas *g, u8 v)
{
	if (g->space_id == ACPI_GAS_IO)
		outb(v, (u16)g->address);
	else if (g->space_id == ACPI_GAS_MEMORY)
		*(volatile u8 *)g->address = v;
}

void acpi_poweroff(void)
{
	const struct acpi_fadt *fadt = (const void *)acpi_find_table("FACP", NULL, 0);
	const u8 *aml;
	size_t len;
	u8 typ_a, typ_b;

	if (!fadt || !(aml = fadt_dsdt(fadt, &len)) || !acpi_s5_sleep_type(aml, len, &typ_a, &typ_b))
		return;
	/* Hardware-reduced platforms (QEMU microvm) have a sleep control register instead. */
	if (ACPI_FADT_HAS(fadt, sleep_control) && (fadt->flags & ACPI_FADT_HW_REDUCED) &&
	    fadt->sleep_control.address) {
		gas_write8(&fadt->sleep_control,
			   (typ_a << ACPI_SLEEP_CTL_SLP_TYP_SHIFT) | ACPI_SLEEP_CTL_SLP_EN);
		return;
	}
	if (fadt->pm1a_cnt_blk)
		outw((typ_a << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN, fadt->pm1a_cnt_blk);
	if (fadt->pm1b_cnt_blk)
		outw((typ_b << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN, fadt->pm1b_cnt_blk);
}
#endif
