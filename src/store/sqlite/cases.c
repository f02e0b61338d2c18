/*
 * cases.c — complaints, denunciations, petitions and feedback in SQLite
 * (store/cases.h).  Each change writes the case, its timeline row and its
 * audit event in one transaction; the sender's row is read only by
 * store_case_party.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "store/cases.h"
#include "store/sqlite/db.h"
#include "store/sqlite/secret.h"

/* The columns of a case, in the order case_row reads them. */
#define CASE_COLS                                                                                              \
	"c.id, c.code, c.kind, c.stage, c.channel, c.category, COALESCE(k.name, ''), c.subject, c.respondent, "    \
	"c.papers, c.address, c.lat, c.lon, c.anonymous, c.remote, c.complexity, c.extensions, c.intake_ext, "     \
	"c.received_at, c.accepted_at, c.decided_at, c.closed_at, c.due_at, c.resolve_due, c.handler_id, "         \
	"c.decider_id, COALESCE(NULLIF(h.full_name, ''), h.username, ''), "                                       \
	"COALESCE(NULLIF(d.full_name, ''), d.username, ''), c.unit, COALESCE(dup.code, ''), COALESCE(par.code, ''), " \
	"c.forwarded_to, c.reason, c.decision_no, c.verdict, c.published_at, c.finished_late, "                    \
	"COALESCE(c.token, ''), c.source, c.citizen_id, c.updated_at, c.version, "                                 \
	"(SELECT count(*) FROM cases x WHERE x.duplicate_of = c.id), COALESCE(c.owner_hash, ''), c.content, "      \
	"c.decision_text, c.public_answer"
#define CASE_FROM                                                                                              \
	" FROM cases c LEFT JOIN case_categories k ON k.code = c.category"                                        \
	" LEFT JOIN users h ON h.id = c.handler_id LEFT JOIN users d ON d.id = c.decider_id"                       \
	" LEFT JOIN cases dup ON dup.id = c.duplicate_of LEFT JOIN cases par ON par.id = c.parent_id"

static const char SQL_GET[] = "SELECT " CASE_COLS CASE_FROM " WHERE c.code = ?";

static int64_t
col_i(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* Room for one more element in a growing array (*p of *cap elements, n
 * used); 0, or -1 when out of memory. */
static int
grow(void *pp, size_t *cap, size_t n, size_t size, size_t first)
{
	void **p = pp;
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : first;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

/* The keyed hash of a citizen's account ("" when no key exists yet). */
static void
owner_of(struct store *st, int64_t citizen, char out[33])
{
	unsigned char key[32];
	out[0] = '\0';
	if (db_secret_key(st, 0, key) != ERR_OK)
		return;
	char who[32];
	snprintf(who, sizeof who, "citizen:%lld", (long long)citizen);
	db_match_hash(key, who, out);
	sodium_memzero(key, sizeof key);
}

int
store_case_owned_by(struct store *st, const struct store_case *c, int64_t citizen)
{
	if (!citizen)
		return 0;
	if (c->citizen_id)
		return c->citizen_id == citizen;
	if (!c->owner_hash[0])
		return 0;
	char h[33];
	owner_of(st, citizen, h);
	return h[0] && sodium_memcmp(h, c->owner_hash, 33) == 0;
}

/* Reads a case row; full: also the long texts (content, decision, answer). */
static enum err
case_row(sqlite3_stmt *s, struct store_case *o, int full, int with_answer)
{
	memset(o, 0, sizeof *o);
	int i = 0;
	o->id = col_i(s, i++);
	db_col_text(s, i++, o->code, sizeof o->code);
	db_col_text(s, i++, o->kind, sizeof o->kind);
	db_col_text(s, i++, o->stage, sizeof o->stage);
	db_col_text(s, i++, o->channel, sizeof o->channel);
	db_col_text(s, i++, o->category, sizeof o->category);
	db_col_text(s, i++, o->category_name, sizeof o->category_name);
	db_col_text(s, i++, o->subject, sizeof o->subject);
	db_col_text(s, i++, o->respondent, sizeof o->respondent);
	db_col_text(s, i++, o->papers, sizeof o->papers);
	db_col_text(s, i++, o->address, sizeof o->address);
	o->has_location = sqlite3_column_type(s, i) != SQLITE_NULL;
	o->lat = sqlite3_column_double(s, i++);
	o->lon = sqlite3_column_double(s, i++);
	o->anonymous = (int)col_i(s, i++);
	o->remote = (int)col_i(s, i++);
	o->complexity = (int)col_i(s, i++);
	o->extensions = (int)col_i(s, i++);
	o->intake_ext = (int)col_i(s, i++);
	o->received_at = col_i(s, i++);
	o->accepted_at = col_i(s, i++);
	o->decided_at = col_i(s, i++);
	o->closed_at = col_i(s, i++);
	o->due_at = col_i(s, i++);
	o->resolve_due = col_i(s, i++);
	o->handler_id = col_i(s, i++);
	o->decider_id = col_i(s, i++);
	db_col_text(s, i++, o->handler_name, sizeof o->handler_name);
	db_col_text(s, i++, o->decider_name, sizeof o->decider_name);
	db_col_text(s, i++, o->unit, sizeof o->unit);
	db_col_text(s, i++, o->duplicate_of, sizeof o->duplicate_of);
	db_col_text(s, i++, o->parent, sizeof o->parent);
	db_col_text(s, i++, o->forwarded_to, sizeof o->forwarded_to);
	db_col_text(s, i++, o->reason, sizeof o->reason);
	db_col_text(s, i++, o->decision_no, sizeof o->decision_no);
	db_col_text(s, i++, o->verdict, sizeof o->verdict);
	o->published_at = col_i(s, i++);
	o->finished_late = sqlite3_column_type(s, i) == SQLITE_NULL ? -1 : (int)col_i(s, i);
	i++;
	db_col_text(s, i++, o->token, sizeof o->token);
	db_col_text(s, i++, o->source, sizeof o->source);
	o->citizen_id = col_i(s, i++);
	o->updated_at = col_i(s, i++);
	o->version = (int)col_i(s, i++);
	o->linked = (int)col_i(s, i++);
	db_col_text(s, i++, o->owner_hash, sizeof o->owner_hash);
	if (full) {
		o->content = db_col_dup(s, i);
		o->decision_text = db_col_dup(s, i + 1);
		o->public_answer = db_col_dup(s, i + 2);
		if (!o->content || !o->decision_text || !o->public_answer) {
			store_case_free(o);
			return ERR_NOMEM;
		}
	} else if (with_answer) {
		if (!(o->public_answer = db_col_dup(s, i + 2)))
			return ERR_NOMEM;
	}
	return ERR_OK;
}

void
store_case_free(struct store_case *c)
{
	free(c->content);
	free(c->decision_text);
	free(c->public_answer);
	c->content = c->decision_text = c->public_answer = NULL;
}

struct get_arg {
	const char *code;
	struct store_case *out;
};

static enum err
get_fn(struct conn *c, void *arg)
{
	struct get_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_GET);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	e = case_row(s, a->out, 1, 0);
	sqlite3_reset(s);
	return e;
}

enum err
store_case_get(struct store *st, const char *code, struct store_case *out)
{
	memset(out, 0, sizeof *out);
	struct get_arg a = {code, out};
	return db_read(st, get_fn, &a);
}

static const char SQL_BY_TOKEN[] = "SELECT code FROM cases WHERE token = ?";

struct tok_arg {
	const char *token;
	char *code;
};

static enum err
tok_fn(struct conn *c, void *arg)
{
	struct tok_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_BY_TOKEN);
	enum err e = s ? q_bind(s, "t", a->token) : ERR_INTERNAL;
	return e ? e : q_text(s, 0, a->code, 24);
}

