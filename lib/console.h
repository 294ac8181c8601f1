/* The console the library prints to; the architecture provides console_write(). */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>

void console_write(const char *s, size_t len);

#endif
