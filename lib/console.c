/*
 * printf and puts on top of the architecture's console_write(). A whole call goes out under
 * one lock, so output from several CPUs never interleaves within a line.
 */
#include "libcflat.h"
#include "console.h"
#include "spinlock.h"

static struct spinlock console_lock;

void puts(const char *s)
{
	spin_lock(&console_lock);
	console_write(s, strlen(s));
	spin_unlock(&console_lock);
}

int vprintf(const char *fmt, va_list va)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, va);

	puts(buf);
	if (n >= (int)sizeof(buf))
		puts(" [line truncated]\n");
	return n;
}

int printf(const char *fmt, ...)
{
	va_list va;
	int n;

	va_start(va, fmt);
	n = vprintf(fmt, va);
	va_end(va);
	return n;
}
