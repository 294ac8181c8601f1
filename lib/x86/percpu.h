/*
 * The per-CPU area: everything one CPU owns, reached through GS (its first field points
 * to itself) and indexed by CPU number (0 is the boot CPU). The SMP start-up allocates one
 * for each application processor; the boot CPU's is static.
 */
#ifndef LIB_X86_PERCPU_H
#define LIB_X86_PERCPU_H

/*
 * The most CPUs the kernel numbers: as many as the APIC IDs an MSI's extended destination ID
 * (15 bits) reaches. Per-CPU state is sized by the CPUs the MADT lists, not by this.
 */
#define MAX_CPUS 32768
#define PERCPU_CATCH_RSP 8 /* offset of catch_rsp, used by isr.S */
#define IST_STACK_SIZE 4096

#ifndef __ASSEMBLER__
#include "libcflat.h"

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct apic_ops;

/* Work that on_cpu() hands to a CPU; the CPU runs it from its idle loop. */
struct smp_work {
	void (*fn)(void *arg);
	void *arg;
	int state; /* SMP_WORK_IDLE, _CLAIMED (a sender is writing it), _QUEUED or _RUNNING */
};

/* The last exception a catch_exception() caught on this CPU. */
struct fault {
	int vector;
	u64 error_code;
	u64 rip;
	u64 cr2; /* for #PF */
};

struct percpu {
	struct percpu *self;
	u64 catch_rsp; /* the stack of the innermost catch_exception(), 0 when none */
	u32 cpu;
	u32 apic_id;
	const struct apic_ops *apic; /* this CPU's xAPIC or x2APIC access, once set up */
	int online;
	int claimed;   /* an AP has taken this area (two APs with one ID must not share it) */
	u64 stack_top; /* the stack the AP runs on, kept for restarts */
	struct smp_work work;
	struct fault fault;
	int irq_depth;   /* interrupt and NMI handlers running on this CPU */
	int catch_depth; /* irq_depth where the innermost catch_exception() was entered */
	u64 gdt[5]; /* null, 64-bit code, data, TSS (two slots) */
	struct tss64 tss;
} __attribute__((aligned(64))); /* the areas sit in one array: no AP writes a neighbour's line */

/* The stacks NMI, #DF and #MC switch to, whatever state the interrupted stack is in. */
struct ist_stacks {
	u8 nmi[IST_STACK_SIZE] __attribute__((aligned(16)));
	u8 df[IST_STACK_SIZE] __attribute__((aligned(16)));
	u8 mc[IST_STACK_SIZE] __attribute__((aligned(16)));
};

_Static_assert(__builtin_offsetof(struct percpu, catch_rsp) == PERCPU_CATCH_RSP,
	       "isr.S relies on this offset");

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	asm volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline u32 smp_processor_id(void)
{
	return this_cpu()->cpu;
}

/*
 * Fills in a zeroed per-CPU area, records it under its CPU number, and loads it on this CPU:
 * GS, its GDT and TSS (with the given IST stacks) and the shared IDT.
 */
void percpu_init_this_cpu(struct percpu *pc, u32 cpu, u32 apic_id, struct ist_stacks *ist);
/* The per-CPU area of CPU cpu, NULL if none (yet) or cpu is out of range. */
struct percpu *percpu_of(u32 cpu);
/*
 * Makes room for CPU numbers 0 to n - 1 in the table percpu_of() reads; false when memory
 * ran out. Called once the MADT is known, before any AP is started.
 */
bool percpu_table_resize(u32 n);

#endif
#endif
