/*
 * dossiers.c — the one-stop desk's records.  Numbering and insertion run
 * in one transaction (BEGIN IMMEDIATE through db_tx, so concurrent clerks
 * queue on the write lock): a rolled-back intake gives its number back,
 * and no two dossiers ever share one.  Intake goes through db_tx_group:
 * concurrent intakes share one commit, each in its own savepoint, so the
 * numbers drawn by a job that fails are given back all the same.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ident.h"
#include "core/text.h"
#include "store/sqlite/db.h"
#include "store/sqlite/typed.h"

static const char SQL_SEQ_NEXT[] =
    "INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, 1)"
    " ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_DOSSIER_INSERT[] =
    "INSERT INTO dossiers (code, procedure_version_id, procedure_code, channel, applicant,"
    " applicant_name, applicant_key, id_number, phone, documents, note, status, stage,"
    " received_at, due_at, received_by, updated_at, procedure_name, fee, unit, due_by_hand,"
    " fee_status, pay_channel, receipt_no, paid_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define DOSSIER_COLS \
    "id, code, procedure_version_id, procedure_code, channel, status, stage, received_by," \
    " applicant, documents, note, received_at, due_at, updated_at, coalesce(phone, '')," \
    " coalesce(id_number, ''), resume_state, resume_stage, coalesce(assignee, 0)," \
    " coalesce(paused_at, 0), coalesce(appointment_at, 0), coalesce(finished_at, 0), version," \
    " procedure_name, fee, unit, applicant_name, due_by_hand," \
    " coalesce(json_extract(applicant, '$.email'), ''), fee_status, pay_channel, receipt_no," \
    " coalesce(paid_at, 0)"
static const char SQL_DOSSIER_GET[] = "SELECT " DOSSIER_COLS " FROM dossiers WHERE code = ?";
static const char SQL_DOSSIER_GET_ID[] = "SELECT " DOSSIER_COLS " FROM dossiers WHERE id = ?";

static const char SQL_DOSSIER_ID[] = "SELECT id FROM dossiers WHERE code = ?";
static const char SQL_FIRST_EVENT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note)"
    " SELECT id, ?, ?, ?, '', ?, ? FROM dossiers WHERE code = ?";

struct create_arg {
	const char *actor;
	const struct store_dossier_in *in;
	char code[IDENT_DOSSIER_CODE_SIZE];
	char key[300];   /* "actor\nkey", "" for none */
	int replayed;
};

static const char SQL_SUBMISSION_GET[] =
    "SELECT d.code FROM dossier_submissions s JOIN dossiers d ON d.id = s.dossier_id WHERE s.key = ?";
static const char SQL_SUBMISSION_PUT[] =
    "INSERT INTO dossier_submissions (key, dossier_id, at) SELECT ?, id, ? FROM dossiers WHERE code = ?";

/* A resend of an intake already made (same actor and key): its code
 * into a->code.  ERR_NOT_FOUND when the key is new. */
static enum err
submission_find(struct conn *c, struct create_arg *a)
{
	/* inside BEGIN IMMEDIATE: a concurrent send of the same key waits
	 * for this one and then finds its row */
	sqlite3_stmt *s = db_stmt(c, SQL_SUBMISSION_GET);
	enum err e = s ? q_bind(s, "t", a->key) : ERR_INTERNAL;
	return e ? e : q_text(s, 0, a->code, sizeof a->code);
}

/* Draws the next number of (agency, receipt day) and formats the code. */
static enum err
code_next(struct conn *c, struct create_arg *a)
{
	const struct store_dossier_in *in = a->in;
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm, in->dd);
	sqlite3_stmt *s = db_stmt(c, SQL_SEQ_NEXT);
	int64_t seq = 0;
	enum err e = s ? q_bind(s, "tt", in->agency, day) : ERR_INTERNAL;
	if (e || (e = q_int(s, &seq, NULL)))
		return e;
	if (seq < 1 || ident_dossier_code_format(in->agency, in->yy % 100, in->mm, in->dd, (long)seq,
	                                         a->code, sizeof a->code) != IDENT_OK)
		return ERR_INTERNAL;
	return ERR_OK;
}

static const char SQL_NAME_ADD[] = "INSERT INTO dossier_name_keys (key, dossier_id) VALUES (?, ?)";

/* Every tail of the folded name's words that starts at a word (0019):
 * "nguyen van an", "van an", "an". */
enum err
db_dossier_name_add(struct conn *c, int64_t id, const char *key)
{
	char *words = malloc(strlen(key ? key : "") + 1);
	if (!words)
		return ERR_NOMEM;
	text_words(key ? key : "", words);
	enum err e = ERR_OK;
	for (const char *k = words; !e && k && *k;) {
		sqlite3_stmt *s = db_stmt(c, SQL_NAME_ADD);
		e = s ? q_bind(s, "ti", k, id) : ERR_INTERNAL;
		if (!e)
			e = q_exec(s);
		k = strchr(k, ' ');
		k = k ? k + 1 : NULL;
	}
	free(words);
	return e;
}

/* Inserts the dossier row under a->code, its name's words and its first
 * timeline event. */
