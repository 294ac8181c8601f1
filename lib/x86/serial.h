#ifndef LIB_X86_SERIAL_H
#define LIB_X86_SERIAL_H

/* Programs COM1; console output works from then on. */
void serial_init(void);

#endif
