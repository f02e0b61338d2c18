/*
 * verify.c — the business half of `motcua check`: the current rows of
 * the tables people act on agree with the audit chain that recorded
 * every change to them.  Run after the chain itself was verified, in
 * the same read snapshot, so "the audit chain says" means events whose
 * hashes were just proved.
 *
 *  - a dossier: exactly one intake event; its version is 1 + the number
 *    of actions the chain records; its status is the last action's "to"
 *    (or the intake's); its timeline has one row per version and ends in
 *    that status; and when the last event carries the store's "state"
 *    snapshot (every event written since issue #11 does) the stage, due
 *    instant, pause, finish, assignee, unit and (since issue #12) the
 *    flag of a due instant set by hand match it too.  Audit events about
 *    a dossier that does not exist fail as well.
 *  - an account: exactly one user.create event; its username, role and
 *    unit are those of the last user.create / user.update event, its
 *    active flag that of the last create / enable / disable.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/sqlite/db.h"

#define ACTION_EVENT "(json_valid(a.details) AND json_extract(a.details, '$.to') IS NOT NULL)"
#define STATE_EVENT "(a.action IN ('dossier.receive', 'dossier.submit') OR " ACTION_EVENT ")"
/* the intake's own event: a held dossier received later writes another
 * "dossier.receive", an action (with "to") */
#define INTAKE_EVENT "(a.action IN ('dossier.receive', 'dossier.submit') AND NOT " ACTION_EVENT ")"
#define OF_DOSSIER " FROM audit_events a WHERE a.object = 'dossier:' || d.code"

static const char SQL_DOSSIERS[] =
    "SELECT d.code, d.status, d.version, d.stage, d.due_at, coalesce(d.paused_at, 0),"
    " coalesce(d.finished_at, 0), coalesce(d.assignee, 0), d.unit,"
    " (SELECT count(*) FROM dossier_events e WHERE e.dossier_id = d.id),"
    " (SELECT e.to_state FROM dossier_events e WHERE e.dossier_id = d.id ORDER BY e.id DESC LIMIT 1),"
    " (SELECT count(*)" OF_DOSSIER " AND " INTAKE_EVENT "),"
    " (SELECT count(*)" OF_DOSSIER " AND " ACTION_EVENT "),"
    " (SELECT a.action" OF_DOSSIER " AND " STATE_EVENT " ORDER BY a.id DESC LIMIT 1),"
    " (SELECT a.details" OF_DOSSIER " AND " STATE_EVENT " ORDER BY a.id DESC LIMIT 1),"
    " d.due_by_hand, d.id"
    " FROM dossiers d ORDER BY d.id";
/* The id ranges `motcua demo` wrote in bulk (store/sqlite/demo.c), from
 * their audit events, in id order. */
static const char SQL_DEMO_BATCHES[] =
    "SELECT json_extract(details, '$.first_id'), json_extract(details, '$.last_id')"
    " FROM audit_events WHERE action = 'demo.batch' AND json_valid(details)"
    " ORDER BY 1";
static const char SQL_ORPHANS[] =
    "SELECT DISTINCT substr(object, 9) FROM audit_events WHERE object LIKE 'dossier:%'"
    " AND substr(object, 9) NOT IN (SELECT code FROM dossiers) LIMIT 1";

/* One dossier row of SQL_DOSSIERS against what its events say; why gets
 * the first disagreement ("" when it agrees).  A dossier a "demo.batch"
 * event covers (demo != 0) has no intake event of its own: its timeline
 * must still agree with its row, and any later action with the chain. */
