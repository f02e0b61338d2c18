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

static const char SQL_SEQ[] =
    "INSERT INTO dossier_sequences (agency, day, last) VALUES (?, ?, 1)"
    " ON CONFLICT (agency, day) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_ROW[] =
    "INSERT INTO dossiers (code, procedure_version_id, procedure_code, channel, applicant,"
    " applicant_name, applicant_key, id_number, phone, documents, note, status, stage,"
    " received_at, due_at, received_by, updated_at, procedure_name, fee, unit, due_by_hand,"
    " fee_status, pay_channel, receipt_no, paid_at, paused_at, appointment_at, finished_at,"
    " assignee, version, resume_state, resume_stage)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_EVENT[] =
    "INSERT INTO dossier_events (dossier_id, at, actor, action, from_state, to_state, note, details,"
    " step_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_RATING[] =
    "INSERT INTO dossier_ratings (dossier_id, level, comment, at) VALUES (?, ?, '', ?)";
static const char SQL_FILE[] =
    "INSERT INTO dossier_attachments (dossier_id, sha256, name, mime, size, at, actor, kind,"
    " component, component_name, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct demo_arg {
	const char *actor;
	struct store_demo_dossier *d;
	size_t n;
	int64_t first, last;
};

/* The next code of the dossier's receipt day into code. */
static enum err
demo_code(struct conn *c, const struct store_dossier_in *in, char *code, size_t n)
{
	char day[8];
	snprintf(day, sizeof day, "%02d%02d%02d", in->yy % 100, in->mm, in->dd);
	sqlite3_stmt *s = db_stmt(c, SQL_SEQ);
	int64_t seq = 0;
	enum err e = s ? q_bind(s, "tt", in->agency, day) : ERR_INTERNAL;
	if (e || (e = q_int(s, &seq, NULL)))
		return e;
	return ident_dossier_code_format(in->agency, in->yy % 100, in->mm, in->dd, (long)seq, code, n) == IDENT_OK
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
	return e ? e : q_int(s, id, NULL);
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
demo_one(struct conn *c, const char *actor, struct store_demo_dossier *d, int64_t *id)
{
	const struct store_dossier_in *in = &d->in;
	char *code = d->code;
	enum err e = demo_code(c, in, code, sizeof d->code);
	if (e)
		return e;
	char *app = typed_applicant_json(in->person, in->rep);
	char *docs = typed_documents_json(in->docs, in->ndocs);
	e = app && docs ? demo_row(c, d->clerk ? d->clerk : actor, d, code, app, docs, id)
	                : ERR_NOMEM;
	free(app);
	free(docs);
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
	for (size_t i = 0; i < a->n && !e; i++) {
		int64_t id = 0;
		e = demo_one(c, a->actor, &a->d[i], &id);
		if (i == 0)
			a->first = id;
		a->last = id;
	}
	if (e)
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
	struct demo_arg a = {actor, d, n, 0, 0};
	enum err e = db_tx(st, demo_fn, &a);
	if (!e) {
		*first_id = a.first;
		*last_id = a.last;
	}
	return e;
}
