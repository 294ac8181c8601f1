/*
 * The common C start-up: every entry point (Multiboot, UEFI) fills a boot_info and calls
 * start_kernel(), which brings up the console, the boot CPU's descriptors, paging and the
 * page allocator, then runs the test's main() and exits with its status.
 */
#include "libcflat.h"
#include "acpi.h"
#include "alloc_page.h"
#include "apic.h"
#include "argv.h"
#include "boot.h"
#include "desc.h"
#include "uefi.h"
#include "hypervisor.h"
#include "options.h"
#include "percpu.h"
#include "processor.h"
#include "report.h"
#include "serial.h"
#include "smp.h"
#include "tsc.h"
#include "vm.h"

#define DEBUG_EXIT_PORT 0xf4
#define LOW_MEMORY_END (1ull << 20)

extern char __image_start[], __image_end[];
int main(int argc, char **argv);

static struct percpu boot_cpu_area;
static struct ist_stacks boot_cpu_ist;

void boot_add_mem(struct boot_info *boot, u64 start, u64 len, u32 type)
{
	if (!len)
		return;
	if (boot->nr_mem == BOOT_MAX_MEM_RANGES) {
		boot->mem_truncated = true;
		return;
	}
	boot->mem[boot->nr_mem++] = (struct mem_range){ start, start + len, type };
}

/* Feeds the RAM in [lo, hi) to the page allocator, less the kernel image. */
static void add_ram(const struct boot_info *boot, u64 lo, u64 hi)
{
	struct page_alloc *pa = kernel_page_alloc();

	for (int i = 0; i < boot->nr_mem; i++) {
		const struct mem_range *r = &boot->mem[i];
		u64 start = MAX(r->start, lo), end = MIN(r->end, hi);

		if (r->type == MEM_RAM && start < end && !page_alloc_add(pa, start, end))
			report_info("memory [0x%lx, 0x%lx) left unused: too many ranges", start, end);
	}
	/* Overlapping map entries of another type win: never hand out firmware's memory. */
	for (int i = 0; i < boot->nr_mem; i++)
		if (boot->mem[i].type != MEM_RAM)
			page_alloc_reserve(pa, boot->mem[i].start, boot->mem[i].end);
	page_alloc_reserve(pa, (u64)__image_start, (u64)__image_end);
}

static void memory_init(const struct boot_info *boot)
{
	u64 mapped_end;

	if (!boot->nr_mem)
		report_abort("%s gave no memory map", boot->loader);
	if (boot->mem_truncated)
		report_info("memory map has more than %d ranges; the rest is unused",
			    BOOT_MAX_MEM_RANGES);
	page_alloc_init(kernel_page_alloc());
	/* Below 1 MiB: firmware data, and room kept for the AP start-up trampoline. */
	add_ram(boot, LOW_MEMORY_END, 4ull << 30);
	mapped_end = vm_init(boot);
	add_ram(boot, 4ull << 30, mapped_end);
}

/* One line that says where the log came from, for logs read without the command line. */
static void report_boot(const struct boot_info *boot, const char *program)
{
	struct hypervisor_leaves hv = hypervisor_first();
	struct cpuid v = cpuid(0);
	char vendor[13] = { 0 };

	memcpy(vendor, &v.b, 4);
	memcpy(vendor + 4, &v.d, 4);
	memcpy(vendor + 8, &v.c, 4);
	report_info("boot: %s via %s, CPU %s, hypervisor %s, %s, APIC ID 0x%x, TSC %lu kHz (%s), "
		    "%lu MiB free",
		    program, boot->loader, vendor,
		    hv.base ? hv.signature : "none", this_cpu()->apic->name, this_cpu()->apic_id,
		    tsc_hz() / 1000, tsc_source(), page_alloc_free_pages(kernel_page_alloc()) >> 8);
}

static bool debug_exit_present(void)
{
	/* QEMU's isa-debug-exit reads as 0; an unclaimed port reads as all ones. */
	return inl(DEBUG_EXIT_PORT) != 0xffffffff;
}

void exit(int status)
{
	irq_disable();
	/* Seen on another PC emulator: powered off mid-FIFO, the log ended at "--- DONE:". */
	serial_drain();
	if (debug_exit_present())
		outl(status, DEBUG_EXIT_PORT);
	printf("--- DONE: %d ---\n", status);
	serial_drain();
	acpi_poweroff();
	efi_poweroff();
	for (;;)
		halt();
}

void abort(void)
{
	exit(1);
}

void assert_failed(const char *cond, const char *file, int line)
{
	report_abort("assertion failed: %s (%s:%d)", cond, file, line);
}

/*
 * Where ACPI is found: the loader's RSDP, else the BIOS areas, else the memory map's ACPI
 * reclaim ranges below 4 GiB, which the boot page tables map (where UEFI firmware puts it).
 */
static void acpi_init(const struct boot_info *boot)
{
	static struct acpi_area areas[BOOT_MAX_MEM_RANGES];
	int n = 0;

	acpi_set_rsdp_hint(boot->rsdp);
	for (int i = 0; i < boot->nr_mem; i++)
		if (boot->mem[i].type == MEM_ACPI && boot->mem[i].start < 4ull << 30)
			areas[n++] = (struct acpi_area){ boot->mem[i].start,
							 MIN(boot->mem[i].end, 4ull << 30) };
	acpi_set_rsdp_areas(areas, n);
}

/*
 * Every word of the command line is checked before anything reads an option or runs a check,
 * so a mistyped one cannot silently change the run: it is a usage error (status 2). "help"
 * lists the options and ends the run (status 0).
 */
static void read_options(int argc, char **argv)
{
	static const struct option *const tables[] = { common_options, program_options, NULL };
	char why[400];

	if (!options_check_tables(tables, why, sizeof(why)))
		report_abort("options: %s", why);
	if (!options_init(tables, argc, argv, why, sizeof(why)))
		report_usage("%s", why);
	if (option_flag("help")) {
		options_print_help(program_name);
		exit(0);
	}
}

void start_kernel(struct boot_info *boot)
{
	/* A word takes two bytes of the line at least, so none is dropped; +2: argv[0], NULL. */
	static char *argv[BOOT_CMDLINE_MAX / 2 + 2];
	int argc;

	serial_init();
	idt_init();
	percpu_init_this_cpu(&boot_cpu_area, 0, cpuid_apic_id(), &boot_cpu_ist);
	boot_cpu_area.online = 1;
	memory_init(boot);
	acpi_init(boot);
	smp_set_trampoline(boot->trampoline);
	if (boot->cmdline_truncated)
		report_usage("the kernel command line is longer than %d bytes",
			     BOOT_CMDLINE_MAX - 1);
	argc = split_cmdline(boot->cmdline, argv, ARRAY_SIZE(argv), program_name,
			     boot->cmdline_has_file_name);
	read_options(argc, argv);
	apic_setup_this_cpu(smp_want_x2apic());
	tsc_calibrate();
	report_boot(boot, argv[0]);
	exit(main(argc, argv));
}
