/*
 * citizens.c — citizen accounts (issue #13): one-time codes kept as keyed
 * hashes, the account created by the first right code, citizen sessions,
 * who owns a dossier submitted online, and withdrawal requests.  The
 * codes and tokens themselves never reach this file: only their hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/sqlite/db.h"

/* ---- one-time codes ------------------------------------------------------ */

static const char SQL_CODE_PUT[] =
    "INSERT INTO citizen_codes (contact, hash, expires_at, attempts) VALUES (?1, ?2, ?3, 0)"
    " ON CONFLICT (contact) DO UPDATE SET hash = ?2, expires_at = ?3, attempts = 0";
static const char SQL_CODE_GET[] =
    "SELECT hash, expires_at, attempts FROM citizen_codes WHERE contact = ?";
static const char SQL_CODE_DEL[] = "DELETE FROM citizen_codes WHERE contact = ?";
static const char SQL_CODE_TRY[] = "UPDATE citizen_codes SET attempts = attempts + 1 WHERE contact = ?";
static const char SQL_CIT_GET[] = "SELECT id, contact, channel, created_at FROM citizens WHERE contact = ?";
static const char SQL_CIT_ADD[] =
    "INSERT INTO citizens (contact, channel, created_at) VALUES (?, ?, ?) RETURNING id";

struct code_arg {
	const char *contact, *channel;
	const unsigned char *hash;
	int64_t now, expires_at;
	int max_attempts;
	struct store_citizen *out;
	int wrong;        /* a wrong try was counted (committed, then ERR_CODE_WRONG) */
};

static enum err
code_put_fn(struct conn *c, void *arg)
{
	struct code_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_CODE_PUT);
	enum err e = s ? q_bind(s, "tbi", a->contact, a->hash, 32, a->expires_at) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

enum err
store_citizen_code_put(struct store *st, const char *contact, const unsigned char hash[32], int64_t expires_at)
{
	struct code_arg a = {.contact = contact, .hash = hash, .expires_at = expires_at};
	return db_tx(st, code_put_fn, &a);
}

static void
citizen_row(sqlite3_stmt *s, struct store_citizen *out)
{
	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, out->contact, sizeof out->contact);
	db_col_text(s, 2, out->channel, sizeof out->channel);
	out->created_at = sqlite3_column_int64(s, 3);
}

