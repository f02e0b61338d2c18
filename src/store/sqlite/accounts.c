/*
 * accounts.c — the agency record, user accounts and sessions.
 * Every change writes its audit event in the same transaction.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store/sqlite/db.h"

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static void
obj_user(char *out, size_t n, int64_t id)
{
	snprintf(out, n, "user:%" PRId64, id);
}

/* ---- agency -------------------------------------------------------- */

static const char SQL_AGENCY[] = "SELECT name, code, demo, secret FROM agency WHERE id = 1";

static enum err
agency_get_fn(struct conn *c, void *arg)
{
	struct store_agency *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_AGENCY);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_row(s);
	if (e)
		return e;
	db_col_text(s, 0, a->name, sizeof a->name);
	db_col_text(s, 1, a->code, sizeof a->code);
	a->demo = sqlite3_column_int(s, 2);
	if (sqlite3_column_bytes(s, 3) == (int)sizeof a->secret)
		memcpy(a->secret, sqlite3_column_blob(s, 3), sizeof a->secret);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_agency_get(struct store *st, struct store_agency *out)
{
	return db_read(st, agency_get_fn, out);
}

/* ---- init ---------------------------------------------------------- */

struct init_arg {
	const char *name, *code, *admin, *pwhash;
	int demo;
};

static const char SQL_AGENCY_INSERT[] =
    "INSERT INTO agency (id, name, code, demo, secret, created_at) VALUES (1, ?, ?, ?, ?, ?)";
static const char SQL_USER_INSERT[] =
    "INSERT INTO users (username, full_name, role, unit, active, pwhash, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

static enum err
user_insert(struct conn *c, const char *actor, const struct store_user *u, int64_t *id_out)
{
	sqlite3_stmt *s = db_stmt(c, SQL_USER_INSERT);
	if (!s)
		return ERR_INTERNAL;
	int64_t now = now_s();
	enum err e = q_bind(s, "ttttdtii", u->username, u->full_name, u->role, u->unit,
	                    u->active ? 1 : 0, u->pwhash, now, now);
	if (!e)
		e = q_exec(s);
	if (e)
		return e == ERR_CONFLICT ? ERR_EXISTS : e;   /* the username is taken */
	int64_t id = sqlite3_last_insert_rowid(db_handle(c));
	if (id_out)
		*id_out = id;
	char obj[48];
	obj_user(obj, sizeof obj, id);
	json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:b}", "username", u->username, "full_name",
	                      u->full_name, "role", u->role, "unit", u->unit, "active", u->active);
	e = db_audit(c, actor, "user.create", obj, d);
	json_decref(d);
	return e;
}

static enum err
init_fn(struct conn *c, void *arg)
{
	struct init_arg *a = arg;
	struct store_agency tmp;
	if (agency_get_fn(c, &tmp) == ERR_OK)
		return ERR_EXISTS;
	unsigned char secret[32];
	randombytes_buf(secret, sizeof secret);
	sqlite3_stmt *s = db_stmt(c, SQL_AGENCY_INSERT);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "ttdbi", a->name, a->code, a->demo ? 1 : 0, (const void *)secret,
	                    (int)sizeof secret, now_s());
	if (!e)
		e = q_exec(s);
	sodium_memzero(secret, sizeof secret);
	if (e)
		return e;
	json_t *d = json_pack("{s:s,s:s,s:b}", "name", a->name, "code", a->code, "demo", a->demo);
	e = db_audit(c, "system", "agency.init", "agency", d);
	json_decref(d);
	if (e)
		return e;
	struct store_user u = {0};
	snprintf(u.username, sizeof u.username, "%s", a->admin);
	snprintf(u.full_name, sizeof u.full_name, "Quản trị viên");
	snprintf(u.role, sizeof u.role, "admin");
	u.active = 1;
	snprintf(u.pwhash, sizeof u.pwhash, "%s", a->pwhash);
	return user_insert(c, "system", &u, NULL);
}