static void
dossier_agrees(sqlite3_stmt *s, int demo, char *why, size_t n)
{
	const char *status = db_col_str(s, 1);
	int64_t version = sqlite3_column_int64(s, 2), nline = sqlite3_column_int64(s, 9);
	int64_t nintake = sqlite3_column_int64(s, 11), nact = sqlite3_column_int64(s, 12);
	const char *last_action = db_col_str(s, 13);
	json_t *d = json_loads(db_col_str(s, 14), 0, NULL);
	json_t *state = json_object_get(d, "state");
	const char *want = json_string_value(json_object_get(d, "to"));
	if (!want)
		want = demo && !nact ? db_col_str(s, 10)
		       : strcmp(last_action, "dossier.submit") == 0 ? "new" : "received";
	if (json_string_value(json_object_get(state, "status")))
		want = json_string_value(json_object_get(state, "status"));
	why[0] = '\0';
	/* for demo data the batch event stands for the intake and the
	 * actions before any recorded here */
	if (demo && nintake != 0)
		snprintf(why, n, "hồ sơ dữ liệu minh họa nhưng nhật ký có %lld sự kiện tiếp nhận", (long long)nintake);
	else if (!demo && nintake != 1)
		snprintf(why, n, "nhật ký có %lld sự kiện tiếp nhận (phải là 1)", (long long)nintake);
	else if (!demo && version != 1 + nact)
		snprintf(why, n, "phiên bản %lld nhưng nhật ký ghi %lld lần thay đổi (phải là phiên bản %lld)",
		         (long long)version, (long long)nact, (long long)(1 + nact));
	else if (strcmp(status, want) != 0)
		snprintf(why, n, "trạng thái \"%s\" nhưng nhật ký ghi \"%s\"", status, want);
	else if (nline != version || strcmp(db_col_str(s, 10), status) != 0)
		snprintf(why, n, "quá trình xử lý (%lld bước, cuối \"%s\") không khớp trạng thái \"%s\" phiên bản %lld",
		         (long long)nline, db_col_str(s, 10), status, (long long)version);
	static const struct {
		const char *key;
		int col, text;
	} fields[] = {{"version", 2, 0}, {"stage", 3, 1}, {"due_at", 4, 0}, {"paused_at", 5, 0},
	              {"finished_at", 6, 0}, {"assignee", 7, 0}, {"unit", 8, 1}, {"due_by_hand", 15, 0}};
	for (size_t i = 0; !why[0] && state && i < sizeof fields / sizeof fields[0]; i++) {
		json_t *v = json_object_get(state, fields[i].key);
		if (!v)
			continue;
		int same = fields[i].text ? json_is_string(v) && strcmp(json_string_value(v), db_col_str(s, fields[i].col)) == 0
		                          : json_is_integer(v) && json_integer_value(v) == sqlite3_column_int64(s, fields[i].col);
		if (!same)
			snprintf(why, n, "trường %s khác với lần thay đổi cuối cùng trong nhật ký", fields[i].key);
	}
	json_decref(d);
}

/* The demo batches' ranges into *r (malloc'd pairs), *n of them. */
static enum err
demo_ranges(struct conn *c, int64_t **r, size_t *n)
{
	sqlite3_stmt *s = db_stmt(c, SQL_DEMO_BATCHES);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	size_t cap = 0;
	*r = NULL;
	*n = 0;
	while ((e = q_row(s)) == ERR_OK) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *g = realloc(*r, cap * 2 * sizeof **r);
			if (!g) {
				sqlite3_reset(s);
				return ERR_NOMEM;
			}
			*r = g;
		}
		(*r)[2 * *n] = sqlite3_column_int64(s, 0);
		(*r)[2 * *n + 1] = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	return q_end(s, e);
}

