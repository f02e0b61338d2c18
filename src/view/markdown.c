/* markdown.c — see markdown.h.
 *
 * Blocks are found line by line (quotes recurse on their stripped lines,
 * at most MD_MAX_QUOTE deep).  The text of each paragraph, heading or
 * list item is parsed by a CommonMark-style inline parser into a flat
 * list of nodes in an arena, with a delimiter stack for emphasis (the
 * "process emphasis" algorithm with openers_bottom, so runs of "*" cost
 * linear time) and a bracket stack for links; a code span's closer is
 * found with cmark's backtick table.  The node tree is then turned into
 * JSON, merging adjacent text, checking URLs and bounding the depth. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/text.h"
#include "view/markdown.h"

#define MAX_TICKS  32    /* longer backtick runs never open a code span */
#define MAX_PAREN  8     /* nested parentheses in a URL */
#define MAX_TITLE  512   /* bytes of a link title */
#define MAX_CALLS  32    /* recursion of the JSON emitter */

/* ---- arena ------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

/* The node types; every node of a type shares one "is" object and one
 * type string (the tree is read-only once built). */
static const char *const types[] = {
	"p", "h2", "h3", "ul", "ol", "quote", "img",
	"text", "strong", "em", "code", "link", "br",
};
#define NTYPES (sizeof types / sizeof *types)

struct md {
	struct chunk *chunks;
	int oom;            /* out of memory, or too many nodes (nodes says) */
	size_t nodes;       /* JSON nodes made */
	json_t *is[NTYPES], *name[NTYPES];
};

static void *
arena_alloc(struct md *m, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct chunk *c = m->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 32768 ? n : 32768;
		c = malloc(sizeof *c + cap);
		if (!c) {
			m->oom = 1;
			return NULL;
		}
		c->next = m->chunks;
		c->used = 0;
		c->cap = cap;
		m->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

static void
arena_free(struct md *m)
{
	while (m->chunks) {
		struct chunk *c = m->chunks;
		m->chunks = c->next;
		free(c);
	}
}

/* ---- characters ------------------------------------------------------- */

static int
is_ascii_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static int
is_uspace(int32_t c)
{
	if (c < 0x80)
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
	return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static int
is_upunct(int32_t c)
{
	if (c < 0x80)
		return is_ascii_punct((unsigned char)c);
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM:
	case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
		return 1;
	default:
		return 0;
	}
}

/* The code point starting at s[i] (valid UTF-8), or '\n' at the end. */
static int32_t
cp_at(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return '\n';
	utf8proc_int32_t c = '\n';
	if (utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c) < 0)
		return '\n';
	return c;
}

/* The code point ending just before s[i], or '\n' at the start. */
static int32_t
cp_before(const char *s, size_t n, size_t i)
{
	if (i == 0)
		return '\n';
	size_t k = i - 1;
	while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return cp_at(s, n, k);
}

static int
is_blank_char(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- URLs ------------------------------------------------------------- */

static int
has_prefix_ci(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)p[i])
			return 0;
	}
	return 1;
}

static int
url_ok(const char *u, size_t n)
{
	if (n == 0 || n > MD_MAX_URL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c < 0x20 || c == 0x7F)
			return 0;
	}
	if (u[0] == '/')
		return n == 1 || (u[1] != '/' && u[1] != '\\');
	static const char *const ok[] = {"http://", "https://", "mailto:", "tel:"};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (has_prefix_ci(u, n, ok[i]) && n > strlen(ok[i]))
			return 1;
	return 0;
}

/* ---- inline parsing --------------------------------------------------- */

enum ik { I_TEXT, I_SOFT, I_BR, I_CODE, I_EM, I_STRONG, I_LINK, I_IMG };

struct inode {
	struct inode *next, *prev, *first, *last;
	const char *s;      /* text, code content or URL */
	size_t len;
	unsigned char k;
};

struct delim {
	struct delim *prev, *next;
	struct inode *node;  /* its text node; node->len is what is left */
	size_t orig;
	char ch;
	unsigned char can_open, can_close;
};

struct bracket {
	struct bracket *prev;
	struct inode *node;          /* the "[" or "![" text node */
	struct delim *prev_delim;    /* top of the delimiter stack when pushed */
	size_t seq;
	unsigned char image;
};

struct ip {
	struct md *m;
	const char *s;
	size_t n, pos;
	struct inode *first, *last;
	struct delim *dtop;
	struct bracket *btop;
	size_t bseq, inactive_below;  /* "[" with seq below this are inactive */
	size_t ticks[MAX_TICKS + 1];
	int ticks_scanned;
};

static struct inode *
add_node(struct ip *p, enum ik k, const char *s, size_t len)
{
	struct inode *nd = arena_alloc(p->m, sizeof *nd);
	if (!nd)
		return NULL;
	nd->k = (unsigned char)k;
	nd->s = s;
	nd->len = len;
	nd->prev = p->last;
	if (p->last)
		p->last->next = nd;
	else
		p->first = nd;
	p->last = nd;
	return nd;
}

static void
remove_node(struct ip *p, struct inode *nd)
{
	if (nd->prev)
		nd->prev->next = nd->next;
	else
		p->first = nd->next;
	if (nd->next)
		nd->next->prev = nd->prev;
	else
		p->last = nd->prev;
	nd->prev = nd->next = NULL;
}