enum err
store_case_by_token(struct store *st, const char *token, char code[24])
{
	struct tok_arg a = {token, code};
	code[0] = '\0';
	return db_read(st, tok_fn, &a);
}

/* ---- creation ---------------------------------------------------------- */

static const char SQL_BY_KEY[] = "SELECT code, COALESCE(token, ''), received_at, COALESCE(due_at, 0) FROM cases "
                                 "WHERE submit_key = ?";
static const char SQL_NEXT_NO[] = "SELECT count(*) FROM cases WHERE code LIKE ? ESCAPE '\\'";
static const char SQL_PARENT[] = "SELECT id FROM cases WHERE code = ?";
static const char SQL_REPEAT[] =
    "SELECT c.id, c.code FROM cases c JOIN case_parties p ON p.case_id = c.id"
    " WHERE p.match_key = ?1 AND c.subject_key = ?2 AND c.duplicate_of IS NULL"
    " AND c.stage NOT IN ('closed', 'not_accepted', 'forwarded', 'withdrawn', 'merged')"
    " AND (',' || ?3 || ',') LIKE ('%,' || c.kind || ',%') ORDER BY c.id LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO cases (code, kind, stage, channel, category, subject, subject_key, content, respondent, papers,"
    " address, lat, lon, anonymous, remote, received_at, due_at, token, source, submit_key, citizen_id, created_by,"
    " updated_at, parent_id, duplicate_of, owner_hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
    " ?23, ?24, ?25, ?26) RETURNING id";
static const char SQL_PARTY[] = "INSERT INTO case_parties (case_id, name, id_number, phone, email, address, "
                                "match_key, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ATTR[] = "INSERT INTO case_attr_values (case_id, code, value) VALUES (?, ?, ?)";
