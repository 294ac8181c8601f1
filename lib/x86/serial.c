/*
 * The console on COM1, a 16550 UART at I/O port 0x3f8. The kernel programs it itself
 * (115200 baud, 8N1, FIFOs on) rather than trusting what firmware left. Once the line status
 * says the transmitter is empty, its 16-byte FIFO takes 16 bytes without another look, written
 * with one string instruction: each port access is a VM exit, and a hypervisor can take a
 * string of them in one. Every wait is bounded, so that no UART can hang us: a missing one reads
 * 0xff, which says ready; one whose line status never says ready is written to without waiting
 * after the first timeout, until it says ready again, else each 16 bytes of the log would cost
 * the whole bound: 100000 polls, each a VM exit under KVM.
 */
#include "libcflat.h"
#include "console.h"
#include "processor.h"
#include "serial.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_FCR_ENABLE_CLEAR 0x07
#define UART_MCR_DTR_RTS 0x03
#define UART_LSR_THRE 0x20 /* transmit holding register (FIFO) empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty: FIFO and shift register */
#define UART_FIFO_SIZE 16
/* Far above the 1.5 ms that 17 bytes take at 115200 baud, with a port read of ~1 us or more. */
#define TX_POLL_LIMIT 100000

static bool tx_timed_out;

void serial_init(void)
{
	outb(0, COM1 + UART_IER);
	outb(UART_LCR_DLAB, COM1 + UART_LCR);
	outb(1, COM1 + UART_DLL); /* 115200 baud */
	outb(0, COM1 + UART_DLM);
	outb(UART_LCR_8N1, COM1 + UART_LCR);
	outb(UART_FCR_ENABLE_CLEAR, COM1 + UART_FCR);
	outb(UART_MCR_DTR_RTS, COM1 + UART_MCR);
}

static void wait_line_status(u8 bits)
{
	int limit = tx_timed_out ? 1 : TX_POLL_LIMIT;

	for (int i = 0; i < limit; i++) {
		if ((inb(COM1 + UART_LSR) & bits) == bits) {
			tx_timed_out = false;
			return;
		}
	}
	tx_timed_out = true;
}

void serial_drain(void)
{
	wait_line_status(UART_LSR_TEMT);
}

void console_write(const char *s, size_t len)
{
	while (len) {
		size_t n = MIN(len, UART_FIFO_SIZE);

		wait_line_status(UART_LSR_THRE);
		len -= n;
		/* One string instruction: a hypervisor can take the whole chunk in one exit. */
		asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"(COM1 + UART_THR) : "memory");
	}
}