static void
remove_delim(struct ip *p, struct delim *d)
{
	if (d->prev)
		d->prev->next = d->next;
	if (d->next)
		d->next->prev = d->prev;
	else
		p->dtop = d->prev;
	d->prev = d->next = NULL;
}

/* Wraps the nodes between opener and closer in a strong or em node;
 * returns the delimiter to continue with. */
static struct delim *
insert_emph(struct ip *p, struct delim *opener, struct delim *closer)
{
	struct inode *on = opener->node, *cn = closer->node;
	size_t use = (on->len >= 2 && cn->len >= 2) ? 2 : 1;
	on->len -= use;
	cn->len -= use;
	for (struct delim *d = closer->prev; d && d != opener;) {
		struct delim *prev = d->prev;
		remove_delim(p, d);
		d = prev;
	}
	struct inode *e = arena_alloc(p->m, sizeof *e);
	if (!e)
		return NULL;
	e->k = use == 2 ? I_STRONG : I_EM;
	if (on->next != cn) {
		e->first = on->next;
		e->last = cn->prev;
		e->first->prev = NULL;
		e->last->next = NULL;
	}
	on->next = e;
	e->prev = on;
	e->next = cn;
	cn->prev = e;
	if (on->len == 0) {
		remove_node(p, on);
		remove_delim(p, opener);
	}
	if (cn->len == 0) {
		struct delim *next = closer->next;
		remove_node(p, cn);
		remove_delim(p, closer);
		return next;
	}
	return closer;
}

/* Matches the delimiters above bottom (NULL: all) and removes them. */
static void
process_emphasis(struct ip *p, struct delim *bottom)
{
	struct delim *ob[2][6];
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 6; b++)
			ob[a][b] = bottom;
	struct delim *closer = p->dtop;
	if (!closer || closer == bottom)
		return;
	while (closer->prev && closer->prev != bottom)
		closer = closer->prev;
	while (closer && !p->m->oom) {
		if (!closer->can_close) {
			closer = closer->next;
			continue;
		}
		int ci = closer->ch == '_';
		int oi = (closer->can_open ? 3 : 0) + (int)(closer->orig % 3);
		struct delim *opener = closer->prev;
		int found = 0;
		while (opener && opener != bottom && opener != ob[ci][oi]) {
			if (opener->can_open && opener->ch == closer->ch) {
				int odd = (closer->can_open || opener->can_close) &&
				          (opener->orig + closer->orig) % 3 == 0 &&
				          !(opener->orig % 3 == 0 && closer->orig % 3 == 0);
				if (!odd) {
					found = 1;
					break;
				}
			}
			opener = opener->prev;
		}
		struct delim *old = closer;
		if (found) {
			closer = insert_emph(p, opener, closer);
		} else {
			closer = closer->next;
			ob[ci][oi] = old->prev;
			if (!old->can_open)
				remove_delim(p, old);
		}
	}
	while (p->dtop && p->dtop != bottom)
		remove_delim(p, p->dtop);
}

static void
handle_delim(struct ip *p)
{
	const char *s = p->s;
	size_t start = p->pos;
	char ch = s[start];
	while (p->pos < p->n && s[p->pos] == ch)
		p->pos++;
	int32_t before = cp_before(s, p->n, start), after = cp_at(s, p->n, p->pos);
	int bws = is_uspace(before), aws = is_uspace(after);
	int bp = is_upunct(before), ap = is_upunct(after);
	int left = !aws && (!ap || bws || bp);
	int right = !bws && (!bp || aws || ap);
	int can_open, can_close;
	if (ch == '*') {
		can_open = left;
		can_close = right;
	} else {
		can_open = left && (!right || bp);
		can_close = right && (!left || ap);
	}
	struct inode *nd = add_node(p, I_TEXT, s + start, p->pos - start);
	if (!nd || !(can_open || can_close))
		return;
	struct delim *d = arena_alloc(p->m, sizeof *d);
	if (!d)
		return;
	d->node = nd;
	d->orig = p->pos - start;
	d->ch = ch;
	d->can_open = (unsigned char)can_open;
	d->can_close = (unsigned char)can_close;
	d->prev = p->dtop;
	if (p->dtop)
		p->dtop->next = d;
	p->dtop = d;
}

/* Start of the next backtick run of exactly len after p->pos, or SIZE_MAX
 * (cmark's method: once a scan reached the end, the table of the last
 * run of each length answers every later failing search at once). */
static size_t
find_ticks(struct ip *p, size_t len)
{
	if (len > MAX_TICKS)
		return SIZE_MAX;
	if (p->ticks_scanned && p->ticks[len] <= p->pos)
		return SIZE_MAX;
	size_t i = p->pos;
	while (i < p->n) {
		const char *bt = memchr(p->s + i, '`', p->n - i);
		if (!bt)
			break;
		size_t st = (size_t)(bt - p->s);
		i = st;
		while (i < p->n && p->s[i] == '`')
			i++;
		size_t k = i - st;
		if (k <= MAX_TICKS && !p->ticks_scanned)
			p->ticks[k] = st;
		if (k == len)
			return st;
	}
	p->ticks_scanned = 1;
	return SIZE_MAX;
}

