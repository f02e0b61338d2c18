/*
 * outbox.c — the notifications' store (store/outbox.h): outbox rows
 * written inside the change's transaction, the worker's claim and result,
 * the delivery log, and the message templates.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/message.h"
#include "store/outbox.h"
#include "store/sqlite/db.h"

static const char SQL_TEMPLATE[] =
    "SELECT key, channel, subject, body, updated_at, updated_by FROM message_templates"
    " WHERE key = ? AND channel = ?";
static const char SQL_TEMPLATES[] =
    "SELECT key, channel, subject, body, updated_at, updated_by FROM message_templates"
    " ORDER BY key, channel";
static const char SQL_TEMPLATE_SET[] =
    "UPDATE message_templates SET subject = ?, body = ?, updated_at = ?, updated_by = ?"
    " WHERE key = ? AND channel = ? RETURNING 1";
static const char SQL_INSERT[] =
    "INSERT INTO outbox (dossier_id, channel, recipient, template, subject, body, secret,"
    " created_at, next_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";
#define ROW_COLS \
    "o.id, coalesce(o.dossier_id, 0), o.created_at, o.next_at, coalesce(o.sent_at, 0), o.attempts," \
    " o.secret, o.channel, o.state, o.template, o.recipient, o.idempotency_key," \
    " coalesce(d.code, ''), o.subject, o.body, o.last_error"
static const char SQL_DUE[] =
    "SELECT " ROW_COLS " FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id"
    " WHERE o.state = 'queued' AND o.next_at <= ? ORDER BY o.next_at, o.id LIMIT 1";
static const char SQL_CLAIM[] =
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'queued'";
static const char SQL_RECOVER[] =
    "UPDATE outbox SET state = 'queued', next_at = min(next_at, ?) WHERE state = 'sending'";
static const char SQL_FINISH[] =
    "UPDATE outbox SET state = ?, next_at = ?, last_error = ?,"
    " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,"
    " body = CASE WHEN ? = 'sent' AND secret = 1 THEN '' ELSE body END"
    " WHERE id = ? AND state = 'sending'";
static const char SQL_NEXT[] = "SELECT min(next_at) FROM outbox WHERE state = 'queued'";
static const char SQL_LIST_ALL[] =
    "SELECT " ROW_COLS " FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id"
    " ORDER BY o.id DESC LIMIT ?";
static const char SQL_LIST_STATE[] =
    "SELECT " ROW_COLS " FROM outbox o LEFT JOIN dossiers d ON d.id = o.dossier_id"
    " WHERE o.state = ? ORDER BY o.id DESC LIMIT ?";
static const char SQL_OF_DOSSIER[] =
    "SELECT " ROW_COLS " FROM outbox o JOIN dossiers d ON d.id = o.dossier_id"
    " WHERE d.code = ? AND o.secret = 0 ORDER BY o.id";
static const char SQL_COUNT_ALL[] = "SELECT count(*) FROM outbox";
static const char SQL_COUNT_STATE[] = "SELECT count(*) FROM outbox WHERE state = ?";

/* ---- templates -------------------------------------------------------- */

void
store_msg_template_free(struct store_msg_template *t)
{
	free(t->body);
	t->body = NULL;
}

static enum err
template_read(sqlite3_stmt *s, struct store_msg_template *t)
{
	memset(t, 0, sizeof *t);
	db_col_text(s, 0, t->key, sizeof t->key);
	db_col_text(s, 1, t->channel, sizeof t->channel);
	db_col_text(s, 2, t->subject, sizeof t->subject);
	t->body = db_col_dup(s, 3);
	t->updated_at = sqlite3_column_int64(s, 4);
	db_col_text(s, 5, t->updated_by, sizeof t->updated_by);
	return t->body ? ERR_OK : ERR_NOMEM;
}

struct tmpl_arg {
	const char *key, *channel;
	struct store_msg_template *out;
	int (*fn)(const struct store_msg_template *, void *);
	void *arg;
};

