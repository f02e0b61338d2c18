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
#include "core/text.h"

/* Names looked up once per report: a procedure's field, an officer's
 * full name (keyed by the code or the account id). */
struct name_cache {
	struct name_entry {
		char key[48];
		char name[256];
	} *e;
	size_t n, cap;
};

struct tally {
	struct app *a;
	struct app_report *r;
	struct name_cache fields, officers;
	size_t cap[3], caplate;
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

/* The cached name of key; else resolve(a, key, name, n) fills it (and
 * on failure the fallback stands). */
static const char *
cached(struct tally *t, struct name_cache *c, const char *key, const char *fallback,
       int (*resolve)(struct app *, const char *, char *, size_t))
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0)
			return c->e[i].name;
	struct name_entry *e = grow(c->e, &c->cap, c->n + 1, sizeof *e);
	if (!e)
		return fallback;
	c->e = e;
	e = &c->e[c->n++];
	snprintf(e->key, sizeof e->key, "%s", key);
	if (resolve(t->a, key, e->name, sizeof e->name) != 0 || !e->name[0])
		snprintf(e->name, sizeof e->name, "%s", fallback);
	return e->name;
}

static int
field_name(struct app *a, const char *code, char *out, size_t n)
{
	struct store_proc_terms pt;
	if (store_proc_terms(a->st, code, 0, &pt) != ERR_OK)
		return -1;
	snprintf(out, n, "%s", pt.field);
	return 0;
}

/* An officer by full name (his username when he has none); a disabled
 * account still names the dossiers he handled. */
static int
officer_name(struct app *a, const char *id, char *out, size_t n)
{
	struct store_user u;
	if (store_user_by_id(a->st, strtoll(id, NULL, 10), &u) != ERR_OK)
		return -1;
	snprintf(out, n, "%s", u.full_name[0] ? u.full_name : u.username);
	return 0;
}

static struct app_report_row *
row_of(struct app_report_table *tb, size_t *cap, const char *name)
{
	for (size_t i = 0; i < tb->n; i++)
		if (strcmp(tb->rows[i].name, name) == 0)
			return &tb->rows[i];
	struct app_report_row *rows = grow(tb->rows, cap, tb->n + 1, sizeof *rows);
	if (!rows)
		return NULL;
	tb->rows = rows;
	struct app_report_row *row = &tb->rows[tb->n++];
	memset(row, 0, sizeof *row);
	snprintf(row->name, sizeof row->name, "%s", name);
	return row;
}

/* Where a dossier counts.  The receipt starts the legal clock and sets
 * the due instant, so a dossier without one was never received for
 * processing: kept at the desk until its papers are complete, or
 * withdrawn before that.  Refused at reception is its own column. */
static int
column(const struct store_dossier *d, int64_t now)
{
	static const char *const codes[] = {"early", "on_time", "late", "in_time", "overdue"};
	if (strcmp(d->status, "refused_at_intake") == 0)
		return APP_TL_REFUSED;
	if (!d->due_at)
		return APP_TL_HELD;
	const char *tl = app_timeliness(d, now);
	for (int i = 0; tl && i < 5; i++)
		if (strcmp(tl, codes[i]) == 0)
			return APP_TL_EARLY + i;
	return APP_TL_OTHER;
}

static int
add_late(struct tally *t, const struct store_dossier *d, const char *field, const char *officer, int col)
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
	snprintf(l->officer, sizeof l->officer, "%s", officer ? officer : "");
	snprintf(l->unit, sizeof l->unit, "%s", d->unit ? d->unit : "");
	l->due_at = d->due_at;
	l->finished_at = d->finished_at;
	l->appointment_at = d->appointment_at;
	l->finished = col == APP_TL_LATE;
	return 0;
}

static void
add(int64_t *c, int col)
{
	if (col != APP_TL_HELD && col != APP_TL_REFUSED)
		c[APP_TL_RECEIVED]++;
	c[col]++;
}

static int
count_one(const struct store_dossier *d, void *arg)
{
	struct tally *t = arg;
	struct app_report *r = t->r;
	int col = column(d, t->now);
	const char *field = cached(t, &t->fields, d->procedure_code, "Khác", field_name);
	const char *officer = NULL;
	if (d->assignee) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)d->assignee);
		officer = cached(t, &t->officers, id, "", officer_name);
	}
	struct app_report_row *rows[3] = {
		row_of(&r->by_field, &t->cap[0], field),
		row_of(&r->by_officer, &t->cap[1], officer && officer[0] ? officer : APP_REPORT_NO_OFFICER),
		row_of(&r->by_unit, &t->cap[2], d->unit && d->unit[0] ? d->unit : APP_REPORT_NO_UNIT),
	};
	if (!rows[0] || !rows[1] || !rows[2] ||
	    ((col == APP_TL_LATE || col == APP_TL_OVERDUE) && add_late(t, d, field, officer, col) != 0)) {
		t->e = ERR_NOMEM;
		return 1;
	}
	for (int i = 0; i < 3; i++)
		add(rows[i]->c, col);
	add(r->all, col);
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

/* Rows in the order a Vietnamese reader looks for them: by name without
 * tones (so "Đặng" sits among the D), the catch-all row ("Chưa giao cán
 * bộ", …) last. */
struct sort_key {
	char *key;
	int last;
	size_t i;
};

static int
by_key(const void *x, const void *y)
{
	const struct sort_key *a = x, *b = y;
	if (a->last != b->last)
		return a->last - b->last;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static enum err
sort_table(struct app_report_table *tb, const char *last)
{
	if (tb->n < 2)
		return ERR_OK;
	struct sort_key *k = calloc(tb->n, sizeof *k);
	struct app_report_row *rows = malloc(tb->n * sizeof *rows);
	enum err e = k && rows ? ERR_OK : ERR_NOMEM;
	for (size_t i = 0; !e && i < tb->n; i++) {
		k[i] = (struct sort_key){text_fold(tb->rows[i].name), strcmp(tb->rows[i].name, last) == 0, i};
		if (!k[i].key)
			e = ERR_NOMEM;
	}
	if (!e) {
		qsort(k, tb->n, sizeof *k, by_key);
		for (size_t j = 0; j < tb->n; j++)
			rows[j] = tb->rows[k[j].i];
		free(tb->rows);
		tb->rows = rows;
		rows = NULL;
	}
	for (size_t i = 0; k && i < tb->n; i++)
		free(k[i].key);
	free(k);
	free(rows);
	return e;
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
	free(t.fields.e);
	free(t.officers.e);
	if (!t.e)
		t.e = count_apologies(a, out);
	if (!t.e && !(t.e = sort_table(&out->by_field, "")) &&
	    !(t.e = sort_table(&out->by_officer, APP_REPORT_NO_OFFICER)))
		t.e = sort_table(&out->by_unit, APP_REPORT_NO_UNIT);
	if (t.e) {
		app_report_free(out);
		return t.e;
	}
	return ERR_OK;
}

void
app_report_free(struct app_report *r)
{
	free(r->by_field.rows);
	free(r->by_officer.rows);
	free(r->by_unit.rows);
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