static const char SQL_FILE[] =
    "INSERT INTO case_files (case_id, sha256, name, mime, size, kind, at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT[] = "INSERT INTO case_events (case_id, at, actor, action, stage_from, stage_to, note,"
                                " doc_no, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

struct create_arg {
	const char *actor, *actor_name;
	const struct store_case_in *in;
	struct store_case_made *out;
};

static enum err
event_add(struct conn *c, int64_t id, int64_t at, const char *actor, const char *action, const char *from,
          const char *to, const char *note, const char *doc_no, const char *details)
{
	sqlite3_stmt *s = db_stmt(c, SQL_EVENT);
	enum err e = s ? q_bind(s, "iitttttss", id, at, actor, action, from, to, note ? note : "", doc_no,
	                        details && *details ? details : "{}")
	               : ERR_INTERNAL;
	return e ? e : q_exec(s);
}

static enum err
create_fn(struct conn *c, void *arg)
{
	struct create_arg *a = arg;
	const struct store_case_in *in = a->in;
	struct store_case_made *o = a->out;
	sqlite3_stmt *s;
	enum err e;
	if (in->submit_key && *in->submit_key) {
		s = db_stmt(c, SQL_BY_KEY);
		if (!s || (e = q_bind(s, "t", in->submit_key)))
			return ERR_INTERNAL;
		if ((e = q_row(s)) == ERR_OK) {
			db_col_text(s, 0, o->code, sizeof o->code);
			db_col_text(s, 1, o->token, sizeof o->token);
			o->received_at = col_i(s, 2);
			o->due_at = col_i(s, 3);
			o->existing = 1;
			sqlite3_reset(s);
			return ERR_OK;
		}
		if (e != ERR_NOT_FOUND)
			return e;
	}
	/* the code: PREFIX-YYMMDD-NNNN, numbered per prefix and day */
	time_t lt = (time_t)(in->received_at + 7 * 3600);
	struct tm tm;
	gmtime_r(&lt, &tm);
	char stem[24], like[32];
	snprintf(stem, sizeof stem, "%.4s-%02d%02d%02d-", in->prefix, tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday);
	snprintf(like, sizeof like, "%s%%", stem);
	int64_t n = 0;
	s = db_stmt(c, SQL_NEXT_NO);
	if (!s || q_bind(s, "t", like) || (e = q_int(s, &n, NULL)))
		return ERR_INTERNAL;
	snprintf(o->code, sizeof o->code, "%.16s%04d", stem, (int)((n + 1) % 100000));
	int64_t parent = 0, dup = 0;
	if (in->parent_code && *in->parent_code) {
		s = db_stmt(c, SQL_PARENT);
		int found = 0;
		if (!s || q_bind(s, "t", in->parent_code) || (e = q_int(s, &parent, &found)))
			return ERR_INTERNAL;
		if (!found)
			return ERR_NOT_FOUND;
	}
	unsigned char key[32];
	char match[33] = "";
	if ((in->party || (in->seal && in->citizen_id)) && (e = db_secret_key(db_store(c), 1, key)))
		return e;
	if (in->party && in->party->match_key[0])
		db_match_hash(key, in->party->match_key, match);
	if (match[0] && in->subject_key && *in->subject_key) {
		s = db_stmt(c, SQL_REPEAT);
		if (!s || q_bind(s, "ttt", match, in->subject_key, in->kinds_same ? in->kinds_same : in->kind))
			return ERR_INTERNAL;
		if ((e = q_row(s)) == ERR_OK) {
			dup = col_i(s, 0);
			db_col_text(s, 1, o->duplicate_of, sizeof o->duplicate_of);
			sqlite3_reset(s);
		} else if (e != ERR_NOT_FOUND)
			return e;
	}
	int64_t id = 0;
	s = db_stmt(c, SQL_INSERT);
	if (!s)
		return ERR_INTERNAL;
	e = q_bind(s, "ssssssssssss", o->code, in->kind, in->stage, in->channel, in->category, in->subject,
	           in->subject_key, in->content, in->respondent, in->papers, in->address, "");
	if (e)
		return e;
	/* lat/lon: real or NULL (rebind 12, 13 after the text run) */
	if (in->has_location) {
		sqlite3_bind_double(s, 12, in->lat);
		sqlite3_bind_double(s, 13, in->lon);
	} else {
		sqlite3_bind_null(s, 12);
	}
	sqlite3_bind_int(s, 14, in->anonymous);
	sqlite3_bind_int(s, 15, in->remote);
	sqlite3_bind_int64(s, 16, in->received_at);
	if (in->due_at)
		sqlite3_bind_int64(s, 17, in->due_at);
	if (in->token && *in->token)
		sqlite3_bind_text(s, 18, in->token, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 19, in->source ? in->source : "", -1, SQLITE_STATIC);
	if (in->submit_key && *in->submit_key)
		sqlite3_bind_text(s, 20, in->submit_key, -1, SQLITE_STATIC);
	/* a denouncer's own account is not linked in clear either */
	char owner[33] = "";
	if (in->citizen_id && in->seal) {
		char who[32];
		snprintf(who, sizeof who, "citizen:%lld", (long long)in->citizen_id);
		db_match_hash(key, who, owner);
		sqlite3_bind_text(s, 26, owner, -1, SQLITE_TRANSIENT);
	} else if (in->citizen_id) {
		sqlite3_bind_int64(s, 21, in->citizen_id);
	}
	sqlite3_bind_text(s, 22, a->actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 23, in->received_at);
	if (parent)
		sqlite3_bind_int64(s, 24, parent);
	if (dup)
		sqlite3_bind_int64(s, 25, dup);
	if ((e = q_int(s, &id, NULL)))
		return e;
	if (in->party) {
		const struct store_case_party *p = in->party;
		static const struct store_case_party none;
		size_t blen = 0;
		const char *fields[5] = {p->name, p->id_number, p->phone, p->email, p->address};
		unsigned char *blob = in->seal ? db_seal(key, fields, 5, &blen) : NULL;
		if (in->seal && !blob)
			return ERR_NOMEM;
		const struct store_case_party *clear = in->seal ? &none : p;
		s = db_stmt(c, SQL_PARTY);
		e = s ? q_bind(s, "issssss", id, clear->name, clear->id_number, clear->phone, clear->email, clear->address,
		               match)
		      : ERR_INTERNAL;
		if (!e && blob)
			sqlite3_bind_blob(s, 8, blob, (int)blen, SQLITE_TRANSIENT);
		if (!e)
			e = q_exec(s);
		free(blob);
		if (e)
			return e;
	}
	for (size_t i = 0; i < in->nattrs; i++) {
		s = db_stmt(c, SQL_ATTR);
		if (!s || (e = q_bind(s, "itt", id, in->attrs[i].code, in->attrs[i].value)) || (e = q_exec(s)))
			return e ? e : ERR_INTERNAL;
	}
	for (size_t i = 0; i < in->nfiles; i++) {
		const struct store_case_file_in *f = &in->files[i];
		s = db_stmt(c, SQL_FILE);
		if (!s || (e = q_bind(s, "itttiti", id, f->sha256, f->name, f->mime, f->size, "sender", in->received_at)) ||
		    (e = q_exec(s)))
			return e ? e : ERR_INTERNAL;
	}
	char note[96] = "";
	if (dup)
		snprintf(note, sizeof note, "Đơn lặp lại, liên kết với %s", o->duplicate_of);
	if ((e = event_add(c, id, in->received_at, a->actor_name, "submit", "", in->stage, note, "", "{}")))
		return e;
	/* the audit event: never the sender's identity */
	json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:b}", "kind", in->kind, "channel", in->channel, "category",
	                      in->category, "duplicate_of", o->duplicate_of, "anonymous", in->anonymous);
	e = d ? db_audit(c, a->actor, "case.submit", o->code, d) : ERR_NOMEM;
	json_decref(d);
	o->received_at = in->received_at;
	o->due_at = in->due_at;
	snprintf(o->token, sizeof o->token, "%s", in->token ? in->token : "");
	return e;
}

