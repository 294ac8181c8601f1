/*
 * The MADT ("APIC" table, ACPI spec "Multiple APIC Description Table"): processors (local
 * APIC entries, type 0, and local x2APIC entries, type 9), IOAPICs (type 1), interrupt source
 * overrides (type 2) and local APIC NMI entries (types 4 and 0xA). The parser is pure: it
 * reads only the bytes it is given, so host unit tests and a fuzz target drive it directly.
 */
#ifndef LIB_X86_MADT_H
#define LIB_X86_MADT_H

#include "libcflat.h"

#define MADT_MAX_IOAPICS 16
#define MADT_MAX_OVERRIDES 32
#define MADT_MAX_NMIS 16
#define MADT_SEEN_IDS 32768 /* APIC IDs below this are de-duplicated through a bitmap */

#define MADT_TYPE_LOCAL_APIC 0
#define MADT_TYPE_IOAPIC 1
#define MADT_TYPE_OVERRIDE 2
#define MADT_TYPE_LOCAL_APIC_NMI 4
#define MADT_TYPE_LOCAL_X2APIC 9
#define MADT_TYPE_LOCAL_X2APIC_NMI 0xa

#define MADT_CPU_ENABLED BIT(0)
#define MADT_CPU_ONLINE_CAPABLE BIT(1)
#define MADT_PCAT_COMPAT BIT(0)
#define MADT_NMI_ALL_PROCESSORS 0xffffffffu /* UID 0xFFFFFFFF, or 0xFF in a type 4 entry */

/* INTI flags of overrides and NMI entries */
#define MADT_POLARITY_MASK 0x3
#define MADT_POLARITY_ACTIVE_HIGH 0x1
#define MADT_POLARITY_ACTIVE_LOW 0x3
#define MADT_TRIGGER_MASK 0xc
#define MADT_TRIGGER_EDGE 0x4
#define MADT_TRIGGER_LEVEL 0xc

struct madt_cpu {
	u32 apic_id;
	u32 uid; /* ACPI processor ID (type 0) or UID (type 9) */
	u32 flags;
	u8 type;
};

struct madt_ioapic {
	u8 id;
	u32 address;
	u32 gsi_base;
};

struct madt_override {
	u8 bus;
	u8 source_irq;
	u32 gsi;
	u16 flags;
};

struct madt_nmi {
	u32 uid; /* MADT_NMI_ALL_PROCESSORS for all */
	u16 flags;
	u8 lint;
	u8 type;
};

/*
 * The processor entries go to an array the caller provides (cpus, room for max_cpus), sized
 * with madt_count_cpus(), so no machine size is built in. Parsing clears the counts and the
 * bitmap, not the arrays.
 */
struct madt_info {
	struct madt_cpu *cpus;
	int max_cpus;
	u32 lapic_address;
	u32 flags;
	int nr_cpus; /* distinct APIC IDs, in table order */
	int nr_enabled;
	int nr_online_capable; /* not enabled, but can be brought online */
	int nr_absent;         /* neither flag: possible-but-absent CPUs */
	int nr_duplicates;     /* entries whose APIC ID an earlier entry already gave */
	u32 first_duplicate_id;
	int nr_dropped; /* entries beyond max_cpus or the MADT_MAX_* limits */
	int nr_cpus_dropped; /* of which processor entries (distinct APIC IDs) */
	int nr_unknown; /* entries of types not parsed here (stepped over by length) */
	int nr_ioapics;
	int nr_overrides;
	int nr_nmis;
	u64 seen[MADT_SEEN_IDS / 64];
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	struct madt_nmi nmis[MADT_MAX_NMIS];
};

/*
 * How many processor entries (types 0 and 9, duplicates included) the len bytes of a MADT hold:
 * room for that many in info->cpus keeps every one. Counting stops where the entries stop
 * being well-formed, which is where madt_parse() fails.
 */
int madt_count_cpus(const void *table, size_t len);

/*
 * Parses a whole MADT of len bytes (header included), checking its signature, length and
 * checksum and every entry's length. Returns true on success; on failure writes why, naming
 * the offset and the entry type, and leaves in info what was read before the problem.
 */
bool madt_parse(const void *table, size_t len, struct madt_info *info, char *why, size_t why_len);

/* The CPU entry with this APIC ID, or NULL. */
const struct madt_cpu *madt_find_cpu(const struct madt_info *info, u32 apic_id);

#ifndef HOST_TEST
/*
 * The firmware's MADT, found and parsed once, with room for all its processors; NULL (with
 * why) when missing, malformed, or when memory for its processor list ran out.
 */
const struct madt_info *madt_firmware(char *why, size_t why_len);
#endif

#endif
