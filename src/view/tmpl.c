/*
 * tmpl.c — see tmpl.h.
 *
 * A template is parsed once into a flat array of nodes.  A section node
 * records where its body ends, so rendering walks the array without a
 * tree.  While parsing, the literal text is also fed to a small model of
 * the HTML tokenizer (struct html) so that each output tag knows whether
 * it stands in text, in a quoted attribute value, at the start of a URL,
 * or somewhere no data may go; the escaping is fixed in the node then,
 * and rendering only follows it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* memmem, strdup */
#endif
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embed.h"
#include "view/tmpl.h"

/* ---- nodes ------------------------------------------------------------ */

enum node_kind {
	N_TEXT,      /* literal bytes */
	N_VAR,       /* {{name}} */
	N_SECTION,   /* {{#name}}: body is nodes (i, end) */
	N_INVERTED,  /* {{^name}} */
	N_PARTIAL,   /* {{> name}} */
	N_CONTENT,   /* {{> $content}} */
};

enum esc {
	ESC_HTML,    /* text or quoted attribute value */
	ESC_URL,     /* first thing in a URL attribute: scheme check, then HTML */
};

struct tmpl;

struct node {
	unsigned char kind;        /* enum node_kind */
	unsigned char esc;         /* enum esc, for N_VAR */
	unsigned short nseg;       /* path segments; 0 is "." */
	uint32_t end;              /* sections: index just after the body */
	uint32_t pos;              /* offset of the tag in the source */
	const char *str;           /* text, or NUL-separated path, or partial name */
	size_t len;                /* text length */
	const struct tmpl *target; /* N_PARTIAL, once linked */
};

struct tmpl {
	char *name;
	char *src;          /* our copy; text nodes point into it */
	size_t srclen;
	char *names;        /* arena of NUL-terminated names and path segments */
	struct node *nodes;
	size_t n;
};

struct tmpl_set {
	struct tmpl **t;
	size_t n, cap;
};

/* ---- error messages --------------------------------------------------- */

