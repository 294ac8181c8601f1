#include "madt.h"
#include "acpi.h"
#ifndef HOST_TEST
#include "alloc_page.h"
#endif

#define MADT_BODY_OFFSET 44 /* header, local APIC address, flags */

/* Smallest length of each entry type parsed here (ACPI 6.x; later revisions may add bytes). */
static size_t min_length(u8 type)
{
	switch (type) {
	case MADT_TYPE_LOCAL_APIC:
		return 8;
	case MADT_TYPE_IOAPIC:
		return 12;
	case MADT_TYPE_OVERRIDE:
		return 10;
	case MADT_TYPE_LOCAL_APIC_NMI:
		return 6;
	case MADT_TYPE_LOCAL_X2APIC:
		return 16;
	case MADT_TYPE_LOCAL_X2APIC_NMI:
		return 12;
	default:
		return 2;
	}
}

static u16 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

const struct madt_cpu *madt_find_cpu(const struct madt_info *info, u32 apic_id)
{
	for (int i = 0; i < info->nr_cpus; i++)
		if (info->cpus[i].apic_id == apic_id)
			return &info->cpus[i];
	return NULL;
}

/* Whether an earlier entry had this APIC ID; a bitmap keeps hundreds of CPUs linear. */
static bool seen_before(struct madt_info *info, u32 apic_id)
{
	u64 bit;

	if (apic_id >= MADT_SEEN_IDS)
		return madt_find_cpu(info, apic_id) != NULL;
	bit = 1ull << (apic_id % 64);
	if (info->seen[apic_id / 64] & bit)
		return true;
	info->seen[apic_id / 64] |= bit;
	return false;
}

static void add_cpu(struct madt_info *info, u8 type, u32 apic_id, u32 uid, u32 flags)
{
	if (seen_before(info, apic_id)) {
		if (!info->nr_duplicates++)
			info->first_duplicate_id = apic_id;
		return;
	}
	if (info->nr_cpus >= info->max_cpus) {
		info->nr_dropped++;
		info->nr_cpus_dropped++;
		return;
	}
	info->cpus[info->nr_cpus++] = (struct madt_cpu){ apic_id, uid, flags, type };
	if (flags & MADT_CPU_ENABLED)
		info->nr_enabled++;
	else if (flags & MADT_CPU_ONLINE_CAPABLE)
		info->nr_online_capable++;
	else
		info->nr_absent++;
}

static void add_entry(struct madt_info *info, const u8 *e)
{
	switch (e[0]) {
	case MADT_TYPE_LOCAL_APIC:
		add_cpu(info, e[0], e[3], e[2], get32(e + 4));
		break;
	case MADT_TYPE_LOCAL_X2APIC:
		add_cpu(info, e[0], get32(e + 4), get32(e + 12), get32(e + 8));
		break;
	case MADT_TYPE_IOAPIC:
		if (info->nr_ioapics == MADT_MAX_IOAPICS)
			info->nr_dropped++;
		else
			info->ioapics[info->nr_ioapics++] =
				(struct madt_ioapic){ e[2], get32(e + 4), get32(e + 8) };
		break;
	case MADT_TYPE_OVERRIDE:
		if (info->nr_overrides == MADT_MAX_OVERRIDES)
			info->nr_dropped++;
		else
			info->overrides[info->nr_overrides++] = (struct madt_override){
				e[2], e[3], get32(e + 4), get16(e + 8)
			};
		break;
	case MADT_TYPE_LOCAL_APIC_NMI:
	case MADT_TYPE_LOCAL_X2APIC_NMI: {
		bool x2 = e[0] == MADT_TYPE_LOCAL_X2APIC_NMI;
		u32 uid = x2 ? get32(e + 4) : (e[2] == 0xff ? MADT_NMI_ALL_PROCESSORS : e[2]);

		if (info->nr_nmis == MADT_MAX_NMIS)
			info->nr_dropped++;
		else
			info->nmis[info->nr_nmis++] = (struct madt_nmi){
				uid, get16(e + (x2 ? 2 : 3)), e[x2 ? 8 : 5], e[0]
			};
		break;
	}
	default:
		info->nr_unknown++;
	}
}