static void
handle_ticks(struct ip *p)
{
	size_t start = p->pos;
	while (p->pos < p->n && p->s[p->pos] == '`')
		p->pos++;
	size_t len = p->pos - start;
	size_t close = find_ticks(p, len);
	if (close == SIZE_MAX) {
		add_node(p, I_TEXT, p->s + start, len);
		return;
	}
	add_node(p, I_CODE, p->s + p->pos, close - p->pos);
	p->pos = close + len;
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	return i;
}

/* Parses "(url)", "(<url>)" or either with a "title" at s[i]; on success
 * sets the URL and *end (after ")") and returns 1. */
static int
parse_dest(const struct ip *p, size_t i, const char **url, size_t *ulen, size_t *end)
{
	const char *s = p->s;
	size_t n = p->n;
	if (i >= n || s[i] != '(')
		return 0;
	i = skip_ws(s, n, i + 1);
	size_t j;
	if (i < n && s[i] == '<') {
		for (j = i + 1; j < n && s[j] != '>' && s[j] != '<' && s[j] != '\n'; j++) {
			if (s[j] == '\\' && j + 1 < n && is_ascii_punct((unsigned char)s[j + 1]))
				j++;
			if (j - i > MD_MAX_URL)
				return 0;
		}
		if (j >= n || s[j] != '>')
			return 0;
		*url = s + i + 1;
		*ulen = j - i - 1;
		j++;
	} else {
		int depth = 0;
		for (j = i; j < n; j++) {
			unsigned char c = (unsigned char)s[j];
			if (c <= ' ' || c == 0x7F)
				break;
			if (c == '\\' && j + 1 < n && is_ascii_punct((unsigned char)s[j + 1])) {
				j++;
			} else if (c == '(') {
				if (++depth > MAX_PAREN)
					return 0;
			} else if (c == ')') {
				if (depth == 0)
					break;
				depth--;
			}
			if (j - i > MD_MAX_URL)
				return 0;
		}
		if (depth != 0)
			return 0;
		*url = s + i;
		*ulen = j - i;
	}
	size_t k = skip_ws(s, n, j);
	if (k > j && k < n && (s[k] == '"' || s[k] == '\'')) {
		char q = s[k];
		size_t t = k + 1;
		for (; t < n && s[t] != q; t++) {
			if (s[t] == '\\' && t + 1 < n)
				t++;
			if (t - k > MAX_TITLE)
				return 0;
		}
		if (t >= n)
			return 0;
		k = skip_ws(s, n, t + 1);
	}
	if (k >= n || s[k] != ')')
		return 0;
	*end = k + 1;
	return 1;
}

static void
handle_close(struct ip *p)
{
	struct bracket *b = p->btop;
	p->pos++;
	if (!b) {
		add_node(p, I_TEXT, p->s + p->pos - 1, 1);
		return;
	}
	const char *url = NULL;
	size_t ulen = 0, end = 0;
	if ((!b->image && b->seq < p->inactive_below) ||
	    !parse_dest(p, p->pos, &url, &ulen, &end)) {
		p->btop = b->prev;
		add_node(p, I_TEXT, p->s + p->pos - 1, 1);
		return;
	}
	p->pos = end;
	process_emphasis(p, b->prev_delim);
	struct inode *ln = arena_alloc(p->m, sizeof *ln);
	if (!ln)
		return;
	ln->k = b->image ? I_IMG : I_LINK;
	ln->s = url;
	ln->len = ulen;
	struct inode *open = b->node;
	if (open->next) {
		ln->first = open->next;
		ln->last = p->last;
		ln->first->prev = NULL;
	}
	ln->prev = open->prev;
	if (open->prev)
		open->prev->next = ln;
	else
		p->first = ln;
	p->last = ln;
	p->btop = b->prev;
	if (!b->image)
		p->inactive_below = p->bseq;
}

static void
push_bracket(struct ip *p, int image)
{
	struct inode *nd = add_node(p, I_TEXT, p->s + p->pos, image ? 2 : 1);
	p->pos += image ? 2 : 1;
	struct bracket *b = arena_alloc(p->m, sizeof *b);
	if (!nd || !b)
		return;
	b->node = nd;
	b->image = (unsigned char)image;
	b->prev_delim = p->dtop;
	b->seq = p->bseq++;
	b->prev = p->btop;
	p->btop = b;
}

/* A line end: hard break after two spaces (which are removed) or a
 * backslash, else a soft break. */
static void
handle_newline(struct ip *p, int hard)
{
	struct inode *t = p->last;
	if (t && t->k == I_TEXT && t->s + t->len == p->s + p->pos) {
		size_t sp = 0;
		while (sp < t->len && t->s[t->len - 1 - sp] == ' ')
			sp++;
		t->len -= sp;
		if (sp >= 2)
			hard = 1;
		if (t->len == 0)
			remove_node(p, t);
	}
	add_node(p, hard ? I_BR : I_SOFT, NULL, 0);
	p->pos++;
	while (p->pos < p->n && is_blank_char(p->s[p->pos]))
		p->pos++;
}

static int
is_special(char c)
{
	return c == '\n' || c == '\\' || c == '`' || c == '*' || c == '_' ||
	       c == '[' || c == ']' || c == '!';
}

