/*
 * vsnprintf for the freestanding library: %d %i %u %x %X %o %p %s %c %%, with flags
 * '-', '0', '#', ' ', '+', width and precision (also '*'), and length modifiers hh h l ll z j t.
 * No floating point: the kernel is built without SSE.
 */
#include "libcflat.h"

struct outbuf {
	char *buf;
	size_t size;
	size_t len; /* characters produced, which may exceed size */
};

struct spec {
	bool left, zero, alt, plus, space;
	int width;
	int precision; /* -1: none */
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Copies a run of characters at once: per-character work is costly where code is emulated. */
static void put_run(struct outbuf *o, const char *s, size_t n)
{
	size_t room = o->len + 1 < o->size ? o->size - 1 - o->len : 0;

	if (room)
		memcpy(o->buf + o->len, s, MIN(n, room));
	o->len += n;
}

static void put_string(struct outbuf *o, const char *s, const struct spec *sp)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		put_n(o, ' ', sp->width - len);
	put_run(o, s, len);
	if (sp->left)
		put_n(o, ' ', sp->width - len);
}

static void put_number(struct outbuf *o, unsigned long long v, bool negative, int base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	const char *prefix = "";
	int n = 0, zeros, prefix_len, total;

	for (; v; v /= base)
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	else if (sp->alt && base == 16 && n)
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && sp->precision <= n)
		prefix = "0";
	prefix_len = prefix[0] ? (prefix[1] ? 2 : 1) : 0;

	zeros = sp->precision > n ? sp->precision - n : 0;
	if (sp->precision < 0 && n == 0 && !prefix_len)
		zeros = 1; /* "0", but "%#o" of 0 already printed its prefix "0" */
	total = prefix_len + zeros + n;
	if (sp->zero && !sp->left && sp->precision < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		put_n(o, ' ', sp->width - total);
	for (; *prefix; prefix++)
		put(o, *prefix);
	put_n(o, '0', zeros);
	put_run(o, tmp + sizeof(tmp) - n, n);
	if (sp->left)
		put_n(o, ' ', sp->width - total);
}

/* Reads "%[flags][width][.precision]" after the '%'; returns the position after it. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *va)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*va, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*va, int);
			if (sp->precision < 0)
				sp->precision = -1;
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	return f;
}

/* Length modifiers, as the number of bytes of the argument (0: int). */
static const char *parse_length(const char *f, int *bytes)
{
	*bytes = 0;
	if (f[0] == 'h' && f[1] == 'h')
		return *bytes = 1, f + 2;
	if (f[0] == 'h')
		return *bytes = 2, f + 1;
	if (f[0] == 'l' && f[1] == 'l')
		return *bytes = 8, f + 2;
	if (f[0] == 'l' || f[0] == 'z' || f[0] == 'j' || f[0] == 't')
		return *bytes = 8, f + 1;
	return f;
}

static unsigned long long get_unsigned(va_list *va, int bytes)
{
	switch (bytes) {
	case 1:
		return (unsigned char)va_arg(*va, unsigned int);
	case 2:
		return (unsigned short)va_arg(*va, unsigned int);
	case 8:
		return va_arg(*va, unsigned long long);
	default:
		return va_arg(*va, unsigned int);
	}
}

static long long get_signed(va_list *va, int bytes)
{
	switch (bytes) {
	case 1:
		return (signed char)va_arg(*va, int);
	case 2:
		return (short)va_arg(*va, int);
	case 8:
		return va_arg(*va, long long);
	default:
		return va_arg(*va, int);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list va_in)
{
	struct outbuf o = { .buf = buf, .size = size };
	struct spec sp;
	va_list va;
	int bytes;

	va_copy(va, va_in);
	while (*fmt) {
		if (*fmt != '%') {
			const char *run = fmt;

			while (*fmt && *fmt != '%')
				fmt++;
			put_run(&o, run, fmt - run);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &va);
		fmt = parse_length(fmt, &bytes);
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = get_signed(&va, bytes);
			unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

			put_number(&o, mag, v < 0, 10, false, &sp);
			break;
		}
		case 'u':
			put_number(&o, get_unsigned(&va, bytes), false, 10, false, &sp);
			break;
		case 'x':
		case 'X':
			put_number(&o, get_unsigned(&va, bytes), false, 16, *fmt == 'X', &sp);
			break;
		case 'o':
			put_number(&o, get_unsigned(&va, bytes), false, 8, false, &sp);
			break;
		case 'p':
			sp.alt = true;
			put_number(&o, (uintptr_t)va_arg(va, void *), false, 16, false, &sp);
			break;
		case 's':
			put_string(&o, va_arg(va, const char *), &sp);
			break;
		case 'c': {
			char c[2] = { (char)va_arg(va, int), 0 };

			sp.precision = 1;
			put_string(&o, c, &sp);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* a lone '%' at the end */
			break;
		default: /* unknown conversion: show it rather than guess */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
		fmt++;
	}
	va_end(va);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

void explain(char *why, size_t why_len, const char *fmt, ...)
{
	va_list va;

	if (!why)
		return;
	va_start(va, fmt);
	vsnprintf(why, why_len, fmt, va);
	va_end(va);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list va;
	int n;

	va_start(va, fmt);
	n = vsnprintf(buf, size, fmt, va);
	va_end(va);
	return n;
}