enum err
store_case_create(struct store *st, const char *actor, const char *actor_name, const struct store_case_in *in,
                  struct store_case_made *out)
{
	memset(out, 0, sizeof *out);
	struct create_arg a = {actor, actor_name, in, out};
	return db_tx(st, create_fn, &a);
}

/* ---- changes ------------------------------------------------------------- */

static const char SQL_UPDATE[] =
    "UPDATE cases SET stage = ?1, remote = ?2, complexity = ?3, extensions = ?4, intake_ext = ?5,"
    " accepted_at = ?6, decided_at = ?7, closed_at = ?8, due_at = ?9, resolve_due = ?10, handler_id = ?11,"
    " decider_id = ?12, unit = ?13, forwarded_to = ?14, reason = ?15, decision_no = ?16, decision_text = ?17,"
    " verdict = ?18, public_answer = ?19, published_at = ?20, finished_late = ?21, updated_at = ?22,"
    " version = version + 1,"
    " duplicate_of = COALESCE((SELECT id FROM cases WHERE code = ?23), duplicate_of)"
    " WHERE id = ?24 AND version = ?25";

struct update_arg {
	const struct store_case *after;
	const struct store_case_change *ch;
};

static void
bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
}

static enum err
update_fn(struct conn *c, void *arg)
{
	struct update_arg *a = arg;
	const struct store_case *x = a->after;
	const struct store_case_change *ch = a->ch;
	sqlite3_stmt *s = db_stmt(c, SQL_UPDATE);
	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_text(s, 1, x->stage, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, x->remote);
	sqlite3_bind_int(s, 3, x->complexity);
	sqlite3_bind_int(s, 4, x->extensions);
	sqlite3_bind_int(s, 5, x->intake_ext);
	bind_opt(s, 6, x->accepted_at);
	bind_opt(s, 7, x->decided_at);
	bind_opt(s, 8, x->closed_at);
	bind_opt(s, 9, x->due_at);
	bind_opt(s, 10, x->resolve_due);
	bind_opt(s, 11, x->handler_id);
	bind_opt(s, 12, x->decider_id);
	sqlite3_bind_text(s, 13, x->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 14, x->forwarded_to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, x->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 16, x->decision_no, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 17, x->decision_text ? x->decision_text : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 18, x->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 19, x->public_answer ? x->public_answer : "", -1, SQLITE_STATIC);
	bind_opt(s, 20, x->published_at);
	if (x->finished_late >= 0)
		sqlite3_bind_int(s, 21, x->finished_late);
	sqlite3_bind_int64(s, 22, x->updated_at);
	if (ch->merge_into && *ch->merge_into)
		sqlite3_bind_text(s, 23, ch->merge_into, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 24, x->id);
	sqlite3_bind_int(s, 25, ch->expect_version);
	enum err e = q_exec(s);
	if (e)
		return e;
	if (sqlite3_changes(db_handle(c)) != 1)
		return ERR_CONFLICT;
	if ((e = event_add(c, x->id, x->updated_at, ch->actor_name, ch->action, ch->stage_from, x->stage, ch->note,
	                   ch->doc_no ? ch->doc_no : "", ch->details)))
		return e;
	json_t *d = json_pack("{s:s,s:s,s:s,s:s}", "action", ch->action, "from", ch->stage_from, "to", x->stage,
	                      "doc_no", ch->doc_no ? ch->doc_no : "");
	e = d ? db_audit(c, ch->actor, "case.act", x->code, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_case_update(struct store *st, const struct store_case *after, const struct store_case_change *ch)
{
	struct update_arg a = {after, ch};
	return db_tx(st, update_fn, &a);
}

/* ---- the sender ---------------------------------------------------------- */

static const char SQL_PARTY_GET[] =
    "SELECT p.name, p.id_number, p.phone, p.email, p.address, p.match_key, p.sealed FROM case_parties p"
    " JOIN cases c ON c.id = p.case_id WHERE c.code = ?";

struct party_arg {
	const char *code, *audit_actor;
	struct store_case_party *out;
};

static enum err
party_fn(struct conn *c, void *arg)
{
	struct party_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_PARTY_GET);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	struct store_case_party *p = a->out;
	db_col_text(s, 0, p->name, sizeof p->name);
	db_col_text(s, 1, p->id_number, sizeof p->id_number);
	db_col_text(s, 2, p->phone, sizeof p->phone);
	db_col_text(s, 3, p->email, sizeof p->email);
	db_col_text(s, 4, p->address, sizeof p->address);
	db_col_text(s, 5, p->match_key, sizeof p->match_key);
	if (sqlite3_column_type(s, 6) == SQLITE_BLOB) {
		unsigned char key[32];
		e = db_secret_key(db_store(c), 0, key);
		if (!e)
		{
			char *f[5] = {p->name, p->id_number, p->phone, p->email, p->address};
			size_t sz[5] = {sizeof p->name, sizeof p->id_number, sizeof p->phone, sizeof p->email,
			                sizeof p->address};
			e = db_unseal(key, sqlite3_column_blob(s, 6), (size_t)sqlite3_column_bytes(s, 6), f, sz, 5);
		}
		sodium_memzero(key, sizeof key);
		if (e) {
			sqlite3_reset(s);
			return e;
		}
	}
	sqlite3_reset(s);
	if (!a->audit_actor)
		return ERR_OK;
	return db_audit(c, a->audit_actor, "case.party_view", a->code, NULL);
}

enum err
store_case_party(struct store *st, const char *code, const char *audit_actor, struct store_case_party *out)
{
	memset(out, 0, sizeof *out);
	struct party_arg a = {code, audit_actor, out};
	return audit_actor ? db_tx(st, party_fn, &a) : db_read(st, party_fn, &a);
}

/* ---- lists ------------------------------------------------------------- */

#define LIST_WHERE                                                                                             \
	" WHERE (?1 = '' OR c.kind = ?1) AND (?2 = '' OR c.stage = ?2)"                                            \
	" AND (?3 = 0 OR c.stage NOT IN ('closed', 'not_accepted', 'forwarded', 'withdrawn', 'merged'))"          \
	" AND (?4 = 0 OR c.stage IN ('closed', 'not_accepted', 'forwarded', 'withdrawn', 'merged'))"              \
	" AND (?5 = 0 OR (c.due_at IS NOT NULL AND c.due_at < ?5))"                                                \
	" AND (?6 = 0 OR (c.due_at IS NOT NULL AND c.due_at < ?6))"                                                \
	" AND (?7 = 0 OR c.handler_id = ?7 OR c.decider_id = ?7)"                                                  \
	" AND (?8 = 0 OR c.citizen_id = ?8 OR c.owner_hash = ?18) AND (?9 = '' OR c.category = ?9)"                                      \
	" AND (?10 = '' OR c.code = upper(?10) OR c.subject_key LIKE '%' || ?10 || '%' ESCAPE '\\')"               \
	" AND (?11 = 0 OR c.received_at >= ?11) AND (?12 = 0 OR c.received_at < ?12)"                              \
	" AND (?13 = '' OR (',' || ?13 || ',') LIKE ('%,' || c.kind || ',%'))"                                       \
	" AND (?14 = '' OR (',' || ?14 || ',') LIKE ('%,' || c.code || ',%'))"                                       \
	" AND (?15 = 0 OR c.published_at IS NOT NULL)"

static const char SQL_LIST_DUE[] = "SELECT " CASE_COLS CASE_FROM LIST_WHERE
                                   " ORDER BY c.due_at IS NULL, c.due_at, c.id LIMIT ?16 OFFSET ?17";
static const char SQL_LIST_RECEIVED[] = "SELECT " CASE_COLS CASE_FROM LIST_WHERE
                                        " ORDER BY c.received_at DESC, c.id DESC LIMIT ?16 OFFSET ?17";
static const char SQL_LIST_UPDATED[] = "SELECT " CASE_COLS CASE_FROM LIST_WHERE
                                       " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?16 OFFSET ?17";
static const char SQL_LIST_COUNT[] = "SELECT count(*) FROM cases c" LIST_WHERE;

struct list_arg {
	const struct store_case_query *q;
	int with_answer;
	struct store_case *rows;
	size_t n, total;
	char codes[1400];
	char owner[33];            /* the keyed hash of the citizen asked for */
};

static enum err
list_bind(sqlite3_stmt *s, struct list_arg *a)
{
	const struct store_case_query *q = a->q;
	enum err e = q_bind(s, "ttddiiiittiitti", q->kind ? q->kind : "", q->stage ? q->stage : "", q->open_only,
	                    q->final_only, q->overdue_before, q->due_before, q->person, q->citizen_id,
	                    q->category ? q->category : "", q->q ? q->q : "", q->from, q->to,
	                    q->kinds_in ? q->kinds_in : "", a->codes, (int64_t)q->published_only);
	if (!e)
		sqlite3_bind_text(s, 18, a->owner[0] ? a->owner : "-", -1, SQLITE_STATIC);
	return e;
}

static enum err
list_fn(struct conn *c, void *arg)
{
	struct list_arg *a = arg;
	const struct store_case_query *q = a->q;
	const char *sql = q->order && !strcmp(q->order, "received")  ? SQL_LIST_RECEIVED
	                  : q->order && !strcmp(q->order, "updated") ? SQL_LIST_UPDATED
	                                                             : SQL_LIST_DUE;
	sqlite3_stmt *s = db_stmt(c, SQL_LIST_COUNT);
	int64_t total = 0;
	enum err e = s ? list_bind(s, a) : ERR_INTERNAL;
	if (e || (e = q_int(s, &total, NULL)))
		return e;
	a->total = (size_t)total;
	int limit = q->limit > 0 ? q->limit : 50;
	s = db_stmt(c, sql);
	if (!s || (e = list_bind(s, a)))
		return e ? e : ERR_INTERNAL;
	sqlite3_bind_int(s, 16, limit);
	sqlite3_bind_int(s, 17, q->offset > 0 ? q->offset : 0);
	a->rows = calloc((size_t)limit, sizeof *a->rows);
	if (!a->rows) {
		sqlite3_reset(s);
		return ERR_NOMEM;
	}
	while ((e = q_row(s)) == ERR_OK && a->n < (size_t)limit) {
		if ((e = case_row(s, &a->rows[a->n], 0, a->with_answer)))
			break;
		a->n++;
	}
	return q_end(s, e);
}

enum err
store_case_list(struct store *st, const struct store_case_query *q, int with_answer, struct store_case **out,
                size_t *n, size_t *total)
{
	struct list_arg a = {.q = q, .with_answer = with_answer};
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	size_t used = 0;
	for (size_t i = 0; i < q->ncodes; i++) {
		int w = snprintf(a.codes + used, sizeof a.codes - used, "%s%s", i ? "," : "", q->codes[i]);
		if (w < 0 || (size_t)w >= sizeof a.codes - used)
			return ERR_OUT_OF_RANGE;
		used += (size_t)w;
	}
	if (q->ncodes && !used)
		return ERR_OK;
	if (q->citizen_id)
		owner_of(st, q->citizen_id, a.owner);
	enum err e = db_read(st, list_fn, &a);
	if (e) {
		for (size_t i = 0; i < a.n; i++)
			store_case_free(&a.rows[i]);
		free(a.rows);
		return e;
	}
	*out = a.rows;
	*n = a.n;
	if (total)
		*total = a.total;
	return ERR_OK;
}

/* ---- timeline and files --------------------------------------------------- */

static const char SQL_EVENTS[] = "SELECT e.at, e.actor, e.action, e.stage_from, e.stage_to, e.note, e.doc_no,"
                                 " e.details FROM case_events e JOIN cases c ON c.id = e.case_id"
                                 " WHERE c.code = ? ORDER BY e.id";

struct ev_arg {
	const char *code;
	struct store_case_event *ev;
	size_t n, cap;
};

static enum err
events_fn(struct conn *c, void *arg)
{
	struct ev_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_EVENTS);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e)
		return e;
	while ((e = q_row(s)) == ERR_OK) {
		if (grow(&a->ev, &a->cap, a->n, sizeof *a->ev, 16)) {
			sqlite3_reset(s);
			return ERR_NOMEM;
		}
		struct store_case_event *v = &a->ev[a->n++];
		v->at = col_i(s, 0);
		db_col_text(s, 1, v->actor, sizeof v->actor);
		db_col_text(s, 2, v->action, sizeof v->action);
		db_col_text(s, 3, v->stage_from, sizeof v->stage_from);
		db_col_text(s, 4, v->stage_to, sizeof v->stage_to);
		db_col_text(s, 5, v->note, sizeof v->note);
		db_col_text(s, 6, v->doc_no, sizeof v->doc_no);
		db_col_text(s, 7, v->details, sizeof v->details);
	}
	return q_end(s, e);
}