/* Parses s[0..n) into a list of nodes in the arena. */
static struct inode *
inl_parse(struct md *m, const char *s, size_t n)
{
	struct ip *p = calloc(1, sizeof *p);
	if (!p) {
		m->oom = 1;
		return NULL;
	}
	p->m = m;
	p->s = s;
	p->n = n;
	while (p->pos < n && !m->oom) {
		char c = s[p->pos];
		switch (c) {
		case '\n':
			handle_newline(p, 0);
			break;
		case '\\':
			if (p->pos + 1 < n && s[p->pos + 1] == '\n') {
				p->pos++;
				handle_newline(p, 1);
			} else if (p->pos + 1 < n && is_ascii_punct((unsigned char)s[p->pos + 1])) {
				add_node(p, I_TEXT, s + p->pos + 1, 1);
				p->pos += 2;
			} else {
				add_node(p, I_TEXT, s + p->pos, 1);
				p->pos++;
			}
			break;
		case '`':
			handle_ticks(p);
			break;
		case '*': case '_':
			handle_delim(p);
			break;
		case '[':
			push_bracket(p, 0);
			break;
		case '!':
			if (p->pos + 1 < n && s[p->pos + 1] == '[') {
				push_bracket(p, 1);
			} else {
				add_node(p, I_TEXT, s + p->pos, 1);
				p->pos++;
			}
			break;
		case ']':
			handle_close(p);
			break;
		default: {
			size_t st = p->pos;
			while (p->pos < n && !is_special(s[p->pos]))
				p->pos++;
			add_node(p, I_TEXT, s + st, p->pos - st);
			break;
		}
		}
	}
	if (!m->oom)
		process_emphasis(p, NULL);
	struct inode *first = p->first;
	free(p);
	return m->oom ? NULL : first;
}

/* ---- JSON ------------------------------------------------------------- */

static void
put(struct md *m, json_t *o, const char *k, json_t *v)
{
	if (!v || json_object_set_new(o, k, v) != 0)
		m->oom = 1;
}

static void
push(struct md *m, json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) != 0)
		m->oom = 1;
}

static json_t *
mk_node(struct md *m, const char *typekey, const char *type)
{
	size_t k = 0;
	while (k < NTYPES && strcmp(types[k], type) != 0)
		k++;
	if (k == NTYPES || ++m->nodes > MD_MAX_NODES) {
		m->oom = 1;
		return NULL;
	}
	if (!m->is[k]) {
		m->is[k] = json_object();
		m->name[k] = json_string(type);
		if (!m->is[k] || !m->name[k] || json_object_set_new(m->is[k], type, json_true()) != 0) {
			m->oom = 1;
			return NULL;
		}
	}
	json_t *o = json_object();
	if (!o) {
		m->oom = 1;
		return NULL;
	}
	put(m, o, typekey, json_incref(m->name[k]));
	put(m, o, "is", json_incref(m->is[k]));
	return o;
}

/* Code span content: line ends become spaces, and one space is stripped
 * from both ends when both are spaces and the content is not all spaces. */
static void
code_append(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, e = n;
	int all = 1;
	for (size_t k = 0; k < n; k++)
		if (s[k] != ' ' && s[k] != '\n')
			all = 0;
	if (!all && n >= 2 && (s[0] == ' ' || s[0] == '\n') &&
	    (s[n - 1] == ' ' || s[n - 1] == '\n')) {
		i++;
		e--;
	}
	for (size_t k = i; k < e; k++)
		buf_putc(b, s[k] == '\n' ? ' ' : s[k]);
}

/* Appends the text of a node list, without recursion (the tree before
 * the depth limit can be as deep as the input is long). */
static void
append_plain(struct md *m, struct buf *b, const struct inode *nd)
{
	const struct inode **st = NULL;
	size_t sp = 0, cap = 0;
	while (nd || sp) {
		if (!nd) {
			nd = st[--sp];
			continue;
		}
		switch (nd->k) {
		case I_TEXT:
			buf_append(b, nd->s, nd->len);
			break;
		case I_SOFT: case I_BR:
			buf_putc(b, ' ');
			break;
		case I_CODE:
			code_append(b, nd->s, nd->len);
			break;
		default:
			if (nd->first) {
				if (sp == cap) {
					size_t nc = cap ? cap * 2 : 16;
					const struct inode **ns = realloc(st, nc * sizeof *ns);
					if (!ns) {
						m->oom = 1;
						free(st);
						return;
					}
					st = ns;
					cap = nc;
				}
				st[sp++] = nd->next;
				nd = nd->first;
				continue;
			}
			break;
		}
		nd = nd->next;
	}
	free(st);
}

/* An inline array being built, with the text not yet put in a node. */
struct acc {
	json_t *arr;
	struct buf text;
};

static void
acc_flush(struct md *m, struct acc *a)
{
	if (a->text.oom)
		m->oom = 1;
	if (a->text.len == 0)
		return;
	json_t *t = mk_node(m, "t", "text");
	if (t) {
		put(m, t, "v", json_stringn(a->text.data, a->text.len));
		push(m, a->arr, t);
	}
	buf_reset(&a->text);
}

static json_t *emit_list(struct md *m, const struct inode *first, int level, int calls);