/* The account of a proven contact, created the first time. */
static enum err
citizen_of(struct conn *c, struct code_arg *a)
{
	sqlite3_stmt *s = db_stmt(c, SQL_CIT_GET);
	enum err e = s ? q_bind(s, "t", a->contact) : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK) {
		citizen_row(s, a->out);
		sqlite3_reset(s);
		return ERR_OK;
	}
	if (e != ERR_NOT_FOUND)
		return e;
	int64_t id = 0;
	if (!(s = db_stmt(c, SQL_CIT_ADD)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "tti", a->contact, a->channel, a->now)) || (e = q_int(s, &id, NULL)))
		return e;
	memset(a->out, 0, sizeof *a->out);
	a->out->id = id;
	snprintf(a->out->contact, sizeof a->out->contact, "%s", a->contact);
	snprintf(a->out->channel, sizeof a->out->channel, "%s", a->channel);
	a->out->created_at = a->now;
	char obj[48];
	snprintf(obj, sizeof obj, "citizen:%lld", (long long)id);
	/* the contact is the account's name: the trail says who signed up */
	json_t *d = json_pack("{s:s,s:s}", "contact", a->contact, "channel", a->channel);
	e = d ? db_audit(c, obj, "citizen.create", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

static enum err
code_check_fn(struct conn *c, void *arg)
{
	struct code_arg *a = arg;
	a->wrong = 0;
	sqlite3_stmt *s = db_stmt(c, SQL_CODE_GET);
	enum err e = s ? q_bind(s, "t", a->contact) : ERR_INTERNAL;
	if (e || (e = q_row(s)) != ERR_OK)
		return e;
	unsigned char hash[32];
	int ok = sqlite3_column_bytes(s, 0) == 32;
	if (ok)
		memcpy(hash, sqlite3_column_blob(s, 0), 32);
	int64_t expires = sqlite3_column_int64(s, 1), tries = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	int live = ok && expires > a->now && tries < a->max_attempts;
	/* constant-time enough for 32 bytes of a keyed hash: compare all */
	unsigned diff = 0;
	for (int i = 0; i < 32; i++)
		diff |= (unsigned)(hash[i] ^ a->hash[i]);
	if (live && diff == 0) {
		if (!(s = db_stmt(c, SQL_CODE_DEL)))
			return ERR_INTERNAL;
		if ((e = q_bind(s, "t", a->contact)) || (e = q_exec(s)))
			return e;
		return citizen_of(c, a);
	}
	if (!live || tries + 1 >= a->max_attempts)
		s = db_stmt(c, SQL_CODE_DEL);  /* dead, or this was its last try */
	else
		s = db_stmt(c, SQL_CODE_TRY);
	if (!s)
		return ERR_INTERNAL;
	if ((e = q_bind(s, "t", a->contact)) || (e = q_exec(s)))
		return e;
	a->wrong = 1;
	return ERR_OK;
}

enum err
store_citizen_code_check(struct store *st, const char *contact, const char *channel,
                         const unsigned char hash[32], int64_t now, int max_attempts,
                         struct store_citizen *out)
{
	struct code_arg a = {.contact = contact, .channel = channel, .hash = hash, .now = now,
	                     .max_attempts = max_attempts, .out = out};
	enum err e = db_tx(st, code_check_fn, &a);
	if (e == ERR_NOT_FOUND || (!e && a.wrong))
		return ERR_CODE_WRONG;
	return e;
}

/* ---- sessions ------------------------------------------------------------ */

static const char SQL_SESS_PUT[] =
    "INSERT INTO citizen_sessions (token_hash, citizen_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
static const char SQL_SESS_GET[] =
    "SELECT c.id, c.contact, c.channel, c.created_at FROM citizen_sessions s"
    " JOIN citizens c ON c.id = s.citizen_id WHERE s.token_hash = ? AND s.expires_at > ?";
static const char SQL_SESS_DEL[] = "DELETE FROM citizen_sessions WHERE token_hash = ?";
static const char SQL_SESS_PRUNE[] =
    "DELETE FROM citizen_sessions WHERE token_hash IN"
    " (SELECT token_hash FROM citizen_sessions WHERE expires_at < ? LIMIT 64)";

struct sess_arg {
	const unsigned char *hash;
	int64_t citizen_id, now, expires_at;
	struct store_citizen *out;
};

static enum err
sess_put_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_PUT);
	enum err e = s ? q_bind(s, "biii", a->hash, 32, a->citizen_id, a->now, a->expires_at) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	if (!(s = db_stmt(c, SQL_SESS_PRUNE)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "i", a->now)) || (e = q_exec(s)))
		return e;
	char obj[48];
	snprintf(obj, sizeof obj, "citizen:%lld", (long long)a->citizen_id);
	return db_audit(c, obj, "citizen.sign_in", obj, NULL);
}

enum err
store_citizen_session_put(struct store *st, const unsigned char hash[32], int64_t citizen_id, int64_t now,
                          int64_t expires_at)
{
	struct sess_arg a = {.hash = hash, .citizen_id = citizen_id, .now = now, .expires_at = expires_at};
	return db_tx(st, sess_put_fn, &a);
}

static enum err
sess_get_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_GET);
	enum err e = s ? q_bind(s, "bi", a->hash, 32, a->now) : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK) {
		citizen_row(s, a->out);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_citizen_session_get(struct store *st, const unsigned char hash[32], int64_t now,
                          struct store_citizen *out)
{
	struct sess_arg a = {.hash = hash, .now = now, .out = out};
	return db_read(st, sess_get_fn, &a);
}

static enum err
sess_del_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_DEL);
	enum err e = s ? q_bind(s, "b", a->hash, 32) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

enum err
store_citizen_session_delete(struct store *st, const unsigned char hash[32])
{
	struct sess_arg a = {.hash = hash};
	return db_tx(st, sess_del_fn, &a);
}

/* ---- ownership ----------------------------------------------------------- */

static const char SQL_OWNER[] =
    "SELECT o.citizen_id FROM dossier_owners o JOIN dossiers d ON d.id = o.dossier_id WHERE d.code = ?";
