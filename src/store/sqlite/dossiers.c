/*
 * dossiers.c — the one-stop desk's records.  Numbering and insertion run
 * in one transaction (BEGIN IMMEDIATE through db_tx, so concurrent clerks
 * queue on the write lock): a rolled-back intake gives its number back,
 * and no two dossiers ever share one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ident.h"
#include "store/sqlite/db.h"

static const char SQL_SEQ_NEXT[] =
    "INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, 1)"
    " ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_DOSSIER_INSERT[] =
    "INSERT INTO dossiers (code, procedure_version_id, procedure_code, channel, applicant,"
    " applicant_name, applicant_key, id_number, phone, documents, note, status, stage,"
    " received_at, due_at, received_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_DOSSIER_GET[] =
    "SELECT id, code, procedure_version_id, procedure_code, channel, status, stage, received_by,"
    " applicant, documents, note, received_at, due_at, updated_at, coalesce(phone, ''),"
    " coalesce(id_number, ''), resume_state, resume_stage, coalesce(assignee, 0),"
    " coalesce(paused_at, 0), coalesce(appointment_at, 0), coalesce(finished_at, 0), version"
    " FROM dossiers WHERE code = ?";

struct create_arg {
	const char *actor;
	const struct store_dossier_in *in;
	char code[IDENT_DOSSIER_CODE_SIZE];
};

static void
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static enum err
create_fn(struct conn *c, void *arg)
{
	struct create_arg *a = arg;
	const struct store_dossier_in *in = a->in;
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm, in->dd);
	sqlite3_stmt *s = db_stmt(c, SQL_SEQ_NEXT);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, in->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	long seq = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || seq < 1)
		return db_err(rc);
	if (ident_dossier_code_format(in->agency, in->yy % 100, in->mm, in->dd, seq, a->code,
	                              sizeof a->code) != IDENT_OK)
		return ERR_INTERNAL;
	s = db_stmt(c, SQL_DOSSIER_INSERT);
	if (!s)
		return ERR_INTERNAL;
	int k = 1;
	sqlite3_bind_text(s, k++, a->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, in->procedure_version_id);
	sqlite3_bind_text(s, k++, in->procedure_code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->applicant, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->applicant_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->applicant_key, -1, SQLITE_STATIC);
	bind_opt(s, k++, in->id_number);
	bind_opt(s, k++, in->phone);
	sqlite3_bind_text(s, k++, in->documents, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->note ? in->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->stage ? in->stage : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, in->received_at);
	sqlite3_bind_int64(s, k++, in->due_at);
	sqlite3_bind_text(s, k++, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, in->received_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s,s:I,s:s,s:I,s:I}", "procedure_code", in->procedure_code,
	                      "procedure_version_id", (json_int_t)in->procedure_version_id, "channel",
	                      in->channel, "received_at", (json_int_t)in->received_at, "due_at",
	                      (json_int_t)in->due_at);
	enum err e = db_audit(c, a->actor, "dossier.receive", obj, d);
	json_decref(d);
	return e;
}

enum err
store_dossier_create(struct store *st, const char *actor, const struct store_dossier_in *in,
                     char *code, size_t code_len)
{
	struct create_arg a = {.actor = actor, .in = in};
	enum err e = db_tx(st, create_fn, &a);
	if (!e)
		snprintf(code, code_len, "%s", a.code);
	return e;
}

struct get_arg {
	const char *code;
	struct store_dossier *out;
};

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return strdup(t ? (const char *)t : "");
}

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_DOSSIER_GET);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc);
	}
	struct store_dossier *d = a->out;
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, d->code, sizeof d->code);
	d->procedure_version_id = sqlite3_column_int64(s, 2);
	db_col_text(s, 3, d->procedure_code, sizeof d->procedure_code);
	db_col_text(s, 4, d->channel, sizeof d->channel);
	db_col_text(s, 5, d->status, sizeof d->status);
	db_col_text(s, 6, d->stage, sizeof d->stage);
	db_col_text(s, 7, d->received_by, sizeof d->received_by);
	d->applicant = col_dup(s, 8);
	d->documents = col_dup(s, 9);
	d->note = col_dup(s, 10);
	d->received_at = sqlite3_column_int64(s, 11);
	d->due_at = sqlite3_column_int64(s, 12);
	d->updated_at = sqlite3_column_int64(s, 13);
	db_col_text(s, 14, d->phone, sizeof d->phone);
	db_col_text(s, 15, d->id_number, sizeof d->id_number);
	db_col_text(s, 16, d->resume_state, sizeof d->resume_state);
	db_col_text(s, 17, d->resume_stage, sizeof d->resume_stage);
	d->assignee = sqlite3_column_int64(s, 18);
	d->paused_at = sqlite3_column_int64(s, 19);
	d->appointment_at = sqlite3_column_int64(s, 20);
	d->finished_at = sqlite3_column_int64(s, 21);
	d->version = sqlite3_column_int64(s, 22);
	sqlite3_reset(s);
	if (!d->applicant || !d->documents || !d->note) {
		store_dossier_free(d);
		return ERR_NOMEM;
	}
	return ERR_OK;
}

enum err
store_dossier_get(struct store *st, const char *code, struct store_dossier *out)
{
	struct get_arg a = {code, out};
	return db_read(st, get_fn, &a);
}

void
store_dossier_free(struct store_dossier *d)
{
	free(d->applicant);
	free(d->documents);
	free(d->note);
	d->applicant = d->documents = d->note = NULL;
}

/* ---- actions ---------------------------------------------------------- */

