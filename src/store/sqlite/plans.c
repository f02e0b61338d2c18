/*
 * plans.c — the yearly plans (store/plans.h, migration 0022).  Each write
 * is one transaction with its audit event (DESIGN principle 3) and, for a
 * task, a line of its history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/plans.h"
#include "store/sqlite/db.h"

/* ---- plans -------------------------------------------------------------- */
#define PLAN_COLS "p.id, p.year, p.kind, p.title, p.doc_number, coalesce(p.doc_day, 0), p.doc_signer," \
                  " p.created_by, p.created_at, p.updated_at," \
                  " (SELECT count(*) FROM plan_tasks t WHERE t.plan_id = p.id)," \
                  " (SELECT count(*) FROM plan_tasks t WHERE t.plan_id = p.id AND t.status = 'done')," \
                  " (SELECT count(*) FROM plan_tasks t WHERE t.plan_id = p.id AND t.status = 'cancelled')"
static const char SQL_PLAN_INS[] =
    "INSERT INTO plans (year, kind, title, doc_number, doc_day, doc_signer, created_by, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_PLAN_UPD[] =
    "UPDATE plans SET title = ?, doc_number = ?, doc_day = ?, doc_signer = ?, updated_at = ?"
    " WHERE id = ? RETURNING id";
static const char SQL_PLAN_GET[] = "SELECT " PLAN_COLS " FROM plans p WHERE p.id = ?";
static const char SQL_PLAN_FIND[] = "SELECT " PLAN_COLS " FROM plans p WHERE p.year = ? AND p.kind = ?";
static const char SQL_PLANS[] =
    "SELECT " PLAN_COLS " FROM plans p ORDER BY p.year DESC, p.kind = 'it', p.id";

static void
plan_row(sqlite3_stmt *s, struct store_plan *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->year = sqlite3_column_int(s, 1);
	db_col_text(s, 2, o->kind, sizeof o->kind);
	db_col_text(s, 3, o->title, sizeof o->title);
	db_col_text(s, 4, o->doc_number, sizeof o->doc_number);
	o->doc_day = sqlite3_column_int(s, 5);
	db_col_text(s, 6, o->doc_signer, sizeof o->doc_signer);
	db_col_text(s, 7, o->created_by, sizeof o->created_by);
	o->created_at = sqlite3_column_int64(s, 8);
	o->updated_at = sqlite3_column_int64(s, 9);
	o->tasks = sqlite3_column_int(s, 10);
	o->done = sqlite3_column_int(s, 11);
	o->cancelled = sqlite3_column_int(s, 12);
}

struct plan_put {
	const char *actor;
	const struct store_plan *p;
	int64_t now, id;
};

