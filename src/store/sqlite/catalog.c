/*
 * catalog.c — procedures and their versions, and the search index.
 *
 * The version rows hold the codec's canonical JSON (core/proc_json.h)
 * without its status; the status lives in the row so publishing or
 * retiring never rewrites data.
 * The FTS table always mirrors each procedure's latest published version.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/buf.h"
#include "core/proc_json.h"
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
	enum err e = s ? q_bind(s, "i", pid) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	if (!(s = db_stmt(c, SQL_PUBLISHED_OF)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "i", pid)) || (e = q_row(s)))
		return e == ERR_NOT_FOUND ? ERR_OK : e;   /* nothing published: no search row */
	char *name = db_col_dup(s, 0);
	char *field = db_col_dup(s, 1);
	char *data = db_col_dup(s, 2);
	sqlite3_reset(s);
	e = ERR_NOMEM;
	if (name && field && data) {
		sqlite3_stmt *ins = db_stmt(c, SQL_FTS_INSERT);
		e = ins ? q_bind(ins, "ittt", pid, name, field, data) : ERR_INTERNAL;
		if (!e)
			e = q_exec(ins);
	}
	free(name);
	free(field);
	free(data);
	return e;
}

struct put_arg {
	const char *actor, *source;
	const struct proc *in;
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

static int
is_published(const char *status)
{
	return strcmp(status, "published") == 0;
}

/* Sets version vid's status; published_at is stamped on its first
 * publication and kept after. */
static enum err
version_status(struct conn *c, int64_t vid, const char *status, int64_t now)
{
	sqlite3_stmt *s = db_stmt(c, SQL_VER_STATUS);
	enum err e = s ? q_bind(s, "tIi", status, is_published(status) ? now : 0, vid) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

/* Version vid of procedure pid was just published: the one published
 * before it is superseded. */
static enum err
supersede_others(struct conn *c, int64_t pid, int64_t vid)
{
	sqlite3_stmt *s = db_stmt(c, SQL_SUPERSEDE);
	enum err e = s ? q_bind(s, "ii", pid, vid) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

static enum err
proc_touch(struct conn *c, int64_t pid, int64_t now)
{
	sqlite3_stmt *s = db_stmt(c, SQL_PROC_TOUCH);
	enum err e = s ? q_bind(s, "ii", now, pid) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

/* A procedure as a put finds it: its id and its latest version. */
struct proc_latest {
	int64_t pid, vid;          /* vid 0: no version yet */
	int version;
	char status[16];
	char *data;                /* malloc'd; NULL when there is no version */
};

/* Finds the procedure `code`, creating it when it is new, and reads its
 * latest version into l. */
static enum err
proc_latest(struct conn *c, const char *code, int64_t now, struct proc_latest *l)
{
	sqlite3_stmt *s = db_stmt(c, SQL_PROC_BY_CODE);
	enum err e = s ? q_bind(s, "t", code) : ERR_INTERNAL;
	if (e || (e = q_int(s, &l->pid, NULL)))
		return e;
	if (!l->pid) {
		if (!(s = db_stmt(c, SQL_PROC_INSERT)))
			return ERR_INTERNAL;
		if ((e = q_bind(s, "tii", code, now, now)) || (e = q_exec(s)))
			return e;
		l->pid = sqlite3_last_insert_rowid(db_handle(c));
		return ERR_OK;
	}
	if (!(s = db_stmt(c, SQL_LATEST)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "i", l->pid)) || (e = q_row(s)))
		return e == ERR_NOT_FOUND ? ERR_OK : e;
	l->vid = sqlite3_column_int64(s, 0);
	l->version = sqlite3_column_int(s, 1);
	db_col_text(s, 2, l->status, sizeof l->status);
	l->data = db_col_dup(s, 3);
	sqlite3_reset(s);
	return ERR_OK;
}

/* Writes in's data: over the latest version when that is a draft, else
 * as a new version (l->version counts it).  *target is the version row
 * written and *action the audit action. */
/* A procedure as its version row holds it. */
struct proc_row {
	const char *code, *status, *name, *field, *online_level;
	char *data;                /* the stored form (malloc'd) */
	char *search_body;         /* the text indexed besides name and field (malloc'd) */
};

/* The text besides name and field that search looks at. */
static char *
search_body(const struct proc *p)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n", p->code);
	for (size_t i = 0; i < p->ndocuments; i++)
		buf_printf(&b, "%s\n", p->documents[i].name);
	for (size_t i = 0; i < p->legal_basis.n; i++)
		buf_printf(&b, "%s\n", p->legal_basis.v[i]);
	if (p->result)
		buf_printf(&b, "%s\n", p->result);
	buf_printf(&b, "%s\n", p->fee.text ? p->fee.text : "");
	return buf_detach(&b);
}

static enum err
row_of(const struct proc *p, struct proc_row *r)
{
	*r = (struct proc_row){.code = p->code, .status = proc_statuses[p->status], .name = p->name,
	                       .field = p->field,
	                       .online_level = p->online_level >= 0 ? proc_online_levels[p->online_level] : NULL,
	                       .data = proc_stored_dump(p), .search_body = search_body(p)};
	return r->data && r->search_body ? ERR_OK : ERR_NOMEM;
}

static void
row_free(struct proc_row *r)
{
	free(r->data);
	free(r->search_body);
}

static enum err
version_write(struct conn *c, const char *actor, const struct proc_row *in, int64_t now,
              struct proc_latest *l, int64_t *target, const char **action)
{
	int in_place = l->vid && strcmp(l->status, "draft") == 0;
	sqlite3_stmt *s = db_stmt(c, in_place ? SQL_VER_UPDATE : SQL_VER_INSERT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = in_place ? ERR_OK : q_bind(s, "id", l->pid, ++l->version);
	/* the same columns follow; only the UPDATE takes the trailing vid */
	if (!e)
		e = q_bind(s, in_place ? "tttttitIsi" : "--tttttitIs", in->status, in->data, in->name,
		           in->field, in->online_level, now, actor, is_published(in->status) ? now : 0,
		           in->search_body, l->vid);
	if (e || (e = q_exec(s)))
		return e;
	*target = in_place ? l->vid : sqlite3_last_insert_rowid(db_handle(c));
	*action = in_place ? "procedure.edit" : l->version == 1 ? "procedure.create" : "procedure.version";
	return ERR_OK;
}

static enum err
put_one(struct conn *c, const char *actor, const struct proc_row *in, const char *source,
        int *changed)
{
	int64_t now = now_s();
	struct proc_latest l = {0};
	enum err e = proc_latest(c, in->code, now, &l);
	int same_data = l.data && strcmp(l.data, in->data) == 0;
	free(l.data);
	if (e)
		return e;
	*changed = 0;
	if (same_data && strcmp(l.status, in->status) == 0)
		return ERR_OK;
	const char *action = "procedure.status";
	int64_t target = l.vid;
	if (same_data)   /* only the status changes: publish or retire the latest version */
		e = version_status(c, l.vid, in->status, now);
	else
		e = version_write(c, actor, in, now, &l, &target, &action);
	if (!e && is_published(in->status))
		e = supersede_others(c, l.pid, target);
	if (e || (e = proc_touch(c, l.pid, now)) || (e = fts_refresh(c, l.pid)))
		return e;
	*changed = 1;
	return audit_proc(c, actor, action, in->code, l.version ? l.version : 1, in->status, source);
}

static enum err
put_fn(struct conn *c, void *arg)
{
	struct put_arg *a = arg;
	a->changed = 0;
	for (size_t i = 0; i < a->n; i++) {
		int ch = 0;
		struct proc_row r;
		enum err e = row_of(&a->in[i], &r);
		if (!e)
			e = put_one(c, a->actor, &r, a->source, &ch);
		row_free(&r);
		if (e)
			return e;
		a->changed += (size_t)ch;
	}
	return ERR_OK;
}

enum err
store_proc_put(struct store *st, const char *actor, const struct proc *in, size_t n,
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

/* A version row into o (superseded reads as published); ERR_OK, or
 * ERR_NOMEM / ERR_INTERNAL (a row the codec cannot read). */
static enum err
proc_row(sqlite3_stmt *s, struct store_proc *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->version_id = sqlite3_column_int64(s, 1);
	o->version = sqlite3_column_int(s, 2);
	db_col_text(s, 3, o->code, sizeof o->code);
	db_col_text(s, 4, o->status, sizeof o->status);
	o->created_at = sqlite3_column_int64(s, 6);
	o->published_at = sqlite3_column_int64(s, 7);
	o->has_draft = sqlite3_column_int(s, 8) > 0;
	int st = proc_enum_find(proc_statuses, o->status);
	const char *data = (const char *)sqlite3_column_text(s, 5);
	return data ? proc_stored_load(data, st >= 0 ? (enum proc_status)st : PROC_PUBLISHED, &o->proc)
	            : ERR_NOMEM;
}

void
store_proc_free(struct store_proc *p)
{
	proc_free(&p->proc);
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
	enum err e = a->version_id ? q_bind(s, "i", a->version_id) : q_bind(s, "t", a->code);
	if (!e && (e = q_row(s)) == ERR_OK) {
		e = proc_row(s, a->out);
		sqlite3_reset(s);
	}
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
/* Relevance, in order: the name holds what was typed as a phrase
 * (folded: no tones, đ = d), then every typed word starts a word of the
 * name, else how many of them do (vi_quick, fts_vi.c); then the result (what the
 * citizen gets, e.g. "Giấy khai sinh") holds the phrase; then the shorter
 * name before any parenthesis (the general procedure before its special
 * cases: "đăng ký khai sinh" before "đăng ký lại khai sinh có yếu tố nước
 * ngoài"); then bm25 with the name weighing most.  A procedure that only
 * mentions the words in its documents or body comes after all of these. */
static const char SQL_LIST_MATCH[] = "SELECT " PROC_COLS
    " FROM procedure_fts f JOIN procedures p ON p.id = f.rowid"
    " JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE procedure_fts MATCH ?5"
    " AND v.version = (SELECT max(x.version) FROM procedure_versions x WHERE x.procedure_id = p.id" PUB_COND ")"
    " AND (?1 IS NULL OR v.field = ?1) AND (?2 IS NULL OR v.online_level = ?2)"
    " ORDER BY vi_quick(v.name, ?6) DESC,"
    " (?6 IS NOT NULL AND instr(vi_fold(coalesce(json_extract(v.data, '$.result'), '')), ?6) > 0) DESC,"
    " length(CASE WHEN instr(v.name, '(') > 0 THEN substr(v.name, 1, instr(v.name, '(') - 1) ELSE v.name END),"
    " bm25(procedure_fts, 20.0, 1.0, 0.3), v.name COLLATE vi"
    " LIMIT ?3 OFFSET ?4";
static const char SQL_COUNT_MATCH[] = "SELECT count(*)" LIST_BASE(PUB_COND)
    " AND p.id IN (SELECT rowid FROM procedure_fts WHERE procedure_fts MATCH ?5)";

struct list_arg {
	const struct store_proc_query *q;
	char *match;               /* the FTS5 expression built from q->text */
	char *phrase;              /* q->text folded: names holding it rank first */
	int (*fn)(struct store_proc *, void *);
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
		if ((e = proc_row(s, &p)) != ERR_OK)
			break;
		int stop = a->fn(&p, a->arg);
		store_proc_free(&p);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_proc_list(struct store *st, const struct store_proc_query *q,
                int (*fn)(struct store_proc *, void *), void *arg, int64_t *total)
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
	enum err e;
	while ((e = q_row(s)) == ERR_OK)
		if (a->fn((const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1), a->arg))
			break;
	return q_end(s, e);
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
	e = version_status(c, p.version_id, a->status, now_s());
	if (!e && is_published(a->status))
		e = supersede_others(c, p.id, p.version_id);
	if (!e)
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
