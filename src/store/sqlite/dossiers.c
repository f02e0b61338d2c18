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
    " applicant, documents, note, received_at, due_at, updated_at FROM dossiers WHERE code = ?";

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