/* Writes "name:line:col: reason" for the byte offset pos of src. */
static void
set_err(char *err, size_t errlen, const char *name, const char *src,
        size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void
set_err(char *err, size_t errlen, const char *name, const char *src,
        size_t pos, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < pos; i++) {
		unsigned char c = (unsigned char)src[i];
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	int n = snprintf(err, errlen, "%s:%u:%u: ", name, line, col);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* ---- the HTML model --------------------------------------------------- */

enum hstate {
	H_DATA,          /* text */
	H_TAG_OPEN,      /* after '<' */
	H_END_TAG_OPEN,  /* after '</' */
	H_TAG_NAME,
	H_BEFORE_ATTR,   /* inside a tag, between attributes */
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_BEFORE_VALUE,  /* after '=' */
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UNQ,
	H_MARKUP_DECL,   /* after '<!' */
	H_COMMENT,       /* <!-- … --> */
	H_BOGUS,         /* <!DOCTYPE …>, <?…>: until '>' */
	H_RAWTEXT,       /* <script>, <style>, …: until the end tag */
	H_RCDATA,        /* <title>, <textarea>: text until the end tag */
};

enum attr_kind {
	A_PLAIN,
	A_URL,     /* one URL: href, src, … */
	A_JS,      /* on* event handlers */
	A_CSS,     /* style */
	A_SRCSET,  /* lists of URLs we cannot check */
};

#define HNAME 24

struct html {
	enum hstate st;
	enum attr_kind ak;    /* of the attribute value being read */
	int end_tag;          /* the tag being read is an end tag */
	int url_start;        /* in a URL value, nothing but blanks so far */
	int md_dash;          /* H_MARKUP_DECL: one '-' seen */
	size_t clen;          /* H_COMMENT: characters since "<!--" */
	char tag[HNAME];      /* current tag name, lower case */
	size_t taglen;        /* may exceed HNAME: then the name is truncated */
	char attr[HNAME];     /* current attribute name, lower case */
	size_t attrlen;
	char raw[HNAME];      /* H_RAWTEXT/H_RCDATA: the element to close */
	char hist[HNAME];     /* the last characters seen, lower case */
	size_t hlen;
	unsigned long serial; /* counts tags and values, to tell them apart */
	unsigned long tag_id; /* serial of the tag being read */
	unsigned long val_id; /* serial of the value being read */
};

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(unsigned char c)
{
	return (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}

static void
name_add(char *s, size_t *len, unsigned char c)
{
	if (*len < HNAME - 1) {
		s[*len] = lower(c);
		s[*len + 1] = '\0';
	}
	(*len)++;
}

static int
name_is(const char *s, size_t len, const char *word)
{
	return len < HNAME && strcmp(s, word) == 0;
}

static void
hist_add(struct html *h, unsigned char c)
{
	if (h->hlen == HNAME - 1) {
		memmove(h->hist, h->hist + 1, HNAME - 2);
		h->hlen--;
	}
	h->hist[h->hlen++] = lower(c);
	h->hist[h->hlen] = '\0';
}

static int
hist_ends(const struct html *h, const char *s)
{
	size_t n = strlen(s);
	return h->hlen >= n && memcmp(h->hist + h->hlen - n, s, n) == 0;
}

static const char *const url_attrs[] = {
	"action", "background", "cite", "codebase", "data", "formaction",
	"href", "icon", "longdesc", "manifest", "poster", "src", "usemap",
	"xlink:href",
};

static enum attr_kind
attr_kind(const struct html *h)
{
	if (h->attrlen >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n')
		return A_JS;
	if (name_is(h->attr, h->attrlen, "style"))
		return A_CSS;
	if (name_is(h->attr, h->attrlen, "srcset") ||
	    name_is(h->attr, h->attrlen, "imagesrcset"))
		return A_SRCSET;
	for (size_t i = 0; i < sizeof url_attrs / sizeof *url_attrs; i++)
		if (name_is(h->attr, h->attrlen, url_attrs[i]))
			return A_URL;
	return A_PLAIN;
}

/* Elements whose content is not markup: tags inside them are not tags. */
static const char *const raw_elems[] = {
	"iframe", "noembed", "noframes", "noscript", "plaintext", "script",
	"style", "xmp",
};

static void
tag_done(struct html *h)
{
	h->st = H_DATA;
	if (h->end_tag || h->taglen >= HNAME)
		return;
	if (strcmp(h->tag, "title") == 0 || strcmp(h->tag, "textarea") == 0)
		h->st = H_RCDATA;
	for (size_t i = 0; i < sizeof raw_elems / sizeof *raw_elems; i++)
		if (strcmp(h->tag, raw_elems[i]) == 0)
			h->st = H_RAWTEXT;
	if (h->st != H_DATA)
		memcpy(h->raw, h->tag, sizeof h->raw);
}

static void
value_begin(struct html *h, enum hstate st)
{
	h->st = st;
	h->ak = attr_kind(h);
	h->url_start = 1;
	h->val_id = ++h->serial;
}

/* Advances the model over one character of literal template text. */
static void
html_char(struct html *h, unsigned char c)
{
again:
	switch (h->st) {
	case H_DATA:
		if (c == '<') {
			h->st = H_TAG_OPEN;
			h->tag_id = ++h->serial;
		}
		break;
	case H_TAG_OPEN:
		if (is_alpha(c)) {
			h->st = H_TAG_NAME;
			h->end_tag = 0;
			h->taglen = 0;
			name_add(h->tag, &h->taglen, c);
		} else if (c == '/') {
			h->st = H_END_TAG_OPEN;
		} else if (c == '!') {
			h->st = H_MARKUP_DECL;
			h->md_dash = 0;
		} else if (c == '?') {
			h->st = H_BOGUS;
		} else {
			h->st = H_DATA;  /* a lone '<' is text */
			goto again;
		}
		break;
	case H_END_TAG_OPEN:
		if (is_alpha(c)) {
			h->st = H_TAG_NAME;
			h->end_tag = 1;
			h->taglen = 0;
			name_add(h->tag, &h->taglen, c);
		} else if (c == '>') {
			h->st = H_DATA;
		} else {
			h->st = H_BOGUS;
		}
		break;
	case H_TAG_NAME:
		if (is_space(c) || c == '/')
			h->st = H_BEFORE_ATTR;
		else if (c == '>')
			tag_done(h);
		else
			name_add(h->tag, &h->taglen, c);
		break;
	case H_BEFORE_ATTR:
		if (is_space(c) || c == '/')
			break;
		if (c == '>') {
			tag_done(h);
			break;
		}
		h->st = H_ATTR_NAME;
		h->attrlen = 0;
		name_add(h->attr, &h->attrlen, c);
		break;
	case H_ATTR_NAME:
		if (is_space(c))
			h->st = H_AFTER_ATTR_NAME;
		else if (c == '/')
			h->st = H_BEFORE_ATTR;
		else if (c == '=')
			h->st = H_BEFORE_VALUE;
		else if (c == '>')
			tag_done(h);
		else
			name_add(h->attr, &h->attrlen, c);
		break;
	case H_AFTER_ATTR_NAME:
		if (is_space(c))
			break;
		if (c == '/')
			h->st = H_BEFORE_ATTR;
		else if (c == '=')
			h->st = H_BEFORE_VALUE;
		else if (c == '>')
			tag_done(h);
		else {
			h->st = H_ATTR_NAME;
			h->attrlen = 0;
			name_add(h->attr, &h->attrlen, c);
		}
		break;
	case H_BEFORE_VALUE:
		if (is_space(c))
			break;
		if (c == '"')
			value_begin(h, H_VALUE_DQ);
		else if (c == '\'')
			value_begin(h, H_VALUE_SQ);
		else if (c == '>')
			tag_done(h);
		else
			value_begin(h, H_VALUE_UNQ);
		break;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
			h->st = H_BEFORE_ATTR;
		else if (c > ' ')
			h->url_start = 0;
		break;
	case H_VALUE_UNQ:
		if (is_space(c))
			h->st = H_BEFORE_ATTR;
		else if (c == '>')
			tag_done(h);
		break;
	case H_MARKUP_DECL:
		if (c == '-' && !h->md_dash) {
			h->md_dash = 1;
		} else if (c == '-') {
			h->st = H_COMMENT;
			h->clen = 0;
			h->hlen = 0;
			return;  /* the opening dashes are not comment text */
		} else {
			h->st = c == '>' ? H_DATA : H_BOGUS;
		}
		break;
	case H_COMMENT:
		/* Ends at "-->" or "--!>", or abruptly at "<!-->" / "<!--->". */
		if (c == '>' && (h->clen == 0 ||
		                 (h->clen == 1 && hist_ends(h, "-")) ||
		                 (h->clen >= 2 && hist_ends(h, "--")) ||
		                 (h->clen >= 3 && hist_ends(h, "--!"))))
			h->st = H_DATA;
		h->clen++;
		break;
	case H_BOGUS:
		if (c == '>')
			h->st = H_DATA;
		break;
	case H_RAWTEXT:
	case H_RCDATA:
		/* "</name" followed by a blank, '/' or '>' closes the element. */
		if (is_space(c) || c == '/' || c == '>') {
			char close[HNAME + 2] = "</";
			memcpy(close + 2, h->raw, HNAME);
			close[HNAME + 1] = '\0';
			if (hist_ends(h, close)) {
				h->end_tag = 1;
				h->tag_id = ++h->serial;
				if (c == '>')
					h->st = H_DATA;
				else
					h->st = H_BEFORE_ATTR;
			}
		}
		break;
	}
	hist_add(h, c);
}

static void
html_feed(struct html *h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		html_char(h, (unsigned char)p[i]);
}

/* The states a section tag may stand in, and where it leaves the model:
 * a section inside a tag ends the tag or attribute name before it, so
 * {{#x}} selected{{/x}} works right after a tag name or attribute. */
static const char *
html_section_ok(struct html *h)
{
	switch (h->st) {
	case H_DATA: case H_RCDATA: case H_COMMENT:
		return NULL;
	case H_TAG_NAME: case H_BEFORE_ATTR: case H_ATTR_NAME:
	case H_AFTER_ATTR_NAME:
		h->st = H_BEFORE_ATTR;
		return NULL;
	case H_VALUE_DQ: case H_VALUE_SQ:
		if (h->ak == A_PLAIN || h->ak == A_URL)
			return NULL;
		return "template tag in an event-handler, style or srcset attribute";
	case H_TAG_OPEN: case H_END_TAG_OPEN:
		return "template tag in a tag name";
	case H_BEFORE_VALUE: case H_VALUE_UNQ:
		return "template tag in an unquoted attribute value";
	case H_RAWTEXT:
		return "template tag inside <script>, <style> or another raw-text element";
	case H_MARKUP_DECL: case H_BOGUS:
		return "template tag inside <!...> or <?...>";
	}
	return "template tag in an unknown place";
}

/* Whether a section's body leaves the model where it found it, so the
 * HTML after the section is read the same when the body is skipped. */
static int
html_same(const struct html *a, const struct html *b)
{
	if (a->st != b->st)
		return 0;
	switch (a->st) {
	case H_DATA:
		return 1;
	case H_VALUE_DQ: case H_VALUE_SQ:
		return a->val_id == b->val_id;
	default:
		return a->tag_id == b->tag_id;
	}
}

/* ---- parsing ---------------------------------------------------------- */

struct open_section {
	uint32_t node;
	uint32_t pos;
	const char *name;
	size_t namelen;
	struct html html;
};

struct parser {
	struct tmpl *t;
	size_t cap;
	size_t arena_used;
	struct html html;
	struct open_section open[TMPL_MAX_NESTING];
	size_t nopen;
	char *err;
	size_t errlen;
};

static int
valid_name_char(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
valid_tmpl_name(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!valid_name_char(c) && c != '.' && c != '/')
			return 0;
	}
	return 1;
}

static struct node *
new_node(struct parser *p, enum node_kind kind, size_t pos)
{
	struct tmpl *t = p->t;
	if (t->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct node *nn = realloc(t->nodes, cap * sizeof *nn);
		if (!nn)
			return NULL;
		t->nodes = nn;
		p->cap = cap;
	}
	struct node *nd = &t->nodes[t->n++];
	memset(nd, 0, sizeof *nd);
	nd->kind = (unsigned char)kind;
	nd->pos = (uint32_t)pos;
	return nd;
}

/* Copies s[0..n) into the arena as a C string; the arena is as large as
 * the source, which holds every name, so this cannot overflow. */
static char *
arena_put(struct parser *p, const char *s, size_t n)
{
	char *d = p->t->names + p->arena_used;
	memcpy(d, s, n);
	d[n] = '\0';
	p->arena_used += n + 1;
	return d;
}

/* Stores a dotted path as NUL-separated segments; returns 0, or -1 with
 * the reason when it is not "." or segments of [A-Za-z0-9_-]. */
static int
put_path(struct parser *p, struct node *nd, const char *s, size_t n,
         const char **why)
{
	if (n == 1 && s[0] == '.') {
		nd->nseg = 0;
		nd->str = "";
		return 0;
	}
	size_t segs = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (i == 0 || i + 1 == n || s[i - 1] == '.') {
				*why = "empty segment in name";
				return -1;
			}
			segs++;
		} else if (!valid_name_char(c)) {
			*why = "invalid character in name";
			return -1;
		}
	}
	if (n == 0) {
		*why = "empty tag";
		return -1;
	}
	if (segs > 16) {
		*why = "name has too many segments";
		return -1;
	}
	char *d = arena_put(p, s, n);
	for (size_t i = 0; i < n; i++)
		if (d[i] == '.')
			d[i] = '\0';
	nd->str = d;
	nd->nseg = (unsigned short)segs;
	return 0;
}

static int
perr(struct parser *p, size_t pos, const char *why)
{
	set_err(p->err, p->errlen, p->t->name, p->t->src, pos, "%s", why);
	return -1;
}

/* Parses the tag whose "{{" is at src[pos]; *next gets the offset after
 * its "}}". */
static int
parse_tag(struct parser *p, size_t pos, size_t *next)
{
	const char *src = p->t->src;
	size_t len = p->t->srclen;
	size_t i = pos + 2;
	char sigil = i < len ? src[i] : '\0';

	if (sigil == '{')
		return perr(p, pos, "raw output {{{...}}} is not supported; every output is escaped");
	if (sigil == '&')
		return perr(p, pos, "raw output {{&...}} is not supported; every output is escaped");
	if (sigil == '=')
		return perr(p, pos, "changing delimiters is not supported");

	const char *close = i <= len ? memmem(src + i, len - i, "}}", 2) : NULL;
	if (!close)
		return perr(p, pos, sigil == '!' ? "unclosed comment" : "unclosed tag");
	*next = (size_t)(close - src) + 2;
	if (sigil == '!')
		return 0;

	int kind = N_VAR;
	if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>') {
		kind = sigil;
		i++;
	}
	size_t e = (size_t)(close - src);
	while (i < e && is_space((unsigned char)src[i]))
		i++;
	while (e > i && is_space((unsigned char)src[e - 1]))
		e--;
	const char *name = src + i;
	size_t nlen = e - i;
	const char *why = NULL;
	struct html *h = &p->html;

	switch (kind) {
	case N_VAR: {
		switch (h->st) {
		case H_DATA: case H_RCDATA:
			break;
		case H_VALUE_DQ: case H_VALUE_SQ:
			if (h->ak == A_JS)
				why = "output in an event-handler (on*) attribute";
			else if (h->ak == A_CSS)
				why = "output in a style attribute";
			else if (h->ak == A_SRCSET)
				why = "output in a srcset attribute";
			break;
		case H_BEFORE_VALUE: case H_VALUE_UNQ:
			why = "output in an unquoted attribute value";
			break;
		case H_TAG_OPEN: case H_END_TAG_OPEN: case H_TAG_NAME:
			why = "output in a tag name";
			break;
		case H_BEFORE_ATTR: case H_ATTR_NAME: case H_AFTER_ATTR_NAME:
			why = "output in an attribute name position";
			break;
		case H_COMMENT:
			why = "output inside an HTML comment";
			break;
		case H_RAWTEXT:
			why = "template tag inside <script>, <style> or another raw-text element";
			break;
		case H_MARKUP_DECL: case H_BOGUS:
			why = "template tag inside <!...> or <?...>";
			break;
		}
		if (why)
			return perr(p, pos, why);
		struct node *nd = new_node(p, N_VAR, pos);
		if (!nd)
			return perr(p, pos, "out of memory");
		if (put_path(p, nd, name, nlen, &why) != 0)
			return perr(p, pos, why);
		int in_value = h->st == H_VALUE_DQ || h->st == H_VALUE_SQ;
		/* url_start stays set: an empty value would leave the next
		 * output at the start of the URL. */
		nd->esc = (in_value && h->ak == A_URL && h->url_start)
		        ? ESC_URL : ESC_HTML;
		return 0;
	}
	case '#': case '^': {
		if ((why = html_section_ok(h)) != NULL)
			return perr(p, pos, why);
		if (p->nopen == TMPL_MAX_NESTING)
			return perr(p, pos, "sections nested too deeply");
		struct node *nd = new_node(p, kind == '#' ? N_SECTION : N_INVERTED, pos);
		if (!nd)
			return perr(p, pos, "out of memory");
		if (put_path(p, nd, name, nlen, &why) != 0)
			return perr(p, pos, why);
		struct open_section *o = &p->open[p->nopen++];
		o->node = (uint32_t)(p->t->n - 1);
		o->pos = (uint32_t)pos;
		o->name = name;
		o->namelen = nlen;
		o->html = *h;
		return 0;
	}
	case '/': {
		if ((why = html_section_ok(h)) != NULL)
			return perr(p, pos, why);
		if (p->nopen == 0) {
			set_err(p->err, p->errlen, p->t->name, src, pos,
			        "{{/%.*s}} closes no section", (int)nlen, name);
			return -1;
		}
		struct open_section *o = &p->open[p->nopen - 1];
		if (o->namelen != nlen || memcmp(o->name, name, nlen) != 0) {
			set_err(p->err, p->errlen, p->t->name, src, pos,
			        "{{/%.*s}} does not match {{#%.*s}}", (int)nlen,
			        name, (int)o->namelen, o->name);
			return -1;
		}
		if (!html_same(&o->html, h))
			return perr(p, pos, "section body does not end in the HTML context it began in");
		if (h->st == H_VALUE_DQ || h->st == H_VALUE_SQ)
			h->url_start |= o->html.url_start;
		p->t->nodes[o->node].end = (uint32_t)p->t->n;
		p->nopen--;
		return 0;
	}
	case '>': {
		int content = nlen == 8 && memcmp(name, "$content", 8) == 0;
		if (!content && !valid_tmpl_name(name, nlen))
			return perr(p, pos, "invalid partial name");
		if (h->st != H_DATA)
			return perr(p, pos, "partial outside HTML text");
		struct node *nd = new_node(p, content ? N_CONTENT : N_PARTIAL, pos);
		if (!nd)
			return perr(p, pos, "out of memory");
		nd->str = arena_put(p, name, nlen);
		return 0;
	}
	}
	return perr(p, pos, "unknown tag");
}

