/*
 * catalog.c — procedures and their versions, and the search index.
 *
 * The version rows hold the canonical JSON without its status; the
 * status lives in the row so publishing or retiring never rewrites data.
 * The FTS table always mirrors each procedure's latest published version.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/text.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_vi.h"

static const char SQL_PROC_BY_CODE[] = "SELECT id FROM procedures WHERE code = ?";
static const char SQL_PROC_INSERT[] =
    "INSERT INTO procedures (code, created_at, updated_at) VALUES (?, ?, ?)";
static const char SQL_PROC_TOUCH[] = "UPDATE procedures SET updated_at = ? WHERE id = ?";
static const char SQL_LATEST[] =
    "SELECT id, version, status, data FROM procedure_versions WHERE procedure_id = ?"
    " ORDER BY version DESC LIMIT 1";
static const char SQL_VER_INSERT[] =
    "INSERT INTO procedure_versions (procedure_id, version, status, data, name, field,"
    " online_level, created_at, created_by, published_at, search_body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_VER_UPDATE[] =
    "UPDATE procedure_versions SET status = ?, data = ?, name = ?, field = ?, online_level = ?,"
    " created_at = ?, created_by = ?, published_at = ?, search_body = ? WHERE id = ?";
static const char SQL_VER_STATUS[] =
    "UPDATE procedure_versions SET status = ?, published_at = coalesce(published_at, ?) WHERE id = ?";
static const char SQL_SUPERSEDE[] =
    "UPDATE procedure_versions SET status = 'superseded'"
    " WHERE procedure_id = ? AND status = 'published' AND id <> ?";
static const char SQL_FTS_DELETE[] = "DELETE FROM procedure_fts WHERE rowid = ?";
static const char SQL_FTS_INSERT[] =
    "INSERT INTO procedure_fts (rowid, name, field, body) VALUES (?, ?, ?, ?)";
static const char SQL_PUBLISHED_OF[] =
    "SELECT name, field, search_body FROM procedure_versions WHERE procedure_id = ? AND status = 'published'"
    " ORDER BY version DESC LIMIT 1";

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

/* Rebuilds the search row of procedure pid from its published version. */
static enum err
fts_refresh(struct conn *c, int64_t pid)
{
	sqlite3_stmt *s = db_stmt(c, SQL_FTS_DELETE);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, pid);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	s = db_stmt(c, SQL_PUBLISHED_OF);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, pid);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? ERR_OK : db_err(rc);
	}
	char *name = strdup((const char *)sqlite3_column_text(s, 0));
	char *field = strdup((const char *)sqlite3_column_text(s, 1));
	char *data = strdup((const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	enum err e = ERR_NOMEM;
	if (name && field && data) {
		sqlite3_stmt *ins = db_stmt(c, SQL_FTS_INSERT);
		e = ERR_INTERNAL;
		if (ins) {
			sqlite3_bind_int64(ins, 1, pid);
			sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, field, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 4, data, -1, SQLITE_STATIC);
			rc = sqlite3_step(ins);
			sqlite3_reset(ins);
			e = rc == SQLITE_DONE ? ERR_OK : db_err(rc);
		}
	}
	free(name);
	free(field);
	free(data);
	return e;
}

struct put_arg {
	const char *actor, *source;
	const struct store_proc_in *in;
	size_t n, changed;
	const char *code, *status;
};

static enum err
audit_proc(struct conn *c, const char *actor, const char *action, const char *code, int version,
           const char *status, const char *source)
{
	char obj[80];
	snprintf(obj, sizeof obj, "procedure:%s", code);
	json_t *d = json_pack("{s:i,s:s,s:s}", "version", version, "status", status, "source",
	                      source ? source : "");
	enum err e = db_audit(c, actor, action, obj, d);
	json_decref(d);
	return e;
}