enum err
store_init(struct store *st, const char *agency_name, const char *agency_code, int demo,
           const char *admin_username, const char *admin_pwhash)
{
	struct init_arg a = {agency_name, agency_code, admin_username, admin_pwhash, demo};
	return db_tx(st, init_fn, &a);
}

/* ---- users --------------------------------------------------------- */

struct create_arg {
	const char *actor;
	const struct store_user *u;
	int64_t *id;
};

static enum err
create_fn(struct conn *c, void *arg)
{
	struct create_arg *a = arg;
	return user_insert(c, a->actor, a->u, a->id);
}

enum err
store_user_create(struct store *st, const char *actor, const struct store_user *u,
                  int64_t *id_out)
{
	struct create_arg a = {actor, u, id_out};
	return db_tx(st, create_fn, &a);
}

#define USER_COLS "id, username, full_name, role, unit, active, created_at, pwhash"
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS " FROM users WHERE username = ?";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
static const char SQL_USER_ALL[] = "SELECT " USER_COLS " FROM users ORDER BY username";

static void
user_row(sqlite3_stmt *s, struct store_user *u)
{
	u->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, u->username, sizeof u->username);
	db_col_text(s, 2, u->full_name, sizeof u->full_name);
	db_col_text(s, 3, u->role, sizeof u->role);
	db_col_text(s, 4, u->unit, sizeof u->unit);
	u->active = sqlite3_column_int(s, 5);
	u->created_at = sqlite3_column_int64(s, 6);
	db_col_text(s, 7, u->pwhash, sizeof u->pwhash);
}

struct get_arg {
	const char *name;
	int64_t id;
	struct store_user *out;
};

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->name ? SQL_USER_BY_NAME : SQL_USER_BY_ID);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->name ? q_bind(s, "t", a->name) : q_bind(s, "i", a->id);
	if (!e && (e = q_row(s)) == ERR_OK) {
		user_row(s, a->out);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_user_by_name(struct store *st, const char *username, struct store_user *out)
{
	struct get_arg a = {username, 0, out};
	return db_read(st, get_fn, &a);
}

enum err
store_user_by_id(struct store *st, int64_t id, struct store_user *out)
{
	struct get_arg a = {NULL, id, out};
	return db_read(st, get_fn, &a);
}

struct each_arg {
	int (*fn)(const struct store_user *, void *);
	void *arg;
};

static enum err
each_fn(struct conn *c, void *arg)
{
	struct each_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_USER_ALL);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_user u;
		user_row(s, &u);
		if (a->fn(&u, a->arg) != 0)
			break;
	}
	return q_end(s, e);
}

enum err
store_user_each(struct store *st, int (*fn)(const struct store_user *, void *), void *arg)
{
	struct each_arg a = {fn, arg};
	return db_read(st, each_fn, &a);
}

/* One account change: which column and the audit action. */
struct change_arg {
	const char *actor;
	int64_t id;
	int kind; /* 0 profile, 1 active, 2 password */
	const char *full_name, *role, *unit, *pwhash;
	int active;
};

static const char SQL_USER_UPDATE[] =
    "UPDATE users SET full_name = ?, role = ?, unit = ?, updated_at = ? WHERE id = ?";
static const char SQL_USER_ACTIVE[] = "UPDATE users SET active = ?, updated_at = ? WHERE id = ?";
static const char SQL_USER_PW[] = "UPDATE users SET pwhash = ?, updated_at = ? WHERE id = ?";
static const char SQL_SESSIONS_OF[] = "DELETE FROM sessions WHERE user_id = ?";

/* Writes a change's row (and, when the account is disabled or its
 * password changed, ends its sessions).  ERR_NOT_FOUND: no such user. */
