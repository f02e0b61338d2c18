/*
 * open311_keys.c — the Open311 API keys (store/open311.h).  Only the
 * SHA-256 of a key reaches this file.
 */
#include <stdio.h>
#include <string.h>
#include "store/open311.h"
#include "store/sqlite/db.h"

static const char SQL_ADD[] =
    "INSERT INTO open311_keys (name, key_hash, prefix, created_at, created_by) VALUES (?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_STATE[] = "SELECT name, revoked_at FROM open311_keys WHERE id = ?";
static const char SQL_REVOKE[] = "UPDATE open311_keys SET revoked_at = ?, revoked_by = ? WHERE id = ?";
#define KEY_COLS "id, name, prefix, created_at, created_by, revoked_at, revoked_by, last_used, uses"
static const char SQL_LIST[] = "SELECT " KEY_COLS " FROM open311_keys ORDER BY id DESC";
static const char SQL_USE[] =
    "UPDATE open311_keys SET last_used = ?, uses = uses + 1 WHERE key_hash = ? AND revoked_at IS NULL"
    " RETURNING " KEY_COLS;

static void
key_row(sqlite3_stmt *s, struct store_open311_key *k)
{
	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, k->name, sizeof k->name);
	db_col_text(s, 2, k->prefix, sizeof k->prefix);
	k->created_at = sqlite3_column_int64(s, 3);
	db_col_text(s, 4, k->created_by, sizeof k->created_by);
	k->revoked_at = sqlite3_column_int64(s, 5);
	db_col_text(s, 6, k->revoked_by, sizeof k->revoked_by);
	k->last_used = sqlite3_column_int64(s, 7);
	k->uses = sqlite3_column_int64(s, 8);
}

struct key_arg {
	const char *actor, *name, *prefix;
	const unsigned char *hash;
	int64_t now, id;
	struct store_open311_key *out;
	int (*fn)(const struct store_open311_key *, void *);
	void *fn_arg;
};

/* The audit event of a key: its id and client name, never the key. */
static enum err
key_audit(struct conn *c, const struct key_arg *a, const char *action)
{
	char obj[48];
	snprintf(obj, sizeof obj, "open311_key:%lld", (long long)a->id);
	json_t *d = json_pack("{s:I,s:s}", "id", (json_int_t)a->id, "name", a->name);
	enum err e = d ? db_audit(c, a->actor, action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

static enum err
add_fn(struct conn *c, void *arg)
{
	struct key_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_ADD);
	enum err e = s ? q_bind(s, "tbtit", a->name, a->hash, 32, a->prefix, a->now, a->actor) : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->id, NULL)))
		return e;
	return key_audit(c, a, "open311.key_issue");
}

enum err
store_open311_key_add(struct store *st, const char *actor, const char *name, const unsigned char hash[32],
                      const char *prefix, int64_t now, int64_t *id)
{
	struct key_arg a = {.actor = actor, .name = name, .prefix = prefix, .hash = hash, .now = now};
	enum err e = db_tx(st, add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

static enum err
revoke_fn(struct conn *c, void *arg)
{
	struct key_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_STATE);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	char name[160];
	db_col_text(s, 0, name, sizeof name);
	int revoked = sqlite3_column_type(s, 1) != SQLITE_NULL;
	sqlite3_reset(s);
	if (revoked)
		return ERR_CONFLICT;
	if (!(s = db_stmt(c, SQL_REVOKE)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "iti", a->now, a->actor, a->id)) || (e = q_exec(s)))
		return e;
	a->name = name;
	return key_audit(c, a, "open311.key_revoke");
}

enum err
store_open311_key_revoke(struct store *st, const char *actor, int64_t id, int64_t now)
{
	struct key_arg a = {.actor = actor, .id = id, .now = now};
	return db_tx(st, revoke_fn, &a);
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct key_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_LIST);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_open311_key k;
		key_row(s, &k);
		if (a->fn(&k, a->fn_arg))
			break;
	}
	return q_end(s, e);
}

enum err
store_open311_keys(struct store *st, int (*fn)(const struct store_open311_key *, void *), void *arg)
{
	struct key_arg a = {.fn = fn, .fn_arg = arg};
	return db_read(st, list_fn, &a);
}

static enum err
use_fn(struct conn *c, void *arg)
{
	struct key_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_USE);
	enum err e = s ? q_bind(s, "ib", a->now, a->hash, 32) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	key_row(s, a->out);
	return q_end(s, q_row(s));
}

enum err
store_open311_key_use(struct store *st, const unsigned char hash[32], int64_t now, struct store_open311_key *out)
{
	struct key_arg a = {.hash = hash, .now = now, .out = out};
	return db_tx(st, use_fn, &a);
}