static void
emit_node(struct md *m, struct acc *a, const struct inode *nd, int level, int calls)
{
	switch (nd->k) {
	case I_TEXT:
		buf_append(&a->text, nd->s, nd->len);
		return;
	case I_SOFT:
		buf_putc(&a->text, ' ');
		return;
	case I_BR: {
		acc_flush(m, a);
		push(m, a->arr, mk_node(m, "t", "br"));
		return;
	}
	case I_CODE: {
		struct buf c = BUF_INIT;
		code_append(&c, nd->s, nd->len);
		acc_flush(m, a);
		json_t *o = mk_node(m, "t", "code");
		if (o) {
			put(m, o, "v", c.oom ? NULL : json_stringn(c.len ? c.data : "", c.len));
			push(m, a->arr, o);
		}
		buf_free(&c);
		return;
	}
	case I_LINK: case I_IMG:
		if (nd->k == I_IMG || !url_ok(nd->s, nd->len)) {
			/* not a link here: its text takes its place */
			if (calls >= MAX_CALLS) {
				append_plain(m, &a->text, nd->first);
				return;
			}
			for (const struct inode *c = nd->first; c; c = c->next)
				emit_node(m, a, c, level, calls + 1);
			return;
		}
		/* FALLTHROUGH */
	case I_EM: case I_STRONG: {
		if (!nd->first && nd->k != I_LINK)
			return;
		if (level >= MD_MAX_DEPTH || calls >= MAX_CALLS) {
			if (nd->first)
				append_plain(m, &a->text, nd->first);
			else
				buf_append(&a->text, nd->s, nd->len);
			return;
		}
		json_t *kids = emit_list(m, nd->first, level + 1, calls + 1);
		if (!kids)
			return;
		if (json_array_size(kids) == 0 && nd->k == I_LINK) {
			/* a link needs a name: the URL */
			json_t *t = mk_node(m, "t", "text");
			if (t) {
				put(m, t, "v", json_stringn(nd->s, nd->len));
				push(m, kids, t);
			}
		}
		if (json_array_size(kids) == 0) {
			json_decref(kids);
			return;
		}
		acc_flush(m, a);
		const char *type = nd->k == I_LINK ? "link" : nd->k == I_EM ? "em" : "strong";
		json_t *o = mk_node(m, "t", type);
		if (!o) {
			json_decref(kids);
			return;
		}
		if (nd->k == I_LINK)
			put(m, o, "href", json_stringn(nd->s, nd->len));
		put(m, o, "inl", kids);
		push(m, a->arr, o);
		return;
	}
	}
}

static json_t *
emit_list(struct md *m, const struct inode *first, int level, int calls)
{
	struct acc a = {json_array(), BUF_INIT};
	if (!a.arr) {
		m->oom = 1;
		return NULL;
	}
	for (const struct inode *c = first; c && !m->oom; c = c->next)
		emit_node(m, &a, c, level, calls);
	acc_flush(m, &a);
	buf_free(&a.text);
	if (m->oom) {
		json_decref(a.arr);
		return NULL;
	}
	return a.arr;
}

static int
is_space_ascii(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims white space and line breaks at both ends of an inline array. */
static void
trim_inl(struct md *m, json_t *arr)
{
	for (int end = 0; end < 2; end++) {
		while (json_array_size(arr) > 0) {
			size_t idx = end ? json_array_size(arr) - 1 : 0;
			json_t *o = json_array_get(arr, idx);
			const char *t = json_string_value(json_object_get(o, "t"));
			if (t && strcmp(t, "br") == 0) {
				json_array_remove(arr, idx);
				continue;
			}
			if (!t || strcmp(t, "text") != 0)
				break;
			json_t *v = json_object_get(o, "v");
			const char *s = json_string_value(v);
			size_t n = json_string_length(v), i = 0;
			if (end)
				while (n > 0 && is_space_ascii(s[n - 1]))
					n--;
			else
				while (i < n && is_space_ascii(s[i]))
					i++;
			if (i == n) {
				json_array_remove(arr, idx);
				continue;
			}
			if (i > 0 || n < json_string_length(v)) {
				json_t *nv = json_stringn(s + i, n - i);
				put(m, o, "v", nv);
			}
			break;
		}
	}
}

/* ---- blocks ----------------------------------------------------------- */

struct line {
	const char *s;
	size_t len;
};

static int
line_blank(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!is_blank_char(l->s[i]))
			return 0;
	return 1;
}

/* Columns of leading white space (tab stops every 4); *off gets bytes. */
static size_t
line_indent(const struct line *l, size_t *off)
{
	size_t i = 0, col = 0;
	for (; i < l->len && is_blank_char(l->s[i]); i++)
		col = l->s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	if (off)
		*off = i;
	return col;
}

struct marker {
	int ordered;
	long start;
	size_t indent;
	const char *content;
	size_t clen;
};

static int
list_marker(const struct line *l, struct marker *mk)
{
	size_t i;
	mk->indent = line_indent(l, &i);
	const char *s = l->s;
	size_t n = l->len;
	if (i < n && (s[i] == '-' || s[i] == '*')) {
		mk->ordered = 0;
		mk->start = 1;
		i++;
	} else {
		size_t d = i;
		long v = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - d < 9)
			v = v * 10 + (s[i++] - '0');
		if (i == d || i >= n || s[i] != '.')
			return 0;
		i++;
		mk->ordered = 1;
		mk->start = v;
	}
	if (i >= n || !is_blank_char(s[i]))
		return 0;
	while (i < n && is_blank_char(s[i]))
		i++;
	if (i == n)
		return 0;
	mk->content = s + i;
	mk->clen = n - i;
	return 1;
}

