/* catalog_io.c — see catalog_io.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/text.h"
#include "report/csv.h"
#include "web/catalog_io.h"
#include "web/catalog_model.h"

/* The text besides name and field that search looks at. */
static char *
search_body(const json_t *p)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *v;
	buf_printf(&b, "%s\n", json_string_value(json_object_get(p, "code")));
	json_array_foreach(json_object_get(p, "documents"), i, v)
		buf_printf(&b, "%s\n", json_string_value(json_object_get(v, "name")));
	json_array_foreach(json_object_get(p, "legal_basis"), i, v)
		buf_printf(&b, "%s\n", json_string_value(v));
	const char *r = json_string_value(json_object_get(p, "result"));
	if (r)
		buf_printf(&b, "%s\n", r);
	const char *t = json_string_value(json_object_get(json_object_get(p, "fee"), "text"));
	if (t)
		buf_printf(&b, "%s\n", t);
	return buf_detach(&b);
}

/* Store input for a canonical procedure; strings borrowed from canon or
 * malloc'd into *data and *body (caller frees). */
static void
to_store_in(json_t *canon, struct store_proc_in *in, char **data, char **body)
{
	json_t *copy = json_deep_copy(canon);
	json_object_del(copy, "status");
	*data = json_dumps(copy, JSON_COMPACT);
	json_decref(copy);
	*body = search_body(canon);
	in->code = json_string_value(json_object_get(canon, "code"));
	in->data = *data;
	in->name = json_string_value(json_object_get(canon, "name"));
	in->field = json_string_value(json_object_get(canon, "field"));
	in->online_level = json_string_value(json_object_get(canon, "online_level"));
	in->status = json_string_value(json_object_get(canon, "status"));
	in->search_body = *body;
}

enum err
catalog_put(struct store *st, const char *actor, json_t *canon, const char *source, int *changed)
{
	struct store_proc_in in;
	char *data, *body;
	to_store_in(canon, &in, &data, &body);
	size_t ch = 0;
	enum err e = (data && body) ? store_proc_put(st, actor, &in, 1, source, &ch) : ERR_NOMEM;
	free(data);
	free(body);
	if (changed)
		*changed = (int)ch;
	return e;
}

json_t *
catalog_object(const struct store_proc *p)
{
	json_error_t je;
	json_t *o = json_loads(p->data, 0, &je);
	if (!o)
		return NULL;
	const char *st = strcmp(p->status, "superseded") == 0 ? "published" : p->status;
	/* put status back at its canonical place: before "confidence" */
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (strcmp(k, "confidence") == 0)
			json_object_set_new(out, "status", json_string(st));
		json_object_set(out, k, v);
	}
	json_decref(o);
	return out;
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

static void
free_canon(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
}

static enum err
collect_json(const char *data, size_t len, json_t ***out, size_t *n, char *detail, size_t dlen)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(detail, dlen, "dòng %d: JSON không hợp lệ (%s)", je.line, je.text);
		return ERR_BAD_JSON;
	}
	const char *fmt = json_string_value(json_object_get(root, "format"));
	json_t *procs = json_object_get(root, "procedures");
	if (!fmt || strcmp(fmt, CATALOG_FORMAT) != 0 || !json_is_array(procs)) {
		snprintf(detail, dlen, "dòng 1: cần {\"format\": \"%s\", \"procedures\": [...]}", CATALOG_FORMAT);
		json_decref(root);
		return ERR_INVALID_FIELD;
	}
	size_t cnt = json_array_size(procs);
	json_t **v = calloc(cnt ? cnt : 1, sizeof *v);
	if (!v) {
		json_decref(root);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < cnt; i++) {
		enum err e;
		char d[300];
		v[i] = catalog_normalize(json_array_get(procs, i), &e, d, sizeof d);
		if (!v[i]) {
			const char *code = json_string_value(json_object_get(json_array_get(procs, i), "code"));
			size_t line = code ? json_line_of_code(data, len, code) : 0;
			if (line)
				snprintf(detail, dlen, "dòng %zu (thủ tục thứ %zu, mã %s): %s", line, i + 1, code, d);
			else
				snprintf(detail, dlen, "thủ tục thứ %zu: %s", i + 1, d);
			free_canon(v, i);
			json_decref(root);
			return e;
		}
	}
	json_decref(root);
	*out = v;
	*n = cnt;
	return ERR_OK;
}

