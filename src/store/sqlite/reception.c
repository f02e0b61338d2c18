/*
 * reception.c — citizen reception (issue #14 item 4): the reception
 * schedule, the reception register and the dialogue meetings.  Each write
 * runs in one transaction with its audit event (DESIGN principle 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"
#include <sodium.h>
#include "store/sqlite/db.h"
#include "store/sqlite/secret.h"

/* ---- the schedule ---------------------------------------------------- */
#define SLOT_COLS "id, role, person, title, coalesce(weekday, -1), coalesce(day, 0), start_min," \
                  " end_min, place, note, updated_at"
static const char SQL_SLOT_INS[] =
    "INSERT INTO reception_slots (role, person, title, weekday, day, start_min, end_min, place, note,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_SLOT_UPD[] =
    "UPDATE reception_slots SET role = ?, person = ?, title = ?, weekday = ?, day = ?, start_min = ?,"
    " end_min = ?, place = ?, note = ?, updated_at = ? WHERE id = ? RETURNING id";
static const char SQL_SLOT_DEL[] = "DELETE FROM reception_slots WHERE id = ? RETURNING id";
static const char SQL_SLOT_GET[] = "SELECT " SLOT_COLS " FROM reception_slots WHERE id = ?";
static const char SQL_SLOTS[] =
    "SELECT " SLOT_COLS " FROM reception_slots ORDER BY"
    " CASE role WHEN 'chairman' THEN 0 WHEN 'vice' THEN 1 ELSE 2 END,"
    " weekday IS NULL, weekday, day, start_min, id";

static void
slot_row(sqlite3_stmt *s, struct store_rc_slot *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	db_col_text(s, 1, o->role, sizeof o->role);
	db_col_text(s, 2, o->person, sizeof o->person);
	db_col_text(s, 3, o->title, sizeof o->title);
	o->weekday = sqlite3_column_int(s, 4);
	o->day = sqlite3_column_int(s, 5);
	o->start_min = sqlite3_column_int(s, 6);
	o->end_min = sqlite3_column_int(s, 7);
	db_col_text(s, 8, o->place, sizeof o->place);
	db_col_text(s, 9, o->note, sizeof o->note);
	o->updated_at = sqlite3_column_int64(s, 10);
}

struct slot_put {
	const char *actor;
	const struct store_rc_slot *s;
	int64_t id;
};

static enum err
slot_put_fn(struct conn *c, void *arg)
{
	struct slot_put *a = arg;
	const struct store_rc_slot *v = a->s;
	sqlite3_stmt *s = db_stmt(c, v->id ? SQL_SLOT_UPD : SQL_SLOT_INS);
	if (!s)
		return ERR_INTERNAL;
	enum err e = q_bind(s, "sss", v->role, v->person, v->title);
	if (!e)
		e = v->weekday >= 0 ? q_bind(s, "---d-", v->weekday) : q_bind(s, "----d", (int)v->day);
	if (!e)
		e = q_bind(s, "-----ddssi", v->start_min, v->end_min, v->place, v->note, v->updated_at);
	if (!e && v->id)
		e = q_bind(s, "----------i", v->id);
	int found = 0;
	if (e || (e = q_int(s, &a->id, &found)))
		return e;
	if (!found)
		return ERR_NOT_FOUND;
	char obj[40];
	snprintf(obj, sizeof obj, "reception_slot:%lld", (long long)a->id);
	json_t *d = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:s,s:s}", "role", v->role, "person", v->person,
	                      "title", v->title, "weekday", v->weekday, "day", (int)v->day, "start_min",
	                      v->start_min, "end_min", v->end_min, "place", v->place, "note", v->note);
	e = d ? db_audit(c, a->actor, v->id ? "reception.slot.update" : "reception.slot.create", obj, d)
	      : ERR_NOMEM;
	json_decref(d);
	return e;
}

