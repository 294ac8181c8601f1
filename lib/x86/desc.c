#include "desc.h"
#include "alloc_page.h"
#include "apic.h"
#include "percpu.h"
#include "processor.h"
#include "report.h"

struct idt_entry {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset1;
	u32 offset2;
	u32 reserved;
} __attribute__((packed));

struct table_desc {
	u16 limit;
	u64 base;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define IST_NMI 1
#define IST_DF 2
#define IST_MC 3

extern char isr_stubs[], catch_resume[];

static struct idt_entry idt[256] __attribute__((aligned(16)));
static irq_handler_t handlers[256];

static const char *const mnemonics[32] = {
	[DE_VECTOR] = "#DE", [DB_VECTOR] = "#DB", [NMI_VECTOR] = "NMI", [BP_VECTOR] = "#BP",
	[OF_VECTOR] = "#OF", [BR_VECTOR] = "#BR", [UD_VECTOR] = "#UD", [NM_VECTOR] = "#NM",
	[DF_VECTOR] = "#DF", [TS_VECTOR] = "#TS", [NP_VECTOR] = "#NP", [SS_VECTOR] = "#SS",
	[GP_VECTOR] = "#GP", [PF_VECTOR] = "#PF", [MF_VECTOR] = "#MF", [AC_VECTOR] = "#AC",
	[MC_VECTOR] = "#MC", [XM_VECTOR] = "#XM", [VE_VECTOR] = "#VE", [CP_VECTOR] = "#CP",
};

const char *exception_mnemonic(int vector)
{
	if (vector >= 0 && vector < 32 && mnemonics[vector])
		return mnemonics[vector];
	return vector >= 0 && vector < 32 ? "reserved exception" : "interrupt";
}

static void set_gate(int vector, int ist)
{
	u64 addr = (u64)isr_stubs + 16 * vector;

	idt[vector] = (struct idt_entry){
		.offset0 = (u16)addr,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset1 = (u16)(addr >> 16),
		.offset2 = (u32)(addr >> 32),
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	/* NMI, #DF and #MC may arrive on a broken stack: give them their own. */
	set_gate(NMI_VECTOR, IST_NMI);
	set_gate(DF_VECTOR, IST_DF);
	set_gate(MC_VECTOR, IST_MC);
}

void set_handler(u8 vector, irq_handler_t handler)
{
	__atomic_store_n(&handlers[vector], handler, __ATOMIC_RELEASE);
}

static u64 tss_descriptor_low(u64 base)
{
	return 103 /* limit */ | ((base & 0xffffff) << 16) | (0x89ull << 40) |
	       ((base >> 24) & 0xff) << 56;
}

static void load_descriptors(struct percpu *pc, struct ist_stacks *ist)
{
	struct table_desc gdtr = { sizeof(pc->gdt) - 1, (u64)pc->gdt };
	struct table_desc idtr = { sizeof(idt) - 1, (u64)idt };
	u64 tss = (u64)&pc->tss;

	pc->gdt[0] = 0;
	pc->gdt[1] = 0x00af9b000000ffffull; /* 64-bit code */
	pc->gdt[2] = 0x00cf93000000ffffull; /* data */
	pc->gdt[3] = tss_descriptor_low(tss);
	pc->gdt[4] = tss >> 32;
	pc->tss.ist[IST_NMI - 1] = (u64)ist->nmi + sizeof(ist->nmi);
	pc->tss.ist[IST_DF - 1] = (u64)ist->df + sizeof(ist->df);
	pc->tss.ist[IST_MC - 1] = (u64)ist->mc + sizeof(ist->mc);
	pc->tss.iomap_base = sizeof(pc->tss);

	/*
	 * The entry code already loaded KERNEL_CS and KERNEL_DS from boot_gdt, whose first
	 * descriptors this GDT repeats, so the segment registers need no reload.
	 */
	asm volatile("lgdt %0" ::"m"(gdtr));
	asm volatile("ltr %w0" ::"r"(KERNEL_TSS));
	asm volatile("lidt %0" ::"m"(idtr));
}

/* By CPU number; holds the boot CPU alone until SMP start-up knows how many CPUs there are. */
static struct percpu *boot_percpus[1];
static struct percpu **percpus = boot_percpus;
static u32 nr_percpus = ARRAY_SIZE(boot_percpus);

bool percpu_table_resize(u32 n)
{
	struct percpu **table;

	if (n <= nr_percpus)
		return true;
	table = alloc_pages_zeroed(ALIGN_UP(n * sizeof(*table), PAGE_SIZE) >> PAGE_SHIFT);
	if (!table)
		return false;
	memcpy(table, percpus, nr_percpus * sizeof(*table));
	percpus = table;
	nr_percpus = n;
	return true;
}

void percpu_init_this_cpu(struct percpu *pc, u32 cpu, u32 apic_id, struct ist_stacks *ist)
{
	pc->self = pc;
	pc->cpu = cpu;
	pc->apic_id = apic_id;
	pc->fault.vector = NO_EXCEPTION;
	wrmsr(MSR_GS_BASE, (u64)pc);
	load_descriptors(pc, ist);
	__atomic_store_n(&percpus[cpu], pc, __ATOMIC_RELEASE);
}

struct percpu *percpu_of(u32 cpu)
{
	return cpu < nr_percpus ? __atomic_load_n(&percpus[cpu], __ATOMIC_ACQUIRE) : NULL;
}

int catch_exception_on_stack(void (*fn)(void *), void *arg);

int catch_exception(void (*fn)(void *), void *arg)
{
	struct percpu *pc = this_cpu();
	int outer = pc->catch_depth, vector;

	/* Only faults of fn itself are caught, not those of an interrupt handler running in it. */
	pc->catch_depth = pc->irq_depth;
	vector = catch_exception_on_stack(fn, arg);
	pc->catch_depth = outer;
	return vector;
}

const struct fault *last_fault(void)
{
	return &this_cpu()->fault;
}

static bool catchable(u64 vector)
{
	/* NMI and #MC are not caused by the code that runs, so they are never "its" fault. */
	return vector < 32 && vector != NMI_VECTOR && vector != MC_VECTOR;
}

static void dump_registers(const struct ex_regs *r)
{
	printf("  RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n"
	       "  RSI=%016lx RDI=%016lx RBP=%016lx RSP=%016lx\n"
	       "  R8 =%016lx R9 =%016lx R10=%016lx R11=%016lx\n"
	       "  R12=%016lx R13=%016lx R14=%016lx R15=%016lx\n"
	       "  RFLAGS=%08lx CS=%04lx SS=%04lx CR0=%08lx CR3=%08lx CR4=%08lx\n",
	       r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8, r->r9,
	       r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rflags, r->cs, r->ss,
	       read_cr0(), read_cr3(), read_cr4());
}

static void unexpected_exception(struct ex_regs *r)
{
	struct percpu *pc = this_cpu();
	char cr2[32] = "";

	if (r->vector == PF_VECTOR)
		snprintf(cr2, sizeof(cr2), ", CR2 0x%lx", read_cr2());
	report_fail("unexpected exception: vector %lu (%s), error code 0x%lx, RIP 0x%lx%s, "
		    "APIC ID 0x%x, CPU %u",
		    r->vector, exception_mnemonic(r->vector), r->error_code, r->rip, cr2,
		    pc->apic_id, pc->cpu);
	dump_registers(r);
	exit(report_summary());
}

void do_interrupt(struct ex_regs *r);

void do_interrupt(struct ex_regs *r)
{
	struct percpu *pc = this_cpu();
	irq_handler_t handler = __atomic_load_n(&handlers[r->vector], __ATOMIC_ACQUIRE);

	if (pc->catch_rsp && catchable(r->vector) && pc->irq_depth == pc->catch_depth) {
		pc->fault = (struct fault){
			.vector = r->vector,
			.error_code = r->error_code,
			.rip = r->rip,
			.cr2 = r->vector == PF_VECTOR ? read_cr2() : 0,
		};
		r->rsp = pc->catch_rsp;
		r->rip = (u64)catch_resume;
		r->rax = r->vector;
		return;
	}
	if (handler) {
		pc->irq_depth++;
		handler(r);
		pc->irq_depth--;
		return;
	}
	if (r->vector < 32) {
		unexpected_exception(r);
		return;
	}
	report_fail("unexpected interrupt: vector 0x%lx on APIC ID 0x%x, CPU %u", r->vector,
		    pc->apic_id, pc->cpu);
	apic_eoi_if_in_service(r->vector);
}

struct msr_access {
	u32 index;
	u64 value;
};

static void do_rdmsr(void *arg)
{
	struct msr_access *m = arg;

	m->value = rdmsr(m->index);
}

static void do_wrmsr(void *arg)
{
	struct msr_access *m = arg;

	wrmsr(m->index, m->value);
}

int rdmsr_safe(u32 index, u64 *value)
{
	struct msr_access m = { .index = index };
	int vector = catch_exception(do_rdmsr, &m);

	*value = m.value;
	return vector;
}

int wrmsr_safe(u32 index, u64 value)
{
	struct msr_access m = { .index = index, .value = value };

	return catch_exception(do_wrmsr, &m);
}
