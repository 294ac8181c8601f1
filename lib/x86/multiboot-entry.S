/*
 * Multiboot (v1) entry. The header uses the address fields (flag bit 16), so loaders that
 * accept only 32-bit ELF files, as QEMU's -kernel does, still load this ELF64 image.
 *
 * The loader leaves us in 32-bit protected mode. Under a hypervisor that emulates code
 * outside long mode (KVM nested on a paravirtual backend does), every instruction here is
 * slow, and some (x87, 32-bit iret) are missing, so the 32-bit part only switches to long
 * mode with page tables built at link time, takes no interrupt, and goes straight to C.
 */
#include "entry.h"
#include "msr.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* page-align modules, memory map, addresses */

	.section .multiboot, "a"
	.align 4
multiboot_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long multiboot_header, __image_start, __image_data_end, __image_end, multiboot_entry

	.section .text.entry, "ax"
	.code32
	.globl multiboot_entry
multiboot_entry:
	/* EAX = loader magic and EBX = info pointer stay in ESI/EDI for the C call below. */
	mov %eax, %edi
	mov %ebx, %esi
	lgdt boot_gdt_desc
	mov $0x20, %eax			/* CR4.PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx		/* EFER.LME */
	mov $0x100, %eax
	xor %edx, %edx
	wrmsr
	mov $0x80010033, %eax		/* CR0: PG, WP, NE, ET, MP, PE: its final value */
	mov %eax, %cr0
	ljmp $0x08, $entry64

	.code64
entry64:
	load_data_segments
	lea boot_stack_top(%rip), %rsp
	/* Loaders should clear BSS, but do not rely on it. */
	mov %edi, %r12d
	mov %esi, %r13d
	lea __image_data_end(%rip), %rdi
	lea __image_end(%rip), %rcx
	sub %rdi, %rcx
	shr $3, %rcx
	xor %eax, %eax
	rep stosq
	mov %r12d, %edi
	mov %r13d, %esi
	call multiboot_start		/* (magic, info); does not return */
	ud2

	/* Used only to reach long mode; each CPU then loads its own GDT (desc.c). */
	.section .rodata
	.align 16
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	/*
	 * The first 4 GiB identity-mapped with 2 MiB pages: the first one (holding the kernel)
	 * write-back, the rest uncached until start-up makes the RAM that the memory map reports
	 * write-back and maps any RAM above 4 GiB (vm.c). Starting uncached keeps the run-time
	 * work to the RAM ranges, not a pass over every page.
	 */
	.section .pagetables, "aw"
	.align 4096
	.globl boot_pml4, boot_pdpt, boot_pd
boot_pml4:
	.quad boot_pdpt + 0x3
	.fill 511, 8, 0
boot_pdpt:
	.quad boot_pd + 0x0003, boot_pd + 0x1003, boot_pd + 0x2003, boot_pd + 0x3003
	.fill 508, 8, 0
boot_pd:
	.quad 0x83			/* present, writable, 2 MiB page */
	.set addr, 0x200000
	.rept 2047
	.quad addr | 0x9b		/* present, writable, PWT | PCD: uncached, 2 MiB page */
	.set addr, addr + 0x200000
	.endr

	.section .bss
	.align 4096
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
