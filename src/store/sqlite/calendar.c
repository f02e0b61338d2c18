/*
 * calendar.c — holiday overrides, complete-schedule years and office
 * hours.  The calendar itself is computed in core/calendar.c from what
 * these operations return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/sqlite/db.h"

static const char SQL_HOL_ALL[] =
    "SELECT day, kind, name, document, source, confidence FROM holiday_overrides ORDER BY day";
static const char SQL_YEARS_ALL[] = "SELECT year FROM holiday_years WHERE complete = 1 ORDER BY year";
static const char SQL_SETTING[] = "SELECT value FROM settings WHERE key = ?";
static const char SQL_SETTING_SET[] =
    "INSERT INTO settings (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
static const char SQL_HOL_UPSERT[] =
    "INSERT INTO holiday_overrides (day, year, kind, name, document, source, confidence, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind,"
    " name = excluded.name, document = excluded.document, source = excluded.source,"
    " confidence = excluded.confidence, updated_at = excluded.updated_at";
static const char SQL_HOL_DELETE[] = "DELETE FROM holiday_overrides WHERE day = ?";
static const char SQL_HOL_DELETE_YEAR[] = "DELETE FROM holiday_overrides WHERE year = ?";
static const char SQL_YEAR_SET[] =
    "INSERT INTO holiday_years (year, complete) VALUES (?, ?)"
    " ON CONFLICT (year) DO UPDATE SET complete = excluded.complete";

static const char SQL_REV_BUMP[] =
    "INSERT INTO settings (key, value) VALUES ('calendar.rev', '1')"
    " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1";

/* Every calendar change bumps calendar.rev in its transaction, so running
 * servers notice changes made by another process (the CLI importer). */
static enum err
rev_bump(struct conn *c)
{
	sqlite3_stmt *s = db_stmt(c, SQL_REV_BUMP);
	return s ? q_exec(s) : ERR_INTERNAL;
}

static const char *const hour_keys[4] = {"hours.am_open", "hours.am_close", "hours.pm_open",
                                         "hours.pm_close"};
static const int hour_default[4] = {450, 690, 810, 1020};

static int
setting_int(struct conn *c, const char *key, int dflt)
{
	sqlite3_stmt *s = db_stmt(c, SQL_SETTING);
	if (!s || q_bind(s, "t", key) || q_row(s))
		return dflt;
	int v = atoi(db_col_str(s, 0));
	sqlite3_reset(s);
	return v;
}

static enum err
load_fn(struct conn *c, void *arg)
{
	struct store_calendar *out = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_HOL_ALL);
	if (!s)
		return ERR_INTERNAL;
	size_t cap = 0;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		if (out->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			struct store_holiday *p = realloc(out->rows, cap * sizeof *p);
			if (!p)
				return q_end(s, ERR_NOMEM);
			out->rows = p;
		}
		struct store_holiday *h = &out->rows[out->nrows++];
		db_col_text(s, 0, h->day, sizeof h->day);
		char kind[8];
		db_col_text(s, 1, kind, sizeof kind);
		h->work = strcmp(kind, "work") == 0;
		db_col_text(s, 2, h->name, sizeof h->name);
		db_col_text(s, 3, h->document, sizeof h->document);
		db_col_text(s, 4, h->source, sizeof h->source);
		db_col_text(s, 5, h->confidence, sizeof h->confidence);
	}
	if ((e = q_end(s, e)) != ERR_OK)
		return e;
	s = db_stmt(c, SQL_YEARS_ALL);
	if (!s)
		return ERR_INTERNAL;
	cap = 0;
	while ((e = q_row(s)) == ERR_OK) {
		if (out->ncomplete == cap) {
			cap = cap ? cap * 2 : 16;
			int *p = realloc(out->complete_years, cap * sizeof *p);
			if (!p)
				return q_end(s, ERR_NOMEM);
			out->complete_years = p;
		}
		out->complete_years[out->ncomplete++] = sqlite3_column_int(s, 0);
	}
	if ((e = q_end(s, e)) != ERR_OK)
		return e;
	for (int i = 0; i < 4; i++)
		out->hours[i] = setting_int(c, hour_keys[i], hour_default[i]);
	out->sep_after = setting_int(c, "holiday.sep_after", 0);
	return ERR_OK;
}

enum err
store_calendar_load(struct store *st, struct store_calendar *out)
{
	memset(out, 0, sizeof *out);
	enum err e = db_read(st, load_fn, out);
	if (e)
		store_calendar_free(out);
	return e;
}

void
store_calendar_free(struct store_calendar *c)
{
	free(c->rows);
	free(c->complete_years);
	c->rows = NULL;
	c->complete_years = NULL;
	c->nrows = c->ncomplete = 0;
}

static enum err
upsert(struct conn *c, const struct store_holiday *h)
{
	sqlite3_stmt *s = db_stmt(c, SQL_HOL_UPSERT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "tdttttti", h->day, atoi(h->day), h->work ? "work" : "off", h->name,
	                    h->document, h->source, h->confidence[0] ? h->confidence : "V",
	                    (int64_t)time(NULL));
	return e ? e : q_exec(s);
}

struct hol_arg {
	const char *actor;
	const struct store_holiday *h;
	const char *day;
	int year, complete;
	const int *hours;
	size_t n;
	const int *years, *completes;
	size_t nyears;
	const char *file;
};