static const char *
html_end_reason(enum hstate st)
{
	switch (st) {
	case H_DATA:
		return NULL;
	case H_COMMENT:
		return "template ends inside an HTML comment";
	case H_RAWTEXT: case H_RCDATA:
		return "template ends inside a raw-text element such as <script> or <title>";
	case H_VALUE_DQ: case H_VALUE_SQ: case H_VALUE_UNQ:
		return "template ends inside an attribute value";
	default:
		return "template ends inside an HTML tag";
	}
}

static int
parse(struct parser *p)
{
	struct tmpl *t = p->t;
	const char *src = t->src;
	size_t len = t->srclen, pos = 0;

	while (pos < len) {
		const char *o = memmem(src + pos, len - pos, "{{", 2);
		size_t open = o ? (size_t)(o - src) : len;
		if (open > pos) {
			struct node *nd = new_node(p, N_TEXT, pos);
			if (!nd)
				return perr(p, pos, "out of memory");
			nd->str = src + pos;
			nd->len = open - pos;
			html_feed(&p->html, src + pos, open - pos);
		}
		if (!o)
			break;
		if (parse_tag(p, open, &pos) != 0)
			return -1;
	}
	if (p->nopen) {
		struct open_section *s = &p->open[p->nopen - 1];
		set_err(p->err, p->errlen, t->name, src, s->pos,
		        "unclosed section {{%c%.*s}}",
		        t->nodes[s->node].kind == N_SECTION ? '#' : '^',
		        (int)s->namelen, s->name);
		return -1;
	}
	const char *why = html_end_reason(p->html.st);
	if (why)
		return perr(p, len, why);
	return 0;
}

