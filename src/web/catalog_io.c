/* catalog_io.c — see catalog_io.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/text.h"
#include "report/csv.h"
#include "web/catalog_io.h"
#include "app/catalog.h"
#include "core/proc_json.h"
#include "web/catalog_csv.h"

/* Room for one more procedure in *v (capacity *cap); 0 or -1. */
static int
procs_grow(struct proc **v, size_t n, size_t *cap)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	struct proc *q = realloc(*v, c * sizeof *q);
	if (!q)
		return -1;
	*v = q;
	*cap = c;
	return 0;
}

/* Line of the first `"code": "X"` in a JSON text, for error messages. */
static size_t
json_line_of_code(const char *data, size_t len, const char *code)
{
	char pat[96];
	snprintf(pat, sizeof pat, "\"%s\"", code);
	const char *p = memmem(data, len, pat, strlen(pat));
	size_t line = 1;
	for (const char *q = data; p && q < p; q++)
		line += *q == '\n';
	return p ? line : 0;
}

/* "dòng L (thủ tục thứ I, mã C): why" for element i of a JSON file. */
static void
json_where(const char *data, size_t len, json_t *el, size_t i, const char *why, char *detail, size_t dlen)
{
	const char *code = json_string_value(json_object_get(el, "code"));
	size_t line = code ? json_line_of_code(data, len, code) : 0;
	if (line)
		snprintf(detail, dlen, "dòng %zu (thủ tục thứ %zu, mã %s): %s", line, i + 1, code, why);
	else
		snprintf(detail, dlen, "thủ tục thứ %zu: %s", i + 1, why);
}

static enum err
collect_json(const char *data, size_t len, struct proc **out, size_t *n, char *detail, size_t dlen)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(detail, dlen, "dòng %d: JSON không hợp lệ (%s)", je.line, je.text);
		return ERR_BAD_JSON;
	}
	const char *fmt = json_string_value(json_object_get(root, "format"));
	json_t *procs = json_object_get(root, "procedures");
	if (!fmt || strcmp(fmt, PROC_FORMAT) != 0 || !json_is_array(procs)) {
		snprintf(detail, dlen, "dòng 1: cần {\"format\": \"%s\", \"procedures\": [...]}", PROC_FORMAT);
		json_decref(root);
		return ERR_INVALID_FIELD;
	}
	size_t cnt = json_array_size(procs);
	struct proc *v = calloc(cnt ? cnt : 1, sizeof *v);
	enum err e = v ? ERR_OK : ERR_NOMEM;
	size_t i;
	for (i = 0; !e && i < cnt; i++) {
		struct proc_problem pb;
		json_t *el = json_array_get(procs, i);
		if ((e = proc_from_json(el, &v[i], &pb)) != ERR_OK)
			json_where(data, len, el, i, e == ERR_NOMEM ? err_message(e) : pb.msg, detail, dlen);
	}
	json_decref(root);
	if (e) {
		proc_array_free(v, i ? i - 1 : 0);
		return e;
	}
	*out = v;
	*n = cnt;
	return ERR_OK;
}

/* The header row of a CSV file; ERR_OK or the problem on line 1. */
static enum err
csv_header(struct csv_reader *r, char *detail, size_t dlen)
{
	char **cells;
	size_t nc, line, ncols = 0;
	int rc = csv_read_row(r, &cells, &nc, &line, detail, dlen);
	if (rc <= 0) {
		if (rc == 0)
			snprintf(detail, dlen, "dòng 1: tệp trống");
		return ERR_INVALID_FIELD;
	}
	while (catalog_csv_columns[ncols])
		ncols++;
	int ok = nc == ncols;
	for (size_t i = 0; ok && i < nc; i++)
		ok = strcmp(cells[i], catalog_csv_columns[i]) == 0;
	csv_free_row(cells, nc);
	if (!ok) {
		snprintf(detail, dlen, "dòng 1: dòng tiêu đề phải là %s,%s,…", catalog_csv_columns[0],
		         catalog_csv_columns[1]);
		return ERR_INVALID_FIELD;
	}
	return ERR_OK;
}

/* One CSV row into *p; on a problem detail says "dòng N: …". */
static enum err
csv_proc(char **cells, size_t nc, size_t line, struct proc *p, char *detail, size_t dlen)
{
	for (size_t i = 0; i < nc; i++)
		if (!text_utf8_valid(cells[i], strlen(cells[i]))) {
			snprintf(detail, dlen, "dòng %zu: cột \"%s\" không phải UTF-8 hợp lệ", line,
			         i < CATALOG_CSV_NCOLS ? catalog_csv_columns[i] : "?");
			return ERR_BAD_UTF8;
		}
	char d[300];
	json_t *raw = catalog_from_csv_cells(cells, nc, d, sizeof d);
	if (!raw) {
		snprintf(detail, dlen, "dòng %zu: %s", line, d);
		return ERR_INVALID_FIELD;
	}
	struct proc_problem pb;
	enum err e = proc_from_json(raw, p, &pb);
	json_decref(raw);
	if (e)
		snprintf(detail, dlen, "dòng %zu: %s", line, e == ERR_NOMEM ? err_message(e) : pb.msg);
	return e;
}