static enum err
set_fn(struct conn *c, void *arg)
{
	struct hol_arg *a = arg;
	enum err e = upsert(c, a->h);
	if (e)
		return e;
	char obj[32];
	if ((e = rev_bump(c)) != ERR_OK)
		return e;
	snprintf(obj, sizeof obj, "holiday:%s", a->h->day);
	json_t *d = json_pack("{s:s,s:s,s:s}", "kind", a->h->work ? "work" : "off", "name", a->h->name,
	                      "document", a->h->document);
	e = db_audit(c, a->actor, "calendar.override_set", obj, d);
	json_decref(d);
	return e;
}

enum err
store_holiday_set(struct store *st, const char *actor, const struct store_holiday *h)
{
	struct hol_arg a = {.actor = actor, .h = h};
	return db_tx(st, set_fn, &a);
}

static enum err
delete_fn(struct conn *c, void *arg)
{
	struct hol_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_HOL_DELETE);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", a->day);
	if (e || (e = q_exec(s)))
		return e;
	if (sqlite3_changes(db_handle(c)) == 0)
		return ERR_NOT_FOUND;
	if ((e = rev_bump(c)) != ERR_OK)
		return e;
	char obj[32];
	snprintf(obj, sizeof obj, "holiday:%s", a->day);
	return db_audit(c, a->actor, "calendar.override_delete", obj, NULL);
}

enum err
store_holiday_delete(struct store *st, const char *actor, const char *day)
{
	struct hol_arg a = {.actor = actor, .day = day};
	return db_tx(st, delete_fn, &a);
}

static enum err
year_set(struct conn *c, int year, int complete)
{
	sqlite3_stmt *s = db_stmt(c, SQL_YEAR_SET);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "dd", year, complete ? 1 : 0);
	return e ? e : q_exec(s);
}

static enum err
year_fn(struct conn *c, void *arg)
{
	struct hol_arg *a = arg;
	enum err e = year_set(c, a->year, a->complete);
	if (!e)
		e = rev_bump(c);
	if (e)
		return e;
	char obj[32];
	snprintf(obj, sizeof obj, "holiday-year:%d", a->year);
	json_t *d = json_pack("{s:b}", "complete", a->complete);
	e = db_audit(c, a->actor, "calendar.year_complete", obj, d);
	json_decref(d);
	return e;
}

enum err
store_holiday_year_complete(struct store *st, const char *actor, int year, int complete)
{
	struct hol_arg a = {.actor = actor, .year = year, .complete = complete};
	return db_tx(st, year_fn, &a);
}

static enum err
import_fn(struct conn *c, void *arg)
{
	struct hol_arg *a = arg;
	enum err e;
	json_t *years = json_array();
	for (size_t i = 0; i < a->nyears; i++) {
		sqlite3_stmt *s = db_stmt(c, SQL_HOL_DELETE_YEAR);
		e = s ? q_bind(s, "d", a->years[i]) : ERR_INTERNAL;
		if (e || (e = q_exec(s)) || (e = year_set(c, a->years[i], a->completes[i]))) {
			json_decref(years);
			return e;
		}
		json_array_append_new(years, json_integer(a->years[i]));
	}
	for (size_t i = 0; i < a->n; i++)
		if ((e = upsert(c, &a->h[i])) != ERR_OK) {
			json_decref(years);
			return e;
		}
	if ((e = rev_bump(c)) != ERR_OK) {
		json_decref(years);
		return e;
	}
	json_t *d = json_pack("{s:s,s:o,s:I}", "file", a->file ? a->file : "", "years", years,
	                      "rows", (json_int_t)a->n);
	e = db_audit(c, a->actor, "calendar.import", "calendar", d);
	json_decref(d);
	return e;
}

enum err
store_holiday_import(struct store *st, const char *actor, const struct store_holiday *rows,
                     size_t n, const int *years, const int *complete, size_t nyears,
                     const char *file_name)
{
	struct hol_arg a = {.actor = actor, .h = rows, .n = n, .years = years, .completes = complete,
	                    .nyears = nyears, .file = file_name};
	return db_tx(st, import_fn, &a);
}

static enum err
hours_fn(struct conn *c, void *arg)
{
	struct hol_arg *a = arg;
	for (int i = 0; i < 4; i++) {
		sqlite3_stmt *s = db_stmt(c, SQL_SETTING_SET);
		if (!s)
			return ERR_INTERNAL;
		char v[16];
		snprintf(v, sizeof v, "%d", a->hours[i]);
		enum err e = q_bind(s, "tt", hour_keys[i], v);   /* v outlives the step */
		if (e || (e = q_exec(s)))
			return e;
	}
	enum err be = rev_bump(c);
	if (be)
		return be;
	json_t *d = json_pack("{s:i,s:i,s:i,s:i}", "am_open", a->hours[0], "am_close", a->hours[1],
	                      "pm_open", a->hours[2], "pm_close", a->hours[3]);
	enum err e = db_audit(c, a->actor, "calendar.hours", "agency", d);
	json_decref(d);
	return e;
}

enum err
store_hours_set(struct store *st, const char *actor, const int hours[4])
{
	struct hol_arg a = {.actor = actor, .hours = hours};
	return db_tx(st, hours_fn, &a);
}

static enum err
rev_fn(struct conn *c, void *arg)
{
	int64_t *rev = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SETTING);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", "calendar.rev");
	return e ? e : q_int(s, rev, NULL);
}

enum err
store_calendar_rev(struct store *st, int64_t *rev)
{
	return db_read(st, rev_fn, rev);
}