/* ---- the set ---------------------------------------------------------- */

static void
tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->src);
	free(t->names);
	free(t->nodes);
	free(t);
}

struct tmpl_set *
tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->t[i]);
	free(set->t);
	free(set);
}

static const struct tmpl *
find(const struct tmpl_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->t[i]->name, name) == 0)
			return set->t[i];
	return NULL;
}

int
tmpl_set_has(const struct tmpl_set *set, const char *name)
{
	return set && name && find(set, name) != NULL;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
             size_t len, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!name || !valid_tmpl_name(name, strlen(name))) {
		if (err && errlen)
			snprintf(err, errlen, "%s: invalid template name",
			         name ? name : "(null)");
		return -1;
	}
	if (find(set, name)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: duplicate template name", name);
		return -1;
	}
	if (len > TMPL_MAX_SOURCE || (!src && len)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: template too large", name);
		return -1;
	}
	struct tmpl *t = calloc(1, sizeof *t);
	struct parser p = {.t = t, .err = err, .errlen = errlen};
	if (t) {
		t->name = strdup(name);
		t->src = malloc(len + 1);
		t->names = malloc(len + 1);
	}
	if (!t || !t->name || !t->src || !t->names) {
		tmpl_free(t);
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->srclen = len;
	if (parse(&p) != 0) {
		tmpl_free(t);
		return -1;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct tmpl **nt = realloc(set->t, cap * sizeof *nt);
		if (!nt) {
			tmpl_free(t);
			if (err && errlen)
				snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		set->t = nt;
		set->cap = cap;
	}
	set->t[set->n++] = t;
	return 0;
}

int
tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen)
{
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = set->t[i];
		for (size_t k = 0; k < t->n; k++) {
			struct node *nd = &t->nodes[k];
			if (nd->kind != N_PARTIAL)
				continue;
			nd->target = find(set, nd->str);
			if (!nd->target) {
				set_err(err, errlen, t->name, t->src, nd->pos,
				        "unknown partial '%s'", nd->str);
				return -1;
			}
		}
	}
	return 0;
}