/* An ATX heading: sets the level (1..6) and the content. */
static int
heading(const struct line *l, int *level, const char **c, size_t *clen)
{
	size_t i;
	if (line_indent(l, &i) > 3)
		return 0;
	const char *s = l->s;
	size_t n = l->len, h = i;
	while (i < n && s[i] == '#' && i - h < 7)
		i++;
	size_t lv = i - h;
	if (lv == 0 || lv > 6 || (i < n && !is_blank_char(s[i])))
		return 0;
	while (i < n && is_blank_char(s[i]))
		i++;
	size_t e = n;
	while (e > i && is_blank_char(s[e - 1]))
		e--;
	size_t k = e;
	while (k > i && s[k - 1] == '#')
		k--;
	if (k < e && (k == i || is_blank_char(s[k - 1]))) {
		e = k;
		while (e > i && is_blank_char(s[e - 1]))
			e--;
	}
	*level = (int)lv;
	*c = s + i;
	*clen = e - i;
	return 1;
}

static int
quote_start(const struct line *l, int qdepth)
{
	size_t i;
	return qdepth < MD_MAX_QUOTE && line_indent(l, &i) <= 3 && i < l->len && l->s[i] == '>';
}

/* Appends a line without its leading white space, after a newline. */
static void
add_line(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_blank_char(s[i]))
		i++;
	if (b->len)
		buf_putc(b, '\n');
	buf_append(b, s + i, n - i);
}

/* Parses the text of b (trailing white space removed) as inlines. */
static json_t *
inl_of_buf(struct md *m, struct buf *b)
{
	while (b->len && is_blank_char(b->data[b->len - 1]))
		b->len--;
	if (b->oom) {
		m->oom = 1;
		return NULL;
	}
	struct inode *first = inl_parse(m, b->len ? b->data : "", b->len);
	json_t *arr = m->oom ? NULL : emit_list(m, first, 1, 0);
	arena_free(m);
	if (arr)
		trim_inl(m, arr);
	return arr;
}

static json_t *
mk_block(struct md *m, const char *type)
{
	return mk_node(m, "type", type);
}

static void
add_p(struct md *m, json_t *out, json_t *inl)
{
	trim_inl(m, inl);
	if (json_array_size(inl) == 0) {
		json_decref(inl);
		return;
	}
	json_t *p = mk_block(m, "p");
	if (!p) {
		json_decref(inl);
		return;
	}
	put(m, p, "inl", inl);
	push(m, out, p);
}

/* A paragraph: its top-level images become blocks of their own. */
static void
paragraph(struct md *m, struct buf *b, json_t *out)
{
	while (b->len && is_blank_char(b->data[b->len - 1]))
		b->len--;
	if (b->oom) {
		m->oom = 1;
		return;
	}
	struct inode *first = inl_parse(m, b->len ? b->data : "", b->len);
	struct acc a = {json_array(), BUF_INIT};
	if (!a.arr)
		m->oom = 1;
	for (const struct inode *c = first; c && !m->oom; c = c->next) {
		if (c->k != I_IMG || !url_ok(c->s, c->len)) {
			emit_node(m, &a, c, 1, 0);
			continue;
		}
		acc_flush(m, &a);
		add_p(m, out, a.arr);
		a.arr = json_array();
		if (!a.arr) {
			m->oom = 1;
			break;
		}
		struct buf alt = BUF_INIT;
		append_plain(m, &alt, c->first);
		size_t n = 0;
		const char *t = alt.oom ? "" : text_trim(alt.len ? alt.data : "", alt.len, &n);
		json_t *img = mk_block(m, "img");
		if (img) {
			put(m, img, "src", json_stringn(c->s, c->len));
			put(m, img, "alt", n ? json_stringn(t, n) : json_string(MD_DEFAULT_ALT));
			push(m, out, img);
		}
		if (alt.oom)
			m->oom = 1;
		buf_free(&alt);
	}
	if (a.arr) {
		acc_flush(m, &a);
		add_p(m, out, a.arr);
	}
	buf_free(&a.text);
	arena_free(m);
}

static void parse_blocks(struct md *m, const struct line *L, size_t n, int qdepth, json_t *out);

static json_t *
mk_list(struct md *m, const struct marker *mk)
{
	json_t *l = mk_block(m, mk->ordered ? "ol" : "ul");
	if (!l)
		return NULL;
	put(m, l, "items", json_array());
	if (mk->ordered) {
		put(m, l, "start", json_integer(mk->start));
		put(m, l, "has_start", json_boolean(mk->start != 1));
	}
	return l;
}

/* Finishes the item being built: its text becomes "inl". */
static void
end_item(struct md *m, json_t *list, struct buf *text)
{
	if (!list || text->len == 0)
		return;
	json_t *items = json_object_get(list, "items");
	json_t *it = json_array_get(items, json_array_size(items) - 1);
	json_t *inl = inl_of_buf(m, text);
	if (it)
		put(m, it, "inl", inl);
	else
		json_decref(inl);
	buf_reset(text);
}

static void
new_item(struct md *m, json_t *list, struct buf *text, const struct marker *mk)
{
	json_t *it = ++m->nodes > MD_MAX_NODES ? NULL : json_object();
	if (!it) {
		m->oom = 1;
		return;
	}
	put(m, it, "inl", json_array());
	put(m, it, "sub", json_null());
	push(m, json_object_get(list, "items"), it);
	add_line(text, mk->content, mk->clen);
}