static const char SQL_APPLY[] =
    "UPDATE dossiers SET status = ?, stage = ?, resume_state = ?, resume_stage = ?, due_at = ?,"
    " paused_at = ?, appointment_at = ?, finished_at = ?, assignee = ?, version = version + 1,"
    " updated_at = ? WHERE code = ? AND version = ? RETURNING id";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note, details)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

struct apply_arg {
	const char *actor, *code;
	const struct store_dossier_change *ch;
};

static void
bind_int_or_null(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static enum err
apply_fn(struct conn *c, void *arg)
{
	struct apply_arg *a = arg;
	const struct store_dossier_change *ch = a->ch;
	sqlite3_stmt *s = db_stmt(c, SQL_APPLY);
	if (!s)
		return ERR_INTERNAL;
	int k = 1;
	sqlite3_bind_text(s, k++, ch->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->stage ? ch->stage : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->resume_state ? ch->resume_state : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->resume_stage ? ch->resume_stage : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, ch->due_at);
	bind_int_or_null(s, k++, ch->paused_at);
	bind_int_or_null(s, k++, ch->appointment_at);
	bind_int_or_null(s, k++, ch->finished_at);
	bind_int_or_null(s, k++, ch->assignee);
	sqlite3_bind_int64(s, k++, ch->at);
	sqlite3_bind_text(s, k++, a->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, ch->expected_version);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (!id)
		return ERR_CONFLICT;   /* someone else acted first (or no such dossier) */
	s = db_stmt(c, SQL_EVENT_INSERT);
	if (!s)
		return ERR_INTERNAL;
	k = 1;
	sqlite3_bind_int64(s, k++, id);
	sqlite3_bind_int64(s, k++, ch->at);
	sqlite3_bind_text(s, k++, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->from_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->note ? ch->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, ch->details ? ch->details : "{}", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_error_t je;
	json_t *d = ch->details ? json_loads(ch->details, 0, &je) : json_object();
	if (!d)
		d = json_object();
	json_object_set_new(d, "from", json_string(ch->from_status));
	json_object_set_new(d, "to", json_string(ch->status));
	if (ch->note && *ch->note)
		json_object_set_new(d, "note", json_string(ch->note));
	enum err e = db_audit(c, a->actor, ch->event, obj, d);
	json_decref(d);
	return e;
}

enum err
store_dossier_apply(struct store *st, const char *actor, const char *code,
                    const struct store_dossier_change *ch)
{
	struct apply_arg a = {actor, code, ch};
	return db_tx(st, apply_fn, &a);
}

static const char SQL_EVENTS[] =
    "SELECT e.at, e.actor, e.action, e.from_state, e.to_state, e.note FROM dossier_events e"
    " JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? ORDER BY e.id";

struct events_arg {
	const char *code;
	int (*fn)(int64_t, const char *, const char *, const char *, const char *, const char *, void *);
	void *arg;
};

static enum err
events_fn(struct conn *c, void *arg)
{
	struct events_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENTS);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (a->fn(sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
		          (const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
		          (const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5),
		          a->arg))
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
store_dossier_events(struct store *st, const char *code,
                     int (*fn)(int64_t, const char *, const char *, const char *, const char *,
                               const char *, void *),
                     void *arg)
{
	struct events_arg a = {code, fn, arg};
	return db_read(st, events_fn, &a);
}
