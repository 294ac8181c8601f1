/*
 * Reads the Multiboot (v1) information structure into a boot_info. Everything is copied,
 * so the loader's structures may be overwritten once start-up begins allocating memory.
 */
#include "boot.h"

#define MULTIBOOT_LOADER_MAGIC 0x2badb002
#define MBI_MEM BIT(0)
#define MBI_CMDLINE BIT(2)
#define MBI_MMAP BIT(6)
#define MBI_BOOT_LOADER_NAME BIT(9)

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper; /* KiB below 1 MiB and above 1 MiB */
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __attribute__((packed));

struct multiboot_mmap_entry {
	u32 size; /* of the rest of the entry */
	u64 addr, len;
	u32 type;
} __attribute__((packed));

static struct boot_info boot;

static void read_mmap(const struct multiboot_info *mbi)
{
	u64 p = mbi->mmap_addr, end = (u64)mbi->mmap_addr + mbi->mmap_length;

	while (p + sizeof(struct multiboot_mmap_entry) <= end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		boot_add_mem(&boot, e->addr, e->len, e->type);
		p += e->size + sizeof(e->size);
	}
}

/*
 * Names the loader in the boot line ("multiboot (GRUB 2.06-13+deb12u2)"). QEMU's -kernel
 * calls itself "qemu" (hw/i386/multiboot.c) and is the loader known to put the file name
 * before the arguments; GRUB 2 leaves it out (grub-core/loader/multiboot.c).
 */
static void read_loader_name(const struct multiboot_info *mbi)
{
	static char loader[80];
	const char *name = "unnamed";

	if (mbi->flags & MBI_BOOT_LOADER_NAME)
		name = (const char *)(u64)mbi->boot_loader_name;
	snprintf(loader, sizeof(loader), "multiboot (%.64s)", name);
	boot.loader = loader;
	boot.cmdline_has_file_name = !strncmp(name, "qemu", 4);
}

void multiboot_start(u32 magic, u32 info) __noreturn;

void multiboot_start(u32 magic, u32 info)
{
	const struct multiboot_info *mbi = (const void *)(u64)info;

	if (magic != MULTIBOOT_LOADER_MAGIC) {
		boot.loader = "an unknown loader (no Multiboot magic in EAX)";
		start_kernel(&boot);
	}
	read_loader_name(mbi);
	if (mbi->flags & MBI_CMDLINE) {
		const char *cmdline = (const char *)(u64)mbi->cmdline;

		boot.cmdline_truncated = strlcpy(boot.cmdline, cmdline, sizeof(boot.cmdline)) >=
					 sizeof(boot.cmdline);
	}
	if (mbi->flags & MBI_MMAP) {
		read_mmap(mbi);
	} else if (mbi->flags & MBI_MEM) {
		boot_add_mem(&boot, 0, (u64)mbi->mem_lower << 10, MEM_RAM);
		boot_add_mem(&boot, 1ull << 20, (u64)mbi->mem_upper << 10, MEM_RAM);
	}
	start_kernel(&boot);
}