/* A list starting at L[i]; returns the index of the first line after. */
static size_t
parse_list(struct md *m, const struct line *L, size_t n, size_t i, int qdepth, json_t *out)
{
	struct marker mk, mk2;
	list_marker(&L[i], &mk);
	size_t base = mk.indent;
	json_t *list = mk_list(m, &mk), *sub = NULL;
	struct buf t = BUF_INIT, st = BUF_INIT;
	if (!list)
		return n;
	new_item(m, list, &t, &mk);
	size_t j = i + 1;
	while (j < n && !m->oom) {
		if (line_blank(&L[j])) {
			size_t k = j;
			while (k < n && line_blank(&L[k]))
				k++;
			if (k < n && list_marker(&L[k], &mk2) &&
			    (mk2.indent >= base + 2 || mk2.ordered == mk.ordered)) {
				j = k;
				continue;
			}
			break;
		}
		if (list_marker(&L[j], &mk2)) {
			if (mk2.indent < base + 2) {
				if (mk2.ordered != mk.ordered)
					break;
				end_item(m, sub, &st);
				sub = NULL;
				end_item(m, list, &t);
				new_item(m, list, &t, &mk2);
			} else {
				end_item(m, sub, &st);
				if (!sub) {
					json_t *items = json_object_get(list, "items");
					json_t *it = json_array_get(items, json_array_size(items) - 1);
					sub = it ? mk_list(m, &mk2) : NULL;
					if (sub)
						put(m, it, "sub", sub);  /* it owns sub now */
				}
				if (sub)
					new_item(m, sub, &st, &mk2);
			}
			j++;
			continue;
		}
		size_t ind = line_indent(&L[j], NULL);
		int lv;
		const char *c;
		size_t cl;
		if (ind < base + 2 && (heading(&L[j], &lv, &c, &cl) || quote_start(&L[j], qdepth)))
			break;
		add_line(sub ? &st : &t, L[j].s, L[j].len);
		j++;
	}
	end_item(m, sub, &st);
	end_item(m, list, &t);
	buf_free(&t);
	buf_free(&st);
	push(m, out, list);
	return j;
}

/* Does L[j] end the paragraph before it? */
static int
interrupts(const struct line *l, int qdepth)
{
	int lv;
	const char *c;
	size_t cl;
	struct marker mk;
	if (heading(l, &lv, &c, &cl) || quote_start(l, qdepth))
		return 1;
	return list_marker(l, &mk) && mk.indent <= 3 && (!mk.ordered || mk.start == 1);
}

static void
parse_blocks(struct md *m, const struct line *L, size_t n, int qdepth, json_t *out)
{
	size_t i = 0;
	struct buf b = BUF_INIT;
	while (i < n && !m->oom) {
		const struct line *l = &L[i];
		int lv;
		const char *c;
		size_t cl;
		struct marker mk;
		if (line_blank(l)) {
			i++;
		} else if (heading(l, &lv, &c, &cl)) {
			struct buf h = BUF_INIT;
			buf_append(&h, c, cl);
			json_t *inl = inl_of_buf(m, &h);
			buf_free(&h);
			if (inl && json_array_size(inl) > 0) {
				json_t *blk = mk_block(m, lv <= 2 ? "h2" : "h3");
				if (blk) {
					put(m, blk, "inl", inl);
					push(m, out, blk);
				} else {
					json_decref(inl);
				}
			} else {
				json_decref(inl);
			}
			i++;
		} else if (quote_start(l, qdepth)) {
			size_t j = i;
			while (j < n && quote_start(&L[j], qdepth))
				j++;
			struct line *sub = malloc((j - i) * sizeof *sub);
			if (!sub) {
				m->oom = 1;
				break;
			}
			for (size_t k = i; k < j; k++) {
				size_t off;
				line_indent(&L[k], &off);
				off++;  /* the '>' */
				if (off < L[k].len && is_blank_char(L[k].s[off]))
					off++;
				sub[k - i].s = L[k].s + off;
				sub[k - i].len = L[k].len - off;
			}
			json_t *blocks = json_array();
			if (!blocks)
				m->oom = 1;
			else
				parse_blocks(m, sub, j - i, qdepth + 1, blocks);
			free(sub);
			if (blocks && json_array_size(blocks) > 0) {
				json_t *q = mk_block(m, "quote");
				if (q) {
					put(m, q, "blocks", blocks);
					push(m, out, q);
				} else {
					json_decref(blocks);
				}
			} else {
				json_decref(blocks);
			}
			i = j;
		} else if (list_marker(l, &mk) && mk.indent <= 3) {
			i = parse_list(m, L, n, i, qdepth, out);
		} else {
			buf_reset(&b);
			add_line(&b, l->s, l->len);
			for (i++; i < n && !line_blank(&L[i]) && !interrupts(&L[i], qdepth); i++)
				add_line(&b, L[i].s, L[i].len);
			paragraph(m, &b, out);
		}
	}
	buf_free(&b);
}

static void
set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen) {
		size_t n = strlen(msg);
		if (n >= errlen)
			n = text_utf8_prefix(msg, n, errlen - 1);
		memcpy(err, msg, n);
		err[n] = '\0';
	}
}

