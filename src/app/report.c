/*
 * report.c — see report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dossier.h"
#include "app/report.h"
#include "core/deadline.h"
#include "core/roles.h"

struct field_cache {
	char code[48];
	char field[200];
};

struct tally {
	struct app *a;
	struct app_report *r;
	struct field_cache *cache;
	size_t ncache, capcache, caprows, caplate;
	int64_t now;
	enum err e;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 16;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}

static const char *
field_of(struct tally *t, const char *code)
{
	for (size_t i = 0; i < t->ncache; i++)
		if (strcmp(t->cache[i].code, code) == 0)
			return t->cache[i].field;
	struct field_cache *c = grow(t->cache, &t->capcache, t->ncache + 1, sizeof *c);
	if (!c)
		return "Khác";
	t->cache = c;
	c = &t->cache[t->ncache++];
	snprintf(c->code, sizeof c->code, "%s", code);
	struct store_proc_terms pt;
	int ok = store_proc_terms(t->a->st, code, 0, &pt) == ERR_OK && pt.field[0];
	snprintf(c->field, sizeof c->field, "%s", ok ? pt.field : "Khác");
	return c->field;
}

static struct app_report_row *
row_of(struct tally *t, const char *field)
{
	struct app_report *r = t->r;
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(r->rows[i].field, field) == 0)
			return &r->rows[i];
	struct app_report_row *rows = grow(r->rows, &t->caprows, r->nrows + 1, sizeof *rows);
	if (!rows)
		return NULL;
	r->rows = rows;
	struct app_report_row *row = &r->rows[r->nrows++];
	memset(row, 0, sizeof *row);
	snprintf(row->field, sizeof row->field, "%s", field);
	return row;
}

static int
column(const char *tl)
{
	static const char *const codes[] = {"early", "on_time", "late", "in_time", "overdue"};
	for (int i = 0; tl && i < 5; i++)
		if (strcmp(tl, codes[i]) == 0)
			return APP_TL_EARLY + i;
	return APP_TL_OTHER;
}

static int
add_late(struct tally *t, const struct store_dossier *d, const char *field, int col)
{
	struct app_report *r = t->r;
	struct app_report_late *l = grow(r->late, &t->caplate, r->nlate + 1, sizeof *l);
	if (!l)
		return -1;
	r->late = l;
	l = &r->late[r->nlate++];
	memset(l, 0, sizeof *l);
	snprintf(l->code, sizeof l->code, "%s", d->code);
	snprintf(l->procedure, sizeof l->procedure, "%s", d->procedure_name);
	snprintf(l->field, sizeof l->field, "%s", field);
	l->due_at = d->due_at;
	l->finished_at = d->finished_at;
	l->appointment_at = d->appointment_at;
	l->finished = col == APP_TL_LATE;
	return 0;
}

static int
count_one(const struct store_dossier *d, void *arg)
{
	struct tally *t = arg;
	int col = column(app_timeliness(d, t->now));
	const char *field = field_of(t, d->procedure_code);
	struct app_report_row *row = row_of(t, field);
	if (!row || ((col == APP_TL_LATE || col == APP_TL_OVERDUE) && add_late(t, d, field, col) != 0)) {
		t->e = ERR_NOMEM;
		return 1;
	}
	row->c[APP_TL_RECEIVED]++;
	row->c[col]++;
	t->r->all[APP_TL_RECEIVED]++;
	t->r->all[col]++;
	return 0;
}

/* The best apology of a late dossier's timeline: one in time beats one
 * sent late. */
static int
apology_of(const struct store_dossier_event *ev, void *arg)
{
	int *best = arg;
	if (strcmp(ev->action, "apologize") == 0) {
		int k = ev->late ? APP_APOLOGY_LATE : APP_APOLOGY_ON_TIME;
		if (*best == APP_APOLOGY_NONE || k == APP_APOLOGY_ON_TIME)
			*best = k;
	}
	return 0;
}

static enum err
count_apologies(struct app *a, struct app_report *r)
{
	for (size_t i = 0; i < r->nlate; i++) {
		int k = APP_APOLOGY_NONE;
		enum err e = store_dossier_events(a->st, r->late[i].code, apology_of, &k);
		if (e)
			return e;
		r->late[i].apology = k;
		r->apologies[k]++;
	}
	return ERR_OK;
}

static int
by_field(const void *x, const void *y)
{
	return strcmp(((const struct app_report_row *)x)->field, ((const struct app_report_row *)y)->field);
}

enum err
app_report_timeliness(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                      struct app_report *out, struct app_fail *f)
{
	memset(out, 0, sizeof *out);
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	if (to < from)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Ngày “đến” không được trước ngày “từ”.");
	if (to - from > 3660)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Khoảng thời gian tối đa 10 năm.");
	struct tally t = {.a = a, .r = out, .now = now};
	struct store_dossier_query q = {.from = vn_instant(from, 0), .to = vn_instant(to, 0) + 86400,
	                                .limit = 1000};
	for (int64_t total = 1; !t.e && q.offset < total && q.offset <= 10000000; q.offset += q.limit) {
		enum err e = store_dossier_list(a->st, &q, count_one, &t, &total);
		if (e && !t.e)
			t.e = e;
	}
	free(t.cache);
	if (!t.e)
		t.e = count_apologies(a, out);
	if (t.e) {
		app_report_free(out);
		return t.e;
	}
	if (out->nrows)
		qsort(out->rows, out->nrows, sizeof *out->rows, by_field);
	return ERR_OK;
}

void
app_report_free(struct app_report *r)
{
	free(r->rows);
	free(r->late);
	memset(r, 0, sizeof *r);
}

void
app_report_rate(const int64_t c[APP_TL_N], char *out, size_t n)
{
	int64_t done = c[APP_TL_EARLY] + c[APP_TL_ON_TIME] + c[APP_TL_LATE];
	if (!done) {
		snprintf(out, n, "—");
		return;
	}
	snprintf(out, n, "%.1f%%", 100.0 * (double)(c[APP_TL_EARLY] + c[APP_TL_ON_TIME]) / (double)done);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}
