/*
 * iso.c — the quality system (store/iso.h, migration 0022).  Each write is
 * one transaction with its audit event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/iso.h"
#include "store/sqlite/db.h"

#define VER_COLS "v.process_id, p.code, v.version, v.title, v.owner, v.scope, v.steps, v.forms, v.records," \
                 " v.retention, v.procedures, v.effective_day, v.approved_by, v.change_note, v.created_by," \
                 " v.created_at, (SELECT max(version) FROM iso_versions w WHERE w.process_id = p.id)"
#define VER_FROM " FROM iso_versions v JOIN iso_processes p ON p.id = v.process_id"
static const char SQL_PROC_INS[] =
    "INSERT INTO iso_processes (code, created_by, created_at) VALUES (?, ?, ?) RETURNING id";
static const char SQL_VER_INS[] =
    "INSERT INTO iso_versions (process_id, version, title, owner, scope, steps, forms, records, retention,"
    " procedures, effective_day, approved_by, change_note, created_by, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_CURRENT[] = "SELECT max(version) FROM iso_versions WHERE process_id = ?";
static const char SQL_VER_GET[] =
    "SELECT " VER_COLS VER_FROM " WHERE v.process_id = ?1 AND v.version ="
    " CASE WHEN ?2 > 0 THEN ?2 ELSE (SELECT max(version) FROM iso_versions WHERE process_id = ?1) END";
static const char SQL_LIST[] =
    "SELECT " VER_COLS VER_FROM " WHERE v.version = (SELECT max(version) FROM iso_versions w"
    " WHERE w.process_id = v.process_id) ORDER BY p.code";
static const char SQL_HISTORY[] = "SELECT " VER_COLS VER_FROM " WHERE v.process_id = ? ORDER BY v.version DESC";

static void
ver_row(sqlite3_stmt *s, struct store_iso_version *o)
{
	memset(o, 0, sizeof *o);
	o->process_id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, o->code, sizeof o->code);
	o->version = sqlite3_column_int(s, 2);
	db_col_text(s, 3, o->title, sizeof o->title);
	db_col_text(s, 4, o->owner, sizeof o->owner);
	db_col_text(s, 5, o->scope, sizeof o->scope);
	db_col_text(s, 6, o->steps, sizeof o->steps);
	db_col_text(s, 7, o->forms, sizeof o->forms);
	db_col_text(s, 8, o->records, sizeof o->records);
	db_col_text(s, 9, o->retention, sizeof o->retention);
	db_col_text(s, 10, o->procedures, sizeof o->procedures);
	o->effective_day = sqlite3_column_int(s, 11);
	db_col_text(s, 12, o->approved_by, sizeof o->approved_by);
	db_col_text(s, 13, o->change_note, sizeof o->change_note);
	db_col_text(s, 14, o->created_by, sizeof o->created_by);
	o->created_at = sqlite3_column_int64(s, 15);
	o->versions = sqlite3_column_int(s, 16);
}

/* Inserts version v->version of process id, with its audit event. */
static enum err
ver_insert(struct conn *c, const char *actor, const struct store_iso_version *v, int64_t id, int64_t now,
           const char *action)
{
	sqlite3_stmt *s = db_stmt(c, SQL_VER_INS);
	enum err e = s ? q_bind(s, "idssssssssdsssi", id, v->version, v->title, v->owner, v->scope, v->steps,
	                        v->forms, v->records, v->retention, v->procedures, (int)v->effective_day,
	                        v->approved_by, v->change_note, actor, now)
	               : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	char obj[40];
	snprintf(obj, sizeof obj, "iso_process:%lld", (long long)id);
	json_t *d = json_pack("{s:s,s:i,s:s,s:s,s:i,s:s,s:s}", "code", v->code, "version", v->version, "title", v->title,
	                      "owner", v->owner, "effective_day", (int)v->effective_day, "approved_by", v->approved_by,
	                      "change_note", v->change_note);
	e = d ? db_audit(c, actor, action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

struct ver_put {
	const char *actor;
	const struct store_iso_version *v;
	int base;
	int64_t now, id;
};

static enum err
create_fn(struct conn *c, void *arg)
{
	struct ver_put *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_PROC_INS);
	int found = 0;
	enum err e = s ? q_bind(s, "ssi", a->v->code, a->actor, a->now) : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->id, &found)))
		return e == ERR_CONFLICT ? ERR_EXISTS : e;
	struct store_iso_version v = *a->v;
	v.version = 1;
	return ver_insert(c, a->actor, &v, a->id, a->now, "iso.process.create");
}

