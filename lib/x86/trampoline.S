/*
 * Application processor start-up. smp.c copies the trampoline below 1 MiB; a STARTUP IPI
 * with vector VV starts the AP there in real mode (CS = VV00h, IP = 0). Code outside long
 * mode is emulated, slowly, by some hypervisors (KVM on a paravirtual backend), so the
 * trampoline goes from real mode straight to long mode: CR0.PE and CR0.PG are set in one
 * write with EFER.LME already on, and a far jump loads the 64-bit code segment. Addresses
 * in it are link-time constants: the page tables and GDT stay where the kernel image is.
 */
#include "entry.h"
#include "msr.h"
	.section .rodata
	.code16
	.globl ap_trampoline_start, ap_trampoline_end
ap_trampoline_start:
	mov $0x20, %eax				/* CR4.PAE */
	mov %eax, %cr4
	mov %cs:(ap_cr3 - ap_trampoline_start), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx			/* EFER.LME */
	mov $0x100, %eax
	xor %edx, %edx
	wrmsr
	lgdtl %cs:(ap_gdt_desc - ap_trampoline_start)
	mov $0x80010033, %eax			/* CR0: PG, WP, NE, ET, MP, PE: its final value */
	mov %eax, %cr0
	ljmpl *%cs:(ap_far_jump - ap_trampoline_start)
	.align 4
ap_cr3:
	.long boot_pml4
ap_gdt_desc:
	.word 3 * 8 - 1				/* boot_gdt: null, 64-bit code, data */
	.long boot_gdt
ap_far_jump:
	.long ap_entry64
	.word 0x08
ap_trampoline_end:

	.text
	.code64
/*
 * Each AP takes the next start-up slot, whose stack smp.c prepared, and enters C with the
 * slot number. A slot number past the prepared ones means more APs woke than were started:
 * such an AP has no stack, so it stops here, and smp.c counts it from ap_boot_next.
 */
ap_entry64:
	load_data_segments
	mov $1, %eax
	lock xadd %eax, ap_boot_next(%rip)
	cmp ap_boot_count(%rip), %eax
	jae 1f
	mov ap_boot_stacks(%rip), %rcx
	mov (%rcx, %rax, 8), %rsp
	mov %eax, %edi
	call ap_start
1:	cli
	hlt
	jmp 1b
