/* text.c — see text.h.  Built on utf8proc; the strict UTF-8 decoder is
 * our own so that the rules (no NUL, no overlongs, no surrogates) are in
 * one place and visible. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/text.h"

/*
 * Decodes one code point from s[i..len).  Returns its length in bytes
 * (1–4) and stores it in *cp, or returns 0 when the bytes at i are not a
 * well-formed sequence (Unicode 15, table 3-7) or are a NUL.  The ranges
 * of the second byte after E0, ED, F0 and F4 are what exclude overlongs,
 * surrogates and values above U+10FFFF.
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
	unsigned c = s[i];
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
	uint32_t v;

	if (c == 0)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;   /* 80..C1 (continuation or overlong lead), F5..FF */
	}
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		unsigned b = s[i + k];
		if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
			return 0;
		v = (v << 6) | (b & 0x3F);
	}
	*cp = v;
	return n;
}

int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	if (len && !s)
		return 0;
	while (i < len) {
		/* ASCII fast path: eight bytes at a time would be faster still,
		 * but bodies are capped well below where it matters. */
		if (u[i] != 0 && u[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_decode(u, len, i, &cp);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Feeds one code point into *run, the length of the current run of
 * combining marks (canonical combining class > 0) counted after canonical
 * decomposition, since a mark can hide inside a precomposed character
 * (U+0F73 is two marks).  Returns -1 when the run passes TEXT_MAX_MARKS. */
static int
marks_step(uint32_t cp, size_t *run)
{
	utf8proc_int32_t d[32];
	int bc = 0;

	if (cp < 0xC0) {   /* nothing below U+00C0 is or holds a mark (U+00C0
	                    * itself is A + grave, U+0201 a + double grave) */
		*run = 0;
		return 0;
	}
	utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, d,
	                                             32, UTF8PROC_DECOMPOSE, &bc);
	if (n < 0 || n > 32)
		return -1;   /* cannot happen for a valid code point */
	for (utf8proc_ssize_t k = 0; k < n; k++) {
		if (utf8proc_get_property(d[k])->combining_class == 0)
			*run = 0;
		else if (++*run > TEXT_MAX_MARKS)
			return -1;
	}
	return 0;
}

/* 0 when valid UTF-8 s[0..len) has no run of marks longer than
 * TEXT_MAX_MARKS, -1 otherwise. */
static int
marks_bounded(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	uint32_t cp;

	while (i < len) {
		if (u[i] < 0x80) {
			run = 0;
			i++;
			continue;
		}
		size_t n = utf8_decode(u, len, i, &cp);
		if (n == 0 || marks_step(cp, &run) != 0)
			return -1;
		i += n;
	}
	return 0;
}

static char *
memdup0(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
text_nfc(const char *s, size_t len, enum err *e)
{
	enum err dummy;
	int ascii = 1;

	if (!e)
		e = &dummy;
	if (!text_utf8_valid(s, len)) {
		*e = ERR_BAD_UTF8;
		return NULL;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (ascii) {   /* ASCII is always NFC */
		char *p = memdup0(s, len);
		*e = p ? ERR_OK : ERR_NOMEM;
		return p;
	}
	if (marks_bounded(s, len) != 0) {
		*e = ERR_BAD_UTF8;
		return NULL;
	}
	if (len > (size_t)PTRDIFF_MAX / 8) {
		*e = ERR_NOMEM;
		return NULL;
	}
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
	                                  (utf8proc_ssize_t)len, &out,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0) {
		free(out);
		*e = n == UTF8PROC_ERROR_NOMEM || n == UTF8PROC_ERROR_OVERFLOW
		     ? ERR_NOMEM : ERR_BAD_UTF8;
		return NULL;
	}
	*e = ERR_OK;
	return (char *)out;
}

/* White space for folding and trimming: Unicode White_Space plus every
 * control character (controls never belong in a search key). */
static int
is_space_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp <= 0x20 || cp == 0x7F;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CC:
		return 1;
	default:
		return 0;
	}
}

/* Appends the folded form of cp to b; *space records a pending
 * separator so runs collapse and none is left at either end. */
static void
fold_one(struct buf *b, utf8proc_int32_t cp, int *space)
{
	if (cp == 0x110 || cp == 0x111)   /* Đ đ: no decomposition, fold by hand */
		cp = 'd';
	if (is_space_cp((uint32_t)cp)) {
		*space = 1;
		return;
	}
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_CF:
		return;
	default:
		break;
	}
	if (*space && b->len)
		buf_putc(b, ' ');
	*space = 0;
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
	buf_append(b, enc, (size_t)n);
}

