/* csv.c — see csv.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/csv.h"

static int
needs_quotes(const char *s)
{
	if (!*s)
		return 0;
	if (*s == ' ' || *s == '\t' || s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t')
		return 1;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* A cell a spreadsheet would read as a formula (= + - @, or a leading tab
 * or CR before one), or one that starts with the apostrophe this writer
 * adds: written after a "'", which spreadsheets show as text. */
static int
neutralise(const char *s)
{
	return *s && strchr("=+-@\t\r'", *s) != NULL;
}

void
csv_write_row_const(struct buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = cells[i] ? cells[i] : "";
		if (i)
			buf_putc(out, ',');
		int quote = needs_quotes(s);
		if (quote)
			buf_putc(out, '"');
		if (neutralise(s))
			buf_putc(out, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(out, '"');
			buf_putc(out, *s);
		}
		if (quote)
			buf_putc(out, '"');
	}
	buf_puts(out, "\r\n");
}

void
csv_write_row(struct buf *out, char *const *cells, size_t n)
{
	csv_write_row_const(out, (const char *const *)cells, n);
}

void
csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->max_cells = 256;
	r->max_cell = 64 * 1024;
	r->strip_apostrophe = 0;
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0)
		r->p += 3;
}

void
csv_free_row(char **cells, size_t n)
{
	for (size_t i = 0; cells && i < n; i++)
		free(cells[i]);
	free(cells);
}

int
csv_read_row(struct csv_reader *r, char ***cells_out, size_t *n_out, size_t *line_out,
             char *detail, size_t dlen)
{
	*cells_out = NULL;
	*n_out = 0;
	*line_out = r->line;
	if (r->p >= r->end)
		return 0;
	char **cells = NULL;
	size_t n = 0, cap = 0;
	struct buf cell = BUF_INIT;
	const char *p = r->p;
	int quoted = 0, after_quote = 0, done = 0;
	for (;;) {
		int at_end = p >= r->end;
		char c = at_end ? '\n' : *p;
		if (!at_end && c == '\0') {
			snprintf(detail, dlen, "dòng %zu: chứa ký tự NUL", r->line);
			goto bad;
		}
		if (quoted) {
			if (at_end) {
				snprintf(detail, dlen, "dòng %zu: thiếu dấu ngoặc kép đóng", *line_out);
				goto bad;
			}
			if (c == '"') {
				if (p + 1 < r->end && p[1] == '"') {
					buf_putc(&cell, '"');
					p += 2;
					continue;
				}
				quoted = 0;
				after_quote = 1;
				p++;
				continue;
			}
			if (c == '\n')
				r->line++;
			buf_putc(&cell, c);
			p++;
		} else if (c == ',' || c == '\n' || c == '\r') {
			if (c == '\r') {
				if (p + 1 < r->end && p[1] == '\n')
					p++;
				c = '\n';
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				char **q = realloc(cells, cap * sizeof *q);
				if (!q)
					goto oom;
				cells = q;
			}
			char *s = buf_detach(&cell);
			if (!s)
				goto oom;
			if (r->strip_apostrophe && s[0] == '\'')
				memmove(s, s + 1, strlen(s));
			cells[n++] = s;
			if (n > r->max_cells) {
				snprintf(detail, dlen, "dòng %zu: quá nhiều cột (tối đa %zu)", *line_out, r->max_cells);
				goto bad;
			}
			after_quote = 0;
			if (!at_end)
				p++;
			if (c == '\n') {
				if (!at_end)
					r->line++;
				done = 1;
				break;
			}
		} else if (after_quote) {
			snprintf(detail, dlen, "dòng %zu: có ký tự sau dấu ngoặc kép đóng", r->line);
			goto bad;
		} else if (c == '"') {
			if (cell.len != 0) {
				snprintf(detail, dlen, "dòng %zu: dấu ngoặc kép giữa ô (hãy đặt cả ô trong ngoặc kép)", r->line);
				goto bad;
			}
			quoted = 1;
			p++;
		} else {
			buf_putc(&cell, c);
			p++;
		}
		if (cell.len > r->max_cell) {
			snprintf(detail, dlen, "dòng %zu: ô quá dài (tối đa %zu byte)", *line_out, r->max_cell);
			goto bad;
		}
	}
	(void)done;
	r->p = p;
	*cells_out = cells;
	*n_out = n;
	return 1;
oom:
	snprintf(detail, dlen, "hết bộ nhớ");
bad:
	buf_free(&cell);
	csv_free_row(cells, n);
	r->p = r->end;
	return -1;
}