enum err
store_iso_create(struct store *st, const char *actor, const struct store_iso_version *v, int64_t now, int64_t *id)
{
	struct ver_put a = {actor, v, 0, now, 0};
	enum err e = db_tx(st, create_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

static enum err
revise_fn(struct conn *c, void *arg)
{
	struct ver_put *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_CURRENT);
	int64_t cur = 0;
	enum err e = s ? q_bind(s, "i", a->v->process_id) : ERR_INTERNAL;
	if (e || (e = q_int(s, &cur, NULL)))
		return e;
	if (!cur)
		return ERR_NOT_FOUND;
	if (cur != a->base)
		return ERR_CONFLICT;
	struct store_iso_version v = *a->v;
	v.version = (int)cur + 1;
	return ver_insert(c, a->actor, &v, v.process_id, a->now, "iso.process.revise");
}

enum err
store_iso_revise(struct store *st, const char *actor, const struct store_iso_version *v, int base, int64_t now)
{
	struct ver_put a = {actor, v, base, now, 0};
	return db_tx(st, revise_fn, &a);
}

struct ver_read {
	const char *sql;
	int64_t id;
	int version;
	struct store_iso_version *out;
	int (*fn)(const struct store_iso_version *, void *);
	void *arg;
};

static enum err
ver_read_fn(struct conn *c, void *arg)
{
	struct ver_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->sql);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->sql == SQL_VER_GET ? q_bind(s, "id", a->id, a->version)
	             : a->sql == SQL_HISTORY ? q_bind(s, "i", a->id)
	                                     : ERR_OK;
	struct store_iso_version *v = a->out ? a->out : malloc(sizeof *v);
	if (!v)
		return q_end(s, ERR_NOMEM);
	int n = 0;
	while (!e && (e = q_row(s)) == ERR_OK) {
		ver_row(s, v);
		n++;
		if (a->out) {
			sqlite3_reset(s);
			return ERR_OK;
		}
		if (a->fn(v, a->arg))
			break;
	}
	if (!a->out)
		free(v);
	e = q_end(s, e);
	return a->out && !e && !n ? ERR_NOT_FOUND : e;
}

enum err
store_iso_get(struct store *st, int64_t id, int version, struct store_iso_version *out)
{
	struct ver_read a = {SQL_VER_GET, id, version, out, NULL, NULL};
	return db_read(st, ver_read_fn, &a);
}

enum err
store_iso_list(struct store *st, int (*fn)(const struct store_iso_version *, void *), void *arg)
{
	struct ver_read a = {SQL_LIST, 0, 0, NULL, fn, arg};
	return db_read(st, ver_read_fn, &a);
}

enum err
store_iso_history(struct store *st, int64_t id, int (*fn)(const struct store_iso_version *, void *), void *arg)
{
	struct ver_read a = {SQL_HISTORY, id, 0, NULL, fn, arg};
	return db_read(st, ver_read_fn, &a);
}

/* ---- audits and findings --------------------------------------------------------- */
#define AUDIT_COLS "a.id, a.day, a.scope, a.auditors, a.summary, a.created_by, a.created_at," \
                   " (SELECT count(*) FROM iso_findings f WHERE f.audit_id = a.id)," \
                   " (SELECT count(*) FROM iso_findings f WHERE f.audit_id = a.id AND f.closed_day IS NULL" \
                   "  AND f.kind = 'nonconformity')"
static const char SQL_AUDIT_INS[] =
    "INSERT INTO iso_audits (day, scope, auditors, summary, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_AUDIT_GET[] = "SELECT " AUDIT_COLS " FROM iso_audits a WHERE a.id = ?";
static const char SQL_AUDITS[] = "SELECT " AUDIT_COLS " FROM iso_audits a ORDER BY a.day DESC, a.id DESC";
#define FIND_COLS "f.id, f.audit_id, coalesce(f.process_id, 0), coalesce(p.code, ''), f.kind, f.description," \
                  " f.action, f.unit, coalesce(f.due_day, 0), coalesce(f.closed_day, 0), f.closed_note, a.day"