static enum err
collect_csv(const char *data, size_t len, json_t ***out, size_t *n, char *detail, size_t dlen)
{
	struct csv_reader r;
	csv_reader_init(&r, data, len);
	r.strip_apostrophe = 1;   /* our export neutralises formulas this way */
	char **cells;
	size_t nc, line;
	int rc = csv_read_row(&r, &cells, &nc, &line, detail, dlen);
	if (rc <= 0) {
		if (rc == 0)
			snprintf(detail, dlen, "dòng 1: tệp trống");
		return ERR_INVALID_FIELD;
	}
	size_t ncols = 0;
	while (catalog_csv_columns[ncols])
		ncols++;
	int header_ok = nc == ncols;
	for (size_t i = 0; header_ok && i < nc; i++)
		header_ok = strcmp(cells[i], catalog_csv_columns[i]) == 0;
	csv_free_row(cells, nc);
	if (!header_ok) {
		snprintf(detail, dlen, "dòng 1: dòng tiêu đề phải là %s,%s,…", catalog_csv_columns[0],
		         catalog_csv_columns[1]);
		return ERR_INVALID_FIELD;
	}
	json_t **v = NULL;
	size_t cnt = 0, cap = 0;
	enum err e = ERR_OK;
	while ((rc = csv_read_row(&r, &cells, &nc, &line, detail, dlen)) == 1) {
		if (nc == 1 && !cells[0][0]) { /* blank line */
			csv_free_row(cells, nc);
			continue;
		}
		char d[300];
		json_t *raw = NULL;
		for (size_t i = 0; i < nc && !e; i++)
			if (!text_utf8_valid(cells[i], strlen(cells[i]))) {
				snprintf(detail, dlen, "dòng %zu: cột \"%s\" không phải UTF-8 hợp lệ", line,
				         i < ncols ? catalog_csv_columns[i] : "?");
				e = ERR_BAD_UTF8;
			}
		if (!e) {
			raw = catalog_from_csv_cells(cells, nc, d, sizeof d);
			if (!raw) {
				snprintf(detail, dlen, "dòng %zu: %s", line, d);
				e = ERR_INVALID_FIELD;
			}
		}
		json_t *canon = raw ? catalog_normalize(raw, &e, d, sizeof d) : NULL;
		if (raw && !canon)
			snprintf(detail, dlen, "dòng %zu: %s", line, d);
		json_decref(raw);
		csv_free_row(cells, nc);
		if (e)
			break;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			json_t **q = realloc(v, cap * sizeof *q);
			if (!q) {
				json_decref(canon);
				e = ERR_NOMEM;
				break;
			}
			v = q;
		}
		v[cnt++] = canon;
	}
	if (rc < 0 && !e)
		e = ERR_INVALID_FIELD;
	if (e) {
		free_canon(v, cnt);
		return e;
	}
	*out = v;
	*n = cnt;
	return ERR_OK;
}

enum err
catalog_import(struct store *st, const char *actor, const char *data, size_t len, const char *name,
               size_t *count, size_t *changed, char *detail, size_t dlen)
{
	detail[0] = '\0';
	size_t k = 0;
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0)
		k = 3;
	while (k < len && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t'))
		k++;
	json_t **v = NULL;
	size_t n = 0;
	enum err e = (k < len && data[k] == '{') ? collect_json(data, len, &v, &n, detail, dlen)
	                                         : collect_csv(data, len, &v, &n, detail, dlen);
	if (e)
		return e;
	/* one code once per file */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(json_string_value(json_object_get(v[i], "code")),
			           json_string_value(json_object_get(v[j], "code"))) == 0) {
				snprintf(detail, dlen, "mã thủ tục %s xuất hiện hai lần trong tệp",
				         json_string_value(json_object_get(v[i], "code")));
				free_canon(v, n);
				return ERR_INVALID_FIELD;
			}
	struct store_proc_in *in = calloc(n ? n : 1, sizeof *in);
	char **bufs = calloc(2 * (n ? n : 1), sizeof *bufs);
	if (!in || !bufs) {
		free(in);
		free(bufs);
		free_canon(v, n);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		to_store_in(v[i], &in[i], &bufs[2 * i], &bufs[2 * i + 1]);
	size_t ch = 0;
	e = store_proc_put(st, actor, in, n, name, &ch);
	for (size_t i = 0; i < 2 * n; i++)
		free(bufs[i]);
	free(bufs);
	free(in);
	free_canon(v, n);
	if (!e) {
		if (count)
			*count = n;
		if (changed)
			*changed = ch;
	}
	return e;
}

struct export_arg {
	json_t *list;
};

static int
export_one(const struct store_proc *p, void *arg)
{
	struct export_arg *a = arg;
	json_t *o = catalog_object(p);
	if (o)
		json_array_append_new(a->list, o);
	return 0;
}

static int
by_code(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(json_string_value(json_object_get(x, "code")),
	              json_string_value(json_object_get(y, "code")));
}

enum err
catalog_export(struct store *st, int csv, struct buf *out)
{
	struct export_arg a = {json_array()};
	struct store_proc_query q = {.limit = 1000000};
	enum err e = store_proc_list(st, &q, export_one, &a, NULL);
	if (e) {
		json_decref(a.list);
		return e;
	}
	size_t n = json_array_size(a.list);
	json_t **v = calloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		v[i] = json_array_get(a.list, i);
	if (v)
		qsort(v, n, sizeof *v, by_code);
	if (csv) {
		size_t nc = 0;
		while (catalog_csv_columns[nc])
			nc++;
		buf_puts(out, CSV_BOM);
		csv_write_row_const(out, catalog_csv_columns, nc);
		for (size_t i = 0; v && i < n; i++) {
			size_t k;
			char **cells = catalog_csv_cells(v[i], &k);
			if (cells)
				csv_write_row(out, cells, k);
			catalog_csv_cells_free(cells, k);
		}
	} else {
		json_t *sorted = json_array();
		for (size_t i = 0; v && i < n; i++)
			json_array_append(sorted, v[i]);
		json_t *root = json_pack("{s:s,s:o}", "format", CATALOG_FORMAT, "procedures", sorted);
		char *s = json_dumps(root, JSON_INDENT(2));
		if (s) {
			buf_puts(out, s);
			buf_putc(out, '\n');
			free(s);
		}
		json_decref(root);
	}
	free(v);
	json_decref(a.list);
	return out->oom ? ERR_NOMEM : ERR_OK;
}