/* Whether id lies in one of the n sorted ranges (binary search). */
static int
in_ranges(const int64_t *r, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (id < r[2 * mid])
			hi = mid;
		else if (id > r[2 * mid + 1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

static enum err
check_dossiers(struct conn *c, struct store_check *out)
{
	int64_t *demo = NULL;
	size_t ndemo = 0;
	enum err e = demo_ranges(c, &demo, &ndemo);
	sqlite3_stmt *s = e ? NULL : db_stmt(c, SQL_DOSSIERS);
	if (!s) {
		free(demo);
		return e ? e : ERR_INTERNAL;
	}
	while ((e = q_row(s)) == ERR_OK) {
		char why[200];
		dossier_agrees(s, in_ranges(demo, ndemo, sqlite3_column_int64(s, 16)), why, sizeof why);
		if (!why[0])
			out->dossiers++;
		else if (out->dossiers_bad++ == 0)
			snprintf(out->dossier_bad, sizeof out->dossier_bad, "%s: %s", db_col_str(s, 0), why);
	}
	free(demo);
	if ((e = q_end(s, e)) != ERR_OK || !(s = db_stmt(c, SQL_ORPHANS)))
		return e ? e : ERR_INTERNAL;
	if ((e = q_row(s)) == ERR_OK) {
		if (out->dossiers_bad++ == 0)
			snprintf(out->dossier_bad, sizeof out->dossier_bad,
			         "%s: nhật ký ghi hồ sơ này nhưng hồ sơ không còn trong dữ liệu", db_col_str(s, 0));
	}
	return q_end(s, e);
}

#define OF_USER " FROM audit_events a WHERE a.object = 'user:' || u.id"
static const char SQL_USERS[] =
    "SELECT u.id, u.username, u.role, u.unit, u.active,"
    " (SELECT count(*)" OF_USER " AND a.action = 'user.create'),"
    " (SELECT a.details" OF_USER " AND a.action IN ('user.create', 'user.update') ORDER BY a.id DESC LIMIT 1),"
    " (SELECT CASE a.action WHEN 'user.enable' THEN 1 WHEN 'user.disable' THEN 0"
    "   ELSE CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.active') END END"
    "  " OF_USER " AND a.action IN ('user.create', 'user.enable', 'user.disable') ORDER BY a.id DESC LIMIT 1),"
    " (SELECT CASE WHEN json_valid(a.details) THEN json_extract(a.details, '$.username') END"
    "  " OF_USER " AND a.action = 'user.create' LIMIT 1)"
    " FROM users u ORDER BY u.id";

static void
account_agrees(sqlite3_stmt *s, char *why, size_t n)
{
	json_t *d = json_loads(db_col_str(s, 6), 0, NULL);
	const char *role = json_string_value(json_object_get(d, "role"));
	const char *unit = json_string_value(json_object_get(d, "unit"));
	why[0] = '\0';
	if (sqlite3_column_int64(s, 5) != 1)
		snprintf(why, n, "nhật ký có %lld sự kiện tạo tài khoản (phải là 1)", (long long)sqlite3_column_int64(s, 5));
	else if (strcmp(db_col_str(s, 1), db_col_str(s, 8)) != 0)
		snprintf(why, n, "tên đăng nhập khác với lúc tạo (\"%s\")", db_col_str(s, 8));
	else if (!role || strcmp(role, db_col_str(s, 2)) != 0)
		snprintf(why, n, "vai trò \"%s\" nhưng nhật ký ghi \"%s\"", db_col_str(s, 2), role ? role : "");
	else if (unit && strcmp(unit, db_col_str(s, 3)) != 0)
		snprintf(why, n, "đơn vị \"%s\" nhưng nhật ký ghi \"%s\"", db_col_str(s, 3), unit);
	else if (sqlite3_column_type(s, 7) == SQLITE_NULL || sqlite3_column_int(s, 4) != sqlite3_column_int(s, 7))
		snprintf(why, n, "đang %s nhưng nhật ký ghi %s", sqlite3_column_int(s, 4) ? "hoạt động" : "bị khóa",
		         sqlite3_column_int(s, 7) ? "hoạt động" : "bị khóa");
	json_decref(d);
}

static enum err
check_accounts(struct conn *c, struct store_check *out)
{
	sqlite3_stmt *s = db_stmt(c, SQL_USERS);
	if (!s)
		return ERR_INTERNAL;
	enum err e;
	while ((e = q_row(s)) == ERR_OK) {
		char why[200];
		account_agrees(s, why, sizeof why);
		if (!why[0])
			out->accounts++;
		else if (out->accounts_bad++ == 0)
			snprintf(out->account_bad, sizeof out->account_bad, "%s (#%lld): %s", db_col_str(s, 1),
			         (long long)sqlite3_column_int64(s, 0), why);
	}
	return q_end(s, e);
}

enum err
db_check_tables(struct conn *c, struct store_check *out)
{
	assert(!sqlite3_get_autocommit(db_handle(c)));   /* in the check's snapshot */
	enum err e = check_dossiers(c, out);
	return e ? e : check_accounts(c, out);
}