static enum err
plan_put_fn(struct conn *c, void *arg)
{
	struct plan_put *a = arg;
	const struct store_plan *p = a->p;
	sqlite3_stmt *s = db_stmt(c, p->id ? SQL_PLAN_UPD : SQL_PLAN_INS);
	if (!s)
		return ERR_INTERNAL;
	enum err e = p->id ? q_bind(s, "ssIsii", p->title, p->doc_number, (int64_t)p->doc_day, p->doc_signer,
	                            a->now, p->id)
	                   : q_bind(s, "dsssIssii", p->year, p->kind, p->title, p->doc_number, (int64_t)p->doc_day,
	                            p->doc_signer, a->actor, a->now, a->now);
	int found = 0;
	if (e || (e = q_int(s, &a->id, &found)))
		return e == ERR_CONFLICT ? ERR_EXISTS : e;
	if (!found)
		return ERR_NOT_FOUND;
	char obj[40];
	snprintf(obj, sizeof obj, "plan:%lld", (long long)a->id);
	json_t *d = json_pack("{s:i,s:s,s:s,s:s,s:i,s:s}", "year", p->year, "kind", p->kind, "title", p->title,
	                      "doc_number", p->doc_number, "doc_day", (int)p->doc_day, "doc_signer", p->doc_signer);
	e = d ? db_audit(c, a->actor, p->id ? "plan.update" : "plan.create", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_plan_put(struct store *st, const char *actor, const struct store_plan *p, int64_t now, int64_t *id)
{
	struct plan_put a = {actor, p, now, 0};
	enum err e = db_tx(st, plan_put_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

struct plan_one {
	const char *sql;
	int64_t id;
	int year;
	const char *kind;
	struct store_plan *out;
};

static enum err
plan_one_fn(struct conn *c, void *arg)
{
	struct plan_one *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->sql);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->kind ? q_bind(s, "dt", a->year, a->kind) : q_bind(s, "i", a->id);
	if (e || (e = q_row(s)))
		return e;
	plan_row(s, a->out);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_plan_get(struct store *st, int64_t id, struct store_plan *out)
{
	struct plan_one a = {SQL_PLAN_GET, id, 0, NULL, out};
	return db_read(st, plan_one_fn, &a);
}

enum err
store_plan_find(struct store *st, int year, const char *kind, struct store_plan *out)
{
	struct plan_one a = {SQL_PLAN_FIND, 0, year, kind, out};
	return db_read(st, plan_one_fn, &a);
}

struct plan_each {
	int (*fn)(const struct store_plan *, void *);
	void *arg;
};

static enum err
plans_fn(struct conn *c, void *arg)
{
	struct plan_each *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_PLANS);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	struct store_plan p;
	while ((e = q_row(s)) == ERR_OK) {
		plan_row(s, &p);
		if (a->fn(&p, a->arg))
			break;
	}
	return q_end(s, e);
}

enum err
store_plans(struct store *st, int (*fn)(const struct store_plan *, void *), void *arg)
{
	struct plan_each a = {fn, arg};
	return db_read(st, plans_fn, &a);
}

/* ---- tasks --------------------------------------------------------------- */
#define TASK_COLS "t.id, t.plan_id, t.no, t.title, t.field, t.unit, coalesce(t.person_id, 0)," \
                  " coalesce(u.full_name, ''), t.coop_units, t.start_day, t.due_day, coalesce(t.done_day, 0)," \
                  " t.output, coalesce(t.budget_line, 0), coalesce(b.name, ''), t.budget, t.progress, t.status, coalesce(t.carried_from, 0)," \
                  " coalesce(t.carried_to, 0), t.version, t.updated_by, t.updated_at, p.year, p.kind"
#define TASK_FROM " FROM plan_tasks t JOIN plans p ON p.id = t.plan_id LEFT JOIN users u ON u.id = t.person_id" \
                  " LEFT JOIN budget_lines b ON b.id = t.budget_line"
static const char SQL_TASK_GET[] = "SELECT " TASK_COLS TASK_FROM " WHERE t.id = ?";
/* ?2 unit ('' all), ?3 person (0 none): with both, the unit's or the person's */
#define TASK_WHO " AND (?2 = '' AND ?3 = 0 OR ?2 <> '' AND t.unit = ?2 OR ?3 <> 0 AND t.person_id = ?3)"
static const char SQL_TASKS[] = "SELECT " TASK_COLS TASK_FROM " WHERE t.plan_id = ?1" TASK_WHO " ORDER BY t.no";
static const char SQL_TASKS_DUE[] =
    "SELECT " TASK_COLS TASK_FROM " WHERE t.status IN ('not_started', 'in_progress') AND t.due_day <= ?1"
    TASK_WHO " ORDER BY t.due_day, p.year, t.no LIMIT 500";
static const char SQL_TASK_NEXT_NO[] = "SELECT coalesce(max(no), 0) + 1 FROM plan_tasks WHERE plan_id = ?";
static const char SQL_TASK_INS[] =
    "INSERT INTO plan_tasks (plan_id, no, title, field, unit, person_id, coop_units, start_day, due_day,"
    " output, budget_line, budget, progress, status, done_day, carried_from, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_TASK_EDIT[] =
    "UPDATE plan_tasks SET title = ?, field = ?, unit = ?, person_id = ?, coop_units = ?, start_day = ?,"
    " due_day = ?, output = ?, budget_line = ?, budget = ?, version = version + 1, updated_by = ?,"
    " updated_at = ? WHERE id = ? AND version = ? RETURNING id";
static const char SQL_TASK_REPORT[] =
    "UPDATE plan_tasks SET progress = ?, status = ?, done_day = ?, version = version + 1, updated_by = ?,"
    " updated_at = ? WHERE id = ? AND version = ? RETURNING id";
static const char SQL_TASK_EXISTS[] = "SELECT count(*) FROM plan_tasks WHERE id = ?";
static const char SQL_EVENT_INS[] =
    "INSERT INTO plan_task_events (task_id, at, actor, actor_name, action, progress, status, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENTS[] =
    "SELECT at, actor_name, action, coalesce(progress, -1), coalesce(status, ''), note"
    " FROM plan_task_events WHERE task_id = ? ORDER BY id";

static void
task_row(sqlite3_stmt *s, struct store_plan_task *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->plan_id = sqlite3_column_int64(s, 1);
	o->no = sqlite3_column_int(s, 2);
	db_col_text(s, 3, o->title, sizeof o->title);
	db_col_text(s, 4, o->field, sizeof o->field);
	db_col_text(s, 5, o->unit, sizeof o->unit);
	o->person_id = sqlite3_column_int64(s, 6);
	db_col_text(s, 7, o->person_name, sizeof o->person_name);
	db_col_text(s, 8, o->coop_units, sizeof o->coop_units);
	o->start_day = sqlite3_column_int(s, 9);
	o->due_day = sqlite3_column_int(s, 10);
	o->done_day = sqlite3_column_int(s, 11);
	db_col_text(s, 12, o->output, sizeof o->output);
	o->budget_line_id = sqlite3_column_int64(s, 13);
	db_col_text(s, 14, o->budget_line, sizeof o->budget_line);
	o->budget = sqlite3_column_int64(s, 15);
	o->progress = sqlite3_column_int(s, 16);
	db_col_text(s, 17, o->status, sizeof o->status);
	o->carried_from = sqlite3_column_int64(s, 18);
	o->carried_to = sqlite3_column_int64(s, 19);
	o->version = sqlite3_column_int64(s, 20);
	db_col_text(s, 21, o->updated_by, sizeof o->updated_by);
	o->updated_at = sqlite3_column_int64(s, 22);
	o->year = sqlite3_column_int(s, 23);
	db_col_text(s, 24, o->kind, sizeof o->kind);
}

/* A line of task id's history. */
static enum err
event_add(struct conn *c, int64_t id, int64_t now, const char *actor, const char *actor_name,
          const char *action, int progress, const char *status, const char *note)
{
	sqlite3_stmt *s = db_stmt(c, SQL_EVENT_INS);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "iisss", id, now, actor, actor_name ? actor_name : "", action);
	if (!e && progress >= 0)
		e = q_bind(s, "-----d", progress);
	if (!e)
		e = q_bind(s, "------Ts", status, note);
	return e ? e : q_exec(s);
}

static enum err
task_audit(struct conn *c, const char *actor, const char *action, const struct store_plan_task *t, int64_t id)
{
	char obj[40];
	snprintf(obj, sizeof obj, "plan_task:%lld", (long long)id);
	json_t *d = json_pack("{s:I,s:i,s:s,s:s,s:s,s:I,s:s,s:i,s:i,s:s,s:I,s:I,s:i,s:s}", "plan_id",
	                      (json_int_t)t->plan_id, "no", t->no, "title", t->title, "field", t->field, "unit",
	                      t->unit, "person_id", (json_int_t)t->person_id, "coop_units", t->coop_units,
	                      "start_day", (int)t->start_day, "due_day", (int)t->due_day, "output", t->output,
	                      "budget_line", (json_int_t)t->budget_line_id, "budget", (json_int_t)t->budget, "progress",
	                      t->progress, "status", t->status);
	enum err e = d ? db_audit(c, actor, action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

/* Inserts t at the end of its plan; t->no and *id are set. */
static enum err
task_insert(struct conn *c, const char *actor, struct store_plan_task *t, int64_t now, int64_t *id)
{
	sqlite3_stmt *s = db_stmt(c, SQL_TASK_NEXT_NO);
	int64_t no = 0;
	enum err e = s ? q_bind(s, "i", t->plan_id) : ERR_INTERNAL;
	if (e || (e = q_int(s, &no, NULL)))
		return e;
	t->no = (int)no;
	if (!(s = db_stmt(c, SQL_TASK_INS)))
		return ERR_INTERNAL;
	e = q_bind(s, "idsssIsddsIidsIIsi", t->plan_id, t->no, t->title, t->field, t->unit, t->person_id,
	           t->coop_units, (int)t->start_day, (int)t->due_day, t->output, t->budget_line_id, t->budget,
	           t->progress, t->status, (int64_t)t->done_day, t->carried_from, actor, now);
	int found = 0;
	if (e || (e = q_int(s, id, &found)))
		return e == ERR_CONFLICT ? ERR_NOT_FOUND : e;   /* the plan went away */
	return found ? ERR_OK : ERR_INTERNAL;
}

struct task_add {
	const char *actor, *actor_name;
	struct store_plan_task *t;
	int64_t now, id;
};

static enum err
task_add_fn(struct conn *c, void *arg)
{
	struct task_add *a = arg;
	enum err e = task_insert(c, a->actor, a->t, a->now, &a->id);
	if (!e)
		e = event_add(c, a->id, a->now, a->actor, a->actor_name, "create", a->t->progress, a->t->status, "");
	return e ? e : task_audit(c, a->actor, "plan.task.create", a->t, a->id);
}

enum err
store_plan_task_add(struct store *st, const char *actor, const char *actor_name, struct store_plan_task *t,
                    int64_t now, int64_t *id)
{
	struct task_add a = {actor, actor_name, t, now, 0};
	enum err e = db_tx(st, task_add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

/* After an UPDATE … WHERE id AND version matched nothing: ERR_NOT_FOUND
 * for a task that is not there, ERR_CONFLICT for one that moved on. */
static enum err
missed(struct conn *c, int64_t id)
{
	sqlite3_stmt *s = db_stmt(c, SQL_TASK_EXISTS);
	int64_t n = 0;
	enum err e = s ? q_bind(s, "i", id) : ERR_INTERNAL;
	if (e || (e = q_int(s, &n, NULL)))
		return e;
	return n ? ERR_CONFLICT : ERR_NOT_FOUND;
}

struct task_edit {
	const char *actor, *actor_name;
	const struct store_plan_task *t;
	int64_t now;
};

static enum err
task_edit_fn(struct conn *c, void *arg)
{
	struct task_edit *a = arg;
	const struct store_plan_task *t = a->t;
	sqlite3_stmt *s = db_stmt(c, SQL_TASK_EDIT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "sssIsddsIisiii", t->title, t->field, t->unit, t->person_id, t->coop_units,
	                    (int)t->start_day, (int)t->due_day, t->output, t->budget_line_id, t->budget, a->actor,
	                    a->now, t->id, t->version);
	int64_t id = 0;
	int found = 0;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found)
		return missed(c, t->id);
	e = event_add(c, t->id, a->now, a->actor, a->actor_name, "edit", -1, NULL, "");
	return e ? e : task_audit(c, a->actor, "plan.task.update", t, t->id);
}

enum err
store_plan_task_edit(struct store *st, const char *actor, const char *actor_name, const struct store_plan_task *t,
                     int64_t now)
{
	struct task_edit a = {actor, actor_name, t, now};
	return db_tx(st, task_edit_fn, &a);
}

struct task_report {
	const char *actor, *actor_name;
	int64_t id, version;
	int progress;
	const char *status;
	int32_t done_day;
	const char *note;
	int64_t now;
};

static enum err
task_report_fn(struct conn *c, void *arg)
{
	struct task_report *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TASK_REPORT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "dsIsiii", a->progress, a->status, (int64_t)a->done_day, a->actor, a->now, a->id,
	                    a->version);
	int64_t id = 0;
	int found = 0;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found)
		return missed(c, a->id);
	if ((e = event_add(c, a->id, a->now, a->actor, a->actor_name, "report", a->progress, a->status, a->note)))
		return e;
	char obj[40];
	snprintf(obj, sizeof obj, "plan_task:%lld", (long long)a->id);
	json_t *d = json_pack("{s:i,s:s,s:i,s:s}", "progress", a->progress, "status", a->status, "done_day",
	                      (int)a->done_day, "note", a->note);
	e = d ? db_audit(c, a->actor, "plan.task.report", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_plan_task_report(struct store *st, const char *actor, const char *actor_name, int64_t id, int64_t version,
                       int progress, const char *status, int32_t done_day, const char *note, int64_t now)
{
	struct task_report a = {actor, actor_name, id, version, progress, status, done_day, note, now};
	return db_tx(st, task_report_fn, &a);
}

struct task_one {
	int64_t id;
	struct store_plan_task *out;
};

static enum err
task_get_fn(struct conn *c, void *arg)
{
	struct task_one *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TASK_GET);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	task_row(s, a->out);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_plan_task_get(struct store *st, int64_t id, struct store_plan_task *out)
{
	struct task_one a = {id, out};
	return db_read(st, task_get_fn, &a);
}

struct task_each {
	const char *sql;
	int64_t key;          /* the plan, or the day until */
	const char *unit;
	int64_t person_id;
	int (*fn)(const struct store_plan_task *, void *);
	void *arg;
};

static enum err
tasks_fn(struct conn *c, void *arg)
{
	struct task_each *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->sql);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "isi", a->key, a->unit ? a->unit : "", a->person_id);
	struct store_plan_task *t = e ? NULL : malloc(sizeof *t);
	if (!e && !t)
		e = ERR_NOMEM;
	while (!e && (e = q_row(s)) == ERR_OK) {
		task_row(s, t);
		if (a->fn(t, a->arg))
			break;
	}
	free(t);
	return q_end(s, e);
}

enum err
store_plan_tasks(struct store *st, int64_t plan_id, const char *unit, int64_t person_id,
                 int (*fn)(const struct store_plan_task *, void *), void *arg)
{
	struct task_each a = {SQL_TASKS, plan_id, unit, person_id, fn, arg};
	return db_read(st, tasks_fn, &a);
}

enum err
store_plan_tasks_due(struct store *st, int32_t until, const char *unit, int64_t person_id,
                     int (*fn)(const struct store_plan_task *, void *), void *arg)
{
	struct task_each a = {SQL_TASKS_DUE, until, unit, person_id, fn, arg};
	return db_read(st, tasks_fn, &a);
}

struct event_each {
	int64_t id;
	int (*fn)(const struct store_plan_event *, void *);
	void *arg;
};

static enum err
events_fn(struct conn *c, void *arg)
{
	struct event_each *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENTS);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		struct store_plan_event ev = {sqlite3_column_int64(s, 0), db_col_str(s, 1), db_col_str(s, 2),
		                              db_col_str(s, 4), db_col_str(s, 5), sqlite3_column_int(s, 3)};
		if (a->fn(&ev, a->arg))
			break;
	}
	return s ? q_end(s, e) : e;
}

enum err
store_plan_task_events(struct store *st, int64_t id, int (*fn)(const struct store_plan_event *, void *),
                       void *arg)
{
	struct event_each a = {id, fn, arg};
	return db_read(st, events_fn, &a);
}

/* ---- carrying open tasks to the next year ---------------------------------------- */
static const char SQL_OPEN_OF[] =
    "SELECT " TASK_COLS TASK_FROM " WHERE t.plan_id = ? AND t.status IN ('not_started', 'in_progress')"
    " AND t.carried_to IS NULL ORDER BY t.no";
static const char SQL_LINK[] = "UPDATE plan_tasks SET carried_to = ? WHERE id = ?";

struct carry {
	const char *actor, *actor_name;
	int64_t from, to;
	void (*days)(const struct store_plan_task *, int32_t *, int32_t *, void *);
	void *arg;
	int64_t now;
	int n;
};

static enum err
carry_fn(struct conn *c, void *arg)
{
	struct carry *a = arg;
	a->n = 0;
	/* read them all first: the inserts go to the same table */
	struct store_plan_task *ts = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = db_stmt(c, SQL_OPEN_OF);
	enum err e = s ? q_bind(s, "i", a->from) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct store_plan_task *m = realloc(ts, nc * sizeof *ts);
			if (!m) {
				e = ERR_NOMEM;
				break;
			}
			ts = m;
			cap = nc;
		}
		task_row(s, &ts[n++]);
	}
	e = s ? q_end(s, e) : e;
	for (size_t i = 0; i < n && !e; i++) {
		struct store_plan_task t = ts[i];
		int64_t old = t.id, id = 0;
		t.plan_id = a->to;
		t.carried_from = old;
		t.budget_line_id = 0;   /* last year's money is not next year's */
		a->days(&ts[i], &t.start_day, &t.due_day, a->arg);
		if ((e = task_insert(c, a->actor, &t, a->now, &id)))
			break;
		sqlite3_stmt *l = db_stmt(c, SQL_LINK);
		if (!l || (e = q_bind(l, "ii", id, old)) || (e = q_exec(l))) {
			e = e ? e : ERR_INTERNAL;
			break;
		}
		char note[64];
		snprintf(note, sizeof note, "Chuyển sang năm %d", t.year + 1);
		if ((e = event_add(c, old, a->now, a->actor, a->actor_name, "carry", -1, NULL, note)))
			break;
		snprintf(note, sizeof note, "Chuyển từ kế hoạch năm %d", t.year);
		if ((e = event_add(c, id, a->now, a->actor, a->actor_name, "carry", t.progress, t.status, note)))
			break;
		a->n++;
	}
	free(ts);
	if (e)
		return e;
	char obj[40];
	snprintf(obj, sizeof obj, "plan:%lld", (long long)a->from);
	json_t *d = json_pack("{s:I,s:i}", "to_plan", (json_int_t)a->to, "tasks", a->n);
	e = d ? db_audit(c, a->actor, "plan.carry", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_plan_carry(struct store *st, const char *actor, const char *actor_name, int64_t from, int64_t to,
                 void (*days)(const struct store_plan_task *, int32_t *, int32_t *, void *), void *arg,
                 int64_t now, int *n)
{
	struct carry a = {actor, actor_name, from, to, days, arg, now, 0};
	enum err e = db_tx(st, carry_fn, &a);
	*n = e ? 0 : a.n;
	return e;
}

/* ---- evidence files ------------------------------------------------------------------ */
static const char SQL_FILE_INS[] =
    "INSERT INTO plan_task_files (task_id, sha256, name, mime, size, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_FILES[] =
    "SELECT sha256, name, mime, size, at, actor FROM plan_task_files WHERE task_id = ? ORDER BY id";
static const char SQL_FILE_GET[] =
    "SELECT sha256, name, mime, size, at, actor FROM plan_task_files WHERE task_id = ? AND sha256 = ?";

static void
file_row(sqlite3_stmt *s, struct store_plan_file *f)
{
	memset(f, 0, sizeof *f);
	db_col_text(s, 0, f->sha256, sizeof f->sha256);
	db_col_text(s, 1, f->name, sizeof f->name);
	db_col_text(s, 2, f->mime, sizeof f->mime);
	f->size = sqlite3_column_int64(s, 3);
	f->at = sqlite3_column_int64(s, 4);
	db_col_text(s, 5, f->actor, sizeof f->actor);
}

struct file_add {
	const char *actor, *actor_name;
	int64_t id;
	const struct store_plan_file *f;
	int64_t now;
};

static enum err
file_add_fn(struct conn *c, void *arg)
{
	struct file_add *a = arg;
	enum err e = missed(c, a->id);   /* ERR_CONFLICT: the task is there */
	if (e != ERR_CONFLICT)
		return e;
	sqlite3_stmt *s = db_stmt(c, SQL_FILE_INS);
	e = s ? q_bind(s, "isssiis", a->id, a->f->sha256, a->f->name, a->f->mime, a->f->size, a->now, a->actor)
	      : ERR_INTERNAL;
	if (!e && (e = q_exec(s)) == ERR_CONFLICT)
		return ERR_EXISTS;
	if (!e)
		e = event_add(c, a->id, a->now, a->actor, a->actor_name, "file", -1, NULL, a->f->name);
	if (e)
		return e;
	char obj[40];
	snprintf(obj, sizeof obj, "plan_task:%lld", (long long)a->id);
	json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "sha256", a->f->sha256, "name", a->f->name, "mime", a->f->mime,
	                      "size", (json_int_t)a->f->size);
	e = d ? db_audit(c, a->actor, "plan.task.file", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_plan_file_add(struct store *st, const char *actor, const char *actor_name, int64_t id,
                    const struct store_plan_file *f, int64_t now)
{
	struct file_add a = {actor, actor_name, id, f, now};
	return db_tx(st, file_add_fn, &a);
}

struct file_each {
	int64_t id;
	const char *sha;
	struct store_plan_file *out;
	int (*fn)(const struct store_plan_file *, void *);
	void *arg;
};

static enum err
files_fn(struct conn *c, void *arg)
{
	struct file_each *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->sha ? SQL_FILE_GET : SQL_FILES);
	enum err e = !s ? ERR_INTERNAL : a->sha ? q_bind(s, "it", a->id, a->sha) : q_bind(s, "i", a->id);
	struct store_plan_file f;
	while (!e && (e = q_row(s)) == ERR_OK) {
		file_row(s, a->sha ? a->out : &f);
		if (a->sha) {
			sqlite3_reset(s);
			return ERR_OK;
		}
		if (a->fn(&f, a->arg))
			break;
	}
	if (!s)
		return e;
	e = q_end(s, e);
	return a->sha && !e ? ERR_NOT_FOUND : e;
}

enum err
store_plan_files(struct store *st, int64_t id, int (*fn)(const struct store_plan_file *, void *), void *arg)
{
	struct file_each a = {id, NULL, NULL, fn, arg};
	return db_read(st, files_fn, &a);
}

enum err
store_plan_file_get(struct store *st, int64_t id, const char *sha256, struct store_plan_file *out)
{
	struct file_each a = {id, sha256, out, NULL, NULL};
	return db_read(st, files_fn, &a);
}