#define FIND_FROM " FROM iso_findings f JOIN iso_audits a ON a.id = f.audit_id" \
                  " LEFT JOIN iso_processes p ON p.id = f.process_id"
static const char SQL_FIND_INS[] =
    "INSERT INTO iso_findings (audit_id, process_id, kind, description, action, unit, due_day, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_FIND_CLOSE[] =
    "UPDATE iso_findings SET closed_day = ?, closed_note = ? WHERE id = ? AND audit_id = ? AND closed_day IS NULL"
    " RETURNING id";
static const char SQL_FIND_EXISTS[] = "SELECT count(*) FROM iso_findings WHERE id = ? AND audit_id = ?";
static const char SQL_FINDS[] =
    "SELECT " FIND_COLS FIND_FROM " WHERE ?1 > 0 AND f.audit_id = ?1 OR ?1 = 0 AND f.closed_day IS NULL"
    " AND f.kind = 'nonconformity' ORDER BY f.closed_day IS NOT NULL, f.due_day, f.id";

static void
audit_row(sqlite3_stmt *s, struct store_iso_audit *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->day = sqlite3_column_int(s, 1);
	db_col_text(s, 2, o->scope, sizeof o->scope);
	db_col_text(s, 3, o->auditors, sizeof o->auditors);
	db_col_text(s, 4, o->summary, sizeof o->summary);
	db_col_text(s, 5, o->created_by, sizeof o->created_by);
	o->created_at = sqlite3_column_int64(s, 6);
	o->findings = sqlite3_column_int(s, 7);
	o->open = sqlite3_column_int(s, 8);
}

static void
find_row(sqlite3_stmt *s, struct store_iso_finding *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->audit_id = sqlite3_column_int64(s, 1);
	o->process_id = sqlite3_column_int64(s, 2);
	db_col_text(s, 3, o->process_code, sizeof o->process_code);
	db_col_text(s, 4, o->kind, sizeof o->kind);
	db_col_text(s, 5, o->description, sizeof o->description);
	db_col_text(s, 6, o->action, sizeof o->action);
	db_col_text(s, 7, o->unit, sizeof o->unit);
	o->due_day = sqlite3_column_int(s, 8);
	o->closed_day = sqlite3_column_int(s, 9);
	db_col_text(s, 10, o->closed_note, sizeof o->closed_note);
	o->audit_day = sqlite3_column_int(s, 11);
}

struct audit_put {
	const char *actor;
	const struct store_iso_audit *au;
	const struct store_iso_finding *f;
	int64_t audit_id, id;
	int32_t day;
	const char *note;
	int64_t now;
};

/* The audit event of audit a->audit_id (or of the new one). */
static enum err
audit_event(struct conn *c, struct audit_put *a, const char *action, json_t *d)
{
	char obj[40];
	snprintf(obj, sizeof obj, "iso_audit:%lld", (long long)a->audit_id);
	enum err e = d ? db_audit(c, a->actor, action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

static enum err
audit_add_fn(struct conn *c, void *arg)
{
	struct audit_put *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_AUDIT_INS);
	int found = 0;
	enum err e = s ? q_bind(s, "dssssi", (int)a->au->day, a->au->scope, a->au->auditors, a->au->summary, a->actor,
	                        a->now)
	               : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->audit_id, &found)))
		return e;
	return audit_event(c, a, "iso.audit.create",
	                   json_pack("{s:i,s:s,s:s,s:s}", "day", (int)a->au->day, "scope", a->au->scope, "auditors",
	                             a->au->auditors, "summary", a->au->summary));
}

enum err
store_iso_audit_add(struct store *st, const char *actor, const struct store_iso_audit *au, int64_t now, int64_t *id)
{
	struct audit_put a = {.actor = actor, .au = au, .now = now};
	enum err e = db_tx(st, audit_add_fn, &a);
	if (!e && id)
		*id = a.audit_id;
	return e;
}

struct audit_read {
	int64_t id;
	struct store_iso_audit *out;
	int (*fn)(const struct store_iso_audit *, void *);
	void *arg;
};