static enum err
dossier_insert(struct conn *c, const struct create_arg *a)
{
	const struct store_dossier_in *in = a->in;
	sqlite3_stmt *s = db_stmt(c, SQL_DOSSIER_INSERT);
	enum err e = s ? q_bind(s, "titttttTTtstsiitisisi", a->code, in->procedure_version_id,
	                        in->procedure_code, in->channel, in->applicant, in->applicant_name,
	                        in->applicant_key, in->id_number, in->phone, in->documents, in->note,
	                        in->status, in->stage, in->received_at, in->due_at, a->actor,
	                        in->received_at, in->procedure_name, in->fee, in->unit,
	                        (int64_t)(in->due_by_hand != 0))
	               : ERR_INTERNAL;
	if (!e)
		e = q_bind(s, "---------------------sssI", in->fee_status ? in->fee_status : "unpaid",
		           in->pay_channel, in->receipt_no, in->paid_at);
	if (e || (e = q_exec(s)) ||
	    (e = db_dossier_name_add(c, sqlite3_last_insert_rowid(db_handle(c)), in->applicant_key)))
		return e;
	/* the timeline starts with the intake */
	if (!(s = db_stmt(c, SQL_FIRST_EVENT)))
		return ERR_INTERNAL;
	e = q_bind(s, "itttst", in->received_at, a->actor,
	           strcmp(in->status, "new") == 0 ? "submit" : "receive", in->status, in->note, a->code);
	return e ? e : q_exec(s);
}

/* Remembers a->key for the new dossier, so a resend finds it. */
static enum err
submission_put(struct conn *c, const struct create_arg *a)
{
	sqlite3_stmt *s = db_stmt(c, SQL_SUBMISSION_PUT);
	enum err e = s ? q_bind(s, "tit", a->key, a->in->received_at, a->code) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

static const char SQL_OWNER_PUT[] =
    "INSERT INTO dossier_owners (dossier_id, citizen_id) SELECT id, ? FROM dossiers WHERE code = ?";
static const char SQL_FILE_PUT[] =
    "INSERT INTO dossier_attachments (dossier_id, sha256, name, mime, size, at, actor)"
    " SELECT id, ?, ?, ?, ?, ?, ? FROM dossiers WHERE code = ? ON CONFLICT (dossier_id, sha256) DO NOTHING";

/* An online submission's owner and uploaded files, with the dossier. */
static enum err
online_put(struct conn *c, const struct create_arg *a)
{
	const struct store_dossier_in *in = a->in;
	sqlite3_stmt *s;
	enum err e = ERR_OK;
	if (in->citizen_id > 0) {
		if (!(s = db_stmt(c, SQL_OWNER_PUT)))
			return ERR_INTERNAL;
		if ((e = q_bind(s, "it", in->citizen_id, a->code)) || (e = q_exec(s)))
			return e;
	}
	for (size_t i = 0; i < in->nfiles && !e; i++) {
		const struct store_attachment *f = &in->files[i];
		if (!(s = db_stmt(c, SQL_FILE_PUT)))
			return ERR_INTERNAL;
		if (!(e = q_bind(s, "tttiitt", f->sha256, f->name, f->mime, f->size, in->received_at, a->actor,
		                 a->code)))
			e = q_exec(s);
	}
	return e;
}

static enum err
create_audit(struct conn *c, const struct create_arg *a)
{
	const struct store_dossier_in *in = a->in;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	/* "state": what the dossier row holds now, so `motcua check` can
	 * prove the row against the chain (verify.c) */
	json_t *d = json_pack("{s:s,s:I,s:s,s:I,s:I,s:I,s:{s:s,s:s,s:i,s:I,s:s}}", "procedure_code",
	                      in->procedure_code, "procedure_version_id",
	                      (json_int_t)in->procedure_version_id, "channel", in->channel,
	                      "received_at", (json_int_t)in->received_at, "due_at",
	                      (json_int_t)in->due_at, "fee", (json_int_t)in->fee, "state", "status",
	                      in->status, "stage", in->stage ? in->stage : "", "version", 1, "due_at",
	                      (json_int_t)in->due_at, "unit", in->unit ? in->unit : "");
	/* an appointment set by the clerk, not counted from a time limit */
	json_object_set_new(d, "due_by_hand", json_boolean(in->due_by_hand));
	if (in->nfiles)
		json_object_set_new(d, "files", json_integer((json_int_t)in->nfiles));
	json_object_set_new(json_object_get(d, "state"), "due_by_hand", json_integer(in->due_by_hand != 0));
	enum err e = db_audit(c, a->actor, strcmp(in->status, "new") == 0 ? "dossier.submit"
	                                   : "dossier.receive", obj, d);
	json_decref(d);
	return e;
}

static enum err
create_fn(struct conn *c, void *arg)
{
	struct create_arg *a = arg;
	enum err e;
	a->replayed = 0;
	if (a->key[0] && (e = submission_find(c, a)) != ERR_NOT_FOUND) {
		a->replayed = e == ERR_OK;
		return e;
	}
	if ((e = code_next(c, a)) || (e = dossier_insert(c, a)))
		return e;
	if (a->key[0] && (e = submission_put(c, a)))
		return e;
	if ((e = online_put(c, a)) != ERR_OK)
		return e;
	if ((e = create_audit(c, a)) || !a->in->noutbox)
		return e;
	/* the applicant's messages, in the same transaction */
	sqlite3_stmt *s = db_stmt(c, SQL_DOSSIER_ID);
	int64_t id = 0;
	if (!s || (e = q_bind(s, "t", a->code)) || (e = q_int(s, &id, NULL)))
		return e ? e : ERR_INTERNAL;
	return db_outbox_insert(c, id, a->code, 1, a->in->outbox, a->in->noutbox, a->in->received_at);
}

enum err
store_dossier_create(struct store *st, const char *actor, const struct store_dossier_in *in,
                     char *code, size_t code_len)
{
	return store_dossier_create_once(st, actor, NULL, in, code, code_len, NULL);
}

enum err
store_dossier_create_once(struct store *st, const char *actor, const char *key,
                          const struct store_dossier_in *in, char *code, size_t code_len, int *replayed)
{
	struct create_arg a = {.actor = actor, .in = in};
	if (key && *key && snprintf(a.key, sizeof a.key, "%s\n%s", actor, key) >= (int)sizeof a.key)
		return ERR_INVALID_FIELD;
	/* typed applicant and checklist: written as their JSON documents */
	struct store_dossier_in typed;
	char *aj = NULL, *dj = NULL;
	if (!in->applicant || !in->documents) {
		typed = *in;
		if (!in->applicant)
			typed.applicant = aj = in->person ? typed_applicant_json(in->person, in->rep) : NULL;
		if (!in->documents)
			typed.documents = dj = typed_documents_json(in->docs, in->ndocs);
		if (!typed.applicant || !typed.documents) {
			free(aj);
			free(dj);
			return ERR_NOMEM;
		}
		a.in = &typed;
	}
	enum err e = db_tx_group(st, create_fn, &a);
	free(aj);
	free(dj);
	if (!e)
		snprintf(code, code_len, "%s", a.code);
	if (replayed)
		*replayed = !e && a.replayed;
	return e;
}

struct get_arg {
	const char *code;
	struct store_dossier *out;
	int64_t id;                   /* by id when code is NULL */
};

/* One row of DOSSIER_COLS into d (allocates; store_dossier_free). */
static enum err
row_read(sqlite3_stmt *s, struct store_dossier *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, d->code, sizeof d->code);
	d->procedure_version_id = sqlite3_column_int64(s, 2);
	db_col_text(s, 3, d->procedure_code, sizeof d->procedure_code);
	db_col_text(s, 4, d->channel, sizeof d->channel);
	db_col_text(s, 5, d->status, sizeof d->status);
	db_col_text(s, 6, d->stage, sizeof d->stage);
	db_col_text(s, 7, d->received_by, sizeof d->received_by);
	d->applicant = db_col_dup(s, 8);
	d->documents = db_col_dup(s, 9);
	d->note = db_col_dup(s, 10);
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
	d->procedure_name = db_col_dup(s, 23);
	d->fee = sqlite3_column_int64(s, 24);
	d->unit = db_col_dup(s, 25);
	d->applicant_name = db_col_dup(s, 26);
	d->due_by_hand = sqlite3_column_int(s, 27);
	db_col_text(s, 28, d->email, sizeof d->email);
	db_col_text(s, 29, d->fee_status, sizeof d->fee_status);
	db_col_text(s, 30, d->pay_channel, sizeof d->pay_channel);
	db_col_text(s, 31, d->receipt_no, sizeof d->receipt_no);
	d->paid_at = sqlite3_column_int64(s, 32);
	if (!d->applicant || !d->documents || !d->note || !d->procedure_name || !d->unit ||
	    !d->applicant_name) {
		store_dossier_free(d);
		return ERR_NOMEM;
	}
	return ERR_OK;
}

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, a->code ? SQL_DOSSIER_GET : SQL_DOSSIER_GET_ID);
	if (!s)
		return ERR_INTERNAL;
	enum err e = a->code ? q_bind(s, "t", a->code) : q_bind(s, "i", a->id);
	if (!e && (e = q_row(s)) == ERR_OK) {
		e = row_read(s, a->out);
		sqlite3_reset(s);
	}
	return e;
}

