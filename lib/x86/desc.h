/*
 * Descriptor tables and exceptions (SDM Vol. 3A, "Interrupt and Exception Handling"):
 * a GDT and TSS per CPU with separate stacks for NMI, #DF and #MC, one IDT with all 256
 * vectors, handlers per vector, and running code that is expected to fault.
 */
#ifndef LIB_X86_DESC_H
#define LIB_X86_DESC_H

#include "libcflat.h"
#include "percpu.h"

#define DE_VECTOR 0
#define DB_VECTOR 1
#define NMI_VECTOR 2
#define BP_VECTOR 3
#define OF_VECTOR 4
#define BR_VECTOR 5
#define UD_VECTOR 6
#define NM_VECTOR 7
#define DF_VECTOR 8
#define TS_VECTOR 10
#define NP_VECTOR 11
#define SS_VECTOR 12
#define GP_VECTOR 13
#define PF_VECTOR 14
#define MF_VECTOR 16
#define AC_VECTOR 17
#define MC_VECTOR 18
#define XM_VECTOR 19
#define VE_VECTOR 20
#define CP_VECTOR 21

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define KERNEL_TSS 0x18

/* What catch_exception() and the *_safe helpers return when nothing was raised. */
#define NO_EXCEPTION (-1)

/* The registers as the common interrupt entry (isr.S) saves them, lowest address first. */
struct ex_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler_t)(struct ex_regs *regs);

/* Builds the shared IDT; once, on the boot CPU, before any CPU loads its descriptors. */
void idt_init(void);
/* Installs a handler for a vector on all CPUs; NULL restores the default. */
void set_handler(u8 vector, irq_handler_t handler);

/*
 * Runs fn(arg); if it raises an exception (not an NMI or #MC), unwinds back here and returns
 * the vector, with the details in last_fault(). Returns NO_EXCEPTION if fn returned normally.
 */
int catch_exception(void (*fn)(void *), void *arg);
const struct fault *last_fault(void);

int rdmsr_safe(u32 index, u64 *value);
int wrmsr_safe(u32 index, u64 value);

const char *exception_mnemonic(int vector);

#endif