enum err
store_case_events(struct store *st, const char *code, struct store_case_event **out, size_t *n)
{
	struct ev_arg a = {.code = code};
	enum err e = db_read(st, events_fn, &a);
	if (e) {
		free(a.ev);
		a.ev = NULL;
		a.n = 0;
	}
	*out = a.ev;
	*n = a.n;
	return e;
}

static const char SQL_FILES[] = "SELECT f.id, f.sha256, f.name, f.mime, f.kind, f.size, f.at FROM case_files f"
                                " JOIN cases c ON c.id = f.case_id WHERE c.code = ? ORDER BY f.id";

struct files_arg {
	const char *code;
	struct store_case_file *f;
	size_t n, cap;
};

static enum err
files_fn(struct conn *c, void *arg)
{
	struct files_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_FILES);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e)
		return e;
	while ((e = q_row(s)) == ERR_OK) {
		if (grow(&a->f, &a->cap, a->n, sizeof *a->f, 8)) {
			sqlite3_reset(s);
			return ERR_NOMEM;
		}
		struct store_case_file *v = &a->f[a->n++];
		v->id = col_i(s, 0);
		db_col_text(s, 1, v->sha256, sizeof v->sha256);
		db_col_text(s, 2, v->name, sizeof v->name);
		db_col_text(s, 3, v->mime, sizeof v->mime);
		db_col_text(s, 4, v->kind, sizeof v->kind);
		v->size = col_i(s, 5);
		v->at = col_i(s, 6);
	}
	return q_end(s, e);
}

