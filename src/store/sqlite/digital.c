/*
 * digital.c — what digitising a dossier and settling its fee need from
 * the store (store.h, "digitised dossiers and fees"): the checklist lines
 * read out of the dossier's JSON by SQLite, the scans a person already
 * has on earlier dossiers, the payment record and a file's download event.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store/sqlite/db.h"

static const char SQL_CHECKLIST[] =
    "SELECT CAST(j.key AS INTEGER) + 1, coalesce(json_extract(j.value, '$.name'), '')"
    " FROM dossiers d, json_each(d.documents) j WHERE d.code = ? ORDER BY CAST(j.key AS INTEGER)";
static const char SQL_PERSON_SCANS[] =
    "SELECT d.code, a.id, a.sha256, a.name, a.mime, a.size, a.at, a.actor, a.kind,"
    " coalesce(a.component, 0), a.component_name, a.reused_from"
    " FROM dossiers d JOIN dossier_attachments a ON a.dossier_id = d.id"
    " WHERE d.id_number = ? AND d.code <> ? AND a.kind = 'component'"
    " ORDER BY a.id DESC LIMIT ?";
static const char SQL_PAY[] =
    "UPDATE dossiers SET fee_status = ?, pay_channel = ?, receipt_no = ?, paid_at = ?, fee = ?,"
    " updated_at = ? WHERE code = ? AND fee_status = 'unpaid' RETURNING id";

static const char SQL_EXISTS[] = "SELECT count(*) FROM dossiers WHERE code = ?";

struct dig_arg {
	const char *actor, *code, *id_number, *action, *sha;
	int limit;
	const struct store_payment *pay;
	int (*list_fn)(int, const char *, void *);
	int (*scan_fn)(const char *, const struct store_attachment *, void *);
	void *arg;
};

static enum err
checklist_fn(struct conn *c, void *arg)
{
	struct dig_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_CHECKLIST);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK)
		if (a->list_fn(sqlite3_column_int(s, 0), db_col_str(s, 1), a->arg))
			break;
	return s ? q_end(s, e) : e;
}

enum err
store_dossier_checklist(struct store *st, const char *code,
                        int (*fn)(int no, const char *name, void *), void *arg)
{
	struct dig_arg a = {.code = code, .list_fn = fn, .arg = arg};
	return db_read(st, checklist_fn, &a);
}

static enum err
scans_fn(struct conn *c, void *arg)
{
	struct dig_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_PERSON_SCANS);
	enum err e = s ? q_bind(s, "tti", a->id_number, a->code, (int64_t)a->limit) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		struct store_attachment at = {0};
		char code[64];
		db_col_text(s, 0, code, sizeof code);
		at.id = sqlite3_column_int64(s, 1);
		db_col_text(s, 2, at.sha256, sizeof at.sha256);
		db_col_text(s, 3, at.name, sizeof at.name);
		db_col_text(s, 4, at.mime, sizeof at.mime);
		at.size = sqlite3_column_int64(s, 5);
		at.at = sqlite3_column_int64(s, 6);
		db_col_text(s, 7, at.actor, sizeof at.actor);
		store_att_extra(s, 8, &at);
		if (a->scan_fn(code, &at, a->arg))
			break;
	}
	return s ? q_end(s, e) : e;
}

enum err
store_person_scans(struct store *st, const char *id_number, const char *code, int limit,
                   int (*fn)(const char *, const struct store_attachment *, void *), void *arg)
{
	struct dig_arg a = {.id_number = id_number, .code = code, .limit = limit, .scan_fn = fn, .arg = arg};
	if (!id_number || !*id_number)
		return ERR_OK;
	return db_read(st, scans_fn, &a);
}

static enum err
pay_fn(struct conn *c, void *arg)
{
	struct dig_arg *a = arg;
	const struct store_payment *p = a->pay;
	sqlite3_stmt *s = db_stmt(c, SQL_PAY);
	int64_t id = 0;
	int found = 0;
	enum err e = s ? q_bind(s, "tssIiit", p->status, p->channel, p->receipt_no, p->paid_at, p->fee,
	                        p->paid_at ? p->paid_at : (int64_t)time(NULL), a->code)
	               : ERR_INTERNAL;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found) {
		/* no such dossier, or its fee is settled already */
		sqlite3_stmt *x = db_stmt(c, SQL_EXISTS);
		int64_t n = 0;
		if (!x || (e = q_bind(x, "t", a->code)) || (e = q_int(x, &n, NULL)))
			return x ? e : ERR_INTERNAL;
		return n ? ERR_CONFLICT : ERR_NOT_FOUND;
	}
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	/* no "to": a payment is no step of the state machine (verify.c) */
	json_t *d = json_pack("{s:s,s:s,s:s,s:I,s:I}", "fee_status", p->status, "pay_channel",
	                      p->channel ? p->channel : "", "receipt_no", p->receipt_no ? p->receipt_no : "",
	                      "fee", (json_int_t)p->fee, "paid_at", (json_int_t)p->paid_at);
	e = db_audit(c, a->actor, "dossier.payment", obj, d);
	json_decref(d);
	return e;
}

