/*
 * dossiers.c — the one-stop desk's records.  Numbering and insertion run
 * in one transaction (BEGIN IMMEDIATE through db_tx, so concurrent clerks
 * queue on the write lock): a rolled-back intake gives its number back,
 * and no two dossiers ever share one.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ident.h"
#include "store/sqlite/db.h"
#include "store/sqlite/typed.h"

static const char SQL_SEQ_NEXT[] =
    "INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, 1)"
    " ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_DOSSIER_INSERT[] =
    "INSERT INTO dossiers (code, procedure_version_id, procedure_code, channel, applicant,"
    " applicant_name, applicant_key, id_number, phone, documents, note, status, stage,"
    " received_at, due_at, received_by, updated_at, procedure_name, fee, unit)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define DOSSIER_COLS \
    "id, code, procedure_version_id, procedure_code, channel, status, stage, received_by," \
    " applicant, documents, note, received_at, due_at, updated_at, coalesce(phone, '')," \
    " coalesce(id_number, ''), resume_state, resume_stage, coalesce(assignee, 0)," \
    " coalesce(paused_at, 0), coalesce(appointment_at, 0), coalesce(finished_at, 0), version," \
    " procedure_name, fee, unit, applicant_name"
static const char SQL_DOSSIER_GET[] = "SELECT " DOSSIER_COLS " FROM dossiers WHERE code = ?";

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
	sqlite3_stmt *s;
	int rc;
	a->replayed = 0;
	if (a->key[0]) {
		/* inside BEGIN IMMEDIATE: a concurrent send of the same key waits
		 * for this one and then finds its row */
		if (!(s = db_stmt(c, SQL_SUBMISSION_GET)))
			return ERR_INTERNAL;
		sqlite3_bind_text(s, 1, a->key, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			db_col_text(s, 0, a->code, sizeof a->code);
			sqlite3_reset(s);
			a->replayed = 1;
			return ERR_OK;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_err(rc);
	}
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm, in->dd);
	s = db_stmt(c, SQL_SEQ_NEXT);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, in->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
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
	sqlite3_bind_text(s, k++, in->procedure_name ? in->procedure_name : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, in->fee);
	sqlite3_bind_text(s, k++, in->unit ? in->unit : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	/* the timeline starts with the intake */
	s = db_stmt(c, SQL_FIRST_EVENT);
	if (!s)
		return ERR_INTERNAL;
	k = 1;
	sqlite3_bind_int64(s, k++, in->received_at);
	sqlite3_bind_text(s, k++, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, strcmp(in->status, "new") == 0 ? "submit" : "receive", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, in->note ? in->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, a->code, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (a->key[0]) {
		if (!(s = db_stmt(c, SQL_SUBMISSION_PUT)))
			return ERR_INTERNAL;
		sqlite3_bind_text(s, 1, a->key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, in->received_at);
		sqlite3_bind_text(s, 3, a->code, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_err(rc);
	}
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
	enum err e = db_audit(c, a->actor, strcmp(in->status, "new") == 0 ? "dossier.submit"
	                                   : "dossier.receive", obj, d);
	json_decref(d);
	return e;
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
	enum err e = db_tx(st, create_fn, &a);
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
};

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return strdup(t ? (const char *)t : "");
}

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
	d->procedure_name = col_dup(s, 23);
	d->fee = sqlite3_column_int64(s, 24);
	d->unit = col_dup(s, 25);
	d->applicant_name = col_dup(s, 26);
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
	sqlite3_stmt *s = db_stmt(c, SQL_DOSSIER_GET);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc);
	}
	enum err e = row_read(s, a->out);
	sqlite3_reset(s);
	if (e)
		return e;
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
	free(d->procedure_name);
	free(d->unit);
	free(d->applicant_name);
	d->applicant = d->documents = d->note = d->procedure_name = d->unit = d->applicant_name = NULL;
}

/* ---- actions ---------------------------------------------------------- */

