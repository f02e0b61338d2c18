/*
 * budget.c — the reform budget (store/budget.h, migration 0022).  Each write
 * is one transaction with its audit event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/budget.h"
#include "store/sqlite/db.h"

#define LINE_COLS "l.id, l.year, l.name, l.field, l.source, l.planned, l.allocated," \
                  " (SELECT coalesce(sum(amount), 0) FROM budget_spends s WHERE s.line_id = l.id)," \
                  " (SELECT count(*) FROM budget_spends s WHERE s.line_id = l.id)," \
                  " (SELECT count(*) FROM plan_tasks t WHERE t.budget_line = l.id)"
static const char SQL_LINE_INS[] =
    "INSERT INTO budget_lines (year, name, field, source, planned, allocated, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_LINE_UPD[] =
    "UPDATE budget_lines SET name = ?, field = ?, source = ?, planned = ?, allocated = ?, updated_at = ?"
    " WHERE id = ? RETURNING id";
static const char SQL_LINE_GET[] = "SELECT " LINE_COLS " FROM budget_lines l WHERE l.id = ?";
static const char SQL_LINES[] =
    "SELECT " LINE_COLS " FROM budget_lines l WHERE ?1 = 0 OR l.year = ?1 ORDER BY l.year DESC, l.id";
static const char SQL_SPENT[] = "SELECT coalesce(sum(amount), 0) FROM budget_spends WHERE line_id = ?";

static void
line_row(sqlite3_stmt *s, struct store_budget_line *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->year = sqlite3_column_int(s, 1);
	db_col_text(s, 2, o->name, sizeof o->name);
	db_col_text(s, 3, o->field, sizeof o->field);
	db_col_text(s, 4, o->source, sizeof o->source);
	o->planned = sqlite3_column_int64(s, 5);
	o->allocated = sqlite3_column_int64(s, 6);
	o->spent = sqlite3_column_int64(s, 7);
	o->spends = sqlite3_column_int(s, 8);
	o->tasks = sqlite3_column_int(s, 9);
}

struct line_put {
	const char *actor;
	const struct store_budget_line *l;
	int64_t now, id;
};

static enum err
line_put_fn(struct conn *c, void *arg)
{
	struct line_put *a = arg;
	const struct store_budget_line *l = a->l;
	sqlite3_stmt *s = db_stmt(c, l->id ? SQL_LINE_UPD : SQL_LINE_INS);
	if (!s)
		return ERR_INTERNAL;
	enum err e = l->id ? q_bind(s, "sssiiii", l->name, l->field, l->source, l->planned, l->allocated, a->now, l->id)
	                   : q_bind(s, "dsssiisii", l->year, l->name, l->field, l->source, l->planned, l->allocated,
	                            a->actor, a->now, a->now);
	int found = 0;
	if (e || (e = q_int(s, &a->id, &found)))
		return e == ERR_CONFLICT ? ERR_EXISTS : e;
	if (!found)
		return ERR_NOT_FOUND;
	if (l->id) {   /* the allocation may not fall under what was spent */
		int64_t spent = 0;
		sqlite3_stmt *q = db_stmt(c, SQL_SPENT);
		if (!q || (e = q_bind(q, "i", l->id)) || (e = q_int(q, &spent, NULL)))
			return e ? e : ERR_INTERNAL;
		if (spent > l->allocated)
			return ERR_OUT_OF_RANGE;
	}
	char obj[40];
	snprintf(obj, sizeof obj, "budget_line:%lld", (long long)a->id);
	json_t *d = json_pack("{s:i,s:s,s:s,s:s,s:I,s:I}", "year", l->year, "name", l->name, "field", l->field,
	                      "source", l->source, "planned", (json_int_t)l->planned, "allocated",
	                      (json_int_t)l->allocated);
	e = d ? db_audit(c, a->actor, l->id ? "budget.line.update" : "budget.line.create", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_budget_line_put(struct store *st, const char *actor, const struct store_budget_line *l, int64_t now,
                      int64_t *id)
{
	struct line_put a = {actor, l, now, 0};
	enum err e = db_tx(st, line_put_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

struct line_read {
	int64_t key;
	struct store_budget_line *out;
	int (*fn)(const struct store_budget_line *, void *);
	void *arg;
};

static enum err
line_get_fn(struct conn *c, void *arg)
{
	struct line_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_LINE_GET);
	enum err e = s ? q_bind(s, "i", a->key) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	line_row(s, a->out);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_budget_line_get(struct store *st, int64_t id, struct store_budget_line *out)
{
	struct line_read a = {id, out, NULL, NULL};
	return db_read(st, line_get_fn, &a);
}

static enum err
lines_fn(struct conn *c, void *arg)
{
	struct line_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_LINES);
	enum err e = s ? q_bind(s, "i", a->key) : ERR_INTERNAL;
	struct store_budget_line l;
	while (!e && (e = q_row(s)) == ERR_OK) {
		line_row(s, &l);
		if (a->fn(&l, a->arg))
			break;
	}
	return s ? q_end(s, e) : e;
}

enum err
store_budget_lines(struct store *st, int year, int (*fn)(const struct store_budget_line *, void *), void *arg)
{
	struct line_read a = {year, NULL, fn, arg};
	return db_read(st, lines_fn, &a);
}

/* ---- spending ---------------------------------------------------------------- */
#define SPEND_COLS "s.id, s.line_id, s.day, s.amount, s.content, s.doc_number, coalesce(s.doc_day, 0)," \
                   " coalesce(s.task_id, 0), coalesce(t.title, ''), coalesce(s.sha256, ''), s.file_name," \
                   " s.file_mime, s.actor, s.at"
#define SPEND_FROM " FROM budget_spends s LEFT JOIN plan_tasks t ON t.id = s.task_id"
static const char SQL_SPEND_INS[] =
    "INSERT INTO budget_spends (line_id, day, amount, content, doc_number, doc_day, task_id, sha256, file_name,"
    " file_mime, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SPENDS[] = "SELECT " SPEND_COLS SPEND_FROM " WHERE s.line_id = ? ORDER BY s.day, s.id";
static const char SQL_SPEND_GET[] = "SELECT " SPEND_COLS SPEND_FROM " WHERE s.id = ?";
static const char SQL_ALLOCATED[] = "SELECT allocated FROM budget_lines WHERE id = ?";

static void
spend_row(sqlite3_stmt *s, struct store_budget_spend *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->line_id = sqlite3_column_int64(s, 1);
	o->day = sqlite3_column_int(s, 2);
	o->amount = sqlite3_column_int64(s, 3);
	db_col_text(s, 4, o->content, sizeof o->content);
	db_col_text(s, 5, o->doc_number, sizeof o->doc_number);
	o->doc_day = sqlite3_column_int(s, 6);
	o->task_id = sqlite3_column_int64(s, 7);
	db_col_text(s, 8, o->task_title, sizeof o->task_title);
	db_col_text(s, 9, o->sha256, sizeof o->sha256);
	db_col_text(s, 10, o->file_name, sizeof o->file_name);
	db_col_text(s, 11, o->file_mime, sizeof o->file_mime);
	db_col_text(s, 12, o->actor, sizeof o->actor);
	o->at = sqlite3_column_int64(s, 13);
}

struct spend_add {
	const struct store_budget_spend *s;
	int64_t now, id;
};

static enum err
spend_add_fn(struct conn *c, void *arg)
{
	struct spend_add *a = arg;
	const struct store_budget_spend *v = a->s;
	/* within the allocation, counted inside the write transaction */
	int64_t allocated = 0, spent = 0;
	int found = 0;
	sqlite3_stmt *q = db_stmt(c, SQL_ALLOCATED);
	enum err e = q ? q_bind(q, "i", v->line_id) : ERR_INTERNAL;
	if (e || (e = q_int(q, &allocated, &found)))
		return e;
	if (!found)
		return ERR_NOT_FOUND;
	if (!(q = db_stmt(c, SQL_SPENT)) || (e = q_bind(q, "i", v->line_id)) || (e = q_int(q, &spent, NULL)))
		return e ? e : ERR_INTERNAL;
	if (spent + v->amount > allocated || spent + v->amount < 0)
		return ERR_OUT_OF_RANGE;
	sqlite3_stmt *s = db_stmt(c, SQL_SPEND_INS);
	if (!s)
		return ERR_INTERNAL;
	e = q_bind(s, "idissIITsssi", v->line_id, (int)v->day, v->amount, v->content, v->doc_number,
	           (int64_t)v->doc_day, v->task_id, v->sha256, v->file_name, v->file_mime, v->actor, a->now);
	if (e || (e = q_int(s, &a->id, &found)))
		return e == ERR_CONFLICT ? ERR_NOT_FOUND : e;   /* a task that is not there */
	char obj[40];
	snprintf(obj, sizeof obj, "budget_line:%lld", (long long)v->line_id);
	json_t *d = json_pack("{s:I,s:i,s:I,s:s,s:s,s:i,s:I,s:s}", "spend_id", (json_int_t)a->id, "day", (int)v->day,
	                      "amount", (json_int_t)v->amount, "content", v->content, "doc_number", v->doc_number,
	                      "doc_day", (int)v->doc_day, "task_id", (json_int_t)v->task_id, "sha256", v->sha256);
	e = d ? db_audit(c, v->actor, "budget.spend", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_budget_spend_add(struct store *st, const struct store_budget_spend *s, int64_t now, int64_t *id)
{
	struct spend_add a = {s, now, 0};
	enum err e = db_tx(st, spend_add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

struct spend_read {
	int64_t key;
	struct store_budget_spend *out;
	int (*fn)(const struct store_budget_spend *, void *);
	void *arg;
};

static enum err
spends_fn(struct conn *c, void *arg)
{
	struct spend_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->fn ? SQL_SPENDS : SQL_SPEND_GET);
	enum err e = s ? q_bind(s, "i", a->key) : ERR_INTERNAL;
	struct store_budget_spend *v = e ? NULL : malloc(sizeof *v);
	if (!e && !v)
		e = ERR_NOMEM;
	while (!e && (e = q_row(s)) == ERR_OK) {
		spend_row(s, a->fn ? v : a->out);
		if (!a->fn) {
			sqlite3_reset(s);
			free(v);
			return ERR_OK;
		}
		if (a->fn(v, a->arg))
			break;
	}
	free(v);
	if (!s)
		return e;
	e = q_end(s, e);
	return !a->fn && !e ? ERR_NOT_FOUND : e;
}

enum err
store_budget_spends(struct store *st, int64_t line_id, int (*fn)(const struct store_budget_spend *, void *),
                    void *arg)
{
	struct spend_read a = {line_id, NULL, fn, arg};
	return db_read(st, spends_fn, &a);
}

enum err
store_budget_spend_get(struct store *st, int64_t id, struct store_budget_spend *out)
{
	struct spend_read a = {id, out, NULL, NULL};
	return db_read(st, spends_fn, &a);
}