enum err
store_dossier_get(struct store *st, const char *code, struct store_dossier *out)
{
	struct get_arg a = {code, out, 0};
	return db_read(st, get_fn, &a);
}

enum err
store_dossier_get_id(struct store *st, int64_t id, struct store_dossier *out)
{
	struct get_arg a = {NULL, out, id};
	return db_read(st, get_fn, &a);
}

static const char SQL_DOSSIER_BRIEF[] =
    "SELECT d.code, d.procedure_code, d.status, coalesce(d.phone, ''), coalesce(d.id_number, ''),"
    " d.received_at, d.due_at, coalesce(d.appointment_at, 0), coalesce(r.level, '')"
    " FROM dossiers d LEFT JOIN dossier_ratings r ON r.dossier_id = d.id WHERE d.code = ?";

struct brief_arg {
	const char *code;
	struct store_dossier_brief *out;
};

static enum err
brief_fn(struct conn *c, void *arg)
{
	struct brief_arg *a = arg;
	struct store_dossier_brief *b = a->out;
	sqlite3_stmt *s = db_stmt(c, SQL_DOSSIER_BRIEF);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", a->code);
	if (e || (e = q_row(s)) != ERR_OK)
		return e;
	db_col_text(s, 0, b->code, sizeof b->code);
	db_col_text(s, 1, b->procedure_code, sizeof b->procedure_code);
	db_col_text(s, 2, b->status, sizeof b->status);
	db_col_text(s, 3, b->phone, sizeof b->phone);
	db_col_text(s, 4, b->id_number, sizeof b->id_number);
	b->received_at = sqlite3_column_int64(s, 5);
	b->due_at = sqlite3_column_int64(s, 6);
	b->appointment_at = sqlite3_column_int64(s, 7);
	db_col_text(s, 8, b->rating, sizeof b->rating);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_dossier_brief(struct store *st, const char *code, struct store_dossier_brief *out)
{
	struct brief_arg a = {code, out};
	memset(out, 0, sizeof *out);
	return db_read(st, brief_fn, &a);
}

void
store_dossier_free(struct store_dossier *d)
{
	free(d->applicant);
	free(d->documents);
	free(d->note);
	free(d->procedure_name);
	free(d->unit);
	free(d->applicant_name);
	d->applicant = d->documents = d->note = d->procedure_name = d->unit = d->applicant_name = NULL;
}

/* ---- actions ---------------------------------------------------------- */

static const char SQL_APPLY[] =
    "UPDATE dossiers SET status = ?, stage = ?, resume_state = ?, resume_stage = ?, due_at = ?,"
    " paused_at = ?, appointment_at = ?, finished_at = ?, assignee = ?, unit = coalesce(?, unit),"
    " due_by_hand = max(due_by_hand, ?), version = version + 1, updated_at = ?"
    " WHERE code = ? AND version = ? RETURNING id, version, unit, due_by_hand";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note, details,"
    " step_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct apply_arg {
	const char *actor, *code;
	const struct store_dossier_change *ch;
};