char *
text_fold(const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	const unsigned char *u = (const unsigned char *)s;
	struct buf b = BUF_INIT;
	size_t i = 0, run = 0;
	int space = 0;
	uint32_t cp;

	if (!text_utf8_valid(s, len))
		return NULL;
	buf_append(&b, "", 0);   /* so an empty key is "" rather than NULL */
	while (i < len) {
		if (u[i] < 0x80) {
			unsigned c = u[i++];
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			run = 0;
			fold_one(&b, (utf8proc_int32_t)c, &space);
			continue;
		}
		size_t n = utf8_decode(u, len, i, &cp);
		if (n == 0 || marks_step(cp, &run) != 0)
			goto fail;
		i += n;
		/* Per character, so utf8proc never sorts marks: order does not
		 * matter once every mark is dropped. */
		utf8proc_int32_t d[32];
		int bc = 0;
		utf8proc_ssize_t m = utf8proc_decompose_char((utf8proc_int32_t)cp,
		    d, 32, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD,
		    &bc);
		if (m < 0 || m > 32)
			goto fail;
		for (utf8proc_ssize_t k = 0; k < m; k++)
			fold_one(&b, d[k], &space);
	}
	if (b.oom)
		goto fail;
	return buf_detach(&b);
fail:
	buf_free(&b);
	return NULL;
}

size_t
text_length(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

size_t
text_utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* s[max] is the first byte left out: back up while it is a
	 * continuation byte, i.e. while the cut falls inside a character. */
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Unicode White_Space: what text_trim removes. */
static int
is_white_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	if (cp == 0x85)
		return 1;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return 1;
	default:
		return 0;
	}
}

const char *
text_trim(const char *s, size_t len, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t a = 0, z = len;
	uint32_t cp;

	while (a < z) {
		size_t n = utf8_decode(u, z, a, &cp);
		if (n == 0 || !is_white_cp(cp))
			break;
		a += n;
	}
	while (z > a) {
		size_t st = z - 1;
		while (st > a && (u[st] & 0xC0) == 0x80)
			st--;
		size_t n = utf8_decode(u, z, st, &cp);
		if (n == 0 || !is_white_cp(cp))
			break;
		z = st;
	}
	*out_len = z - a;
	return s + a;
}

/* ---- quick match ------------------------------------------------------ */

/* Whether word w (length n) starts some word of name. */
static int
starts_a_word(const char *name, const char *w, size_t n)
{
	for (const char *p = name; *p;) {
		if (strncmp(p, w, n) == 0)
			return 1;
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	return 0;
}

int
text_quick_match(const char *name, const char *query)
{
	size_t ql = strlen(query);
	if (!ql)
		return 0;
	if (starts_a_word(name, query, ql))
		return 3;
	int all = 1, words = 0;
	for (const char *q = query; *q;) {
		size_t n = strcspn(q, " ");
		if (n) {
			words++;
			all &= starts_a_word(name, q, n);
		}
		q += n + (q[n] == ' ');
	}
	if (all && words > 1)
		return 2;
	if (words != 1 || ql < 2 || strchr(query, ' '))
		return 0;
	char initials[128];
	size_t k = 0;
	for (const char *p = name; *p && k + 1 < sizeof initials;) {
		initials[k++] = *p;
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	initials[k] = '\0';
	return strstr(initials, query) ? 1 : 0;
}

void
text_words(const char *in, char *out)
{
	char *o = out;
	int gap = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		int w = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p >= 0x80;
		if (!w) {
			gap = o != out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		*o++ = (char)*p;
	}
	*o = '\0';
}