json_t *
md_parse(const char *src, size_t len, char *err, size_t errlen)
{
	set_err(err, errlen, "");
	if (len > MD_MAX_INPUT) {
		set_err(err, errlen, "Nội dung dài quá 200 KB");
		return NULL;
	}
	if (!src)
		src = "";
	if (!text_utf8_valid(src, len)) {
		set_err(err, errlen, "Nội dung không phải văn bản UTF-8 hợp lệ");
		return NULL;
	}
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
		src += 3;
		len -= 3;
	}
	size_t nl = 1;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n')))
			nl++;
	struct line *L = malloc(nl * sizeof *L);
	json_t *out = json_array();
	struct md m;
	memset(&m, 0, sizeof m);
	if (!L || !out) {
		free(L);
		json_decref(out);
		set_err(err, errlen, "Không đủ bộ nhớ");
		return NULL;
	}
	size_t n = 0, st = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || src[i] == '\n' || src[i] == '\r') {
			L[n].s = src + st;
			L[n].len = i - st;
			n++;
			if (i < len && src[i] == '\r' && i + 1 < len && src[i + 1] == '\n')
				i++;
			st = i + 1;
		}
	}
	parse_blocks(&m, L, n, 0, out);
	free(L);
	arena_free(&m);
	for (size_t k = 0; k < NTYPES; k++) {
		json_decref(m.is[k]);
		json_decref(m.name[k]);
	}
	if (m.oom) {
		json_decref(out);
		set_err(err, errlen, m.nodes > MD_MAX_NODES
		        ? "Nội dung có quá nhiều thành phần định dạng (tối đa 50000)"
		        : "Không đủ bộ nhớ");
		return NULL;
	}
	return out;
}

/* ---- plain text and first image --------------------------------------- */

static void
plain_inl(struct buf *b, const json_t *arr, int depth)
{
	if (!json_is_array(arr) || depth > 32)
		return;
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o) {
		const json_t *v = json_object_get(o, "v");
		const char *t = json_string_value(json_object_get(o, "t"));
		if (json_is_string(v))
			buf_append(b, json_string_value(v), json_string_length(v));
		else if (t && strcmp(t, "br") == 0)
			buf_putc(b, ' ');
		else
			plain_inl(b, json_object_get(o, "inl"), depth + 1);
	}
}

static void plain_blocks(struct buf *b, const json_t *arr, int depth);

static void
plain_block(struct buf *b, const json_t *o, int depth)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	if (!type || strcmp(type, "img") == 0 || depth > 32)
		return;
	if (strcmp(type, "quote") == 0) {
		plain_blocks(b, json_object_get(o, "blocks"), depth + 1);
	} else if (strcmp(type, "ul") == 0 || strcmp(type, "ol") == 0) {
		size_t k;
		const json_t *it;
		json_array_foreach(json_object_get(o, "items"), k, it) {
			plain_inl(b, json_object_get(it, "inl"), depth + 1);
			buf_putc(b, ' ');
			const json_t *sub = json_object_get(it, "sub");
			if (json_is_object(sub))
				plain_block(b, sub, depth + 1);
		}
	} else {
		plain_inl(b, json_object_get(o, "inl"), depth + 1);
	}
	buf_putc(b, ' ');
}

static void
plain_blocks(struct buf *b, const json_t *arr, int depth)
{
	if (!json_is_array(arr) || depth > 32)
		return;
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o)
		plain_block(b, o, depth);
}

char *
md_plain(const json_t *tree, size_t max_chars)
{
	struct buf raw = BUF_INIT, out = BUF_INIT;
	plain_blocks(&raw, tree, 0);
	/* collapse white space */
	int space = 1;
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.data[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && out.len)
			buf_putc(&out, ' ');
		space = 0;
		buf_putc(&out, c);
	}
	int oom = raw.oom || out.oom;
	buf_free(&raw);
	if (oom) {
		buf_free(&out);
		return NULL;
	}
	if (max_chars && text_length(out.data ? out.data : "", out.len) > max_chars) {
		/* keep max_chars - 1 code points, then "…" */
		size_t keep = 0, cps = 0;
		while (keep < out.len && cps < max_chars - 1) {
			keep++;
			while (keep < out.len && ((unsigned char)out.data[keep] & 0xC0) == 0x80)
				keep++;
			cps++;
		}
		size_t cut = keep;
		while (cut > keep / 2 && out.data[cut] != ' ' && cut > 0)
			cut--;
		if (cut > keep / 2 && out.data[cut] == ' ')
			keep = cut;
		while (keep > 0 && out.data[keep - 1] == ' ')
			keep--;
		out.len = keep;
		out.data[keep] = '\0';
		buf_puts(&out, "…");
	}
	if (out.oom) {
		buf_free(&out);
		return NULL;
	}
	if (!out.data)
		return strdup("");
	return buf_detach(&out);
}

static const char *
first_image(const json_t *arr, int depth)
{
	if (!json_is_array(arr) || depth > 32)
		return NULL;
	size_t i;
	const json_t *o;
	json_array_foreach(arr, i, o) {
		const char *type = json_string_value(json_object_get(o, "type"));
		if (!type)
			continue;
		if (strcmp(type, "img") == 0) {
			const char *src = json_string_value(json_object_get(o, "src"));
			if (src)
				return src;
		} else if (strcmp(type, "quote") == 0) {
			const char *src = first_image(json_object_get(o, "blocks"), depth + 1);
			if (src)
				return src;
		}
	}
	return NULL;
}

char *
md_first_image(const json_t *tree)
{
	const char *src = first_image(tree, 0);
	return src ? strdup(src) : NULL;
}
