/*
 * A printf-style formatter for code without a C library: the hypervisor, the
 * guest kernel and (compiled for the host) the unit tests all use this file.
 * It emits one character at a time through a callback, so the same code
 * prints to a serial port or into a buffer.
 */
#include <stdbool.h>
#include <stdint.h>

#include <koan/exercise.h>
#include <koan/fmt.h>

/* Longest digit string: a 64-bit value in base 2. */
#define DIGITS_MAX 64

/*
 * Write the digits of `value` in `base` (2 to 16) into `buf`, most significant
 * digit first, NUL-terminated; `upper` selects A-F over a-f. `buf` has room for
 * DIGITS_MAX + 1 bytes. Returns the number of digits written. Zero is "0".
 */
static int utoa(unsigned long long value, unsigned base, bool upper, char *buf)
{
	// BEGIN EXERCISE lab1.1: digits of a number (lab1-boot/README.md, Exercise 1)
	//   In: any value, a base from 2 to 16, upper (A-F) or not (a-f).
	//   Out: buf holds the digits, most significant first (no NUL after
	//   them); the return value is their count. No leading zeros, but 0 is
	//   "0". Uses no division routine beyond / and % of unsigned long long.
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		buf[n++] = digits[value % base];
		value /= base;
	} while (value != 0);

	for (int i = 0, j = n - 1; i < j; i++, j--) {
		char t = buf[i];
		buf[i] = buf[j];
		buf[j] = t;
	}
	return n;
	// STUB
	//> EXERCISE_TODO("lab1.1", "utoa() in lib/fmt.c does not convert numbers yet");
	//> (void)value, (void)base, (void)upper;
	//> buf[0] = '?';
	//> return 1;
	// END EXERCISE
}

struct spec {
	bool left;     /* '-': pad on the right */
	bool zero;     /* '0': pad numbers with zeros */
	int width;     /* minimum field width */
	int precision; /* for %s: maximum characters; -1 if none */
	int longs;     /* number of 'l' modifiers */
};

struct out {
	fmt_emit_fn emit;
	void *ctx;
	int count;
};

static void put(struct out *o, char c)
{
	o->emit(o->ctx, c);
	o->count++;
}

static void put_padding(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emit `len` bytes of `s` in a field of the spec's width. */
static void put_field(struct out *o, const struct spec *sp, const char *sign, const char *s,
		      int len)
{
	// BEGIN EXERCISE lab1.9: a field (lab1-boot/README.md, Exercise 1)
	//   In: the sign ("" or "-"), the text s[0 .. len), and the spec's width
	//   and flags. Out, through put(): the sign, then the text, in a field of
	//   at least `width` characters, never cut. The padding is spaces before
	//   the sign, or with '-' spaces after the text; with '0' (and no '-'),
	//   zeros between the sign and the text. As C's printf does it.
	int signlen = sign[0] ? 1 : 0;
	int pad = sp->width - len - signlen;

	if (!sp->left && !sp->zero)
		put_padding(o, ' ', pad);
	if (signlen)
		put(o, sign[0]);
	if (!sp->left && sp->zero)
		put_padding(o, '0', pad);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		put_padding(o, ' ', pad);
	// STUB
	//> EXERCISE_TODO("lab1.9", "put_field() in lib/fmt.c pads nothing yet");
	//> (void)sp, (void)put_padding;
	//> if (sign[0])
	//> 	put(o, sign[0]);
	//> for (int i = 0; i < len; i++)
	//> 	put(o, s[i]);
	// END EXERCISE
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (sp->longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long fetch_signed(const struct spec *sp, va_list *ap)
{
	if (sp->longs >= 2)
		return va_arg(*ap, long long);
	if (sp->longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void put_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
	char buf[DIGITS_MAX + 1];
	struct spec psp = *sp;
	unsigned long long u = (uintptr_t)va_arg(*ap, void *);
	int len = utoa(u, 16, false, buf);

	psp.zero = true;
	psp.left = false;
	psp.width = 2 * (int)sizeof(void *);
	put(o, '0');
	put(o, 'x');
	put_field(o, &psp, "", buf, len);
}

static void put_number(struct out *o, const struct spec *sp, char conv, va_list *ap)
{
	char buf[DIGITS_MAX + 1];
	const char *sign = "";
	int len;

	if (conv == 'd' || conv == 'i') {
		long long v = fetch_signed(sp, ap);
		/* Negate in unsigned arithmetic: -LLONG_MIN overflows a long long. */
		unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
		sign = v < 0 ? "-" : "";
		len = utoa(u, 10, false, buf);
	} else {
		unsigned long long u = fetch_unsigned(sp, ap);
		len = utoa(u, conv == 'u' ? 10 : 16, conv == 'X', buf);
	}
	put_field(o, sp, sign, buf, len);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	struct spec ssp = *sp;
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	ssp.zero = false;
	put_field(o, &ssp, "", s, len);
}

/* Parse flags, width, precision and length of one conversion; returns the
 * conversion character and advances *fmtp past it. */
static char parse_spec(const char **fmtp, struct spec *sp, va_list *ap)
{
	const char *f = *fmtp;

	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	while (*f == 'l') {
		sp->longs++;
		f++;
	}
	char conv = *f;
	if (conv)
		f++;
	*fmtp = f;
	return conv;
}

int kvformat(fmt_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { emit, ctx, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		struct spec sp;
		char conv = parse_spec(&fmt, &sp, &args);
		if (conv == '\0')
			break;
		switch (conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X': put_number(&o, &sp, conv, &args); break;
		case 'p': put_pointer(&o, &sp, &args); break;
		case 's': put_string(&o, &sp, va_arg(args, const char *)); break;
		case 'c': {
			char c = (char)va_arg(args, int);
			put_field(&o, &sp, "", &c, 1);
			break;
		}
		case '%': put(&o, '%'); break;
		default: /* unknown conversion: show it rather than guess */
			put(&o, '%');
			put(&o, conv);
			break;
		}
	}
	va_end(args);
	return o.count;
}

struct bufctx {
	char *buf;
	size_t size;
	size_t used;
};

static void emit_to_buffer(void *ctx, char c)
{
	struct bufctx *b = ctx;

	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct bufctx b = { buf, size, 0 };
	int n = kvformat(emit_to_buffer, &b, fmt, ap);

	if (size > 0)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