static enum err
put_one(struct conn *c, const char *actor, const struct store_proc_in *in, const char *source,
        int *changed)
{
	int64_t now = now_s();
	sqlite3_stmt *s = db_stmt(c, SQL_PROC_BY_CODE);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, in->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	int64_t pid = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_err(rc);
	int64_t vid = 0;
	int version = 0;
	char lstatus[16] = "";
	char *ldata = NULL;
	if (!pid) {
		s = db_stmt(c, SQL_PROC_INSERT);
		if (!s)
			return ERR_INTERNAL;
		sqlite3_bind_text(s, 1, in->code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		sqlite3_bind_int64(s, 3, now);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_err(rc);
		pid = sqlite3_last_insert_rowid(db_handle(c));
	} else {
		s = db_stmt(c, SQL_LATEST);
		if (!s)
			return ERR_INTERNAL;
		sqlite3_bind_int64(s, 1, pid);
		if (sqlite3_step(s) == SQLITE_ROW) {
			vid = sqlite3_column_int64(s, 0);
			version = sqlite3_column_int(s, 1);
			db_col_text(s, 2, lstatus, sizeof lstatus);
			ldata = strdup((const char *)sqlite3_column_text(s, 3));
		}
		sqlite3_reset(s);
	}
	int same_data = ldata && strcmp(ldata, in->data) == 0;
	free(ldata);
	*changed = 0;
	if (same_data && strcmp(lstatus, in->status) == 0)
		return ERR_OK;
	const char *action;
	int64_t target;
	if (same_data) {
		/* only the status changes: publish or retire the latest version */
		s = db_stmt(c, SQL_VER_STATUS);
		if (!s)
			return ERR_INTERNAL;
		sqlite3_bind_text(s, 1, in->status, -1, SQLITE_STATIC);
		if (strcmp(in->status, "published") == 0)
			sqlite3_bind_int64(s, 2, now);
		else
			sqlite3_bind_null(s, 2);
		sqlite3_bind_int64(s, 3, vid);
		target = vid;
		action = "procedure.status";
	} else {
		int in_place = vid && strcmp(lstatus, "draft") == 0;
		s = db_stmt(c, in_place ? SQL_VER_UPDATE : SQL_VER_INSERT);
		if (!s)
			return ERR_INTERNAL;
		int k = 1;
		if (!in_place) {
			sqlite3_bind_int64(s, k++, pid);
			sqlite3_bind_int(s, k++, ++version);
		}
		sqlite3_bind_text(s, k++, in->status, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, k++, in->data, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, k++, in->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, k++, in->field, -1, SQLITE_STATIC);
		if (in->online_level)
			sqlite3_bind_text(s, k++, in->online_level, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, k++);
		sqlite3_bind_int64(s, k++, now);
		sqlite3_bind_text(s, k++, actor, -1, SQLITE_STATIC);
		if (strcmp(in->status, "published") == 0)
			sqlite3_bind_int64(s, k++, now);
		else
			sqlite3_bind_null(s, k++);
		sqlite3_bind_text(s, k++, in->search_body ? in->search_body : "", -1, SQLITE_STATIC);
		if (in_place)
			sqlite3_bind_int64(s, k++, vid);
		action = in_place ? "procedure.edit" : version == 1 ? "procedure.create" : "procedure.version";
		target = in_place ? vid : 0;
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (!target)
		target = sqlite3_last_insert_rowid(db_handle(c));
	if (strcmp(in->status, "published") == 0) {
		s = db_stmt(c, SQL_SUPERSEDE);
		if (!s)
			return ERR_INTERNAL;
		sqlite3_bind_int64(s, 1, pid);
		sqlite3_bind_int64(s, 2, target);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_err(rc);
	}
	s = db_stmt(c, SQL_PROC_TOUCH);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, pid);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	enum err e = fts_refresh(c, pid);
	if (e)
		return e;
	*changed = 1;
	return audit_proc(c, actor, action, in->code, version ? version : 1, in->status, source);
}

static enum err
put_fn(struct conn *c, void *arg)
{
	struct put_arg *a = arg;
	a->changed = 0;
	for (size_t i = 0; i < a->n; i++) {
		int ch = 0;
		enum err e = put_one(c, a->actor, &a->in[i], a->source, &ch);
		if (e)
			return e;
		a->changed += (size_t)ch;
	}
	return ERR_OK;
}

enum err
store_proc_put(struct store *st, const char *actor, const struct store_proc_in *in, size_t n,
               const char *source, size_t *changed)
{
	struct put_arg a = {.actor = actor, .source = source, .in = in, .n = n};
	enum err e = db_tx(st, put_fn, &a);
	if (!e && changed)
		*changed = a.changed;
	return e;
}

/* ---- reading ------------------------------------------------------------- */

#define PROC_COLS "p.id, v.id, v.version, p.code, v.status, v.data, v.created_at, v.published_at, " \
	"(SELECT count(*) FROM procedure_versions d WHERE d.procedure_id = p.id AND d.status = 'draft' AND d.version > v.version)"

static const char SQL_GET_LATEST[] =
    "SELECT " PROC_COLS " FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE p.code = ? ORDER BY v.version DESC LIMIT 1";
static const char SQL_GET_PUBLISHED[] =
    "SELECT " PROC_COLS " FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE p.code = ? AND v.status = 'published' ORDER BY v.version DESC LIMIT 1";

static const char SQL_GET_VERSION[] =
    "SELECT " PROC_COLS " FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE v.id = ?";

static int
proc_row(sqlite3_stmt *s, struct store_proc *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->version_id = sqlite3_column_int64(s, 1);
	o->version = sqlite3_column_int(s, 2);
	db_col_text(s, 3, o->code, sizeof o->code);
	db_col_text(s, 4, o->status, sizeof o->status);
	o->data = strdup((const char *)sqlite3_column_text(s, 5));
	o->created_at = sqlite3_column_int64(s, 6);
	o->published_at = sqlite3_column_int64(s, 7);
	o->has_draft = sqlite3_column_int(s, 8) > 0;
	return o->data ? 0 : -1;
}

void
store_proc_free(struct store_proc *p)
{
	free(p->data);
	p->data = NULL;
}

struct get_arg {
	const char *code;
	int published;
	struct store_proc *out;
	int64_t version_id;
};

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->version_id ? SQL_GET_VERSION
	                             : a->published ? SQL_GET_PUBLISHED : SQL_GET_LATEST);
	if (!s)
		return ERR_INTERNAL;
	if (a->version_id)
		sqlite3_bind_int64(s, 1, a->version_id);
	else
		sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	enum err e = rc == SQLITE_ROW ? (proc_row(s, a->out) ? ERR_NOMEM : ERR_OK)
	           : rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc);
	sqlite3_reset(s);
	return e;
}

