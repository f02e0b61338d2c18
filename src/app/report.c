/*
 * report.c — see report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/dossier.h"
#include "app/facts.h"
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
	size_t cap[3], caplate, late_max;
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

/* The rows of a group of dossiers (one row of the sums, or one pending
 * dossier) in the three tables. */
static int
rows_of(struct tally *t, const struct store_facts_key *k, struct app_report_row *rows[3], const char **field,
        const char **officer)
{
	struct app_report *r = t->r;
	*field = cached(t, &t->fields, k->procedure_code, "Khác", field_name);
	*officer = NULL;
	if (k->assignee) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)k->assignee);
		*officer = cached(t, &t->officers, id, "", officer_name);
	}
	rows[0] = row_of(&r->by_field, &t->cap[0], *field);
	rows[1] = row_of(&r->by_officer, &t->cap[1], *officer && (*officer)[0] ? *officer : APP_REPORT_NO_OFFICER);
	rows[2] = row_of(&r->by_unit, &t->cap[2], k->unit[0] ? k->unit : APP_REPORT_NO_UNIT);
	if (!rows[0] || !rows[1] || !rows[2]) {
		t->e = ERR_NOMEM;
		return -1;
	}
	return 0;
}

static void
add(struct app_report *r, struct app_report_row *rows[3], const int64_t c[APP_TL_N], const int64_t late[2],
    const int64_t rated[3])
{
	for (int i = 0; i < 4; i++) {
		int64_t *to = i < 3 ? rows[i]->c : r->all;
		for (int k = 0; k < APP_TL_N; k++)
			to[k] += c[k];
		if (i < 3) {
			rows[i]->late_apology += late[0];
			rows[i]->late_no_apology += late[1];
			for (int k = 0; k < 3; k++)
				rows[i]->ratings[k] += rated[k];
		}
	}
}

static int
sum_one(const struct store_facts_key *k, const int64_t v[SF_N], void *arg)
{
	struct tally *t = arg;
	int64_t c[APP_TL_N] = {0};
	c[APP_TL_EARLY] = v[SF_EARLY];
	c[APP_TL_ON_TIME] = v[SF_ON_TIME];
	c[APP_TL_LATE] = v[SF_LATE];
	c[APP_TL_OTHER] = v[SF_OTHER];
	c[APP_TL_HELD] = v[SF_HELD];
	c[APP_TL_REFUSED] = v[SF_REFUSED];
	c[APP_TL_RECEIVED] = c[APP_TL_EARLY] + c[APP_TL_ON_TIME] + c[APP_TL_LATE] + c[APP_TL_OTHER];
	int64_t late[2] = {v[SF_APOL_ON_TIME] + v[SF_APOL_LATE], v[SF_APOL_NONE]};
	int64_t rated[3] = {v[SF_RATE_VERY], v[SF_RATE_OK], v[SF_RATE_BAD]};
	int any = 0;
	for (int i = 0; i < APP_TL_N; i++)
		any |= c[i] != 0;
	if (!any)
		return 0; /* only pending dossiers: pending_one adds them */
	struct app_report_row *rows[3];
	const char *field, *officer;
	if (rows_of(t, k, rows, &field, &officer) != 0)
		return 1;
	add(t->r, rows, c, late, rated);
	t->r->apologies[APP_APOLOGY_NONE] += v[SF_APOL_NONE];
	t->r->apologies[APP_APOLOGY_ON_TIME] += v[SF_APOL_ON_TIME];
	t->r->apologies[APP_APOLOGY_LATE] += v[SF_APOL_LATE];
	return 0;
}