static enum err
collect_csv(const char *data, size_t len, struct proc **out, size_t *n, char *detail, size_t dlen)
{
	struct csv_reader r;
	csv_reader_init(&r, data, len);
	r.strip_apostrophe = 1;   /* our export neutralises formulas this way */
	enum err e = csv_header(&r, detail, dlen);
	if (e)
		return e;
	struct proc *v = NULL;
	size_t cnt = 0, cap = 0, nc, line;
	char **cells;
	int rc;
	while (!e && (rc = csv_read_row(&r, &cells, &nc, &line, detail, dlen)) == 1) {
		if (nc == 1 && !cells[0][0]) { /* blank line */
			csv_free_row(cells, nc);
			continue;
		}
		if (procs_grow(&v, cnt, &cap) != 0)
			e = ERR_NOMEM;
		else if ((e = csv_proc(cells, nc, line, &v[cnt], detail, dlen)) == ERR_OK)
			cnt++;
		csv_free_row(cells, nc);
	}
	if (!e && rc < 0)
		e = ERR_INVALID_FIELD;
	if (e) {
		proc_array_free(v, cnt);
		return e;
	}
	*out = v;
	*n = cnt;
	return ERR_OK;
}

enum err
catalog_parse(const char *data, size_t len, struct proc **v, size_t *n, char *detail, size_t dlen)
{
	detail[0] = '\0';
	*v = NULL;
	*n = 0;
	size_t k = 0;
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0)
		k = 3;
	while (k < len && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t'))
		k++;
	return (k < len && data[k] == '{') ? collect_json(data, len, v, n, detail, dlen)
	                                   : collect_csv(data, len, v, n, detail, dlen);
}

enum err
catalog_import_as(struct app *a, const struct actor *ac, const char *data, size_t len,
                  const char *name, size_t *count, size_t *changed, char *detail, size_t dlen)
{
	struct proc *v;
	size_t n, ch = 0;
	enum err e = catalog_parse(data, len, &v, &n, detail, dlen);
	if (e)
		return e;
	struct app_fail f = {0};
	e = app_catalog_import(a, ac, v, n, name, &ch, &f);
	proc_array_free(v, n);
	if (e) {
		snprintf(detail, dlen, "%s", f.msg[0] ? f.msg : err_message(e));
		return e;
	}
	if (count)
		*count = n;
	if (changed)
		*changed = ch;
	return ERR_OK;
}

enum err
catalog_write(const struct proc *v, size_t n, int csv, struct buf *out)
{
	json_t *list = json_array();
	for (size_t i = 0; list && i < n; i++)
		json_array_append_new(list, proc_to_json(&v[i]));
	if (!list || json_array_size(list) != n) {
		json_decref(list);
		return ERR_NOMEM;
	}
	if (csv) {
		buf_puts(out, CSV_BOM);
		csv_write_row_const(out, catalog_csv_columns, CATALOG_CSV_NCOLS);
		for (size_t i = 0; i < n; i++) {
			size_t k;
			char **cells = catalog_csv_cells(json_array_get(list, i), &k);
			if (cells)
				csv_write_row(out, cells, k);
			catalog_csv_cells_free(cells, k);
		}
		json_decref(list);
	} else {
		json_t *root = json_pack("{s:s,s:o}", "format", PROC_FORMAT, "procedures", list);
		char *s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
		if (s) {
			buf_puts(out, s);
			buf_putc(out, '\n');
			free(s);
		}
		json_decref(root);
		if (!s)
			return ERR_NOMEM;
	}
	return out->oom ? ERR_NOMEM : ERR_OK;
}

enum err
catalog_export_as(struct app *a, const struct actor *ac, int csv, struct buf *out)
{
	struct proc *v;
	size_t n;
	enum err e = app_catalog_export(a, ac, &v, &n);
	if (e)
		return e;
	e = catalog_write(v, n, csv, out);
	proc_array_free(v, n);
	return e;
}

/* The service over st for the CLI, acting as the system named actor. */
static enum err
cli_app(struct store *st, const char *actor, struct app *a, struct actor *ac)
{
	char err[256];
	if (app_init(a, st, err, sizeof err) != 0)
		return ERR_INTERNAL;
	app_actor_system(ac, actor);
	return ERR_OK;
}

enum err
catalog_import(struct store *st, const char *actor, const char *data, size_t len, const char *name,
               size_t *count, size_t *changed, char *detail, size_t dlen)
{
	struct app a;
	struct actor ac;
	enum err e = cli_app(st, actor, &a, &ac);
	if (e) {
		snprintf(detail, dlen, "%s", err_message(e));
		return e;
	}
	e = catalog_import_as(&a, &ac, data, len, name, count, changed, detail, dlen);
	app_free(&a);
	return e;
}

enum err
catalog_export(struct store *st, int csv, struct buf *out)
{
	struct app a;
	struct actor ac;
	enum err e = cli_app(st, "cli", &a, &ac);
	if (e)
		return e;
	e = catalog_export_as(&a, &ac, csv, out);
	app_free(&a);
	return e;
}