/* The dossier row after an action, as the UPDATE returned it. */
struct applied {
	int64_t id, version;
	int due_by_hand;
	char unit[256];
};

/* Writes ch to dossier a->code if it is still at ch->expected_version;
 * ERR_CONFLICT when someone else acted first (or no such dossier). */
static enum err
apply_row(struct conn *c, const struct apply_arg *a, struct applied *out)
{
	const struct store_dossier_change *ch = a->ch;
	sqlite3_stmt *s = db_stmt(c, SQL_APPLY);
	enum err e = s ? q_bind(s, "tsssiIIIItiiti", ch->status, ch->stage, ch->resume_state,
	                        ch->resume_stage, ch->due_at, ch->paused_at, ch->appointment_at,
	                        ch->finished_at, ch->assignee, ch->unit,
	                        (int64_t)(ch->due_by_hand != 0), ch->at, a->code, ch->expected_version)
	               : ERR_INTERNAL;
	if (!e && (e = q_row(s)) == ERR_OK) {
		out->id = sqlite3_column_int64(s, 0);
		out->version = sqlite3_column_int64(s, 1);
		db_col_text(s, 2, out->unit, sizeof out->unit);
		out->due_by_hand = sqlite3_column_int(s, 3);
		e = q_end(s, q_row(s));   /* code is unique: that was the one row */
	}
	return e == ERR_NOT_FOUND ? ERR_CONFLICT : e;
}

/* Appends the action to dossier id's timeline. */
static enum err
event_insert(struct conn *c, const struct apply_arg *a, int64_t id)
{
	const struct store_dossier_change *ch = a->ch;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENT_INSERT);
	enum err e = s ? q_bind(s, "iittttstI", id, ch->at, a->actor, ch->action, ch->from_status,
	                        ch->status, ch->note, ch->details ? ch->details : "{}", ch->step_due)
	               : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

static enum err
apply_audit(struct conn *c, const struct apply_arg *a, const struct applied *row)
{
	const struct store_dossier_change *ch = a->ch;
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
	/* the row as it is now, for `motcua check` (verify.c) */
	json_object_set_new(d, "state", json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "status", ch->status,
	                                          "stage", ch->stage ? ch->stage : "", "version", (json_int_t)row->version,
	                                          "due_at", (json_int_t)ch->due_at, "paused_at",
	                                          (json_int_t)ch->paused_at, "finished_at",
	                                          (json_int_t)ch->finished_at, "assignee",
	                                          (json_int_t)ch->assignee, "unit", row->unit));
	json_object_set_new(json_object_get(d, "state"), "due_by_hand", json_integer(row->due_by_hand));
	enum err e = db_audit(c, a->actor, ch->event, obj, d);
	json_decref(d);
	return e;
}

static enum err
apply_fn(struct conn *c, void *arg)
{
	struct apply_arg *a = arg;
	struct applied row = {0};
	enum err e = apply_row(c, a, &row);
	if (e)
		return e;
	assert(row.version == a->ch->expected_version + 1);
	if ((e = event_insert(c, a, row.id)) || (e = apply_audit(c, a, &row)))
		return e;
	/* the applicant's messages, in the same transaction */
	return db_outbox_insert(c, row.id, a->code, row.version, a->ch->outbox, a->ch->noutbox, a->ch->at);
}

enum err
store_dossier_apply(struct store *st, const char *actor, const char *code,
                    const struct store_dossier_change *ch)
{
	struct apply_arg a = {actor, code, ch};
	if (ch->details)
		return db_tx(st, apply_fn, &a);
	/* typed facts: written as the event's details object */
	struct store_dossier_change typed = *ch;
	char *dj = typed_facts_json(ch->facts);
	if (!dj)
		return ERR_NOMEM;
	typed.details = dj;
	a.ch = &typed;
	enum err e = db_tx(st, apply_fn, &a);
	free(dj);
	return e;
}

static const char SQL_EVENTS[] =
    "SELECT e.at, e.actor, e.action, e.from_state, e.to_state, e.note, e.details,"
    " coalesce(e.step_due, 0) FROM dossier_events e"
    " JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = ? ORDER BY e.id";