enum err
store_dossier_pay(struct store *st, const char *actor, const char *code, const struct store_payment *p)
{
	struct dig_arg a = {.actor = actor, .code = code, .pay = p};
	return db_tx(st, pay_fn, &a);
}

static enum err
file_event_fn(struct conn *c, void *arg)
{
	struct dig_arg *a = arg;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s}", "sha256", a->sha);
	enum err e = d ? db_audit(c, a->actor, a->action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_dossier_file_event(struct store *st, const char *actor, const char *code, const char *action,
                         const char *sha)
{
	struct dig_arg a = {.actor = actor, .code = code, .action = action, .sha = sha};
	return db_tx(st, file_event_fn, &a);
}

/* ---- the rating kiosk ---- */

struct kiosk_arg {
	const char *clerk, *code;
	int64_t at, from, to;
	int limit;
	char *out;
	size_t n;
	int64_t *at_out;
	int (*fn)(const char *, const char *, const char *, const char *, int64_t, void *);
	void *arg;
};

static enum err
kiosk_set_fn(struct conn *c, void *arg)
{
	struct kiosk_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "INSERT INTO desk_kiosk (clerk, code, at) VALUES (?, ?, ?)"
	                             " ON CONFLICT (clerk) DO UPDATE SET code = excluded.code, at = excluded.at");
	enum err e = s ? q_bind(s, "tti", a->clerk, a->code, a->at) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s}", "kiosk", a->clerk);
	e = d ? db_audit(c, a->clerk, "dossier.kiosk", obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_kiosk_set(struct store *st, const char *clerk, const char *code, int64_t at)
{
	struct kiosk_arg a = {.clerk = clerk, .code = code, .at = at};
	return db_tx(st, kiosk_set_fn, &a);
}

static enum err
kiosk_get_fn(struct conn *c, void *arg)
{
	struct kiosk_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT code, at FROM desk_kiosk WHERE clerk = ?");
	enum err e = s ? q_bind(s, "t", a->clerk) : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK) {
		db_col_text(s, 0, a->out, a->n);
		*a->at_out = sqlite3_column_int64(s, 1);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_kiosk_get(struct store *st, const char *clerk, char *code, size_t n, int64_t *at)
{
	struct kiosk_arg a = {.clerk = clerk, .out = code, .n = n, .at_out = at};
	return db_read(st, kiosk_get_fn, &a);
}

static enum err
kiosk_clear_fn(struct conn *c, void *arg)
{
	struct kiosk_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "DELETE FROM desk_kiosk WHERE clerk = ? AND code = ?");
	enum err e = s ? q_bind(s, "tt", a->clerk, a->code) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

enum err
store_kiosk_clear(struct store *st, const char *clerk, const char *code)
{
	struct kiosk_arg a = {.clerk = clerk, .code = code};
	return db_tx(st, kiosk_clear_fn, &a);
}

static enum err
comments_fn(struct conn *c, void *arg)
{
	struct kiosk_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT d.code, d.procedure_name, r.level, r.comment, r.at"
	                             " FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id"
	                             " WHERE r.at >= ? AND r.at < ? AND r.comment <> ''"
	                             " ORDER BY r.at DESC, r.dossier_id DESC LIMIT ?");
	enum err e = s ? q_bind(s, "iii", a->from, a->to, (int64_t)a->limit) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK)
		if (a->fn(db_col_str(s, 0), db_col_str(s, 1), db_col_str(s, 2), db_col_str(s, 3),
		          sqlite3_column_int64(s, 4), a->arg))
			break;
	return s ? q_end(s, e) : e;
}

enum err
store_rating_comments(struct store *st, int64_t from, int64_t to, int limit,
                      int (*fn)(const char *, const char *, const char *, const char *, int64_t, void *),
                      void *arg)
{
	struct kiosk_arg a = {.from = from, .to = to, .limit = limit, .fn = fn, .arg = arg};
	return db_read(st, comments_fn, &a);
}