static const char SQL_APPLY[] =
    "UPDATE dossiers SET status = ?, stage = ?, resume_state = ?, resume_stage = ?, due_at = ?,"
    " paused_at = ?, appointment_at = ?, finished_at = ?, assignee = ?, unit = coalesce(?, unit),"
    " version = version + 1, updated_at = ? WHERE code = ? AND version = ? RETURNING id, version, unit";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note, details,"
    " step_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

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
	if (ch->unit)
		sqlite3_bind_text(s, k++, ch->unit, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, k++);
	sqlite3_bind_int64(s, k++, ch->at);
	sqlite3_bind_text(s, k++, a->code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, ch->expected_version);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	int64_t version = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : 0;
	char unit[256] = "";
	if (rc == SQLITE_ROW)
		db_col_text(s, 2, unit, sizeof unit);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (!id)
		return ERR_CONFLICT;   /* someone else acted first (or no such dossier) */
	assert(version == ch->expected_version + 1);
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
	bind_int_or_null(s, k++, ch->step_due);
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
	/* the row as it is now, for `motcua check` (verify.c) */
	json_object_set_new(d, "state", json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "status", ch->status,
	                                          "stage", ch->stage ? ch->stage : "", "version", (json_int_t)version,
	                                          "due_at", (json_int_t)ch->due_at, "paused_at",
	                                          (json_int_t)ch->paused_at, "finished_at",
	                                          (json_int_t)ch->finished_at, "assignee",
	                                          (json_int_t)ch->assignee, "unit", unit));
	enum err e = db_audit(c, a->actor, ch->event, obj, d);
	json_decref(d);
	return e;
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