enum err
store_rc_slot_put(struct store *st, const char *actor, const struct store_rc_slot *s, int64_t *id)
{
	struct slot_put a = {actor, s, 0};
	enum err e = db_tx(st, slot_put_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

struct slot_del {
	const char *actor;
	int64_t id;
};

static enum err
slot_del_fn(struct conn *c, void *arg)
{
	struct slot_del *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SLOT_DEL);
	int64_t id = 0;
	int found = 0;
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	if (e || (e = q_int(s, &id, &found)))
		return e;
	if (!found)
		return ERR_NOT_FOUND;
	char obj[40];
	snprintf(obj, sizeof obj, "reception_slot:%lld", (long long)a->id);
	return db_audit(c, a->actor, "reception.slot.delete", obj, NULL);
}

enum err
store_rc_slot_delete(struct store *st, const char *actor, int64_t id)
{
	struct slot_del a = {actor, id};
	return db_tx(st, slot_del_fn, &a);
}

struct slot_get {
	int64_t id;
	struct store_rc_slot *out;
};

static enum err
slot_get_fn(struct conn *c, void *arg)
{
	struct slot_get *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SLOT_GET);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	slot_row(s, a->out);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_rc_slot_get(struct store *st, int64_t id, struct store_rc_slot *out)
{
	struct slot_get a = {id, out};
	return db_read(st, slot_get_fn, &a);
}

/* A listing's range and callback (one of the three, by what is listed). */
struct each {
	int64_t from, to;
	int (*slot)(const struct store_rc_slot *, void *);
	int (*visit)(const struct store_rc_visit *, void *);
	int (*dlg)(const struct store_rc_dialogue *, void *);
	void *arg;
};

static enum err
slots_fn(struct conn *c, void *arg)
{
	struct each *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_SLOTS);
	if (!s)
		return ERR_INTERNAL;
	struct store_rc_slot o;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		slot_row(s, &o);
		if (a->slot(&o, a->arg))
			break;
	}
	return q_end(s, e);
}

enum err
store_rc_slots(struct store *st, int (*fn)(const struct store_rc_slot *, void *), void *arg)
{
	struct each a = {.slot = fn, .arg = arg};
	return db_read(st, slots_fn, &a);
}

/* ---- the register ------------------------------------------------------ */
#define VISIT_COLS "id, at, name, id_number, address, phone, people, kind, matter, received_by," \
                   " guidance, petition, petition_code, recorded_by, created_at, sealed"
static const char SQL_VISIT_INS[] =
    "INSERT INTO reception_visits (at, name, id_number, address, phone, people, kind, matter,"
    " received_by, guidance, petition, petition_code, recorded_by, created_at, sealed)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_VISITS[] =
    "SELECT " VISIT_COLS " FROM reception_visits WHERE at >= ? AND at < ? ORDER BY at, id";

/* The audit object and event of a new row, with its time and the figures
 * (not the visitor's words: those stay in their table). */
static enum err
added(struct conn *c, const char *actor, const char *action, const char *kind, int64_t id,
      json_t *d)
{
	char obj[48];
	snprintf(obj, sizeof obj, "%s:%lld", kind, (long long)id);
	enum err e = d ? db_audit(c, actor, action, obj, d) : ERR_NOMEM;
	json_decref(d);
	return e;
}

struct visit_add {
	const struct store_rc_visit *v;
	int64_t id;
};