enum err
store_proc_get(struct store *st, const char *code, int published_only, struct store_proc *out)
{
	struct get_arg a = {code, published_only, out, 0};
	return db_read(st, get_fn, &a);
}

enum err
store_proc_version(struct store *st, int64_t version_id, struct store_proc *out)
{
	struct get_arg a = {NULL, 0, out, version_id};
	return version_id > 0 ? db_read(st, get_fn, &a) : ERR_NOT_FOUND;
}

/* The list query: the latest (or latest published) version per procedure,
 * optionally restricted to FTS matches, a field, an online level. Four
 * prepared shapes cover the combinations of match / no match × published. */
#define LIST_BASE(VERSION_COND) \
	" FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id" \
	" WHERE v.version = (SELECT max(x.version) FROM procedure_versions x WHERE x.procedure_id = p.id" VERSION_COND ")" \
	" AND (?1 IS NULL OR v.field = ?1) AND (?2 IS NULL OR v.online_level = ?2)"
#define PUB_COND " AND x.status = 'published'"

static const char SQL_LIST_ALL[] = "SELECT " PROC_COLS LIST_BASE("")
    " ORDER BY v.name COLLATE vi, p.code LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT_ALL[] = "SELECT count(*)" LIST_BASE("");
static const char SQL_LIST_PUB[] = "SELECT " PROC_COLS LIST_BASE(PUB_COND)
    " ORDER BY v.name COLLATE vi, p.code LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT_PUB[] = "SELECT count(*)" LIST_BASE(PUB_COND);
/* Relevance, in order: the name or the result (what the citizen gets,
 * e.g. "Giấy khai sinh") holds what was typed as a phrase (folded: no
 * tones, đ = d); the shorter name before any parenthesis (the general
 * procedure before its special cases: "đăng ký khai sinh" before "đăng ký
 * lại khai sinh có yếu tố nước ngoài"); then bm25 with the name weighing
 * most.  bm25 alone barely separates names of similar length. */
static const char SQL_LIST_MATCH[] = "SELECT " PROC_COLS
    " FROM procedure_fts f JOIN procedures p ON p.id = f.rowid"
    " JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE procedure_fts MATCH ?5"
    " AND v.version = (SELECT max(x.version) FROM procedure_versions x WHERE x.procedure_id = p.id" PUB_COND ")"
    " AND (?1 IS NULL OR v.field = ?1) AND (?2 IS NULL OR v.online_level = ?2)"
    " ORDER BY (?6 IS NOT NULL AND instr(vi_fold(v.name || ' ' || coalesce(json_extract(v.data, '$.result'), '')), ?6) > 0) DESC,"
    " length(CASE WHEN instr(v.name, '(') > 0 THEN substr(v.name, 1, instr(v.name, '(') - 1) ELSE v.name END),"
    " bm25(procedure_fts, 20.0, 1.0, 0.3), v.name COLLATE vi"
    " LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT_MATCH[] = "SELECT count(*)" LIST_BASE(PUB_COND)
    " AND p.id IN (SELECT rowid FROM procedure_fts WHERE procedure_fts MATCH ?5)";

struct list_arg {
	const struct store_proc_query *q;
	char *match;               /* the FTS5 expression built from q->text */
	char *phrase;              /* q->text folded: names holding it rank first */
	int (*fn)(const struct store_proc *, void *);
	void *arg;
	int64_t total;
};