struct events_arg {
	const char *code;
	int (*fn)(const struct store_dossier_event *, void *);
	void *arg;
};

static enum err
events_fn(struct conn *c, void *arg)
{
	struct events_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENTS);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", a->code);
	while (!e && (e = q_row(s)) == ERR_OK) {
		struct store_dossier_event ev = {
			.at = sqlite3_column_int64(s, 0), .actor = db_col_str(s, 1), .action = db_col_str(s, 2),
			.from = db_col_str(s, 3), .to = db_col_str(s, 4), .note = db_col_str(s, 5),
			.details = db_col_str(s, 6), .step_due = sqlite3_column_int64(s, 7),
		};
		json_t *facts = typed_event_facts(&ev);
		int stop = a->fn(&ev, a->arg);
		json_decref(facts);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_dossier_events(struct store *st, const char *code,
                     int (*fn)(const struct store_dossier_event *, void *), void *arg)
{
	struct events_arg a = {code, fn, arg};
	return db_read(st, events_fn, &a);
}

/* ---- search ------------------------------------------------------------ */

/* Five shapes, chosen by how the rows are found, each prepared once and
 * cached; none reads the whole table, so a page costs about the same
 * among a hundred thousand dossiers or ten million (bench/bench_reads.c):
 *   KEYS   a code, an ID or a phone: the ids come from their indexes (a
 *          handful of rows, sorted);
 *   NAME   a part of the folded name from the start of a word: one range
 *          of dossier_name_keys (0019), in its order (the matching name,
 *          then newest first), so a page reads its own rows only;
 *   STATE  states read by the due order (the queues), or open states
 *          only: index dossiers_due (status, due_at), one range per state,
 *          the rows found sorted; the open states hold the work in hand,
 *          not the archive, and the others come with a due range (today's
 *          appointments);
 *   ONE    newest first among one state: index dossiers_state_received
 *          (status, received_at), in its order;
 *   SCAN   anything else: the receipt index newest first (within the
 *          from/to range), stopping at the page's end.
 * The other filters are "(? IS NULL OR …)" checks on the rows found; the
 * ranges (received, due, the page's cursor) are always bound, the open
 * side with the extreme value, so they narrow the index ranges.  A count
 * stops at ?19 rows (-1: all; q->count_max + 1 when set). */
#define DOSSIER_KEYS \
    " FROM dossiers WHERE id IN (SELECT id FROM dossiers WHERE code = ?1" \
    " UNION SELECT id FROM dossiers WHERE id_number = ?2" \
    " UNION SELECT id FROM dossiers WHERE phone = ?3)"
#define DOSSIER_NAME \
    " FROM dossier_name_keys CROSS JOIN dossiers ON dossiers.id = dossier_name_keys.dossier_id" \
    " WHERE dossier_name_keys.key >= ?4 AND dossier_name_keys.key < ?4 || char(1114111)"
#define DOSSIER_STATE \
    " FROM dossiers INDEXED BY dossiers_due" \
    " WHERE status IN (?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)"
#define DOSSIER_ONE \
    " FROM dossiers INDEXED BY dossiers_state_received WHERE status = ?20"
#define DOSSIER_SCAN \
    " FROM dossiers INDEXED BY dossiers_received WHERE 1"
#define DOSSIER_FILTERS \
    "   AND (?5 IS NULL OR instr(',' || ?5 || ',', ',' || status || ',') > 0)" \
    "   AND (?6 IS NULL OR stage = ?6)" \
    "   AND (?7 IS NULL OR unit = ?7)" \
    "   AND (?8 IS NULL OR assignee = ?8)" \
    "   AND received_at >= ?9 AND received_at < ?10" \
    "   AND due_at >= ?14 AND due_at < ?11" \
    "   AND ((?15 IS NULL AND ?16 IS NULL) OR assignee = ?15 OR unit = ?16)"
#define BY_RECEIVED \
    " AND (received_at < ?17 OR dossiers.id < ?18)" \
    " ORDER BY received_at DESC, dossiers.id DESC LIMIT ?12 OFFSET ?13"
#define BY_DUE \
    " AND (due_at > ?17 OR dossiers.id > ?18) ORDER BY due_at, dossiers.id LIMIT ?12 OFFSET ?13"
#define BY_NAME \
    " ORDER BY dossier_name_keys.key, dossier_name_keys.dossier_id DESC LIMIT ?12 OFFSET ?13"
#define LIST(W, O) "SELECT " DOSSIER_COLS W DOSSIER_FILTERS O
#define COUNT(W) "SELECT count(*) FROM (SELECT 1" W DOSSIER_FILTERS " LIMIT ?19)"
enum shape { SHAPE_KEYS, SHAPE_NAME, SHAPE_STATE, SHAPE_ONE, SHAPE_SCAN };
static const char *const SQL_LIST[5][2] = {
	{LIST(DOSSIER_KEYS, BY_RECEIVED), LIST(DOSSIER_KEYS, BY_DUE)},
	{LIST(DOSSIER_NAME, BY_NAME), LIST(DOSSIER_NAME, BY_DUE)},
	{LIST(DOSSIER_STATE, BY_RECEIVED), LIST(DOSSIER_STATE, BY_DUE)},
	{LIST(DOSSIER_ONE, BY_RECEIVED), LIST(DOSSIER_ONE, BY_DUE)},
	{LIST(DOSSIER_SCAN, BY_RECEIVED), LIST(DOSSIER_SCAN, BY_DUE)},
};
static const char *const SQL_COUNT[5] = {
	COUNT(DOSSIER_KEYS),
	/* a name whose two words start alike ("nguyen thi nguyet", "nguy")
	 * has two matching keys: counted once */
	"SELECT count(DISTINCT i) FROM (SELECT dossiers.id AS i" DOSSIER_NAME DOSSIER_FILTERS " LIMIT ?19)",
	COUNT(DOSSIER_STATE), COUNT(DOSSIER_ONE), COUNT(DOSSIER_SCAN),
};
/* A name's count with no other filter reads the keys only, not the rows
 * (which lie anywhere in the table). */
static const char SQL_COUNT_NAME_KEYS[] =
    "SELECT count(DISTINCT dossier_id) FROM (SELECT dossier_id FROM dossier_name_keys"
    " WHERE key >= ?4 AND key < ?4 || char(1114111) LIMIT ?19)";
static const char SQL_AFTER[] = "SELECT received_at, due_at, id FROM dossiers WHERE code = ?";

/* The states a desk works on: few at any moment, whatever the archive. */
static const char *const OPEN_STATES[] = {"new", "received", "processing", "waiting_supplement",
                                          "waiting_payment", "result_ready"};
#define STATE_MAX 10

struct list_arg {
	const struct store_dossier_query *q;
	const char *match;  /* q->name_key, "" → NULL */
	char states[STATE_MAX][32];
	int nstates;  /* -1: too many or too long for STATE */
	int (*fn)(const struct store_dossier *, void *);
	void *arg;
	int64_t total;
};

/* Splits q->statuses into a->states; nstates -1 when they do not fit. */
static void
split_states(struct list_arg *a)
{
	a->nstates = 0;
	for (const char *p = a->q->statuses; p && *p;) {
		size_t k = strcspn(p, ",");
		if (a->nstates == STATE_MAX || k >= sizeof a->states[0]) {
			a->nstates = -1;
			return;
		}
		if (k)
			snprintf(a->states[a->nstates++], sizeof a->states[0], "%.*s", (int)k, p);
		p += k + (p[k] == ',');
	}
}

static int
is_open(const char *state)
{
	for (size_t i = 0; i < sizeof OPEN_STATES / sizeof OPEN_STATES[0]; i++)
		if (strcmp(state, OPEN_STATES[i]) == 0)
			return 1;
	return 0;
}

static enum shape
shape_of(const struct list_arg *a)
{
	const struct store_dossier_query *q = a->q;
	if (a->match)
		return SHAPE_NAME;
	if (q->code || q->id_number || q->phone)
		return SHAPE_KEYS;
	if (a->nstates <= 0)
		return SHAPE_SCAN;
	if (q->by_due)
		return SHAPE_STATE;
	if (a->nstates == 1)
		return SHAPE_ONE;
	for (int i = 0; i < a->nstates; i++)
		if (!is_open(a->states[i]))
			return SHAPE_SCAN;
	return SHAPE_STATE;
}

/* Binds the filters (?1 … ?11, ?14 … ?16) and the states (STATE: ?20 …
 * ?29, ONE: ?20); the page ?12 ?13 ?17 ?18 is the list's, ?19 the
 * count's. */
static enum err
bind_query(sqlite3_stmt *s, const struct list_arg *a, enum shape sh)
{
	const struct store_dossier_query *q = a->q;
	enum err e = q_bind(s, "TTTTTTTIiii--iIT", q->code, q->id_number, q->phone, a->match, q->statuses,
	                    q->stage, q->unit, q->assignee, q->from ? q->from : INT64_MIN,
	                    q->to ? q->to : INT64_MAX, q->due_before ? q->due_before : INT64_MAX,
	                    q->due_from ? q->due_from : INT64_MIN, q->scope_user, q->scope_unit);
	for (int i = 0; !e && (sh == SHAPE_STATE || (sh == SHAPE_ONE && i == 0)) && i < a->nstates; i++)
		if (sqlite3_bind_text(s, 20 + i, a->states[i], -1, SQLITE_STATIC) != SQLITE_OK)
			e = ERR_INTERNAL;
	return e;
}

/* The page's cursor: the sort key of the dossier q->after (the last of
 * the previous page), or the open end.  The key also closes the index
 * range (received before it + 1 s, due from it on: ?10, ?14), so the page
 * starts there instead of skipping the rows before it; ?17 ?18 break the
 * ties.  ERR_NOT_FOUND for an unknown code. */
static enum err
bind_after(struct conn *c, sqlite3_stmt *s, const struct store_dossier_query *q)
{
	int64_t k = q->by_due ? INT64_MIN : INT64_MAX, id = k;
	if (!q->after || !*q->after)
		return q_bind(s, "----------------ii", k, id);
	sqlite3_stmt *a = db_stmt(c, SQL_AFTER);
	enum err e = a ? q_bind(a, "t", q->after) : ERR_INTERNAL;
	if (e || (e = q_row(a)) != ERR_OK)
		return q_end(a, e) == ERR_OK ? ERR_NOT_FOUND : e;
	k = sqlite3_column_int64(a, q->by_due ? 1 : 0);
	id = sqlite3_column_int64(a, 2);
	sqlite3_reset(a);
	if (q->by_due && (!q->due_from || q->due_from < k))
		e = q_bind(s, "-------------i", k);
	else if (!q->by_due && (!q->to || q->to > k + 1))
		e = q_bind(s, "---------i", k + 1);
	return e ? e : q_bind(s, "----------------ii", k, id);
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	const struct store_dossier_query *q = a->q;
	enum shape sh = shape_of(a);
	int bare = !q->statuses && !q->stage && !q->unit && !q->assignee && !q->from && !q->to && !q->due_before &&
	           !q->due_from && !q->scope_user && !q->scope_unit;
	sqlite3_stmt *s = db_stmt(c, sh == SHAPE_NAME && bare ? SQL_COUNT_NAME_KEYS : SQL_COUNT[sh]);
	enum err e = s ? bind_query(s, a, sh) : ERR_INTERNAL;
	if (e || (e = q_bind(s, "------------------i", q->count_max > 0 ? q->count_max + 1 : (int64_t)-1)) ||
	    (e = q_int(s, &a->total, NULL)))
		return e;
	if (!a->fn)
		return ERR_OK;
	if (!(s = db_stmt(c, SQL_LIST[sh][q->by_due != 0])))
		return ERR_INTERNAL;
	int limit = q->limit <= 0 ? 50 : q->limit > 1000 ? 1000 : q->limit;
	/* the name's order has no cursor (the app refuses one) */
	int by_name = sh == SHAPE_NAME && !q->by_due;
	if ((e = bind_query(s, a, sh)) || (e = q_bind(s, "-----------dd", limit, q->offset < 0 ? 0 : q->offset)) ||
	    (!by_name && (e = bind_after(c, s, q))))
		return e;
	int64_t seen[1000];   /* NAME: a dossier met again under its second key is skipped */
	int nseen = 0;
	while ((e = q_row(s)) == ERR_OK) {
		int64_t id = sqlite3_column_int64(s, 0), dup = 0;
		for (int i = 0; sh == SHAPE_NAME && i < nseen && !dup; i++)
			dup = seen[i] == id;
		if (dup)
			continue;
		if (sh == SHAPE_NAME && nseen < (int)(sizeof seen / sizeof seen[0]))
			seen[nseen++] = id;
		struct store_dossier d;
		if ((e = row_read(s, &d)) != ERR_OK)
			break;
		int stop = a->fn(&d, a->arg);
		store_dossier_free(&d);
		if (stop)
			break;
	}
	return q_end(s, e);
}

enum err
store_dossier_list(struct store *st, const struct store_dossier_query *q,
                   int (*fn)(const struct store_dossier *, void *), void *arg, int64_t *total)
{
	struct list_arg a = {.q = q, .fn = fn, .arg = arg};
	split_states(&a);
	char *words = NULL;
	if (q->name_key && *q->name_key) {
		if (!(words = malloc(strlen(q->name_key) + 1)))
			return ERR_NOMEM;
		text_words(q->name_key, words);
		if (!*words) {   /* no letter or digit to look for: nothing matches */
			free(words);
			if (total)
				*total = 0;
			return ERR_OK;
		}
		a.match = words;
	}
	enum err e = db_read(st, list_fn, &a);
	free(words);
	if (!e && total)
		*total = a.total;
	return e;
}

/* ---- attachments ------------------------------------------------------- */

static const char SQL_ATT_ADD[] =
    "INSERT INTO dossier_attachments (dossier_id, sha256, name, mime, size, at, actor, kind,"
    " component, component_name, reused_from)"
    " SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM dossiers WHERE code = ?"
    " ON CONFLICT (dossier_id, sha256) DO NOTHING RETURNING id";
static const char SQL_ATT_LIST[] =
    "SELECT a.id, a.sha256, a.name, a.mime, a.size, a.at, a.actor, a.kind,"
    " coalesce(a.component, 0), a.component_name, a.reused_from FROM dossier_attachments a"
    " JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = ? ORDER BY a.id";

struct att_arg {
	const char *actor, *code;
	const struct store_attachment *in;
	int (*fn)(const struct store_attachment *, void *);
	void *arg;
};

static enum err
att_add_fn(struct conn *c, void *arg)
{
	struct att_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_ATT_ADD);
	if (!s)
		return ERR_INTERNAL;
	int64_t id = 0;
	const struct store_attachment *in = a->in;
	enum err e = q_bind(s, "tttiitsIsst", in->sha256, in->name, in->mime, in->size, in->at,
	                    a->actor, in->kind[0] ? in->kind : "component", (int64_t)in->component,
	                    in->component_name, in->reused_from, a->code);
	if (e || (e = q_int(s, &id, NULL)))
		return e;
	if (!id) {
		/* no such dossier, or it holds the file already */
		struct store_dossier d;
		struct get_arg g = {a->code, &d, 0};
		if ((e = get_fn(c, &g)) != ERR_OK)
			return e;
		store_dossier_free(&d);
		return ERR_EXISTS;
	}
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s,s:s,s:s,s:I,s:s,s:i}", "sha256", in->sha256, "name", in->name,
	                      "mime", in->mime, "size", (json_int_t)in->size, "kind",
	                      in->kind[0] ? in->kind : "component", "component", in->component);
	if (d && in->reused_from[0])
		json_object_set_new(d, "reused_from", json_string(in->reused_from));
	/* a reuse is its own fact (Decision 766 indicator 4.3) */
	e = db_audit(c, a->actor, in->reused_from[0] ? "dossier.reuse" : "dossier.attach", obj, d);
	json_decref(d);
	return e;
}