static enum err
audit_read_fn(struct conn *c, void *arg)
{
	struct audit_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->out ? SQL_AUDIT_GET : SQL_AUDITS);
	enum err e = !s ? ERR_INTERNAL : a->out ? q_bind(s, "i", a->id) : ERR_OK;
	struct store_iso_audit au;
	while (!e && (e = q_row(s)) == ERR_OK) {
		audit_row(s, a->out ? a->out : &au);
		if (a->out) {
			sqlite3_reset(s);
			return ERR_OK;
		}
		if (a->fn(&au, a->arg))
			break;
	}
	if (!s)
		return e;
	e = q_end(s, e);
	return a->out && !e ? ERR_NOT_FOUND : e;
}

enum err
store_iso_audit_get(struct store *st, int64_t id, struct store_iso_audit *out)
{
	struct audit_read a = {id, out, NULL, NULL};
	return db_read(st, audit_read_fn, &a);
}

enum err
store_iso_audits(struct store *st, int (*fn)(const struct store_iso_audit *, void *), void *arg)
{
	struct audit_read a = {0, NULL, fn, arg};
	return db_read(st, audit_read_fn, &a);
}

static enum err
finding_add_fn(struct conn *c, void *arg)
{
	struct audit_put *a = arg;
	const struct store_iso_finding *f = a->f;
	sqlite3_stmt *s = db_stmt(c, SQL_FIND_INS);
	int found = 0;
	enum err e = s ? q_bind(s, "iIssssIi", f->audit_id, f->process_id, f->kind, f->description, f->action, f->unit,
	                        (int64_t)f->due_day, a->now)
	               : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->id, &found)))
		return e == ERR_CONFLICT ? ERR_NOT_FOUND : e;
	a->audit_id = f->audit_id;
	return audit_event(c, a, "iso.finding.create",
	                   json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:i}", "finding_id", (json_int_t)a->id, "process_id",
	                             (json_int_t)f->process_id, "kind", f->kind, "description", f->description,
	                             "action", f->action, "unit", f->unit, "due_day", (int)f->due_day));
}

enum err
store_iso_finding_add(struct store *st, const char *actor, const struct store_iso_finding *f, int64_t now, int64_t *id)
{
	struct audit_put a = {.actor = actor, .f = f, .now = now};
	enum err e = db_tx(st, finding_add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

static enum err
finding_close_fn(struct conn *c, void *arg)
{
	struct audit_put *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_FIND_CLOSE);
	int64_t id = 0, n = 0;
	int found = 0;
	enum err e = s ? q_bind(s, "dsii", (int)a->day, a->note, a->id, a->audit_id) : ERR_INTERNAL;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found) {
		if (!(s = db_stmt(c, SQL_FIND_EXISTS)) || (e = q_bind(s, "ii", a->id, a->audit_id)) ||
		    (e = q_int(s, &n, NULL)))
			return e ? e : ERR_INTERNAL;
		return n ? ERR_CONFLICT : ERR_NOT_FOUND;
	}
	return audit_event(c, a, "iso.finding.close",
	                   json_pack("{s:I,s:i,s:s}", "finding_id", (json_int_t)a->id, "day", (int)a->day, "note", a->note));
}

enum err
store_iso_finding_close(struct store *st, const char *actor, int64_t audit_id, int64_t id, int32_t day,
                        const char *note)
{
	struct audit_put a = {.actor = actor, .audit_id = audit_id, .id = id, .day = day, .note = note};
	return db_tx(st, finding_close_fn, &a);
}

struct find_read {
	int64_t audit_id;
	int (*fn)(const struct store_iso_finding *, void *);
	void *arg;
};

static enum err
finds_fn(struct conn *c, void *arg)
{
	struct find_read *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_FINDS);
	enum err e = s ? q_bind(s, "i", a->audit_id) : ERR_INTERNAL;
	struct store_iso_finding *f = e ? NULL : malloc(sizeof *f);
	if (!e && !f)
		e = ERR_NOMEM;
	while (!e && (e = q_row(s)) == ERR_OK) {
		find_row(s, f);
		if (a->fn(f, a->arg))
			break;
	}
	free(f);
	return s ? q_end(s, e) : e;
}

enum err
store_iso_findings(struct store *st, int64_t audit_id, int (*fn)(const struct store_iso_finding *, void *), void *arg)
{
	struct find_read a = {audit_id, fn, arg};
	return db_read(st, finds_fn, &a);
}
