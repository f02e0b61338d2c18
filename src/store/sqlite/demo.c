/*
 * demo.c — `motcua demo`'s bulk path (issue #15 item 5).  Millions of
 * made-up dossiers cannot go through the desk's one-transaction-per-
 * action path (each with its audit event and fsync) in minutes, so a
 * batch of them is written in one transaction with statements prepared
 * once (db_stmt caches them per connection), and the audit trail gets
 * one "demo.batch" event naming the ids it covers instead of one event
 * per dossier and action.  The rows are the desk's own shapes: the
 * same columns, the same per-day numbering (dossier_sequences), one
 * timeline row per version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/ident.h"
#include "store/sqlite/db.h"
#include "store/sqlite/typed.h"

/* The day's counter is read once, counted here, and written back when
 * the day changes and at the end of the batch, all inside the batch's
 * write transaction: the same numbers as the desk's per-row upsert, with
 * no RETURNING (which costs a temporary table per row). */
static const char SQL_SEQ_GET[] =
    "SELECT last FROM dossier_sequences WHERE agency = ? AND day = ?";
static const char SQL_SEQ_PUT[] =
    "INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, ?)"
    " ON CONFLICT (agency, day) DO UPDATE SET last = excluded.last";
static const char SQL_ROW[] =
    "INSERT INTO dossiers (code, procedure_version_id, procedure_code, channel, applicant,"
    " applicant_name, applicant_key, id_number, phone, documents, note, status, stage,"
    " received_at, due_at, received_by, updated_at, procedure_name, fee, unit, due_by_hand,"
    " fee_status, pay_channel, receipt_no, paid_at, paused_at, appointment_at, finished_at,"
    " assignee, version, resume_state, resume_stage)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note, details,"
    " step_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_RATING[] =
    "INSERT INTO dossier_ratings (dossier_id, level, comment, at) VALUES (?, ?, '', ?)";
static const char SQL_FILE[] =
    "INSERT INTO dossier_attachments (dossier_id, sha256, name, mime, size, at, actor, kind,"
    " component, component_name, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Checklists repeat (one per procedure): their JSON is built once per
 * batch, keyed by the caller's array. */
#define DOC_CACHE 256
struct demo_arg {
	const char *actor;
	struct store_demo_dossier *d;
	size_t n;
	int64_t first, last;
	struct {
		const struct store_doc *docs;
		char *json;
	} doc_cache[DOC_CACHE];
	size_t ndoc_cache;
	const char *seq_agency;      /* the counter being counted: agency, day, last */
	char seq_day[8];
	int64_t seq_last;
};

/* The checklist's JSON, from the batch's cache (NULL when out of memory). */
static const char *
docs_json(struct demo_arg *a, const struct store_dossier_in *in)
{
	for (size_t i = 0; i < a->ndoc_cache; i++)
		if (a->doc_cache[i].docs == in->docs)
			return a->doc_cache[i].json;
	char *j = typed_documents_json(in->docs, in->ndocs);
	if (j && a->ndoc_cache < DOC_CACHE) {
		a->doc_cache[a->ndoc_cache].docs = in->docs;
		a->doc_cache[a->ndoc_cache++].json = j;
	} else if (j) {
		/* more checklists than the cache holds: keep the first ones */
		a->doc_cache[DOC_CACHE - 1].docs = NULL;
		free(a->doc_cache[DOC_CACHE - 1].json);
		a->doc_cache[DOC_CACHE - 1].docs = in->docs;
		a->doc_cache[DOC_CACHE - 1].json = j;
	}
	return j;
}

/* Writes the counter being counted back. */
static enum err
seq_put(struct conn *c, struct demo_arg *a)
{
	if (!a->seq_agency)
		return ERR_OK;
	sqlite3_stmt *s = db_stmt(c, SQL_SEQ_PUT);
	enum err e = s ? q_bind(s, "tti", a->seq_agency, a->seq_day, a->seq_last) : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

/* The next code of the dossier's receipt day into code. */
static enum err
demo_code(struct conn *c, struct demo_arg *a, const struct store_dossier_in *in, char *code, size_t n)
{
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm, in->dd);
	if (!a->seq_agency || strcmp(a->seq_agency, in->agency) != 0 || strcmp(a->seq_day, day) != 0) {
		enum err e = seq_put(c, a);
		sqlite3_stmt *s = e ? NULL : db_stmt(c, SQL_SEQ_GET);
		if (!s)
			return e ? e : ERR_INTERNAL;
		if ((e = q_bind(s, "tt", in->agency, day)) || (e = q_int(s, &a->seq_last, NULL)))
			return e;
		a->seq_agency = in->agency;
		memcpy(a->seq_day, day, sizeof day);
	}
	a->seq_last++;
	return ident_dossier_code_format(in->agency, in->yy % 100, in->mm, in->dd, (long)a->seq_last, code, n) == IDENT_OK
	           ? ERR_OK : ERR_INTERNAL;
}

