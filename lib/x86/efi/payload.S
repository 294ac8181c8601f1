/*
 * One program's kernel image inside its UEFI loader: PAYLOAD is x86/<name>.bin, the .elf as a
 * flat binary (objcopy -O binary), and PROGRAM its name for the loader's messages.
 */
	.section .rodata.payload, "a"
	.balign 16
	.globl payload_start, payload_end, payload_name
	.hidden payload_start, payload_end, payload_name
payload_start:
	.incbin PAYLOAD
payload_end:
payload_name:
	.asciz PROGRAM

	.section .note.GNU-stack, "", @progbits