int
tmpl_set_load_embedded(struct tmpl_set **out, char *err, size_t errlen)
{
	static const char prefix[] = "src/view/templates/";
	static const char suffix[] = ".html";
	const size_t plen = sizeof prefix - 1, slen = sizeof suffix - 1;

	*out = NULL;
	struct tmpl_set *set = tmpl_set_new();
	if (!set) {
		snprintf(err, errlen, "templates: out of memory");
		return -1;
	}
	for (size_t i = 0; i < embed_count; i++) {
		const char *fn = embed_files[i].name;
		size_t n = strlen(fn);
		if (n <= plen + slen || strncmp(fn, prefix, plen) != 0 ||
		    strcmp(fn + n - slen, suffix) != 0)
			continue;
		char name[256];
		if (n - plen - slen >= sizeof name) {
			snprintf(err, errlen, "%s: name too long", fn);
			tmpl_set_free(set);
			return -1;
		}
		memcpy(name, fn + plen, n - plen - slen);
		name[n - plen - slen] = '\0';
		if (tmpl_set_add(set, name, (const char *)embed_files[i].data,
		                 embed_files[i].len, err, errlen) != 0) {
			tmpl_set_free(set);
			return -1;
		}
	}
	if (tmpl_set_link(set, err, errlen) != 0) {
		tmpl_set_free(set);
		return -1;
	}
	*out = set;
	return 0;
}