static enum err
demo_row(struct conn *c, const char *actor, const struct store_demo_dossier *d, const char *code,
         const char *applicant, const char *documents, int64_t *id)
{
	const struct store_dossier_in *in = &d->in;
	sqlite3_stmt *s = db_stmt(c, SQL_ROW);
	enum err e = s ? q_bind(s, "titttttTTtstsiitisisi", code, in->procedure_version_id, in->procedure_code,
	                        in->channel, applicant, in->applicant_name, in->applicant_key, in->id_number,
	                        in->phone, documents, in->note, d->status, d->stage, in->received_at,
	                        d->due_at, actor, d->updated_at, in->procedure_name, in->fee, in->unit,
	                        (int64_t)(in->due_by_hand != 0))
	               : ERR_INTERNAL;
	if (!e)
		e = q_bind(s, "---------------------sssIIIIIiss", in->fee_status ? in->fee_status : "unpaid",
		           in->pay_channel, in->receipt_no, in->paid_at, d->paused_at, d->appointment_at,
		           d->finished_at, d->assignee, (int64_t)(1 + d->nev), d->resume_state, d->resume_stage);
	if (!e && !(e = q_exec(s)))
		*id = sqlite3_last_insert_rowid(db_handle(c));
	return e ? e : db_dossier_name_add(c, *id, in->applicant_key);
}

static enum err
demo_event(struct conn *c, int64_t id, const struct store_demo_event *ev)
{
	char *details = ev->facts ? typed_facts_json(ev->facts) : NULL;
	if (ev->facts && !details)
		return ERR_NOMEM;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENT);
	enum err e = s ? q_bind(s, "iittttstI", id, ev->at, ev->actor, ev->action, ev->from, ev->to,
	                        ev->note, details ? details : "{}", ev->step_due)
	               : ERR_INTERNAL;
	if (!e)
		e = q_exec(s);
	free(details);
	return e;
}

/* The rating and the attachments of dossier id. */
static enum err
demo_extras(struct conn *c, const char *actor, const struct store_demo_dossier *d, int64_t id)
{
	sqlite3_stmt *s;
	enum err e = ERR_OK;
	if (d->rating) {
		if (!(s = db_stmt(c, SQL_RATING)))
			return ERR_INTERNAL;
		if ((e = q_bind(s, "iti", id, d->rating, d->rated_at)) || (e = q_exec(s)))
			return e;
	}
	for (size_t i = 0; i < d->nfiles && !e; i++) {
		const struct store_demo_file *f = &d->files[i];
		if (!(s = db_stmt(c, SQL_FILE)))
			return ERR_INTERNAL;
		if (!(e = q_bind(s, "itttiitsIss", id, f->sha256, f->name, f->mime, f->size,
		                 d->finished_at ? d->finished_at : d->in.received_at, d->clerk ? d->clerk : actor, f->kind,
		                 (int64_t)f->component, f->component_name, f->reused_from)))
			e = q_exec(s);
	}
	return e;
}

static enum err
demo_one(struct conn *c, struct demo_arg *a, struct store_demo_dossier *d, int64_t *id)
{
	const char *actor = a->actor;
	const struct store_dossier_in *in = &d->in;
	char *code = d->code;
	enum err e = demo_code(c, a, in, code, sizeof d->code);
	if (e)
		return e;
	char *app = typed_applicant_json(in->person, in->rep);
	const char *docs = docs_json(a, in);
	e = app && docs ? demo_row(c, d->clerk ? d->clerk : actor, d, code, app, docs, id)
	                : ERR_NOMEM;
	free(app);
	if (e)
		return e;
	struct store_demo_event first = {
		.at = in->received_at, .actor = d->clerk ? d->clerk : actor, .from = "", .to = in->status, .note = in->note,
		.action = strcmp(in->status, "new") == 0 ? "submit" : "receive",
	};
	if ((e = demo_event(c, *id, &first)))
		return e;
	for (size_t i = 0; i < d->nev && !e; i++)
		e = demo_event(c, *id, &d->ev[i]);
	return e ? e : demo_extras(c, actor, d, *id);
}

static enum err
demo_fn(struct conn *c, void *arg)
{
	struct demo_arg *a = arg;
	enum err e = ERR_OK;
	/* a bulk writer touches every index: a large page cache saves
	 * re-reading them (this connection only; about 256 MB at most) */
	sqlite3_exec(db_handle(c), "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	a->seq_agency = NULL;   /* a retried transaction counts afresh */
	for (size_t i = 0; i < a->n && !e; i++) {
		int64_t id = 0;
		e = demo_one(c, a, &a->d[i], &id);
		if (i == 0)
			a->first = id;
		a->last = id;
	}
	if (e || (e = seq_put(c, a)))
		return e;
	json_t *det = json_pack("{s:s,s:I,s:I,s:I}", "note", "demo data", "count", (json_int_t)a->n,
	                        "first_id", (json_int_t)a->first, "last_id", (json_int_t)a->last);
	char obj[64];
	snprintf(obj, sizeof obj, "demo:%lld-%lld", (long long)a->first, (long long)a->last);
	e = det ? db_audit(c, a->actor, "demo.batch", obj, det) : ERR_NOMEM;
	json_decref(det);
	return e;
}

enum err
store_demo_put(struct store *st, const char *actor, struct store_demo_dossier *d, size_t n,
               int64_t *first_id, int64_t *last_id)
{
	if (!n)
		return ERR_OK;
	struct demo_arg a = {.actor = actor, .d = d, .n = n};
	enum err e = db_tx(st, demo_fn, &a);
	for (size_t i = 0; i < a.ndoc_cache; i++)
		free(a.doc_cache[i].json);
	if (!e) {
		*first_id = a.first;
		*last_id = a.last;
	}
	return e;
}