enum err
store_case_files(struct store *st, const char *code, struct store_case_file **out, size_t *n)
{
	struct files_arg a = {.code = code};
	enum err e = db_read(st, files_fn, &a);
	if (e) {
		free(a.f);
		a.f = NULL;
		a.n = 0;
	}
	*out = a.f;
	*n = a.n;
	return e;
}

static const char SQL_CASE_ID[] = "SELECT id, stage FROM cases WHERE code = ?";

struct add_arg {
	const char *actor, *actor_name, *code, *kind;
	const struct store_case_file_in *f;
};

static enum err
file_add_fn(struct conn *c, void *arg)
{
	struct add_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_CASE_ID);
	enum err e = s ? q_bind(s, "t", a->code) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	int64_t id = col_i(s, 0);
	char stage[16];
	db_col_text(s, 1, stage, sizeof stage);
	sqlite3_reset(s);
	int64_t now = (int64_t)time(NULL);
	s = db_stmt(c, SQL_FILE);
	if (!s || (e = q_bind(s, "itttiti", id, a->f->sha256, a->f->name, a->f->mime, a->f->size, a->kind, now)) ||
	    (e = q_exec(s)))
		return e ? e : ERR_INTERNAL;
	if ((e = event_add(c, id, now, a->actor_name, "attach", stage, stage, a->f->name, "", "{}")))
		return e;
	json_t *d = json_pack("{s:s,s:s,s:s}", "sha256", a->f->sha256, "name", a->f->name, "kind", a->kind);
	e = d ? db_audit(c, a->actor, "case.attach", a->code, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_case_file_add(struct store *st, const char *actor, const char *actor_name, const char *code, const char *kind,
                    const struct store_case_file_in *f)
{
	struct add_arg a = {actor, actor_name, code, kind, f};
	return db_tx(st, file_add_fn, &a);
}

/* ---- categories ---------------------------------------------------------- */

static const char SQL_CATS[] = "SELECT code, name, description, grp, kind, keywords FROM case_categories"
                               " WHERE active = 1 ORDER BY ord, code";
static const char SQL_ATTRS[] = "SELECT category, code, datatype, required, description, ord, vals"
                                " FROM case_category_attrs ORDER BY category, ord, code";

struct cats_arg {
	struct store_case_category *c;
	size_t n, cap;
};

static enum err
cats_fn(struct conn *c, void *arg)
{
	struct cats_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_CATS);
	enum err e = s ? ERR_OK : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		if (grow(&a->c, &a->cap, a->n, sizeof *a->c, 16)) {
			sqlite3_reset(s);
			return ERR_NOMEM;
		}
		struct store_case_category *k = &a->c[a->n++];
		memset(k, 0, sizeof *k);
		db_col_text(s, 0, k->code, sizeof k->code);
		db_col_text(s, 1, k->name, sizeof k->name);
		db_col_text(s, 2, k->description, sizeof k->description);
		db_col_text(s, 3, k->group, sizeof k->group);
		db_col_text(s, 4, k->kind, sizeof k->kind);
		db_col_text(s, 5, k->keywords, sizeof k->keywords);
	}
	if ((e = q_end(s, e)))
		return e;
	s = db_stmt(c, SQL_ATTRS);
	e = s ? ERR_OK : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		const char *cat = db_col_str(s, 0);
		for (size_t i = 0; i < a->n; i++) {
			struct store_case_category *k = &a->c[i];
			if (strcmp(k->code, cat) != 0 || k->nattrs >= 8)
				continue;
			int j = k->nattrs++;
			db_col_text(s, 1, k->attrs[j].code, sizeof k->attrs[j].code);
			db_col_text(s, 2, k->attrs[j].datatype, sizeof k->attrs[j].datatype);
			k->attrs[j].required = (int)col_i(s, 3);
			db_col_text(s, 4, k->attrs[j].description, sizeof k->attrs[j].description);
			k->attrs[j].order = (int)col_i(s, 5);
			db_col_text(s, 6, k->attrs[j].vals, sizeof k->attrs[j].vals);
		}
	}
	return q_end(s, e);
}