static enum err
visit_add_fn(struct conn *c, void *arg)
{
	struct visit_add *a = arg;
	const struct store_rc_visit *v = a->v;
	/* a denouncer who came in person is sealed like a denunciation's sender */
	int seal = !strcmp(v->kind, "denunciation");
	unsigned char key[32];
	unsigned char *blob = NULL;
	size_t blen = 0;
	enum err e;
	if (seal) {
		if ((e = db_secret_key(db_store(c), 1, key)))
			return e;
		const char *fields[4] = {v->name, v->id_number, v->address, v->phone};
		blob = db_seal(key, fields, 4, &blen);
		sodium_memzero(key, sizeof key);
		if (!blob)
			return ERR_NOMEM;
	}
	sqlite3_stmt *s = db_stmt(c, SQL_VISIT_INS);
	e = s ? q_bind(s, "issssdssssdssi", v->at, seal ? "*" : v->name, seal ? "" : v->id_number,
	               seal ? "" : v->address, seal ? "" : v->phone, v->people, v->kind, v->matter, v->received_by,
	               v->guidance, v->petition, v->petition_code, v->recorded_by, v->created_at)
	      : ERR_INTERNAL;
	if (!e && blob)
		sqlite3_bind_blob(s, 15, blob, (int)blen, SQLITE_TRANSIENT);
	free(blob);
	if (e || (e = q_int(s, &a->id, NULL)))
		return e;
	return added(c, v->recorded_by, "reception.visit", "reception_visit", a->id,
	             json_pack("{s:I,s:s,s:i,s:b}", "at", (json_int_t)v->at, "kind", v->kind, "people",
	                       v->people, "petition", v->petition));
}