static enum err
template_get_fn(struct conn *c, void *arg)
{
	struct tmpl_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TEMPLATE);
	enum err e = s ? q_bind(s, "tt", a->key, a->channel) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	e = template_read(s, a->out);
	q_end(s, ERR_OK);
	return e;
}

enum err
store_msg_template_get(struct store *st, const char *key, const char *channel,
                       struct store_msg_template *out)
{
	memset(out, 0, sizeof *out);
	struct tmpl_arg a = {.key = key, .channel = channel, .out = out};
	return db_read(st, template_get_fn, &a);
}

static enum err
template_each_fn(struct conn *c, void *arg)
{
	struct tmpl_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TEMPLATES);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_msg_template t;
		if ((e = template_read(s, &t)) != ERR_OK) {
			store_msg_template_free(&t);
			break;
		}
		int stop = a->fn(&t, a->arg);
		store_msg_template_free(&t);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_msg_template_each(struct store *st, int (*fn)(const struct store_msg_template *, void *),
                        void *arg)
{
	struct tmpl_arg a = {.fn = fn, .arg = arg};
	return db_read(st, template_each_fn, &a);
}

struct set_arg {
	const char *actor, *key, *channel, *subject, *body;
	int64_t now;
};

static enum err
template_set_fn(struct conn *c, void *arg)
{
	struct set_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TEMPLATE_SET);
	int64_t one = 0;
	int found = 0;
	enum err e = s ? q_bind(s, "ssittt", a->subject, a->body, a->now, a->actor, a->key, a->channel)
	               : ERR_INTERNAL;
	if (e || (e = q_int(s, &one, &found)))
		return e;
	if (!found)
		return ERR_NOT_FOUND;
	char obj[64];
	snprintf(obj, sizeof obj, "template:%s:%s", a->key, a->channel);
	json_t *d = json_pack("{s:s,s:s}", "subject", a->subject, "body", a->body);
	e = d ? db_audit(c, a->actor, "notify.template", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_msg_template_set(struct store *st, const char *actor, const char *key, const char *channel,
                       const char *subject, const char *body, int64_t now)
{
	struct set_arg a = {actor, key, channel, subject, body, now};
	return db_tx(st, template_set_fn, &a);
}

/* ---- writing messages --------------------------------------------------- */

/* Renders m from its template (read in this transaction) with code added
 * as "code" when it is a dossier's; subject and body into the buffers. */
static enum err
render(struct conn *c, const struct store_outbox_msg *m, const char *code, struct buf *subject,
       struct buf *body)
{
	struct store_msg_template t;
	struct tmpl_arg a = {.key = m->tmpl, .channel = m->channel, .out = &t};
	enum err e = template_get_fn(c, &a);
	if (e)
		return e;
	const char *vars[64];
	size_t n = 0;
	if (code) {
		vars[n++] = "code";
		vars[n++] = code;
	}
	for (size_t i = 0; m->vars && m->vars[i] && m->vars[i + 1] && n + 2 < 64; i += 2) {
		vars[n++] = m->vars[i];
		vars[n++] = m->vars[i + 1];
	}
	vars[n] = NULL;
	msg_render(subject, t.subject, vars);
	msg_render(body, t.body, vars);
	store_msg_template_free(&t);
	return subject->oom || body->oom ? ERR_NOMEM : ERR_OK;
}

/* Writes one message; *id 0 when its key was already written. */
static enum err
insert_one(struct conn *c, int64_t dossier_id, const char *code, int64_t version,
           const struct store_outbox_msg *m, int64_t now, int64_t *id)
{
	char key[OUTBOX_KEY_MAX + 1];
	if (m->key)
		snprintf(key, sizeof key, "%s", m->key);
	else if (snprintf(key, sizeof key, "dossier:%s:%lld:%s:%s", code, (long long)version, m->tmpl,
	                  m->channel) >= (int)sizeof key)
		return ERR_INTERNAL;
	struct buf subject = BUF_INIT, body = BUF_INIT;
	enum err e = render(c, m, dossier_id ? code : NULL, &subject, &body);
	sqlite3_stmt *s = e ? NULL : db_stmt(c, SQL_INSERT);
	if (!e && !s)
		e = ERR_INTERNAL;
	if (!e)
		e = q_bind(s, "Ittttsdiit", dossier_id, m->channel, m->recipient, m->tmpl,
		           buf_str(&subject), buf_str(&body), m->secret != 0, now, now, key);
	if (!e)
		e = q_int(s, id, NULL);
	buf_free(&subject);
	buf_free(&body);
	return e;
}

enum err
db_outbox_insert(struct conn *c, int64_t dossier_id, const char *code, int64_t version,
                 const struct store_outbox_msg *msgs, size_t n, int64_t now)
{
	for (size_t i = 0; i < n; i++) {
		int64_t id = 0;
		enum err e = insert_one(c, dossier_id, code, version, &msgs[i], now, &id);
		if (e)
			return e;
	}
	return ERR_OK;
}

struct put_arg {
	const struct store_outbox_msg *m;
	int64_t now, id;
};

static enum err
put_fn(struct conn *c, void *arg)
{
	struct put_arg *a = arg;
	enum err e = insert_one(c, 0, NULL, 0, a->m, a->now, &a->id);
	return e ? e : a->id ? ERR_OK : ERR_EXISTS;
}

enum err
store_outbox_put(struct store *st, const struct store_outbox_msg *m, int64_t now, int64_t *id)
{
	if (!m->key || !*m->key || strlen(m->key) > OUTBOX_KEY_MAX)
		return ERR_INVALID_FIELD;
	struct put_arg a = {m, now, 0};
	enum err e = db_tx(st, put_fn, &a);
	if (id)
		*id = e ? 0 : a.id;
	return e;
}

/* ---- the worker --------------------------------------------------------- */

void
store_outbox_row_free(struct store_outbox_row *r)
{
	free(r->subject);
	free(r->body);
	r->subject = r->body = NULL;
}

static enum err
row_read(sqlite3_stmt *s, struct store_outbox_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->dossier_id = sqlite3_column_int64(s, 1);
	r->created_at = sqlite3_column_int64(s, 2);
	r->next_at = sqlite3_column_int64(s, 3);
	r->sent_at = sqlite3_column_int64(s, 4);
	r->attempts = sqlite3_column_int(s, 5);
	r->secret = sqlite3_column_int(s, 6);
	db_col_text(s, 7, r->channel, sizeof r->channel);
	db_col_text(s, 8, r->state, sizeof r->state);
	db_col_text(s, 9, r->tmpl, sizeof r->tmpl);
	db_col_text(s, 10, r->recipient, sizeof r->recipient);
	db_col_text(s, 11, r->key, sizeof r->key);
	db_col_text(s, 12, r->dossier_code, sizeof r->dossier_code);
	r->subject = db_col_dup(s, 13);
	r->body = db_col_dup(s, 14);
	db_col_text(s, 15, r->last_error, sizeof r->last_error);
	return r->subject && r->body ? ERR_OK : ERR_NOMEM;
}

struct claim_arg {
	int64_t now;
	struct store_outbox_row *r;
};

static enum err
claim_fn(struct conn *c, void *arg)
{
	struct claim_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_DUE);
	enum err e = s ? q_bind(s, "i", a->now) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	e = row_read(s, a->r);
	q_end(s, ERR_OK);
	if (e)
		return e;
	if (!(s = db_stmt(c, SQL_CLAIM)))
		return ERR_INTERNAL;
	if ((e = q_bind(s, "i", a->r->id)) || (e = q_exec(s)))
		return e;
	a->r->attempts++;
	snprintf(a->r->state, sizeof a->r->state, "sending");
	return ERR_OK;
}