static enum err
change_row(struct conn *c, const struct change_arg *a)
{
	sqlite3_stmt *s;
	enum err e;
	int64_t now = now_s();
	if (a->kind == 0) {
		s = db_stmt(c, SQL_USER_UPDATE);
		e = s ? q_bind(s, "tttii", a->full_name, a->role, a->unit, now, a->id) : ERR_INTERNAL;
	} else if (a->kind == 1) {
		s = db_stmt(c, SQL_USER_ACTIVE);
		e = s ? q_bind(s, "dii", a->active ? 1 : 0, now, a->id) : ERR_INTERNAL;
	} else {
		s = db_stmt(c, SQL_USER_PW);
		e = s ? q_bind(s, "tii", a->pwhash, now, a->id) : ERR_INTERNAL;
	}
	if (!e)
		e = q_exec(s);
	if (!e && sqlite3_changes(db_handle(c)) == 0)
		e = ERR_NOT_FOUND;
	if (e || !((a->kind == 1 && !a->active) || a->kind == 2))
		return e;
	s = db_stmt(c, SQL_SESSIONS_OF);
	e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

static enum err
change_fn(struct conn *c, void *arg)
{
	struct change_arg *a = arg;
	enum err e = change_row(c, a);
	if (e)
		return e;
	json_t *d;
	const char *action;
	if (a->kind == 0) {
		d = json_pack("{s:s,s:s,s:s}", "full_name", a->full_name, "role", a->role, "unit", a->unit);
		action = "user.update";
	} else if (a->kind == 1) {
		d = json_pack("{s:b}", "active", a->active);
		action = a->active ? "user.enable" : "user.disable";
	} else {
		d = json_object();
		action = "user.password";
	}
	char obj[48];
	obj_user(obj, sizeof obj, a->id);
	e = db_audit(c, a->actor, action, obj, d);
	json_decref(d);
	return e;
}

enum err
store_user_update(struct store *st, const char *actor, int64_t id, const char *full_name,
                  const char *role, const char *unit)
{
	struct change_arg a = {actor, id, 0, full_name, role, unit, NULL, 0};
	return db_tx(st, change_fn, &a);
}

enum err
store_user_set_active(struct store *st, const char *actor, int64_t id, int active)
{
	struct change_arg a = {actor, id, 1, NULL, NULL, NULL, NULL, active};
	return db_tx(st, change_fn, &a);
}

enum err
store_user_set_password(struct store *st, const char *actor, int64_t id, const char *pwhash)
{
	struct change_arg a = {actor, id, 2, NULL, NULL, NULL, pwhash, 0};
	return db_tx(st, change_fn, &a);
}

/* ---- sessions ------------------------------------------------------ */

struct sess_arg {
	const unsigned char *hash;
	const struct store_session *in;
	struct store_session *out;
	struct store_user *user;
	const char *client, *actor, *channel;
	int64_t now, idle;
};

static const char SQL_SESS_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, idle_expires_at,"
    " expires_at, client) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SESS_PURGE[] = "DELETE FROM sessions WHERE expires_at < ? OR idle_expires_at < ?";
static const char SQL_SESS_GET[] =
    "SELECT s.user_id, s.created_at, s.last_seen_at, s.idle_expires_at, s.expires_at,"
    " u.id, u.username, u.full_name, u.role, u.unit, u.active, u.created_at, ''"
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?";
static const char SQL_SESS_TOUCH[] =
    "UPDATE sessions SET last_seen_at = ?, idle_expires_at = ? WHERE token_hash = ?";
static const char SQL_SESS_DELETE[] = "DELETE FROM sessions WHERE token_hash = ? RETURNING user_id";

static enum err
sess_create_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_PURGE);
	if (!s)
		return ERR_INTERNAL;
	const struct store_session *in = a->in;
	enum err e = q_bind(s, "ii", in->created_at, in->created_at);
	if (e || (e = q_exec(s)))
		return e;
	if (!(s = db_stmt(c, SQL_SESS_INSERT)))
		return ERR_INTERNAL;
	e = q_bind(s, "biiiiis", (const void *)a->hash, 32, in->user_id, in->created_at,
	           in->last_seen_at, in->idle_expires_at, in->expires_at, a->client);
	if (e || (e = q_exec(s)))
		return e;
	char obj[48];
	obj_user(obj, sizeof obj, a->in->user_id);
	json_t *d = json_pack("{s:s,s:s}", "client", a->client ? a->client : "", "channel",
	                      a->channel);
	e = db_audit(c, a->actor, "session.login", obj, d);
	json_decref(d);
	return e;
}