enum err
store_attachment_add(struct store *st, const char *actor, const char *code,
                     const struct store_attachment *in)
{
	struct att_arg a = {.actor = actor, .code = code, .in = in};
	return db_tx(st, att_add_fn, &a);
}

void
store_att_extra(sqlite3_stmt *s, int col, struct store_attachment *at)
{
	db_col_text(s, col, at->kind, sizeof at->kind);
	at->component = sqlite3_column_int(s, col + 1);
	db_col_text(s, col + 2, at->component_name, sizeof at->component_name);
	db_col_text(s, col + 3, at->reused_from, sizeof at->reused_from);
}

static enum err
att_list_fn(struct conn *c, void *arg)
{
	struct att_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_ATT_LIST);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", a->code);
	while (!e && (e = q_row(s)) == ERR_OK) {
		struct store_attachment at = {0};
		at.id = sqlite3_column_int64(s, 0);
		db_col_text(s, 1, at.sha256, sizeof at.sha256);
		db_col_text(s, 2, at.name, sizeof at.name);
		db_col_text(s, 3, at.mime, sizeof at.mime);
		at.size = sqlite3_column_int64(s, 4);
		at.at = sqlite3_column_int64(s, 5);
		db_col_text(s, 6, at.actor, sizeof at.actor);
		store_att_extra(s, 7, &at);
		if (a->fn(&at, a->arg))
			break;
	}
	return q_end(s, e);
}

