/* form.c — see form.h.  URL-encoded bodies and query strings, the field
 * set every parser fills, and Cookie headers. */
#include <stdlib.h>
#include <string.h>
#include "core/text.h"
#include "http/form.h"

static void
field_free(struct form_field *fl)
{
	free(fl->name);
	free(fl->value);
	free(fl->filename);
	free(fl->content_type);
}

enum err
form_add(struct form *f, char *name, char *value, size_t value_len,
         char *filename, char *content_type)
{
	/* Capacity is implicit: the array grows at every power of two. */
	size_t n = f->n;
	if (n == 0 || (n & (n - 1)) == 0) {
		size_t cap = n ? n * 2 : 4;
		struct form_field *v = NULL;
		if (cap > n && cap < ((size_t)-1) / sizeof *v)
			v = realloc(f->v, cap * sizeof *v);
		if (!v)
			goto nomem;
		f->v = v;
	}
	if (!value) {
		value = calloc(1, 1);
		value_len = 0;
		if (!value)
			goto nomem;
	}
	f->v[n] = (struct form_field){name, value, value_len, filename,
	                              content_type};
	f->n = n + 1;
	return ERR_OK;
nomem:
	free(name);
	free(value);
	free(filename);
	free(content_type);
	return ERR_NOMEM;
}

void
form_truncate(struct form *f, size_t keep)
{
	while (f->n > keep)
		field_free(&f->v[--f->n]);
}

int
form_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes s[0..len) ('+' is a space) into a scratch copy, checks
 * it is UTF-8 and returns its NFC form (malloc'd).  The decoded bytes are
 * never longer than the input, so scratch needs len bytes.
 */
static char *
decode_component(const char *s, size_t len, char *scratch, enum err *e)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 1 < len ? form_hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < len ? form_hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				*e = ERR_BAD_FORM;
				return NULL;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		scratch[o++] = (char)c;
	}
	return text_nfc(scratch, o, e);
}

enum err
form_parse_urlencoded(struct form *f, const char *s, size_t len,
                      size_t max_fields)
{
	size_t keep = f->n;
	enum err e = ERR_OK;
	char *scratch = malloc(len ? len : 1);
	if (!scratch)
		return ERR_NOMEM;

	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > i) {
			const char *pair = s + i;
			size_t plen = end - i;
			const char *eq = memchr(pair, '=', plen);
			size_t nlen = eq ? (size_t)(eq - pair) : plen;
			if (f->n >= max_fields) {
				e = ERR_TOO_MANY_FIELDS;
				break;
			}
			char *name = decode_component(pair, nlen, scratch, &e);
			if (!name)
				break;
			char *value = eq ? decode_component(eq + 1, plen - nlen - 1,
			                                    scratch, &e)
			                 : calloc(1, 1);
			if (!value) {
				if (!eq)
					e = ERR_NOMEM;
				free(name);
				break;
			}
			e = form_add(f, name, value, strlen(value), NULL, NULL);
			if (e != ERR_OK)
				break;
		}
		i = end + 1;
	}
	free(scratch);
	if (e != ERR_OK)
		form_truncate(f, keep);
	return e;
}

const char *
form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}

size_t
form_count(const struct form *f, const char *name)
{
	size_t c = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			c++;
	return c;
}

void
form_free(struct form *f)
{
	form_truncate(f, 0);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

/* RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
static int
cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';' &&
	       c != '\\';
}

int
form_cookie(const char *h, const char *name, char *out, size_t outlen)
{
	if (!h || !name || !out || outlen == 0)
		return -1;
	size_t nlen = strlen(name);
	while (*h) {
		/* one pair: skip white space, find its end at ';' */
		while (*h == ' ' || *h == '\t')
			h++;
		const char *end = strchr(h, ';');
		if (!end)
			end = h + strlen(h);
		const char *eq = memchr(h, '=', (size_t)(end - h));
		if (eq) {
			/* the name, without white space before '=' */
			const char *ne = eq;
			while (ne > h && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			if ((size_t)(ne - h) == nlen && memcmp(h, name, nlen) == 0) {
				const char *v = eq + 1, *ve = end;
				while (v < ve && (*v == ' ' || *v == '\t'))
					v++;
				while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
					ve--;
				if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
					v++;
					ve--;
				}
				size_t vlen = (size_t)(ve - v);
				if (vlen >= outlen)
					return -1;
				for (size_t i = 0; i < vlen; i++)
					if (!cookie_octet((unsigned char)v[i]))
						return -1;
				memcpy(out, v, vlen);
				out[vlen] = '\0';
				return 0;
			}
		}
		h = *end ? end + 1 : end;
	}
	return -1;
}