enum err
store_case_categories(struct store *st, struct store_case_category **out, size_t *n)
{
	struct cats_arg a = {0};
	enum err e = db_read(st, cats_fn, &a);
	if (e) {
		free(a.c);
		a.c = NULL;
		a.n = 0;
	}
	*out = a.c;
	*n = a.n;
	return e;
}

/* ---- counts -------------------------------------------------------------- */

#define FINAL "('closed', 'not_accepted', 'forwarded', 'withdrawn', 'merged')"
#define COUNTS(col)                                                                                            \
	"SELECT " col ", sum(duplicate_of IS NULL AND stage <> 'merged'),"                                        \
	" sum(duplicate_of IS NULL AND stage NOT IN " FINAL " AND stage <> 'decided'),"                           \
	" sum(duplicate_of IS NULL AND stage IN ('decided', 'closed', 'not_accepted', 'forwarded', 'withdrawn')),"  \
	" sum(duplicate_of IS NULL AND finished_late = 0), sum(duplicate_of IS NULL AND finished_late = 1),"        \
	" sum(duplicate_of IS NULL AND stage NOT IN " FINAL " AND due_at IS NOT NULL AND due_at < ?3),"             \
	" sum(duplicate_of IS NOT NULL OR stage = 'merged')"                                                       \
	" FROM cases WHERE (?1 = 0 OR received_at >= ?1) AND (?2 = 0 OR received_at < ?2)"                          \
	" GROUP BY " col " ORDER BY " col