enum err
store_session_create(struct store *st, const unsigned char hash[32],
                     const struct store_session *sess, const char *client,
                     const char *actor, const char *channel)
{
	struct sess_arg a = {.hash = hash, .in = sess, .client = client, .actor = actor,
	                     .channel = channel};
	return db_tx(st, sess_create_fn, &a);
}

static enum err
sess_get_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_GET);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "b", (const void *)a->hash, 32);
	if (!e)
		e = q_row(s);
	if (e)
		return e == ERR_NOT_FOUND ? ERR_UNAUTHENTICATED : e;
	struct store_session *o = a->out;
	o->user_id = sqlite3_column_int64(s, 0);
	o->created_at = sqlite3_column_int64(s, 1);
	o->last_seen_at = sqlite3_column_int64(s, 2);
	o->idle_expires_at = sqlite3_column_int64(s, 3);
	o->expires_at = sqlite3_column_int64(s, 4);
	struct store_user *u = a->user;
	u->id = sqlite3_column_int64(s, 5);
	db_col_text(s, 6, u->username, sizeof u->username);
	db_col_text(s, 7, u->full_name, sizeof u->full_name);
	db_col_text(s, 8, u->role, sizeof u->role);
	db_col_text(s, 9, u->unit, sizeof u->unit);
	u->active = sqlite3_column_int(s, 10);
	u->created_at = sqlite3_column_int64(s, 11);
	u->pwhash[0] = '\0';
	sqlite3_reset(s);
	if (!u->active || a->now >= o->expires_at || a->now >= o->idle_expires_at)
		return ERR_UNAUTHENTICATED;
	return ERR_OK;
}

static enum err
sess_touch_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_TOUCH);
	if (!s)
		return ERR_INTERNAL;
	int64_t idle_exp = a->now + a->idle;
	if (idle_exp > a->out->expires_at)
		idle_exp = a->out->expires_at;
	enum err e = q_bind(s, "iib", a->now, idle_exp, (const void *)a->hash, 32);
	if (!e)
		e = q_exec(s);
	a->out->idle_expires_at = idle_exp;
	return e;
}

enum err
store_session_get(struct store *st, const unsigned char hash[32], int64_t now, int64_t idle,
                  struct store_session *sess, struct store_user *u)
{
	struct sess_arg a = {.hash = hash, .out = sess, .user = u, .now = now, .idle = idle};
	enum err e = db_read(st, sess_get_fn, &a);
	if (e)
		return e;
	if (now - sess->last_seen_at >= 60)
		(void)db_tx(st, sess_touch_fn, &a); /* best effort: a busy DB must not log people out */
	return ERR_OK;
}

static enum err
sess_delete_fn(struct conn *c, void *arg)
{
	struct sess_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SESS_DELETE);
	if (!s)
		return ERR_INTERNAL;
	int64_t uid = 0;
	enum err e = q_bind(s, "b", (const void *)a->hash, 32);
	if (e || (e = q_int(s, &uid, NULL)))
		return e;
	if (!uid)
		return ERR_OK;
	char obj[48];
	obj_user(obj, sizeof obj, uid);
	return db_audit(c, a->actor, "session.logout", obj, NULL);
}

enum err
store_session_delete(struct store *st, const unsigned char hash[32], const char *actor)
{
	struct sess_arg a = {.hash = hash, .actor = actor};
	return db_tx(st, sess_delete_fn, &a);
}

