/*
 * staff.c — see staff.h.  The counts and the apologies are the timeliness
 * report's (app_report_timeliness); only the ratings are read here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app/staff.h"
#include "core/deadline.h"

struct rating_scan {
	struct app *a;
	struct app_staff_row *rows;
	size_t n;
	struct {
		int64_t id;
		size_t row;
	} *ids;
	size_t nids, capids;
	enum err e;
};

static struct app_staff_row *
row_named(struct app_staff_row *rows, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

/* The row of an account: its full name (username when none), as the
 * report names officers. */
static struct app_staff_row *
row_of_user(struct rating_scan *s, int64_t id)
{
	for (size_t i = 0; i < s->nids; i++)
		if (s->ids[i].id == id)
			return s->ids[i].row < s->n ? &s->rows[s->ids[i].row] : NULL;
	struct store_user u;
	struct app_staff_row *r = NULL;
	if (store_user_by_id(s->a->st, id, &u) == ERR_OK)
		r = row_named(s->rows, s->n, u.full_name[0] ? u.full_name : u.username);
	if (s->nids == s->capids) {
		size_t c = s->capids ? s->capids * 2 : 16;
		void *p = realloc(s->ids, c * sizeof *s->ids);
		if (!p) {
			s->e = ERR_NOMEM;
			return NULL;
		}
		s->ids = p;
		s->capids = c;
	}
	s->ids[s->nids].id = id;
	s->ids[s->nids++].row = r ? (size_t)(r - s->rows) : (size_t)-1;
	return r;
}

static int
rate_one(const struct store_dossier *d, void *arg)
{
	struct rating_scan *s = arg;
	char level[32];
	if (store_rating_get(s->a->st, d->code, level, sizeof level) != ERR_OK)
		return 0;
	struct app_staff_row *r = d->assignee ? row_of_user(s, d->assignee) : row_named(s->rows, s->n,
	                                                                                   APP_REPORT_NO_OFFICER);
	if (s->e)
		return 1;
	if (!r)
		return 0;
	int k = strcmp(level, "very_satisfied") == 0 ? 0 : strcmp(level, "satisfied") == 0 ? 1 : 2;
	r->ratings[k]++;
	return 0;
}

enum err
app_staff_performance(struct app *a, const struct actor *ac, cal_day from, cal_day to, int64_t now,
                      struct app_staff_row **rows, size_t *n, struct app_fail *f)
{
	*rows = NULL;
	*n = 0;
	struct app_report r;
	enum err e = app_report_timeliness(a, ac, from, to, now, &r, f);
	if (e)
		return e;
	struct app_staff_row *out = calloc(r.by_officer.n ? r.by_officer.n : 1, sizeof *out);
	if (!out) {
		app_report_free(&r);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < r.by_officer.n; i++) {
		snprintf(out[i].name, sizeof out[i].name, "%s", r.by_officer.rows[i].name);
		memcpy(out[i].c, r.by_officer.rows[i].c, sizeof out[i].c);
	}
	size_t nrows = r.by_officer.n;
	for (size_t i = 0; i < r.nlate; i++) {
		const struct app_report_late *l = &r.late[i];
		struct app_staff_row *row = row_named(out, nrows, l->officer[0] ? l->officer : APP_REPORT_NO_OFFICER);
		if (!row)
			continue;
		if (l->apology == APP_APOLOGY_NONE)
			row->late_no_apology++;
		else
			row->late_apology++;
	}
	app_report_free(&r);
	struct rating_scan s = {.a = a, .rows = out, .n = nrows};
	struct store_dossier_query q = {.from = vn_instant(from, 0), .to = vn_instant(to, 0) + 86400, .limit = 1000};
	for (int64_t total = 1; !s.e && q.offset < total; q.offset += q.limit) {
		enum err le = store_dossier_list(a->st, &q, rate_one, &s, &total);
		if (le && !s.e)
			s.e = le;
	}
	free(s.ids);
	if (s.e) {
		free(out);
		return s.e;
	}
	*rows = out;
	*n = nrows;
	return ERR_OK;
}