static const char *
col_str(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

static enum err
events_fn(struct conn *c, void *arg)
{
	struct events_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENTS);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dossier_event ev = {
			.at = sqlite3_column_int64(s, 0), .actor = col_str(s, 1), .action = col_str(s, 2),
			.from = col_str(s, 3), .to = col_str(s, 4), .note = col_str(s, 5),
			.details = col_str(s, 6), .step_due = sqlite3_column_int64(s, 7),
		};
		if (a->fn(&ev, a->arg))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
store_dossier_events(struct store *st, const char *code,
                     int (*fn)(const struct store_dossier_event *, void *), void *arg)
{
	struct events_arg a = {code, fn, arg};
	return db_read(st, events_fn, &a);
}

/* ---- search ------------------------------------------------------------ */

/* Three shapes, each prepared once and cached: without a text filter;
 * exact keys only (code, ID, phone: the matching ids come from their
 * indexes, so the query starts from those rows); and with a name part
 * (a scan in the wanted order that stops at the page's end).  The other
 * filters are "(? IS NULL OR …)". */
#define DOSSIER_EXACT \
    " ?4 IS NULL AND id IN (SELECT id FROM dossiers WHERE code = ?1" \
    " UNION SELECT id FROM dossiers WHERE id_number = ?2" \
    " UNION SELECT id FROM dossiers WHERE phone = ?3)"
#define DOSSIER_NAME \
    " (code = ?1 OR id_number = ?2 OR phone = ?3" \
    "  OR applicant_key LIKE '%' || ?4 || '%' ESCAPE '\\')"
#define DOSSIER_NOTEXT " ?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL"
#define DOSSIER_FILTERS \
    "   AND (?5 IS NULL OR instr(',' || ?5 || ',', ',' || status || ',') > 0)" \
    "   AND (?6 IS NULL OR stage = ?6)" \
    "   AND (?7 IS NULL OR unit = ?7)" \
    "   AND (?8 IS NULL OR assignee = ?8)" \
    "   AND (?9 IS NULL OR received_at >= ?9)" \
    "   AND (?10 IS NULL OR received_at < ?10)" \
    "   AND (?11 IS NULL OR due_at < ?11)" \
    "   AND (?14 IS NULL OR due_at >= ?14)" \
    "   AND ((?15 IS NULL AND ?16 IS NULL) OR assignee = ?15 OR unit = ?16)"
#define BY_RECEIVED " ORDER BY received_at DESC, id DESC LIMIT ?12 OFFSET ?13"
#define BY_DUE " ORDER BY due_at, id LIMIT ?12 OFFSET ?13"
#define LIST(W, O) "SELECT " DOSSIER_COLS " FROM dossiers WHERE" W DOSSIER_FILTERS O
static const char *const SQL_LIST[3][2] = {
	{LIST(DOSSIER_NOTEXT, BY_RECEIVED), LIST(DOSSIER_NOTEXT, BY_DUE)},
	{LIST(DOSSIER_EXACT, BY_RECEIVED), LIST(DOSSIER_EXACT, BY_DUE)},
	{LIST(DOSSIER_NAME, BY_RECEIVED), LIST(DOSSIER_NAME, BY_DUE)},
};
static const char *const SQL_COUNT[3] = {
	"SELECT count(*) FROM dossiers WHERE" DOSSIER_NOTEXT DOSSIER_FILTERS,
	"SELECT count(*) FROM dossiers WHERE" DOSSIER_EXACT DOSSIER_FILTERS,
	"SELECT count(*) FROM dossiers WHERE" DOSSIER_NAME DOSSIER_FILTERS,
};

struct list_arg {
	const struct store_dossier_query *q;
	char *like;  /* name_key with LIKE's wildcards escaped */
	int (*fn)(const struct store_dossier *, void *);
	void *arg;
	int64_t total;
};

static void
bind_query(sqlite3_stmt *s, const struct list_arg *a)
{
	const struct store_dossier_query *q = a->q;
	bind_opt(s, 1, q->code);
	bind_opt(s, 2, q->id_number);
	bind_opt(s, 3, q->phone);
	bind_opt(s, 4, a->like);
	bind_opt(s, 5, q->statuses);
	bind_opt(s, 6, q->stage);
	bind_opt(s, 7, q->unit);
	bind_int_or_null(s, 8, q->assignee);
	bind_int_or_null(s, 9, q->from);
	bind_int_or_null(s, 10, q->to);
	bind_int_or_null(s, 11, q->due_before);
	bind_int_or_null(s, 14, q->due_from);
	bind_int_or_null(s, 15, q->scope_user);
	bind_opt(s, 16, q->scope_unit);
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	const struct store_dossier_query *q = a->q;
	int text = a->like ? 2 : (q->code || q->id_number || q->phone) ? 1 : 0;
	sqlite3_stmt *s = db_stmt(c, SQL_COUNT[text]);
	if (!s)
		return ERR_INTERNAL;
	bind_query(s, a);
	int rc = sqlite3_step(s);
	a->total = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return db_err(rc);
	if (!a->fn)
		return ERR_OK;
	s = db_stmt(c, SQL_LIST[text][a->q->by_due != 0]);
	if (!s)
		return ERR_INTERNAL;
	bind_query(s, a);
	int limit = a->q->limit <= 0 ? 50 : a->q->limit > 1000 ? 1000 : a->q->limit;
	sqlite3_bind_int(s, 12, limit);
	sqlite3_bind_int(s, 13, a->q->offset < 0 ? 0 : a->q->offset);
	enum err e = ERR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_dossier d;
		if ((e = row_read(s, &d)) != ERR_OK)
			break;
		int stop = a->fn(&d, a->arg);
		store_dossier_free(&d);
		if (stop)
			break;
	}
	sqlite3_reset(s);
	if (e)
		return e;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
store_dossier_list(struct store *st, const struct store_dossier_query *q,
                   int (*fn)(const struct store_dossier *, void *), void *arg, int64_t *total)
{
	struct list_arg a = {.q = q, .fn = fn, .arg = arg};
	if (q->name_key && *q->name_key) {
		size_t n = strlen(q->name_key);
		a.like = malloc(2 * n + 1);
		if (!a.like)
			return ERR_NOMEM;
		char *o = a.like;
		for (const char *p = q->name_key; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o = 0;
	}
	enum err e = db_read(st, list_fn, &a);
	free(a.like);
	if (!e && total)
		*total = a.total;
	return e;
}

/* ---- attachments ------------------------------------------------------- */

static const char SQL_ATT_ADD[] =
    "INSERT INTO dossier_attachments (dossier_id, sha256, name, mime, size, at, actor)"
    " SELECT id, ?, ?, ?, ?, ?, ? FROM dossiers WHERE code = ?"
    " ON CONFLICT (dossier_id, sha256) DO NOTHING RETURNING id";
static const char SQL_ATT_LIST[] =
    "SELECT a.id, a.sha256, a.name, a.mime, a.size, a.at, a.actor FROM dossier_attachments a"
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
	int k = 1;
	sqlite3_bind_text(s, k++, a->in->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, a->in->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, a->in->mime, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, k++, a->in->size);
	sqlite3_bind_int64(s, k++, a->in->at);
	sqlite3_bind_text(s, k++, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, k++, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (!id) {
		/* no such dossier, or it holds the file already */
		struct store_dossier d;
		struct get_arg g = {a->code, &d};
		enum err e = get_fn(c, &g);
		if (e)
			return e;
		store_dossier_free(&d);
		return ERR_EXISTS;
	}
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s,s:s,s:s,s:I}", "sha256", a->in->sha256, "name", a->in->name,
	                      "mime", a->in->mime, "size", (json_int_t)a->in->size);
	enum err e = db_audit(c, a->actor, "dossier.attach", obj, d);
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

static enum err
att_list_fn(struct conn *c, void *arg)
{
	struct att_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_ATT_LIST);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_attachment at = {0};
		at.id = sqlite3_column_int64(s, 0);
		db_col_text(s, 1, at.sha256, sizeof at.sha256);
		db_col_text(s, 2, at.name, sizeof at.name);
		db_col_text(s, 3, at.mime, sizeof at.mime);
		at.size = sqlite3_column_int64(s, 4);
		at.at = sqlite3_column_int64(s, 5);
		db_col_text(s, 6, at.actor, sizeof at.actor);
		if (a->fn(&at, a->arg))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
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
	sqlite3_bind_int64(s, 1, a->since);
	sqlite3_bind_int(s, 2, a->n);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (a->fn(col_str(s, 0), sqlite3_column_int64(s, 1), a->arg))
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK : db_err(rc);
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
	sqlite3_bind_text(s, 1, a->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, a->comment ? a->comment : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, a->at);
	sqlite3_bind_text(s, 4, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_err(rc);
	if (sqlite3_changes(db_handle(c)) == 0)
		return ERR_EXISTS;
	char obj[96];
	snprintf(obj, sizeof obj, "dossier:%s", a->code);
	json_t *d = json_pack("{s:s,s:b}", "level", a->level, "comment", a->comment && *a->comment);
	enum err e = db_audit(c, a->actor, "dossier.rate", obj, d);
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
	sqlite3_bind_text(s, 1, a->code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		db_col_text(s, 0, a->out, a->n);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? ERR_OK : rc == SQLITE_DONE ? ERR_NOT_FOUND : db_err(rc);
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
	sqlite3_bind_int64(s, 1, a->from);
	sqlite3_bind_int64(s, 2, a->to);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(s, 0);
		int i = !l ? -1 : strcmp(l, "very_satisfied") == 0 ? 0 : strcmp(l, "satisfied") == 0 ? 1 : 2;
		if (i >= 0)
			a->counts[i] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? ERR_OK : db_err(rc);
}

enum err
store_rating_counts(struct store *st, int64_t from, int64_t to, int64_t out[3])
{
	out[0] = out[1] = out[2] = 0;
	struct rating_arg a = {.from = from, .to = to, .counts = out};
	return db_read(st, rating_counts_fn, &a);
}