/* ---- escaping --------------------------------------------------------- */

void
tmpl_escape_html(struct buf *out, const char *s, size_t len)
{
	size_t run = 0;  /* start of the bytes not yet copied */
	for (size_t i = 0; i < len; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '\0': ent = "\xEF\xBF\xBD"; break;
		default: continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, ent);
		run = i + 1;
	}
	buf_append(out, s + run, len - run);
}

int
tmpl_url_is_safe(const char *s, size_t len)
{
	static const char *const allowed[] = {"http", "https", "mailto", "tel"};
	char scheme[8];
	size_t n = 0, i = 0;

	while (i < len && (unsigned char)s[i] <= ' ')
		i++;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;  /* browsers drop these anywhere in a URL */
		if (c == '/' || c == '?' || c == '#')
			return 1;  /* a relative URL */
		if (c == ':') {
			if (n == 0 || n >= sizeof scheme)
				return 0;
			scheme[n] = '\0';
			for (size_t k = 0; k < sizeof allowed / sizeof *allowed; k++)
				if (strcmp(scheme, allowed[k]) == 0)
					return 1;
			return 0;
		}
		if (n < sizeof scheme)
			scheme[n] = lower(c);
		n += n < sizeof scheme;
	}
	return 1;  /* no colon: a relative URL */
}