static enum err
bind_query(sqlite3_stmt *s, const struct list_arg *a, int with_page)
{
	const struct store_proc_query *q = a->q;
	enum err e = q_bind(s, "TT", q->field, q->online_level);
	if (!e && with_page)
		e = q_bind(s, "--dd", q->limit > 0 ? q->limit : 50, q->offset > 0 ? q->offset : 0);
	if (!e && a->match)
		e = q_bind(s, "----tT", a->match, with_page ? a->phrase : NULL);
	return e;
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	const struct store_proc_query *q = a->q;
	const char *lsql = a->match ? SQL_LIST_MATCH : q->published_only ? SQL_LIST_PUB : SQL_LIST_ALL;
	const char *csql = a->match ? SQL_COUNT_MATCH : q->published_only ? SQL_COUNT_PUB : SQL_COUNT_ALL;
	sqlite3_stmt *s = db_stmt(c, csql);
	enum err e = s ? bind_query(s, a, 0) : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->total, NULL)))
		return e;
	if (!a->fn)
		return ERR_OK;
	if (!(s = db_stmt(c, lsql)) || (e = bind_query(s, a, 1)))
		return s ? e : ERR_INTERNAL;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_proc p;
		if (proc_row(s, &p) != 0) {
			e = ERR_NOMEM;
			break;
		}
		int stop = a->fn(&p, a->arg);
		store_proc_free(&p);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_proc_list(struct store *st, const struct store_proc_query *q,
                int (*fn)(const struct store_proc *, void *), void *arg, int64_t *total)
{
	assert(st && q);
	struct list_arg a = {.q = q, .fn = fn, .arg = arg};
	enum err e = ERR_OK;
	if (q->text && *q->text) {
		/* the typed words, quoted, never FTS5 syntax (fts_vi.h) */
		a.match = fts_vi_query(q->text);
		a.phrase = text_fold(q->text);
		if (!a.phrase)
			e = ERR_NOMEM;
	}
	if (!e && (!q->text || !*q->text || a.match))
		e = db_read(st, list_fn, &a);   /* the count and the page: one snapshot */
	free(a.match);
	free(a.phrase);
	if (total)
		*total = e ? 0 : a.total;
	return e;
}

static const char SQL_FIELDS[] =
    "SELECT v.field, count(*) FROM procedure_versions v WHERE v.status = 'published'"
    " GROUP BY v.field ORDER BY v.field COLLATE vi";

struct fields_arg {
	int (*fn)(const char *, int64_t, void *);
	void *arg;
};

static enum err
fields_fn(struct conn *c, void *arg)
{
	struct fields_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_FIELDS);
	if (!s)
		return ERR_INTERNAL;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (a->fn((const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1), a->arg))
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
store_proc_fields(struct store *st, int (*fn)(const char *, int64_t, void *), void *arg)
{
	struct fields_arg a = {fn, arg};
	return db_read(st, fields_fn, &a);
}

static enum err
status_fn(struct conn *c, void *arg)
{
	struct put_arg *a = arg;
	struct store_proc p;
	struct get_arg g = {a->code, 0, &p, 0};
	enum err e = get_fn(c, &g);
	if (e)
		return e;
	if (strcmp(p.status, a->status) == 0) {
		store_proc_free(&p);
		return ERR_OK;
	}
	if (strcmp(p.status, "superseded") == 0) {
		store_proc_free(&p);
		return ERR_CONFLICT;
	}
	sqlite3_stmt *s = db_stmt(c, SQL_VER_STATUS);
	if (!s) {
		store_proc_free(&p);
		return ERR_INTERNAL;
	}
	int64_t now = now_s();
	sqlite3_bind_text(s, 1, a->status, -1, SQLITE_STATIC);
	if (strcmp(a->status, "published") == 0)
		sqlite3_bind_int64(s, 2, now);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_int64(s, 3, p.version_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE && strcmp(a->status, "published") == 0) {
		s = db_stmt(c, SQL_SUPERSEDE);
		if (s) {
			sqlite3_bind_int64(s, 1, p.id);
			sqlite3_bind_int64(s, 2, p.version_id);
			rc = sqlite3_step(s);
			sqlite3_reset(s);
		}
	}
	if (rc != SQLITE_DONE) {
		store_proc_free(&p);
		return db_err(rc);
	}
	e = fts_refresh(c, p.id);
	if (!e)
		e = audit_proc(c, a->actor, "procedure.status", p.code, p.version, a->status, NULL);
	store_proc_free(&p);
	return e;
}

enum err
store_proc_set_status(struct store *st, const char *actor, const char *code, const char *status)
{
	struct put_arg a = {.actor = actor, .code = code, .status = status};
	return db_tx(st, status_fn, &a);
}
