/*
 * ACPI tables (ACPI spec section 5.2): finding the RSDP, walking the XSDT or RSDT with every
 * checksum and length verified, the FADT, and the \_S5 sleep type used to power off.
 * Physical memory is identity-mapped, so a table's physical address is its pointer; that
 * also lets host unit tests build tables in ordinary buffers.
 */
#ifndef LIB_X86_ACPI_H
#define LIB_X86_ACPI_H

#include "libcflat.h"

#define ACPI_HEADER_SIZE 36
#define ACPI_TABLE_MAX_LENGTH (16u << 20) /* a sanity bound: no real table comes close */

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	u8 checksum;       /* of the first 20 bytes */
	char oem_id[6];
	u8 revision; /* 0: ACPI 1.0 (RSDT only); 2 and up: XSDT and the fields below */
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 extended_checksum; /* of all "length" bytes */
	u8 reserved[3];
} __attribute__((packed));

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __attribute__((packed));

/* Generic Address Structure */
struct acpi_gas {
	u8 space_id; /* 0 memory, 1 I/O port */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __attribute__((packed));

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1

struct acpi_fadt {
	struct acpi_header header;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	u32 pm1a_evt_blk, pm1b_evt_blk;
	u32 pm1a_cnt_blk, pm1b_cnt_blk;
	u32 pm2_cnt_blk;
	u32 pm_tmr_blk;
	u32 gpe0_blk, gpe1_blk;
	u8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	u8 gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	u16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	u8 duty_offset, duty_width, day_alrm, mon_alrm, century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control, sleep_status;
	u64 hypervisor_vendor;
} __attribute__((packed));

#define ACPI_FADT_HW_REDUCED BIT(20)
#define ACPI_PM1_SLP_EN BIT(13)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_SLEEP_CTL_SLP_EN BIT(5)
#define ACPI_SLEEP_CTL_SLP_TYP_SHIFT 2

/* True when the bytes sum to zero modulo 256. */
bool acpi_checksum_ok(const void *p, size_t len);
/* Scans [start, start + len) on 16-byte boundaries for a valid RSDP. */
const struct acpi_rsdp *acpi_scan_rsdp(u64 start, u64 len);
/* A physical memory range to look for the RSDP in: [start, end). */
struct acpi_area {
	u64 start, end;
};

/*
 * At most this much of each area is scanned, so that a firmware with many MiB of ACPI memory
 * cannot stall the boot: each MiB is 64 Ki reads, uncached (the boot page tables map only RAM
 * write-back) and, under some hypervisors, each one emulated. The RSDP sits with the tables it
 * points to, well inside it: OVMF's ACPI reclaim range is 72 KiB, the RSDP 68 KiB in.
 */
#define ACPI_AREA_SCAN_MAX (1u << 20)

/* Scans the first ACPI_AREA_SCAN_MAX bytes of each area in turn for a valid RSDP. */
const struct acpi_rsdp *acpi_scan_rsdp_areas(const struct acpi_area *areas, int n);
/* Checks a table's length and checksum; on failure writes why (naming the table) and returns false. */
bool acpi_table_valid(const struct acpi_header *t, char *why, size_t why_len);
/*
 * Finds a table through the XSDT (or the RSDT when there is no valid XSDT). Returns NULL when
 * absent or malformed; "why" (if not NULL) then says which, naming the offending table.
 */
const struct acpi_header *acpi_lookup(const struct acpi_rsdp *rsdp, const char *sig, char *why,
				      size_t why_len);
/* Reads SLP_TYPa/b from the \_S5 package in AML (a DSDT body); false if not found or malformed. */
bool acpi_s5_sleep_type(const u8 *aml, size_t len, u8 *slp_typ_a, u8 *slp_typ_b);
/* A field of the FADT, or zero when the table is too short to have it (older revisions). */
#define ACPI_FADT_HAS(fadt, field)                                                     \
	((fadt)->header.length >= __builtin_offsetof(struct acpi_fadt, field) +        \
					  sizeof((fadt)->field))

#ifndef HOST_TEST
/*
 * The RSDP from the boot loader, else found in the EBDA, the BIOS areas or the areas given to
 * acpi_set_rsdp_areas(); remembered after the first call.
 */
const struct acpi_rsdp *acpi_rsdp(void);
const struct acpi_header *acpi_find_table(const char *sig, char *why, size_t why_len);
/* Powers off through ACPI S5 (PM1 control or the sleep control register); returns on failure. */
void acpi_poweroff(void);
void acpi_set_rsdp_hint(u64 rsdp);
/* Areas searched last (the memory map's ACPI ranges); the array must outlive the search. */
void acpi_set_rsdp_areas(const struct acpi_area *areas, int n);
#endif

#endif