enum err
store_attachments(struct store *st, const char *code,
                  int (*fn)(const struct store_attachment *, void *), void *arg)
{
	struct att_arg a = {.code = code, .fn = fn, .arg = arg};
	return db_read(st, att_list_fn, &a);
}

/* ---- usage ------------------------------------------------------------- */

static const char SQL_TOP[] =
    "SELECT procedure_code, count(*) AS n FROM dossiers WHERE received_at >= ?"
    " GROUP BY procedure_code ORDER BY n DESC, procedure_code LIMIT ?";

struct top_arg {
	int64_t since;
	int n;
	int (*fn)(const char *, int64_t, void *);
	void *arg;
};

static enum err
top_fn(struct conn *c, void *arg)
{
	struct top_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_TOP);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "id", a->since, a->n);
	while (!e && (e = q_row(s)) == ERR_OK)
		if (a->fn(db_col_str(s, 0), sqlite3_column_int64(s, 1), a->arg))
			break;
	return q_end(s, e);
}

enum err
store_dossier_top_procedures(struct store *st, int64_t since, int n,
                             int (*fn)(const char *, int64_t, void *), void *arg)
{
	struct top_arg a = {since, n, fn, arg};
	return db_read(st, top_fn, &a);
}

/* ---- ratings ----------------------------------------------------------- */