enum err
store_outbox_claim(struct store *st, int64_t now, struct store_outbox_row *r)
{
	memset(r, 0, sizeof *r);
	struct claim_arg a = {now, r};
	/* grouped: the worker's claim shares the commit of the intakes
	 * that queued the messages, instead of holding the write lock
	 * through a flush of its own */
	enum err e = db_tx_group(st, claim_fn, &a);
	if (e)
		store_outbox_row_free(r);
	return e;
}

struct finish_arg {
	int64_t id, now, next_at;
	const char *state, *error;
};

static enum err
finish_fn(struct conn *c, void *arg)
{
	struct finish_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_FINISH);
	enum err e = s ? q_bind(s, "tistiti", a->state, a->next_at, a->error, a->state, a->now, a->state,
	                        a->id)
	               : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

enum err
store_outbox_finish(struct store *st, int64_t id, const char *state, int64_t now, int64_t next_at,
                    const char *error)
{
	struct finish_arg a = {id, now, next_at, state, error ? error : ""};
	return db_tx_group(st, finish_fn, &a);
}

struct num_arg {
	int64_t now, *out;
	const char *sql;
};

static enum err
recover_fn(struct conn *c, void *arg)
{
	struct num_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_RECOVER);
	enum err e = s ? q_bind(s, "i", a->now) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	*a->out = sqlite3_changes(db_handle(c));
	return ERR_OK;
}