static const char SQL_COUNT_KIND[] = COUNTS("kind");
static const char SQL_COUNT_CAT[] = COUNTS("category");

struct count_arg {
	const char *by;
	int64_t from, to, now;
	struct store_case_count *rows;
	size_t n, cap;
};

static enum err
counts_fn(struct conn *c, void *arg)
{
	struct count_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, strcmp(a->by, "category") ? SQL_COUNT_KIND : SQL_COUNT_CAT);
	enum err e = s ? q_bind(s, "iii", a->from, a->to, a->now) : ERR_INTERNAL;
	while (!e && (e = q_row(s)) == ERR_OK) {
		if (grow(&a->rows, &a->cap, a->n, sizeof *a->rows, 8)) {
			sqlite3_reset(s);
			return ERR_NOMEM;
		}
		struct store_case_count *r = &a->rows[a->n++];
		memset(r, 0, sizeof *r);
		db_col_text(s, 0, r->key, sizeof r->key);
		r->received = (long)col_i(s, 1);
		r->open = (long)col_i(s, 2);
		r->finished = (long)col_i(s, 3);
		r->on_time = (long)col_i(s, 4);
		r->late = (long)col_i(s, 5);
		r->overdue_open = (long)col_i(s, 6);
		r->duplicates = (long)col_i(s, 7);
	}
	return s ? q_end(s, e) : e;
}

enum err
store_case_counts(struct store *st, const char *by, int64_t from, int64_t to, int64_t now,
                  struct store_case_count **out, size_t *n)
{
	struct count_arg a = {.by = by, .from = from, .to = to, .now = now};
	enum err e = db_read(st, counts_fn, &a);
	if (e) {
		free(a.rows);
		a.rows = NULL;
		a.n = 0;
	}
	*out = a.rows;
	*n = a.n;
	return e;
}

/* ---- settings "cases.*" ----------------------------------------------------- */

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?";
static const char SQL_SETTING_SET[] = "INSERT INTO settings (key, value) VALUES (?, ?)"
                                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

struct setting_arg {
	const char *key, *value, *actor;
	char *out;
	size_t n;
};

static enum err
setting_get_fn(struct conn *c, void *arg)
{
	struct setting_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SETTING_GET);
	enum err e = s ? q_bind(s, "t", a->key) : ERR_INTERNAL;
	return e ? e : q_text(s, 0, a->out, a->n);
}

enum err
store_case_setting(struct store *st, const char *key, char *out, size_t n)
{
	struct setting_arg a = {.key = key, .out = out, .n = n};
	out[0] = '\0';
	return db_read(st, setting_get_fn, &a);
}

static enum err
setting_set_fn(struct conn *c, void *arg)
{
	struct setting_arg *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SETTING_SET);
	enum err e = s ? q_bind(s, "tt", a->key, a->value) : ERR_INTERNAL;
	if (e || (e = q_exec(s)))
		return e;
	json_t *d = json_pack("{s:s,s:s}", "key", a->key, "value", a->value);
	e = d ? db_audit(c, a->actor, "cases.setting", a->key, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_case_setting_set(struct store *st, const char *actor, const char *key, const char *value)
{
	struct setting_arg a = {.key = key, .value = value, .actor = actor};
	return db_tx(st, setting_set_fn, &a);
}
