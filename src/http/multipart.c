/* multipart.c — see multipart.h.  A byte-driven state machine: the only
 * state carried between chunks is the state, how many bytes of the
 * delimiter have matched so far, and the header block being collected. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/buf.h"
#include "core/text.h"
#include "http/multipart.h"

#define MP_MAX_BOUNDARY 70

enum mp_state {
	S_PREAMBLE,   /* before the first delimiter: discarded */
	S_TAIL,       /* after a delimiter: "--", padding or CRLF */
	S_TAIL_DASH,  /* seen one '-' of the closing "--" */
	S_TAIL_LF,    /* seen the CR ending a delimiter line */
	S_HEADERS,    /* collecting a part's header block */
	S_DATA,       /* a part's body: emitted to part_data */
	S_DONE,       /* after the closing delimiter: epilogue, ignored */
	S_ERROR,
};

struct mp_parser {
	struct mp_callbacks cb;
	void *user;
	struct mp_limits lim;
	char delim[4 + MP_MAX_BOUNDARY + 1];   /* "\r\n--" boundary */
	size_t dlen;
	size_t match;        /* bytes of delim matched, held back */
	enum mp_state st;
	enum err err;        /* when st == S_ERROR */
	char *hdr;           /* header block, max_header bytes */
	size_t hlen;
	char *vals;          /* decoded name, filename, type: max_header + 3 */
	size_t pad;          /* transport padding after a delimiter */
	size_t parts;
	size_t part_size;
};