/* A late dossier in the list (at most APP_REPORT_LATE_MAX). */
static int
add_late(struct tally *t, int64_t id, const char *field, const char *officer, int finished, int apology)
{
	struct app_report *r = t->r;
	if (r->nlate >= t->late_max)
		return 0;
	struct store_dossier d;
	enum err e = store_dossier_get_id(t->a->st, id, &d);
	if (e == ERR_NOT_FOUND)
		return 0;
	struct app_report_late *l = e ? NULL : grow(r->late, &t->caplate, r->nlate + 1, sizeof *l);
	if (!l) {
		if (!e)
			store_dossier_free(&d);
		t->e = e ? e : ERR_NOMEM;
		return -1;
	}
	r->late = l;
	l = &r->late[r->nlate++];
	memset(l, 0, sizeof *l);
	snprintf(l->code, sizeof l->code, "%s", d.code);
	snprintf(l->procedure, sizeof l->procedure, "%s", d.procedure_name);
	snprintf(l->field, sizeof l->field, "%s", field);
	snprintf(l->officer, sizeof l->officer, "%s", officer ? officer : "");
	snprintf(l->unit, sizeof l->unit, "%s", d.unit ? d.unit : "");
	l->due_at = d.due_at;
	l->finished_at = d.finished_at;
	l->appointment_at = d.appointment_at;
	l->finished = finished;
	l->apology = apology;
	store_dossier_free(&d);
	return 0;
}

/* A pending dossier judged at now: in time or overdue. */
static int
pending_one(const struct store_facts *f, const char *code, void *arg)
{
	(void)code;
	struct tally *t = arg;
	int in = app_facts_in_time(f, t->now);
	if (in < 0)
		return 0;
	int64_t c[APP_TL_N] = {0}, late[2] = {0}, rated[3] = {0};
	c[APP_TL_RECEIVED] = 1;
	c[in ? APP_TL_IN_TIME : APP_TL_OVERDUE] = 1;
	if (!in)
		late[f->apology ? 0 : 1] = 1;
	struct app_report_row *rows[3];
	const char *field, *officer;
	if (rows_of(t, &f->k, rows, &field, &officer) != 0)
		return 1;
	add(t->r, rows, c, late, rated);
	if (!in) {
		t->r->apologies[f->apology]++;
		if (add_late(t, f->dossier_id, field, officer, 0, f->apology) != 0)
			return 1;
	}
	return 0;
}

/* The dossiers finished late, for the list (the counts are summed). */
static int
late_one(const struct store_facts *f, const char *code, void *arg)
{
	(void)code;
	struct tally *t = arg;
	if (!f->v[SF_LATE])
		return 0;
	if (t->r->nlate >= t->late_max)
		return 1;
	const char *field = cached(t, &t->fields, f->k.procedure_code, "Khác", field_name);
	const char *officer = NULL;
	if (f->k.assignee) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)f->k.assignee);
		officer = cached(t, &t->officers, id, "", officer_name);
	}
	return add_late(t, f->dossier_id, field, officer, 1, f->apology) != 0;
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
	return app_report_timeliness_n(a, ac, from, to, now, APP_REPORT_LATE_MAX, out, f);
}

enum err
app_report_timeliness_n(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                        size_t late_max, struct app_report *out, struct app_fail *f)
{
	memset(out, 0, sizeof *out);
	if (!(ac->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_VIEWER)))
		return ERR_FORBIDDEN;
	if (to < from)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Ngày “đến” không được trước ngày “từ”.");
	if (to - from > 3660)
		return app_fail(f, ERR_OUT_OF_RANGE, "den", "Khoảng thời gian tối đa 10 năm.");
	struct tally t = {.a = a, .r = out, .now = now, .late_max = late_max};
	t.e = app_facts_sync(a);
	enum err e = t.e ? t.e : store_facts_sum(a->st, from, to, NULL, sum_one, &t);
	struct store_facts_filter flt = {.from = from, .to = to, .which = SFW_PENDING};
	if (!e && !t.e)
		e = store_facts_each(a->st, &flt, pending_one, &t);
	/* the finished-late list after the overdue ones; how many there are
	 * comes from the sums */
	flt.which = SFW_LATE_LIST;
	if (!e && !t.e && out->nlate < late_max)
		e = store_facts_each(a->st, &flt, late_one, &t);
	out->nlate_all = out->all[APP_TL_LATE] + out->all[APP_TL_OVERDUE];
	if (e && !t.e)
		t.e = e;
	free(t.fields.e);
	free(t.officers.e);
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