enum err
store_rc_visit_add(struct store *st, const struct store_rc_visit *v, int64_t *id)
{
	struct visit_add a = {v, 0};
	enum err e = db_tx(st, visit_add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

static enum err
visits_fn(struct conn *c, void *arg)
{
	struct each *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_VISITS);
	enum err e = s ? q_bind(s, "ii", a->from, a->to) : ERR_INTERNAL;
	if (e)
		return e;
	struct store_rc_visit *o = malloc(sizeof *o);
	if (!o) {
		sqlite3_reset(s);
		return ERR_NOMEM;
	}
	while ((e = q_row(s)) == ERR_OK) {
		memset(o, 0, sizeof *o);
		o->id = sqlite3_column_int64(s, 0);
		o->at = sqlite3_column_int64(s, 1);
		db_col_text(s, 2, o->name, sizeof o->name);
		db_col_text(s, 3, o->id_number, sizeof o->id_number);
		db_col_text(s, 4, o->address, sizeof o->address);
		db_col_text(s, 5, o->phone, sizeof o->phone);
		o->people = sqlite3_column_int(s, 6);
		db_col_text(s, 7, o->kind, sizeof o->kind);
		db_col_text(s, 8, o->matter, sizeof o->matter);
		db_col_text(s, 9, o->received_by, sizeof o->received_by);
		db_col_text(s, 10, o->guidance, sizeof o->guidance);
		o->petition = sqlite3_column_int(s, 11);
		db_col_text(s, 12, o->petition_code, sizeof o->petition_code);
		db_col_text(s, 13, o->recorded_by, sizeof o->recorded_by);
		o->created_at = sqlite3_column_int64(s, 14);
		if (sqlite3_column_type(s, 15) == SQLITE_BLOB) {
			unsigned char key[32];
			char *f[4] = {o->name, o->id_number, o->address, o->phone};
			size_t sz[4] = {sizeof o->name, sizeof o->id_number, sizeof o->address, sizeof o->phone};
			if (db_secret_key(db_store(c), 0, key) != ERR_OK ||
			    db_unseal(key, sqlite3_column_blob(s, 15), (size_t)sqlite3_column_bytes(s, 15), f, sz, 4) !=
			        ERR_OK)
				snprintf(o->name, sizeof o->name, "%s", "(không đọc được: thiếu tệp secret.key)");
			sodium_memzero(key, sizeof key);
		}
		if (a->visit(o, a->arg))
			break;
	}
	free(o);
	return q_end(s, e);
}

enum err
store_rc_visits(struct store *st, int64_t from, int64_t to,
                int (*fn)(const struct store_rc_visit *, void *), void *arg)
{
	struct each a = {.from = from, .to = to, .visit = fn, .arg = arg};
	return db_read(st, visits_fn, &a);
}

/* ---- dialogue meetings ---------------------------------------------------- */
#define DLG_COLS "id, at, place, chair, participants, attendees, topics, conclusions, followup," \
                 " recorded_by, created_at"
static const char SQL_DLG_INS[] =
    "INSERT INTO reception_dialogues (at, place, chair, participants, attendees, topics, conclusions,"
    " followup, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_DLG_GET[] = "SELECT " DLG_COLS " FROM reception_dialogues WHERE id = ?";
static const char SQL_DLGS[] = "SELECT " DLG_COLS " FROM reception_dialogues ORDER BY at DESC, id DESC";

static void
dlg_row(sqlite3_stmt *s, struct store_rc_dialogue *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(s, 0);
	o->at = sqlite3_column_int64(s, 1);
	db_col_text(s, 2, o->place, sizeof o->place);
	db_col_text(s, 3, o->chair, sizeof o->chair);
	o->participants = sqlite3_column_int(s, 4);
	db_col_text(s, 5, o->attendees, sizeof o->attendees);
	db_col_text(s, 6, o->topics, sizeof o->topics);
	db_col_text(s, 7, o->conclusions, sizeof o->conclusions);
	db_col_text(s, 8, o->followup, sizeof o->followup);
	db_col_text(s, 9, o->recorded_by, sizeof o->recorded_by);
	o->created_at = sqlite3_column_int64(s, 10);
}

struct dlg_add {
	const struct store_rc_dialogue *d;
	int64_t id;
};

static enum err
dlg_add_fn(struct conn *c, void *arg)
{
	struct dlg_add *a = arg;
	const struct store_rc_dialogue *d = a->d;
	sqlite3_stmt *s = db_stmt(c, SQL_DLG_INS);
	enum err e = s ? q_bind(s, "issdsssssi", d->at, d->place, d->chair, d->participants,
	                        d->attendees, d->topics, d->conclusions, d->followup, d->recorded_by,
	                        d->created_at)
	               : ERR_INTERNAL;
	if (e || (e = q_int(s, &a->id, NULL)))
		return e;
	return added(c, d->recorded_by, "reception.dialogue", "reception_dialogue", a->id,
	             json_pack("{s:I,s:s,s:s,s:i}", "at", (json_int_t)d->at, "place", d->place, "chair",
	                       d->chair, "participants", d->participants));
}

enum err
store_rc_dialogue_add(struct store *st, const struct store_rc_dialogue *d, int64_t *id)
{
	struct dlg_add a = {d, 0};
	enum err e = db_tx(st, dlg_add_fn, &a);
	if (!e && id)
		*id = a.id;
	return e;
}

struct dlg_get {
	int64_t id;
	struct store_rc_dialogue *out;
};

static enum err
dlg_get_fn(struct conn *c, void *arg)
{
	struct dlg_get *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_DLG_GET);
	enum err e = s ? q_bind(s, "i", a->id) : ERR_INTERNAL;
	if (e || (e = q_row(s)))
		return e;
	dlg_row(s, a->out);
	sqlite3_reset(s);
	return ERR_OK;
}

enum err
store_rc_dialogue_get(struct store *st, int64_t id, struct store_rc_dialogue *out)
{
	struct dlg_get a = {id, out};
	return db_read(st, dlg_get_fn, &a);
}

static enum err
dlgs_fn(struct conn *c, void *arg)
{
	struct each *a = arg;
	sqlite3_stmt *s = db_stmt(c, SQL_DLGS);
	if (!s)
		return ERR_INTERNAL;
	struct store_rc_dialogue *o = malloc(sizeof *o);
	if (!o) {
		sqlite3_reset(s);
		return ERR_NOMEM;
	}
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		dlg_row(s, o);
		if (a->dlg(o, a->arg))
			break;
	}
	free(o);
	return q_end(s, e);
}

enum err
store_rc_dialogues(struct store *st, int (*fn)(const struct store_rc_dialogue *, void *), void *arg)
{
	struct each a = {.dlg = fn, .arg = arg};
	return db_read(st, dlgs_fn, &a);
}