struct rating_arg {
	const char *actor, *code, *level, *comment;
	int64_t at;
	char *out;
	size_t n;
	int64_t from, to, *counts;
};

static enum err
rating_add_fn(struct conn *c, void *arg)
{
	struct rating_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "INSERT INTO dossier_ratings (dossier_id, level, comment, at)"
	                             " SELECT id, ?, ?, ? FROM dossiers WHERE code = ?"
	                             " ON CONFLICT (dossier_id) DO NOTHING");
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "tsit", a->level, a->comment, a->at, a->code);
	if (e || (e = q_exec(s)))
		return e;
	if (sqlite3_changes(db_handle(c)) == 0)
		return ERR_EXISTS;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s,s:b}", "level", a->level, "comment", a->comment && *a->comment);
	e = db_audit(c, a->actor, "dossier.rate", obj, d);
	json_decref(d);
	return e;
}

enum err
store_rating_add(struct store *st, const char *actor, const char *code, const char *level,
                 const char *comment, int64_t at)
{
	struct rating_arg a = {.actor = actor, .code = code, .level = level, .comment = comment, .at = at};
	return db_tx(st, rating_add_fn, &a);
}

static enum err
rating_get_fn(struct conn *c, void *arg)
{
	struct rating_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT r.level FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id"
	                             " WHERE d.code = ?");
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "t", a->code);
	return e ? e : q_text(s, 0, a->out, a->n);
}

enum err
store_rating_get(struct store *st, const char *code, char *level, size_t n)
{
	struct rating_arg a = {.code = code, .out = level, .n = n};
	return db_read(st, rating_get_fn, &a);
}

static enum err
rating_counts_fn(struct conn *c, void *arg)
{
	struct rating_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, "SELECT level, count(*) FROM dossier_ratings WHERE at >= ? AND at < ?"
	                             " GROUP BY level");
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "ii", a->from, a->to);
	while (!e && (e = q_row(s)) == ERR_OK) {
		const char *l = (const char *)sqlite3_column_text(s, 0);
		int i = !l ? -1 : strcmp(l, "very_satisfied") == 0 ? 0 : strcmp(l, "satisfied") == 0 ? 1 : 2;
		if (i >= 0)
			a->counts[i] = sqlite3_column_int64(s, 1);
	}
	return q_end(s, e);
}

enum err
store_rating_counts(struct store *st, int64_t from, int64_t to, int64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	struct rating_arg a = {.from = from, .to = to, .counts = out};
	return db_read(st, rating_counts_fn, &a);
}