static const char SQL_OWNED[] =
    "SELECT d.code FROM dossier_owners o JOIN dossiers d ON d.id = o.dossier_id"
    " WHERE o.citizen_id = ? ORDER BY o.dossier_id DESC LIMIT 500";   /* the index's order: no sort */

struct owner_arg {
	const char *code;
	int64_t citizen_id;
	int (*fn)(const struct store_dossier *, void *);
	void *arg;
};

static enum err
owner_fn(struct conn *c, void *arg)
{
	struct owner_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_OWNER);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e)
		return e;
	int found = 0;
	e = q_int(s, &a->citizen_id, &found);
	if (!e && !found)
		a->citizen_id = 0;
	return e;
}

enum err
store_dossier_owner(struct store *st, const char *code, int64_t *citizen_id)
{
	struct owner_arg a = {.code = code};
	enum err e = db_read(st, owner_fn, &a);
	*citizen_id = e ? 0 : a.citizen_id;
	return e;
}

static enum err
owned_fn(struct conn *c, void *arg)
{
	struct owner_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_OWNED);
	enum err e = s ? q_bind(s, "i", a->citizen_id) : ERR_INTERNAL;
	/* the codes first: each dossier is then read by the one reader */
	char (*codes)[64] = NULL;
	size_t n = 0, cap = 0;
	while (!e && (e = q_row(s)) == ERR_OK) {
		if (n == cap) {
			void *p = realloc(codes, (cap = cap ? 2 * cap : 16) * sizeof *codes);
			if (!p) {
				sqlite3_reset(s);
				free(codes);
				return ERR_NOMEM;
			}
			codes = p;
		}
		db_col_text(s, 0, codes[n], sizeof codes[n]);
		n++;
	}
	e = q_end(s, e);
	for (size_t i = 0; i < n && !e; i++) {
		struct store_dossier d;
		if ((e = store_dossier_get(db_store(c), codes[i], &d)) != ERR_OK)
			break;
		int stop = a->fn(&d, a->arg);
		store_dossier_free(&d);
		if (stop)
			break;
	}
	free(codes);
	return e;
}

enum err
store_citizen_dossiers(struct store *st, int64_t citizen_id, int (*fn)(const struct store_dossier *, void *),
                       void *arg)
{
	struct owner_arg a = {.citizen_id = citizen_id, .fn = fn, .arg = arg};
	return db_read(st, owned_fn, &a);
}

/* ---- withdrawal requests ------------------------------------------------- */

static const char SQL_WD_PUT[] =
    "INSERT INTO withdraw_requests (dossier_id, citizen_id, reason, at)"
    " SELECT id, ?, ?, ? FROM dossiers WHERE code = ? ON CONFLICT (dossier_id) DO NOTHING RETURNING dossier_id";
static const char SQL_WD_GET[] =
    "SELECT w.reason, w.at FROM withdraw_requests w JOIN dossiers d ON d.id = w.dossier_id WHERE d.code = ?";

struct wd_arg {
	const char *actor, *code, *reason;
	int64_t citizen_id, at;
	char *out;
	size_t n;
};

static enum err
wd_put_fn(struct conn *c, void *arg)
{
	struct wd_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_WD_PUT);
	int64_t id = 0;
	int found = 0;
	enum err e = s ? q_bind(s, "itit", a->citizen_id, a->reason, a->at, a->code) : ERR_INTERNAL;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found)
		return ERR_EXISTS;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s}", "reason", a->reason);
	e = d ? db_audit(c, a->actor, "dossier.withdraw_request", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_withdraw_request_put(struct store *st, const char *actor, const char *code, int64_t citizen_id,
                           const char *reason, int64_t at)
{
	struct wd_arg a = {.actor = actor, .code = code, .reason = reason, .citizen_id = citizen_id, .at = at};
	return db_tx(st, wd_put_fn, &a);
}

static enum err
wd_get_fn(struct conn *c, void *arg)
{
	struct wd_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_WD_GET);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK) {
		db_col_text(s, 0, a->out, a->n);
		a->at = sqlite3_column_int64(s, 1);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_withdraw_request_get(struct store *st, const char *code, char *reason, size_t n, int64_t *at)
{
	struct wd_arg a = {.code = code, .out = reason, .n = n};
	enum err e = db_read(st, wd_get_fn, &a);
	if (!e && at)
		*at = a.at;
	return e;
}