/* ---- rendering -------------------------------------------------------- */

struct render {
	const struct tmpl_set *set;
	const struct tmpl *page;     /* for {{> $content}}, or NULL */
	struct buf *out;
	size_t start;                /* out->len when we began */
	size_t steps;
	int partials;
	size_t depth;
	json_t *stack[TMPL_MAX_CONTEXT];
};

/* A path segment of 1 to 6 digits indexes an array ("rows.0" is the
 * first row, so {{#rows.0}} tests for a non-empty list); anything else
 * gives an index json_array_get refuses. */
static size_t
array_index(const char *seg)
{
	size_t n = 0, i = 0;
	for (; seg[i]; i++) {
		if (seg[i] < '0' || seg[i] > '9' || i == 6)
			return (size_t)-1;
		n = n * 10 + (size_t)(seg[i] - '0');
	}
	return i ? n : (size_t)-1;
}

static json_t *
lookup(const struct render *r, const struct node *nd)
{
	if (nd->nseg == 0)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	const char *seg = nd->str;
	json_t *v = NULL;
	for (size_t i = r->depth; i-- > 0;) {
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], seg)) != NULL)
			break;
	}
	for (unsigned k = 1; k < nd->nseg && v; k++) {
		seg += strlen(seg) + 1;
		if (json_is_object(v))
			v = json_object_get(v, seg);
		else if (json_is_array(v))
			v = json_array_get(v, array_index(seg));
		else
			v = NULL;
	}
	return v;
}

static void
emit_value(struct render *r, const struct node *nd, json_t *v)
{
	char num[64];
	const char *s = NULL;
	size_t len = 0;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		len = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		                       json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		len = (size_t)snprintf(num, sizeof num, "%g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		break;
	case JSON_FALSE:
		s = "false";
		len = 5;
		break;
	default:
		return;  /* null, objects, arrays print nothing */
	}
	if (nd->esc == ESC_URL && !tmpl_url_is_safe(s, len)) {
		buf_putc(r->out, '#');
		return;
	}
	tmpl_escape_html(r->out, s, len);
}

