#ifndef LIB_X86_SERIAL_H
#define LIB_X86_SERIAL_H

/* Programs COM1; console output works from then on. */
void serial_init(void);
/*
 * Waits (bounded) until every byte written is on the wire, FIFO and shift register empty:
 * a machine powered off before loses what the UART still holds.
 */
void serial_drain(void);

#endif