int madt_count_cpus(const void *table, size_t len)
{
	const u8 *t = table;
	size_t length;
	int n = 0;

	if (len < MADT_BODY_OFFSET)
		return 0;
	length = get32(t + 4) < len ? get32(t + 4) : len;
	if (length < MADT_BODY_OFFSET)
		return 0;
	for (size_t off = MADT_BODY_OFFSET; length - off >= 2;) {
		const u8 *e = t + off;

		if (e[1] < 2 || e[1] > length - off)
			break;
		n += e[0] == MADT_TYPE_LOCAL_APIC || e[0] == MADT_TYPE_LOCAL_X2APIC;
		off += e[1];
	}
	return n;
}

bool madt_parse(const void *table, size_t len, struct madt_info *info, char *why, size_t why_len)
{
	const struct acpi_header *h = table;
	const u8 *t = table;
	u32 length;

	memset(&info->lapic_address, 0, __builtin_offsetof(struct madt_info, ioapics) -
						__builtin_offsetof(struct madt_info, lapic_address));
	if (len < MADT_BODY_OFFSET) {
		explain(why, why_len, "MADT: %zu bytes, shorter than its %d-byte header", len,
		    MADT_BODY_OFFSET);
		return false;
	}
	if (memcmp(h->signature, "APIC", 4)) {
		explain(why, why_len, "MADT: signature is \"%.4s\", not \"APIC\"", h->signature);
		return false;
	}
	length = h->length;
	if (length < MADT_BODY_OFFSET || length > len) {
		explain(why, why_len, "MADT: length field %u is outside [%d, %zu]", length,
		    MADT_BODY_OFFSET, len);
		return false;
	}
	if (!acpi_checksum_ok(t, length)) {
		explain(why, why_len, "MADT: bad checksum over %u bytes", length);
		return false;
	}
	info->lapic_address = get32(t + 36);
	info->flags = get32(t + 40);
	for (u32 off = MADT_BODY_OFFSET; off < length;) {
		const u8 *e = t + off;
		u8 elen;

		if (length - off < 2) {
			explain(why, why_len, "MADT: 1 stray byte at offset %u, the end of the table",
			    off);
			return false;
		}
		elen = e[1];
		if (elen < min_length(e[0])) {
			explain(why, why_len, "MADT: entry type %u at offset %u has length %u, below %zu",
			    e[0], off, elen, min_length(e[0]));
			return false;
		}
		if (elen > length - off) {
			explain(why, why_len,
			    "MADT: entry type %u at offset %u has length %u, past the table end %u",
			    e[0], off, elen, length);
			return false;
		}
		add_entry(info, e);
		off += elen;
	}
	return true;
}

#ifndef HOST_TEST
/* Room for every processor entry of the table: its length, not a constant, sets the limit. */
static bool alloc_cpus(struct madt_info *info, const struct acpi_header *t, char *why,
		       size_t why_len)
{
	int n = madt_count_cpus(t, t->length);
	unsigned long pages = ALIGN_UP((u64)n * sizeof(*info->cpus), PAGE_SIZE) >> PAGE_SHIFT;

	info->cpus = alloc_pages(pages ? pages : 1);
	info->max_cpus = n;
	if (!info->cpus)
		explain(why, why_len, "MADT: no memory for its %d processor entries", n);
	return info->cpus != NULL;
}

const struct madt_info *madt_firmware(char *why, size_t why_len)
{
	static struct madt_info info;
	static char reason[160];
	static int state; /* 0 not yet read, 1 valid, -1 not usable */
	const struct acpi_header *t;

	if (!state) {
		t = acpi_find_table("APIC", reason, sizeof(reason));
		state = t && alloc_cpus(&info, t, reason, sizeof(reason)) &&
				madt_parse(t, t->length, &info, reason, sizeof(reason)) ? 1 : -1;
	}
	if (state < 0)
		explain(why, why_len, "%s", reason);
	return state > 0 ? &info : NULL;
}
#endif