static int
truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_OBJECT:
	case JSON_TRUE:
		return 1;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return 0;
	}
}

static int render_nodes(struct render *r, const struct tmpl *t, size_t from,
                        size_t to);

static int
render_pushed(struct render *r, const struct tmpl *t, size_t from, size_t to,
              json_t *ctx)
{
	/* A pass over an empty body visits no node but still costs a step,
	 * or nested loops over big arrays would escape the bound. */
	if (r->depth == TMPL_MAX_CONTEXT || ++r->steps > TMPL_MAX_STEPS)
		return -1;
	r->stack[r->depth++] = ctx;
	int rc = render_nodes(r, t, from, to);
	r->depth--;
	return rc;
}

static int
render_include(struct render *r, const struct tmpl *t)
{
	if (!t || r->partials == TMPL_MAX_PARTIALS)
		return -1;
	r->partials++;
	int rc = render_nodes(r, t, 0, t->n);
	r->partials--;
	return rc;
}

/* Renders nodes [from, to) of t. */
static int
render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct node *nd = &t->nodes[i];
		if (++r->steps > TMPL_MAX_STEPS || r->out->oom ||
		    r->out->len - r->start > TMPL_MAX_OUTPUT)
			return -1;
		switch (nd->kind) {
		case N_TEXT:
			buf_append(r->out, nd->str, nd->len);
			break;
		case N_VAR: {
			json_t *v = lookup(r, nd);
			if (v)
				emit_value(r, nd, v);
			break;
		}
		case N_SECTION: {
			json_t *v = lookup(r, nd);
			size_t body = i + 1, end = nd->end;
			i = end - 1;
			if (!truthy(v))
				break;
			if (json_is_array(v)) {
				for (size_t k = 0; k < json_array_size(v); k++)
					if (render_pushed(r, t, body, end,
					                  json_array_get(v, k)) != 0)
						return -1;
			} else if (json_is_object(v)) {
				if (render_pushed(r, t, body, end, v) != 0)
					return -1;
			} else if (render_nodes(r, t, body, end) != 0) {
				return -1;
			}
			break;
		}
		case N_INVERTED: {
			json_t *v = lookup(r, nd);
			size_t body = i + 1, end = nd->end;
			i = end - 1;
			if (!truthy(v) && render_nodes(r, t, body, end) != 0)
				return -1;
			break;
		}
		case N_PARTIAL:
			if (render_include(r, nd->target ? nd->target
			                                 : find(r->set, nd->str)) != 0)
				return -1;
			break;
		case N_CONTENT:
			if (render_include(r, r->page) != 0)
				return -1;
			break;
		}
	}
	if (r->out->oom || r->out->len - r->start > TMPL_MAX_OUTPUT)
		return -1;
	return 0;
}

static int
render_top(const struct tmpl_set *set, const struct tmpl *t,
           const struct tmpl *page, json_t *data, struct buf *out)
{
	if (!out)
		return -1;
	if (out->oom)
		return -1;
	size_t start = out->len;
	struct render *r = malloc(sizeof *r);  /* the stack array is 1 KiB */
	int rc = -1;
	if (r && t) {
		r->set = set;
		r->page = page;
		r->out = out;
		r->start = start;
		r->steps = 0;
		r->partials = 0;
		r->depth = 0;
		if (data)
			r->stack[r->depth++] = data;
		rc = render_nodes(r, t, 0, t->n);
	}
	free(r);
	if (rc != 0 && !out->oom) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}

int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
            struct buf *out)
{
	assert(out != NULL);
	if (!set || !name)
		return -1;
	return render_top(set, find(set, name), NULL, data, out);
}

int
tmpl_render_page(const struct tmpl_set *set, const char *layout,
                 const char *page, json_t *data, struct buf *out)
{
	assert(out != NULL);
	if (!set || !layout || !page)
		return -1;
	const struct tmpl *p = find(set, page);
	if (!p)
		return -1;
	return render_top(set, find(set, layout), p, data, out);
}