static int
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* RFC 2046 §5.1.1: 1–70 bchars, the last not a space. */
static int
boundary_ok(const char *b, size_t n)
{
	if (n < 1 || n > MP_MAX_BOUNDARY || b[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 tchar */
static int
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/*
 * Reads one header parameter "; name=value" from s[*i..n), where value is
 * a token or a quoted string whose backslash escapes are undone.  Stores
 * the name span in *nm, *nl and the value, decoded, at out (room for n
 * bytes is the caller's duty: decoded values never grow) with its length
 * in *vl.  Returns 1 for a parameter, 0 at the end, -1 when malformed.
 * Leading white space and the ';' are consumed here.
 */
static int
next_param(const char *s, size_t n, size_t *i, const char **nm, size_t *nl,
           char *out, size_t *vl)
{
	size_t k = *i;
	while (k < n && is_ws(s[k]))
		k++;
	if (k == n) {
		*i = k;
		return 0;
	}
	if (s[k] != ';')
		return -1;
	k++;
	while (k < n && is_ws(s[k]))
		k++;
	if (k == n) {   /* a trailing ';' is tolerated */
		*i = k;
		return 0;
	}
	size_t a = k;
	while (k < n && is_tchar((unsigned char)s[k]))
		k++;
	if (k == a)
		return -1;
	*nm = s + a;
	*nl = k - a;
	while (k < n && is_ws(s[k]))
		k++;
	if (k == n || s[k] != '=')
		return -1;
	k++;
	while (k < n && is_ws(s[k]))
		k++;
	size_t o = 0;
	if (k < n && s[k] == '"') {
		k++;
		for (;;) {
			if (k == n)
				return -1;   /* unterminated */
			char c = s[k++];
			if (c == '"')
				break;
			if (c == '\\') {
				if (k == n)
					return -1;
				c = s[k++];
			}
			out[o++] = c;
		}
	} else {
		while (k < n && s[k] != ';' && !is_ws(s[k]) && s[k] != '"')
			out[o++] = s[k++];
		if (o == 0)
			return -1;
	}
	*vl = o;
	*i = k;
	return 1;
}

int
mp_boundary(const char *ct, char *out, size_t outlen)
{
	static const char type[] = "multipart/form-data";
	const size_t tl = sizeof type - 1;
	char val[MP_MAX_BOUNDARY + 1];
	int found = 0;

	if (!ct || !out || outlen == 0)
		return -1;
	while (is_ws(*ct))
		ct++;
	if (strncasecmp(ct, type, tl) != 0)
		return -1;
	ct += tl;
	size_t n = strlen(ct), i = 0;
	if (n && ct[0] != ';' && !is_ws(ct[0]))
		return -1;   /* e.g. multipart/form-dataX */
	char *scratch = malloc(n + 1);
	if (!scratch)
		return -1;
	for (;;) {
		const char *nm;
		size_t nl, vl;
		int r = next_param(ct, n, &i, &nm, &nl, scratch, &vl);
		if (r == 0)
			break;
		if (r < 0)
			goto fail;
		if (nl == 8 && strncasecmp(nm, "boundary", 8) == 0) {
			if (found || !boundary_ok(scratch, vl))
				goto fail;
			memcpy(val, scratch, vl);
			val[vl] = '\0';
			found = 1;
		}
	}
	free(scratch);
	if (!found || strlen(val) >= outlen)
		return -1;
	memcpy(out, val, strlen(val) + 1);
	return 0;
fail:
	free(scratch);
	return -1;
}

struct mp_parser *
mp_new(const char *boundary, const struct mp_callbacks *cb, void *user,
       const struct mp_limits *lim)
{
	if (!boundary)
		return NULL;
	size_t bl = strnlen(boundary, MP_MAX_BOUNDARY + 1);
	if (!boundary_ok(boundary, bl))
		return NULL;
	struct mp_parser *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (cb)
		p->cb = *cb;
	p->user = user;
	if (lim)
		p->lim = *lim;
	if (!p->lim.max_header)
		p->lim.max_header = 8 * 1024;
	if (!p->lim.max_parts)
		p->lim.max_parts = 100;
	if (!p->lim.max_part_size)
		p->lim.max_part_size = 10 * 1024 * 1024;
	if (p->lim.max_header > 1024 * 1024)
		p->lim.max_header = 1024 * 1024;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, bl);
	p->dlen = 4 + bl;
	/* The first delimiter may open the body without a CRLF before it:
	 * start as if that CRLF had just matched. */
	p->match = 2;
	p->st = S_PREAMBLE;
	p->hdr = malloc(p->lim.max_header);
	p->vals = malloc(p->lim.max_header + 3);
	if (!p->hdr || !p->vals) {
		mp_free(p);
		return NULL;
	}
	return p;
}

void
mp_free(struct mp_parser *p)
{
	if (!p)
		return;
	free(p->hdr);
	free(p->vals);
	free(p);
}

static enum err
fail(struct mp_parser *p, enum err e)
{
	if (p->st != S_ERROR) {
		p->st = S_ERROR;
		p->err = e;
	}
	return p->err;
}

/* Hands n body bytes of the current part to part_data. */
static enum err
emit(struct mp_parser *p, const char *d, size_t n)
{
	if (n == 0)
		return ERR_OK;
	if (n > p->lim.max_part_size - p->part_size)
		return ERR_BODY_TOO_LARGE;
	p->part_size += n;
	if (p->cb.part_data) {
		int r = p->cb.part_data(p->user, d, n);
		if (r)
			return (enum err)r;
	}
	return ERR_OK;
}

/*
 * Scans preamble or part data d[0..len) for the delimiter, emitting part
 * data (never preamble) as it goes.  Bytes that may begin a delimiter are
 * held back in p->match; when they turn out not to, they are emitted from
 * p->delim, which holds the same bytes.  Because a boundary has no CR,
 * the only place a new match can start is a CR, so no KMP table is
 * needed.  Returns the bytes consumed in *used.
 */
static enum err
scan_body(struct mp_parser *p, const char *d, size_t len, size_t *used)
{
	int data = p->st == S_DATA;
	size_t i = 0;
	enum err e;

	while (i < len) {
		if (p->match == 0) {
			const char *cr = memchr(d + i, '\r', len - i);
			size_t stop = cr ? (size_t)(cr - d) : len;
			if (data && (e = emit(p, d + i, stop - i)) != ERR_OK)
				return e;
			if (!cr) {
				i = len;
				break;
			}
			i = stop + 1;
			p->match = 1;
			continue;
		}
		if (d[i] == p->delim[p->match]) {
			i++;
			if (++p->match == p->dlen) {
				p->match = 0;
				p->st = S_TAIL;
				p->pad = 0;
				*used = i;
				if (data && p->cb.part_end) {
					int r = p->cb.part_end(p->user);
					if (r)
						return (enum err)r;
				}
				return ERR_OK;
			}
			continue;
		}
		if (data && (e = emit(p, p->delim, p->match)) != ERR_OK)
			return e;
		p->match = 0;   /* d[i] is looked at again, as a possible CR */
	}
	*used = i;
	return ERR_OK;
}

/* Case-insensitive comparison of the span s[0..n) with the literal lit. */
static int
span_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* Checks and splits Content-Disposition value v[0..n); the decoded name
 * and filename go to p->vals at *o.  Returns ERR_OK or an error. */
static enum err
parse_disposition(struct mp_parser *p, const char *v, size_t n, size_t *o,
                  const char **name, const char **filename)
{
	size_t i = 0;
	while (i < n && is_tchar((unsigned char)v[i]))
		i++;
	if (!span_is(v, i, "form-data"))
		return ERR_BAD_FORM;
	for (;;) {
		const char *nm;
		size_t nl, vl;
		char *out = p->vals + *o;
		int r = next_param(v, n, &i, &nm, &nl, out, &vl);
		if (r == 0)
			break;
		if (r < 0)
			return ERR_BAD_FORM;
		const char **dst = span_is(nm, nl, "name") ? name
		                 : span_is(nm, nl, "filename") ? filename : NULL;
		if (!dst)
			continue;   /* filename* and others: ignored (RFC 7578 §4.2) */
		if (*dst)
			return ERR_BAD_FORM;   /* given twice */
		if (!text_utf8_valid(out, vl))
			return ERR_BAD_UTF8;
		out[vl] = '\0';
		*dst = out;
		*o += vl + 1;
	}
	return *name ? ERR_OK : ERR_BAD_FORM;
}

/*
 * Parses the header block hdr[0..hlen) (lines ending in CRLF, the last
 * one empty) and starts the part.  Values are decoded into p->vals, which
 * has room for all of them: a decoded value is never longer than its
 * header text, and there are at most three NULs.
 */
static enum err
start_part(struct mp_parser *p)
{
	const char *h = p->hdr;
	size_t end = p->hlen - 2;   /* drop the empty line's CRLF */
	size_t i = 0, o = 0;
	const char *name = NULL, *filename = NULL, *ctype = NULL;
	int seen_cd = 0;

	while (i < end) {
		/* one line: ends at the first CR, which must start CRLF */
		const char *cr = memchr(h + i, '\r', end - i);
		if (!cr || (size_t)(cr - h) + 1 >= p->hlen || cr[1] != '\n')
			return ERR_BAD_FORM;
		size_t le = (size_t)(cr - h);
		const char *line = h + i;
		size_t ll = le - i;
		i = le + 2;
		if (ll == 0 || is_ws(line[0]))
			return ERR_BAD_FORM;   /* obsolete folding */
		for (size_t k = 0; k < ll; k++)
			if (line[k] == '\n' || line[k] == '\0')
				return ERR_BAD_FORM;
		size_t nl = 0;
		while (nl < ll && is_tchar((unsigned char)line[nl]))
			nl++;
		if (nl == 0 || nl == ll || line[nl] != ':')
			return ERR_BAD_FORM;
		const char *v = line + nl + 1;
		size_t vl = ll - nl - 1;
		while (vl && is_ws(v[0])) {
			v++;
			vl--;
		}
		while (vl && is_ws(v[vl - 1]))
			vl--;
		if (span_is(line, nl, "Content-Disposition")) {
			if (seen_cd++)
				return ERR_BAD_FORM;
			enum err e = parse_disposition(p, v, vl, &o, &name,
			                               &filename);
			if (e != ERR_OK)
				return e;
		} else if (span_is(line, nl, "Content-Type")) {
			if (ctype || vl == 0)
				return ERR_BAD_FORM;
			for (size_t k = 0; k < vl; k++)
				if ((unsigned char)v[k] < 0x20 ||
				    (unsigned char)v[k] >= 0x7F)
					if (v[k] != '\t')
						return ERR_BAD_FORM;
			memcpy(p->vals + o, v, vl);
			p->vals[o + vl] = '\0';
			ctype = p->vals + o;
			o += vl + 1;
		}
		/* other headers (Content-Transfer-Encoding, …) are ignored */
	}
	if (!seen_cd)
		return ERR_BAD_FORM;
	p->part_size = 0;
	p->st = S_DATA;
	p->match = 0;
	if (p->cb.part_begin) {
		int r = p->cb.part_begin(p->user, name, filename, ctype);
		if (r)
			return (enum err)r;
	}
	return ERR_OK;
}

/* One byte of the header block; starts the part at the empty line. */
static enum err
header_byte(struct mp_parser *p, char c)
{
	if (p->hlen >= p->lim.max_header)
		return ERR_BAD_FORM;
	p->hdr[p->hlen++] = c;
	if (c != '\n' || p->hlen < 2 || p->hdr[p->hlen - 2] != '\r')
		return ERR_OK;
	if (p->hlen == 2 || (p->hlen >= 4 && p->hdr[p->hlen - 3] == '\n' &&
	                     p->hdr[p->hlen - 4] == '\r'))
		return start_part(p);
	return ERR_OK;
}

enum err
mp_feed(struct mp_parser *p, const char *d, size_t len)
{
	size_t i = 0;
	enum err e = ERR_OK;

	if (p->st == S_ERROR)
		return p->err;
	while (i < len && e == ERR_OK) {
		switch (p->st) {
		case S_PREAMBLE:
		case S_DATA: {
			size_t used = 0;
			e = scan_body(p, d + i, len - i, &used);
			i += used;
			break;
		}
		case S_TAIL: {
			char c = d[i++];
			if (c == '-' && p->pad == 0)
				p->st = S_TAIL_DASH;
			else if (is_ws(c) && p->pad < p->lim.max_header)
				p->pad++;
			else if (c == '\r')
				p->st = S_TAIL_LF;
			else
				e = ERR_BAD_FORM;
			break;
		}
		case S_TAIL_DASH:
			if (d[i++] == '-')
				p->st = S_DONE;
			else
				e = ERR_BAD_FORM;
			break;
		case S_TAIL_LF:
			if (d[i++] != '\n') {
				e = ERR_BAD_FORM;
			} else if (p->parts >= p->lim.max_parts) {
				e = ERR_TOO_MANY_FIELDS;
			} else {
				p->parts++;
				p->hlen = 0;
				p->st = S_HEADERS;
			}
			break;
		case S_HEADERS:
			e = header_byte(p, d[i++]);
			break;
		case S_DONE:
			i = len;   /* the epilogue is ignored */
			break;
		case S_ERROR:
			return p->err;
		}
	}
	return e == ERR_OK ? ERR_OK : fail(p, e);
}

enum err
mp_finish(struct mp_parser *p)
{
	if (p->st == S_ERROR)
		return p->err;
	if (p->st != S_DONE)
		return fail(p, ERR_BAD_FORM);
	return ERR_OK;
}

/* ---- collecting a whole body into a struct form ------------------------ */

struct collect {
	struct form *f;
	size_t max_fields;
	char *name, *filename, *ctype;
	struct buf data;
};

static void
collect_reset(struct collect *c)
{
	free(c->name);
	free(c->filename);
	free(c->ctype);
	c->name = c->filename = c->ctype = NULL;
	buf_free(&c->data);
}

static int
collect_begin(void *user, const char *name, const char *filename,
              const char *ctype)
{
	struct collect *c = user;
	enum err e = ERR_OK;

	if (c->f->n >= c->max_fields)
		return ERR_TOO_MANY_FIELDS;
	c->name = text_nfc(name, strlen(name), &e);
	if (!c->name)
		return e;
	if (filename && !(c->filename = text_nfc(filename, strlen(filename), &e)))
		return e;
	if (ctype && !(c->ctype = strdup(ctype)))
		return ERR_NOMEM;
	buf_append(&c->data, "", 0);
	return c->data.oom ? ERR_NOMEM : ERR_OK;
}

static int
collect_data(void *user, const char *d, size_t n)
{
	struct collect *c = user;
	buf_append(&c->data, d, n);
	return c->data.oom ? ERR_NOMEM : ERR_OK;
}

static int
collect_end(void *user)
{
	struct collect *c = user;
	char *value;
	size_t vlen;
	enum err e = ERR_OK;

	if (c->filename) {
		vlen = c->data.len;
		value = buf_detach(&c->data);
		if (!value)
			return ERR_NOMEM;
	} else {
		value = text_nfc(c->data.data, c->data.len, &e);
		if (!value)
			return e;
		vlen = strlen(value);
	}
	e = form_add(c->f, c->name, value, vlen, c->filename, c->ctype);
	c->name = c->filename = c->ctype = NULL;   /* owned by f now, or freed */
	buf_free(&c->data);
	return e;
}

enum err
form_parse_multipart(struct form *f, const char *content_type,
                     const char *body, size_t len, size_t max_fields,
                     size_t max_part)
{
	static const char type[] = "multipart/form-data";
	char boundary[MP_MAX_BOUNDARY + 1];
	const char *ct = content_type ? content_type : "";

	while (is_ws(*ct))
		ct++;
	if (strncasecmp(ct, type, sizeof type - 1) != 0)
		return ERR_UNSUPPORTED_MEDIA;
	if (mp_boundary(content_type, boundary, sizeof boundary) != 0)
		return ERR_BAD_FORM;

	struct collect c = {f, max_fields, NULL, NULL, NULL, BUF_INIT};
	static const struct mp_callbacks cb = {collect_begin, collect_data,
	                                       collect_end};
	struct mp_limits lim = {0, max_fields, max_part};
	size_t keep = f->n;
	struct mp_parser *p = mp_new(boundary, &cb, &c, &lim);
	if (!p)
		return ERR_NOMEM;
	enum err e = mp_feed(p, body, len);
	if (e == ERR_OK)
		e = mp_finish(p);
	mp_free(p);
	collect_reset(&c);
	if (e != ERR_OK)
		form_truncate(f, keep);
	return e;
}