enum err
store_outbox_recover(struct store *st, int64_t now, int64_t *n)
{
	int64_t dummy;
	struct num_arg a = {now, n ? n : &dummy, NULL};
	return db_tx(st, recover_fn, &a);
}

static enum err
next_fn(struct conn *c, void *arg)
{
	struct num_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_NEXT);
	return s ? q_int(s, a->out, NULL) : ERR_INTERNAL;
}

enum err
store_outbox_next(struct store *st, int64_t *at)
{
	*at = 0;
	struct num_arg a = {0, at, NULL};
	return db_read(st, next_fn, &a);
}

struct list_arg {
	const char *state;
	int limit;
	int (*fn)(const struct store_outbox_row *, void *);
	void *arg;
	int64_t *total;
};

/* Hands each row of a bound statement to fn until it returns non-zero. */
static enum err
rows_each(sqlite3_stmt *s, int (*fn)(const struct store_outbox_row *, void *), void *arg)
{
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		struct store_outbox_row r;
		e = row_read(s, &r);
		int stop = e ? 1 : fn(&r, arg);
		store_outbox_row_free(&r);
		if (e || stop)
			break;
	}
	return q_end(s, e);
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	int one = a->state && *a->state;
	sqlite3_stmt *s = db_stmt(c, one ? SQL_COUNT_STATE : SQL_COUNT_ALL);
	enum err e = !s ? ERR_INTERNAL : one ? q_bind(s, "t", a->state) : ERR_OK;
	if (e || (e = q_int(s, a->total, NULL)))
		return e;
	if (!(s = db_stmt(c, one ? SQL_LIST_STATE : SQL_LIST_ALL)))
		return ERR_INTERNAL;
	e = one ? q_bind(s, "ti", a->state, (int64_t)a->limit) : q_bind(s, "i", (int64_t)a->limit);
	return e ? e : rows_each(s, a->fn, a->arg);
}

enum err
store_outbox_list(struct store *st, const char *state, int limit,
                  int (*fn)(const struct store_outbox_row *, void *), void *arg, int64_t *total)
{
	int64_t dummy;
	if (limit < 1 || limit > 500)
		limit = 100;
	struct list_arg a = {state, limit, fn, arg, total ? total : &dummy};
	return db_read(st, list_fn, &a);
}

struct of_dossier_arg {
	const char *code;
	int (*fn)(const struct store_outbox_row *, void *);
	void *arg;
};

static enum err
of_dossier_fn(struct conn *c, void *arg)
{
	struct of_dossier_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_OF_DOSSIER);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	return e ? e : rows_each(s, a->fn, a->arg);
}

enum err
store_outbox_of_dossier(struct store *st, const char *code,
                        int (*fn)(const struct store_outbox_row *, void *), void *arg)
{
	struct of_dossier_arg a = {code, fn, arg};
	return db_read(st, of_dossier_fn, &a);
}
