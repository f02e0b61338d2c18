/*
 * guard.c — what the services need besides the big areas: a procedure
 * version's terms for the dossier clock (read out of the canonical JSON
 * by SQLite's JSON functions, so callers never parse it), and the
 * counters of failed guesses behind the public lookup.
 */
#include <stdio.h>
#include <string.h>
#include "store/sqlite/db.h"

static const char SQL_TERMS_CODE[] =
    "SELECT v.id, v.version, p.code, v.name,"
    " json_extract(v.data, '$.time_limit.days'), json_extract(v.data, '$.time_limit.same_day'),"
    " json_extract(v.data, '$.time_limit.cutoff'), json_extract(v.data, '$.fee.amount'), v.field"
    " FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id"
    " WHERE p.code = ?1 AND v.status = 'published' ORDER BY v.version DESC LIMIT 1";
static const char SQL_TERMS_ID[] =
    "SELECT v.id, v.version, p.code, v.name,"
    " json_extract(v.data, '$.time_limit.days'), json_extract(v.data, '$.time_limit.same_day'),"
    " json_extract(v.data, '$.time_limit.cutoff'), json_extract(v.data, '$.fee.amount'), v.field"
    " FROM procedures p JOIN procedure_versions v ON v.procedure_id = p.id WHERE v.id = ?1";

struct terms_arg {
	const char *code;
	int64_t version_id;
	struct store_proc_terms *out;
};

static void
terms_read(sqlite3_stmt *s, struct store_proc_terms *t)
{
	memset(t, 0, sizeof *t);
	t->version_id = sqlite3_column_int64(s, 0);
	t->version = sqlite3_column_int(s, 1);
	db_col_text(s, 2, t->code, sizeof t->code);
	db_col_text(s, 3, t->name, sizeof t->name);
	t->same_day = sqlite3_column_type(s, 5) == SQLITE_INTEGER && sqlite3_column_int(s, 5) != 0;
	t->days = sqlite3_column_type(s, 4) == SQLITE_INTEGER ? sqlite3_column_int(s, 4) : -1;
	t->has_limit = t->same_day || t->days >= 0;
	db_col_text(s, 6, t->cutoff, sizeof t->cutoff);
	t->fee = sqlite3_column_type(s, 7) == SQLITE_INTEGER ? sqlite3_column_int64(s, 7) : -1;
	db_col_text(s, 8, t->field, sizeof t->field);
}

static enum err
terms_fn(struct conn *c, void *arg)
{
	struct terms_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->code ? SQL_TERMS_CODE : SQL_TERMS_ID);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->code ? q_bind(s, "t", a->code) : q_bind(s, "i", a->version_id);
	if (!e && (e = q_row(s)) == ERR_OK) {
		terms_read(s, a->out);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_proc_terms(struct store *st, const char *code, int64_t version_id, struct store_proc_terms *out)
{
	struct terms_arg a = {code, version_id, out};
	return db_read(st, terms_fn, &a);
}

/* ---- failed guesses ------------------------------------------------------ */

static const char SQL_GUESS_GET[] = "SELECT window_start, fails FROM guess_failures WHERE key = ?";
static const char SQL_GUESS_PUT[] =
    "INSERT INTO guess_failures (key, window_start, fails) VALUES (?1, ?2, 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    " fails = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE fails + 1 END,"
    " window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END";
static const char SQL_GUESS_PRUNE[] =
    "DELETE FROM guess_failures WHERE key IN"
    " (SELECT key FROM guess_failures WHERE window_start < ?1 LIMIT 64)";

struct guess_arg {
	const char *const *keys;
	size_t n;
	int64_t now, window;
	int64_t *fails;
};

static enum err
guess_count_fn(struct conn *c, void *arg)
{
	struct guess_arg *a = arg;
	for (size_t i = 0; i < a->n; i++) {
		sqlite3_stmt *s = db_stmt(c, SQL_GUESS_GET);
		enum err e = s ? q_bind(s, "t", a->keys[i]) : ERR_INTERNAL;
		if (!e)
			e = q_row(s);
		a->fails[i] = 0;
		if (e == ERR_OK) {
			if (sqlite3_column_int64(s, 0) > a->now - a->window)
				a->fails[i] = sqlite3_column_int64(s, 1);
			sqlite3_reset(s);
		} else if (e != ERR_NOT_FOUND) {
			return e;
		}
	}
	return ERR_OK;
}

enum err
store_guess_count(struct store *st, const char *const *keys, size_t n, int64_t now, int64_t window,
                  int64_t *fails)
{
	struct guess_arg a = {keys, n, now, window, fails};
	return db_read(st, guess_count_fn, &a);
}

static enum err
guess_fail_fn(struct conn *c, void *arg)
{
	struct guess_arg *a = arg;
	sqlite3_stmt *s;
	enum err e = ERR_OK;
	for (size_t i = 0; i < a->n && !e; i++) {
		if (!(s = db_stmt(c, SQL_GUESS_PUT)))
			return ERR_INTERNAL;
		if (!(e = q_bind(s, "tii", a->keys[i], a->now, a->window)))
			e = q_exec(s);
	}
	/* forget windows long closed, a few rows at a time */
	if (!e && !(s = db_stmt(c, SQL_GUESS_PRUNE)))
		return ERR_INTERNAL;
	if (!e && !(e = q_bind(s, "i", a->now - 2 * a->window)))
		e = q_exec(s);
	return e ? e : guess_count_fn(c, a);
}

enum err
store_guess_fail(struct store *st, const char *const *keys, size_t n, int64_t now, int64_t window,
                 int64_t *fails)
{
	struct guess_arg a = {keys, n, now, window, fails};
	return db_tx(st, guess_fail_fn, &a);
}
