/*
 * The kernel's entry from its UEFI loader (lib/x86/efi/stub.c, efi-handover.h). The loader
 * has left boot services and copied the image to its link address; we arrive in 64-bit mode
 * on the firmware's identity-mapped page tables and GDT, %rdi = the handover block. From here
 * on the state is what the Multiboot entry sets up: the same GDT, page tables, CR0 and CR4.
 */
#include "entry.h"
#include "efi-handover.h"

	/* Found by the loader in the image's first 8 KiB (kernel.lds puts it there). */
	.section .efi_header, "a"
	.balign 8
	.quad EFI_IMAGE_MAGIC, __image_start, __image_data_end, __image_end, efi_entry64

	.text
	.code64
	.globl efi_entry64
efi_entry64:
	cli
	mov %rdi, %r12
	lgdt boot_gdt_desc64(%rip)
	lea boot_pml4(%rip), %rax
	mov %rax, %cr3
	mov $0x20, %eax			/* CR4.PAE, as the Multiboot entry leaves it */
	mov %rax, %cr4
	mov $0x80010033, %eax		/* CR0: PG, WP, NE, ET, MP, PE */
	mov %rax, %cr0
	/* A far return loads CS from boot_gdt. */
	pushq $0x08
	lea 1f(%rip), %rax
	push %rax
	lretq
1:	load_data_segments
	lea boot_stack_top(%rip), %rsp
	mov %r12, %rdi
	call efi_start			/* (handover); does not return */
	ud2

	.section .rodata
	.balign 8
boot_gdt_desc64:
	.word 3 * 8 - 1			/* boot_gdt: null, 64-bit code, data */
	.quad boot_gdt
