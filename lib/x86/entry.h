/* Assembly shared by the entry points: the BSP's (multiboot-entry.S) and the APs' (trampoline.S). */
#ifndef LIB_X86_ENTRY_H
#define LIB_X86_ENTRY_H

/* In 64-bit mode: the data segments from boot_gdt (0x10), FS and GS null. */
.macro load_data_segments
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
.endm

#endif
