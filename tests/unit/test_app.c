/*
 * test_app.c — the services of src/app on a temporary store, without a
 * server: intake, the workflow to the result, who may read and act on
 * which dossier (role × unit × assigned), the lookup's proof and its
 * guard (kept across a reopen), the rating and the report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "app/app.h"
#include "app/calendar.h"
#include "core/proc_json.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/lookup.h"
#include "app/notify.h"
#include "app/report.h"
#include "app/stats.h"
#include "core/deadline.h"
#include "core/roles.h"

static char DIR_[64];
static struct store *ST;
static struct app A;

enum { CLERK, OFFICER_A, OFFICER_A2, OFFICER_B, LEADER_A, LEADER_ALL, VIEWER, ADMIN, NACTORS };
static struct actor AC[NACTORS];
static const struct {
	const char *name, *role, *unit;
} PEOPLE[NACTORS] = {
	{"clerk", "clerk", ""},
	{"officer.a", "officer", "Tư pháp - Hộ tịch"},
	{"officer.a2", "officer", "Tư pháp - Hộ tịch"},
	{"officer.b", "officer", "Địa chính"},
	{"leader.a", "leader", "Tư pháp - Hộ tịch"},
	{"leader.all", "leader", ""},
	{"viewer", "viewer", ""},
	{"admin2", "admin", ""},
};

#define PROC "{\"code\":\"1.001193\",\"name\":\"Thủ tục đăng ký khai sinh\",\"field\":\"Hộ tịch\"," \
	"\"time_limit\":{\"days\":3,\"same_day\":false,\"cutoff\":null}," \
	"\"fee\":{\"amount\":0,\"text\":\"Miễn lệ phí (Luật Hộ tịch Đ11(1)(b))\"}}"
#define PROC_NOLIMIT "{\"code\":\"2.000001\",\"name\":\"Thủ tục chưa có thời hạn\",\"field\":\"Khác\"," \
	"\"time_limit\":{\"days\":null,\"same_day\":false,\"cutoff\":null},\"fee\":{\"amount\":5000}}"

static void
open_all(void)
{
	char err[200];
	assert_int_equal(store_open(&ST, DIR_, err, sizeof err), 0);
	assert_int_equal(app_init(&A, ST, err, sizeof err), 0);
}

static void
close_all(void)
{
	app_free(&A);
	store_close(ST);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(DIR_, sizeof DIR_, "/tmp/motcua-app-XXXXXX");
	if (!mkdtemp(DIR_))
		return -1;
	char err[200];
	if (store_open(&ST, DIR_, err, sizeof err) != 0 ||
	    store_init(ST, "UBND xã Thử", "000.00.00.H00", 0, "admin", "x") != ERR_OK)
		return -1;
	struct proc p[2];
	const char *docs[2] = {PROC, PROC_NOLIMIT};
	for (int i = 0; i < 2; i++) {
		json_t *o = json_loads(docs[i], 0, NULL);
		if (!o || proc_from_json(o, &p[i], NULL) != ERR_OK)
			return -1;
		json_decref(o);
		p[i].status = PROC_PUBLISHED;
	}
	size_t changed;
	enum err pe = store_proc_put(ST, "test", p, 2, "test", &changed);
	proc_free(&p[0]);
	proc_free(&p[1]);
	if (pe != ERR_OK)
		return -1;
	for (int i = 0; i < NACTORS; i++) {
		struct store_user u = {.active = 1};
		snprintf(u.username, sizeof u.username, "%s", PEOPLE[i].name);
		snprintf(u.full_name, sizeof u.full_name, "Người %s", PEOPLE[i].name);
		snprintf(u.role, sizeof u.role, "%s", PEOPLE[i].role);
		snprintf(u.unit, sizeof u.unit, "%s", PEOPLE[i].unit);
		snprintf(u.pwhash, sizeof u.pwhash, "x");
		if (store_user_create(ST, "test", &u, &u.id) != ERR_OK)
			return -1;
		app_actor_staff(&AC[i], &u);
	}
	store_close(ST);
	open_all();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close_all();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", DIR_);
	return system(cmd) == 0 ? 0 : -1;
}

/* Receives a birth registration for phone; code into out. */
static void
receive(const char *name, const char *phone, char *out, size_t n)
{
	struct app_doc docs[1] = {{"Tờ khai đăng ký khai sinh", 1, 0, 1}};
	struct app_intake in = {.procedure_code = "1.001193",
	                        .applicant = {name, "001185012345", "1985-03-02", 1, phone, NULL, "Thôn Đông"},
	                        .docs = docs, .ndocs = 1, .fee = -1};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	enum err e = app_dossier_receive(&A, &AC[CLERK], &in, &b, &f);
	if (e)
		fail_msg("receive: %s %s: %s", err_code(e), f.field, f.msg);
	snprintf(out, n, "%s", b.code);
}

static enum err
act(int who, const char *code, const char *action, int64_t assignee, const char *note)
{
	struct app_action in = {.action = action, .note = note, .assignee = assignee, .step_days = -1};
	struct app_dossier_brief b;
	return app_dossier_act(&A, &AC[who], code, &in, &b, NULL);
}

static int64_t
count(int who, const char *statuses)
{
	struct app_search s = {.statuses = statuses, .limit = 1};
	int64_t total = -1;
	assert_int_equal(app_dossier_search(&A, &AC[who], &s, NULL, NULL, &total, NULL), ERR_OK);
	return total;
}

/* What a form prints for a dossier paying nothing: the catalogue's
 * exemption of the version it was received under; nothing for a fee paid. */
static void
test_exemption(void **state)
{
	(void)state;
	char code[64], ex[300];
	receive("Phạm Thị Miễn Phí", "0912000111", code, sizeof code);
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], code, &d), ERR_OK);
	assert_int_equal(d.fee, 0);
	app_dossier_exemption(&A, &d, ex, sizeof ex);
	assert_string_equal(ex, "Miễn lệ phí (Luật Hộ tịch Đ11(1)(b))");
	d.fee = 8000;   /* the clerk took a fee: no exemption to print */
	app_dossier_exemption(&A, &d, ex, sizeof ex);
	assert_string_equal(ex, "");
	d.fee = 0;
	d.procedure_version_id = 999999;   /* a version that cannot be read */
	app_dossier_exemption(&A, &d, ex, sizeof ex);
	assert_string_equal(ex, "");
	store_dossier_free(&d);
}

static void
test_intake(void **state)
{
	(void)state;
	struct app_doc docs[1] = {{"Tờ khai", 1, 0, 1}};
	struct app_intake in = {.procedure_code = "1.001193",
	                        .applicant = {"Nguyễn Thị Mai", NULL, NULL, -1, "+84 912 345 678", NULL, NULL},
	                        .docs = docs, .ndocs = 1, .fee = -1, .key = "lan-gui-0123456789"};
	struct app_dossier_brief b, b2;
	struct app_fail f = {"", ""};
	int64_t before = count(CLERK, NULL), now = (int64_t)time(NULL);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_OK);
	assert_string_equal(b.status, "received");
	assert_int_equal(b.national_status, 2);
	assert_true(strncmp(b.code, "000.00.00.H00-", 14) == 0);
	assert_true(b.due_at > now);
	assert_int_equal(b.fee, 0);
	/* the same send again: the first dossier, no new number */
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b2, &f), ERR_OK);
	assert_true(b2.replayed);
	assert_string_equal(b2.code, b.code);
	assert_int_equal(count(CLERK, NULL), before + 1);
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], b.code, &d), ERR_OK);
	assert_string_equal(d.phone, "0912345678");
	assert_non_null(strstr(d.applicant, "\"name\":\"Nguyễn Thị Mai\""));
	store_dossier_free(&d);
	/* refusals change nothing and say which input and why */
	in.key = NULL;
	in.applicant.name = "   ";
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_MISSING_FIELD);
	assert_string_equal(f.field, "applicant.name");
	in.applicant.name = "Nguyễn Thị Mai";
	in.applicant.phone = NULL;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "applicant.phone");
	in.applicant.phone = "0912345678";
	in.procedure_code = "2.000001";
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_NO_TIME_LIMIT);
	in.procedure_code = "9.999999";
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_PROCEDURE_UNKNOWN);
	in.procedure_code = "1.001193";
	assert_int_equal(app_dossier_receive(&A, &AC[OFFICER_A], &in, &b, &f), ERR_FORBIDDEN);
	assert_int_equal(count(CLERK, NULL), before + 1);
}

/* The whole path to the result, and the clock's facts on the way. */
static void
test_workflow(void **state)
{
	(void)state;
	char code[64];
	receive("Lê Văn Luồng", "0933000111", code, sizeof code);
	assert_int_equal(act(CLERK, code, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	assert_int_equal(act(OFFICER_A, code, "request_supplement", 0, "Thiếu giấy chứng sinh"), ERR_OK);
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[OFFICER_A], code, &d), ERR_OK);
	assert_true(d.paused_at != 0);
	int64_t due_paused = d.due_at;
	store_dossier_free(&d);
	assert_int_equal(act(CLERK, code, "supplement_received", 0, NULL), ERR_OK);
	assert_int_equal(app_dossier_get(&A, &AC[OFFICER_A], code, &d), ERR_OK);
	assert_int_equal(d.paused_at, 0);
	assert_true(d.due_at >= due_paused);
	store_dossier_free(&d);
	assert_int_equal(act(OFFICER_A, code, "submit_for_approval", AC[LEADER_A].user_id, NULL), ERR_OK);
	/* a wrong action for the state, a reason missing */
	assert_int_equal(act(LEADER_A, code, "return", 0, NULL), ERR_DOSSIER_STATE);
	assert_int_equal(act(LEADER_A, code, "send_back", 0, ""), ERR_DOSSIER_REASON);
	assert_int_equal(act(LEADER_A, code, "approve", 0, NULL), ERR_OK);
	/* the officer still holds it after the leader signed */
	assert_int_equal(act(OFFICER_A, code, "result_ready", 0, NULL), ERR_OK);
	struct app_action ret = {.action = "return", .recipient = "Lê Văn Luồng", .recipient_id = "001185012345",
	                         .step_days = -1};
	struct app_dossier_brief b;
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], code, &ret, &b, NULL), ERR_OK);
	assert_string_equal(b.status, "returned");
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], code, &d), ERR_OK);
	const char *tl = app_timeliness(&d, (int64_t)time(NULL));
	assert_non_null(tl);
	assert_true(strcmp(tl, "early") == 0 || strcmp(tl, "on_time") == 0);
	assert_int_equal(d.version, 8);
	store_dossier_free(&d);
	/* a stale version loses */
	struct app_action stale = {.action = "assign", .assignee = AC[OFFICER_A].user_id, .step_days = -1,
	                           .expected_version = 1};
	char other[64];
	receive("Lê Văn Cũ", "0933000112", other, sizeof other);
	act(CLERK, other, "assign", AC[OFFICER_A].user_id, NULL);
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], other, &stale, &b, NULL), ERR_CONFLICT);
}

/* Who may read and act: role × own/other unit × assigned or not. */
static void
test_access_matrix(void **state)
{
	(void)state;
	char mine[64], unit_free[64], desk[64];
	receive("Ma Trận Một", "0944000001", mine, sizeof mine);
	receive("Ma Trận Hai", "0944000002", unit_free, sizeof unit_free);
	receive("Ma Trận Ba", "0944000003", desk, sizeof desk);
	/* mine: assigned to officer A; unit_free: forwarded to his unit, no one holds it */
	assert_int_equal(act(CLERK, mine, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	struct app_action to_unit = {.action = "assign", .unit = "Tư pháp - Hộ tịch", .step_days = -1};
	struct app_dossier_brief b;
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], unit_free, &to_unit, &b, NULL), ERR_OK);
	static const struct {
		int who;
		const char *which;
		int read, act;
	} m[] = {
		{CLERK, "mine", 1, 1},       {CLERK, "desk", 1, 1},
		{OFFICER_A, "mine", 1, 1},   {OFFICER_A, "unit", 1, 1},   {OFFICER_A, "desk", 0, 0},
		{OFFICER_A2, "mine", 1, 0},  {OFFICER_A2, "unit", 1, 1},  {OFFICER_A2, "desk", 0, 0},
		{OFFICER_B, "mine", 0, 0},   {OFFICER_B, "unit", 0, 0},   {OFFICER_B, "desk", 0, 0},
		{LEADER_A, "mine", 1, 1},    {LEADER_A, "unit", 1, 1},    {LEADER_A, "desk", 0, 0},
		{LEADER_ALL, "mine", 1, 1},  {LEADER_ALL, "desk", 1, 1},
		{VIEWER, "mine", 1, 0},      {VIEWER, "desk", 1, 0},
		{ADMIN, "mine", 1, 0},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		const char *code = strcmp(m[i].which, "mine") == 0 ? mine : strcmp(m[i].which, "unit") == 0 ? unit_free : desk;
		struct store_dossier d;
		enum err e = app_dossier_get(&A, &AC[m[i].who], code, &d);
		if ((e == ERR_OK) != m[i].read)
			fail_msg("%s reading %s: %s", PEOPLE[m[i].who].name, m[i].which, err_code(e));
		if (!e) {
			if (app_dossier_may_act(&A, &AC[m[i].who], &d) != m[i].act)
				fail_msg("%s acting on %s: want %d", PEOPLE[m[i].who].name, m[i].which, m[i].act);
			store_dossier_free(&d);
		}
	}
	/* acting for real: officer B is refused, nothing changes */
	assert_int_equal(act(OFFICER_B, mine, "submit_for_approval", 0, NULL), ERR_FORBIDDEN);
	/* searches list only what each may read */
	struct app_search s = {.text = "Ma Trận", .limit = 50};
	int64_t total;
	assert_int_equal(app_dossier_search(&A, &AC[OFFICER_B], &s, NULL, NULL, &total, NULL), ERR_OK);
	assert_int_equal(total, 0);
	assert_int_equal(app_dossier_search(&A, &AC[OFFICER_A2], &s, NULL, NULL, &total, NULL), ERR_OK);
	assert_int_equal(total, 2);
	assert_int_equal(app_dossier_search(&A, &AC[CLERK], &s, NULL, NULL, &total, NULL), ERR_OK);
	assert_int_equal(total, 3);
	/* with the agency configured so, every leader sees every unit */
	A.leaders_see_all = 1;
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[LEADER_A], desk, &d), ERR_OK);
	store_dossier_free(&d);
	A.leaders_see_all = 0;
}

/* The lookup's proof: the full phone or ID; guessing is counted in the
 * database and outlives a restart; a success erases nothing. */
static void
test_lookup_guard(void **state)
{
	(void)state;
	char code[64], lower[80];
	receive("Tra Cứu Thử", "0955666777", code, sizeof code);
	struct app_lookup l;
	struct app_proof ok = {code, "0955 666 777", "10.0.0.1"};
	assert_int_equal(app_lookup(&A, &ok, &l), ERR_OK);
	assert_string_equal(l.d.code, code);
	app_lookup_free(&l);
	struct app_proof id = {code, "001185012345", "10.0.0.1"};
	assert_int_equal(app_lookup(&A, &id, &l), ERR_OK);
	app_lookup_free(&l);
	snprintf(lower, sizeof lower, " %.60s ", code);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	struct app_proof lc = {lower, "0955666777", "10.0.0.1"};
	assert_int_equal(app_lookup(&A, &lc, &l), ERR_OK);
	app_lookup_free(&l);
	/* four digits, a wrong phone, an unknown code: the same answer */
	struct app_proof four = {code, "2345", "10.0.0.2"};
	struct app_proof wrong = {code, "0900000000", "10.0.0.2"};
	struct app_proof unknown = {"000.00.00.H00-991231-0001", "0955666777", "10.0.0.2"};
	assert_int_equal(app_lookup(&A, &four, &l), ERR_NOT_FOUND);
	assert_int_equal(app_lookup(&A, &wrong, &l), ERR_NOT_FOUND);
	assert_int_equal(app_lookup(&A, &unknown, &l), ERR_NOT_FOUND);
	/* ten failures on this code from many addresses lock the code... */
	for (int i = 0; i < 8; i++) {
		char addr[32];
		snprintf(addr, sizeof addr, "10.1.0.%d", i);
		struct app_proof g = {code, "0900000001", addr};
		assert_int_equal(app_lookup(&A, &g, &l), ERR_NOT_FOUND);
	}
	/* ... even for the right key, and a success in between resets nothing */
	assert_int_equal(app_lookup(&A, &ok, &l), ERR_THROTTLED);
	/* a restart does not forget */
	close_all();
	open_all();
	assert_int_equal(app_lookup(&A, &ok, &l), ERR_THROTTLED);
	/* another dossier is not locked for another client */
	char other[64];
	receive("Tra Cứu Khác", "0955666778", other, sizeof other);
	struct app_proof ok2 = {other, "0955666778", "10.0.0.9"};
	assert_int_equal(app_lookup(&A, &ok2, &l), ERR_OK);
	app_lookup_free(&l);
	/* one client guessing many codes is stopped at 30 */
	enum err e = ERR_OK;
	int n;
	for (n = 0; n < 40 && e != ERR_THROTTLED; n++) {
		char c[64];
		snprintf(c, sizeof c, "000.00.00.H00-991231-%04d", n + 100);
		struct app_proof g = {c, "0900000002", "10.9.9.9"};
		e = app_lookup(&A, &g, &l);
	}
	assert_int_equal(e, ERR_THROTTLED);
	assert_int_equal(n, 31);
	/* empty key: refused before anything is counted */
	struct app_proof empty = {other, "", "10.0.0.9"};
	assert_int_equal(app_lookup(&A, &empty, &l), ERR_MISSING_FIELD);
}

/* The rating: once, only when finished, with the lookup's proof. */
static void
test_rating(void **state)
{
	(void)state;
	char code[64];
	receive("Đánh Giá Thử", "0966000111", code, sizeof code);
	struct app_proof p = {code, "0966000111", "10.2.0.1"};
	struct app_fail f = {"", ""};
	assert_int_equal(app_rate(&A, &p, "satisfied", "", &f), ERR_DOSSIER_STATE);
	assert_int_equal(act(CLERK, code, "withdraw", 0, "Người nộp xin rút"), ERR_OK);
	assert_int_equal(app_rate(&A, &p, "great", "", &f), ERR_INVALID_FIELD);
	struct app_proof wrong = {code, "0966000112", "10.2.0.1"};
	assert_int_equal(app_rate(&A, &wrong, "satisfied", "", &f), ERR_NOT_FOUND);
	assert_int_equal(app_rate(&A, &p, "very_satisfied", "Tận tình", &f), ERR_OK);
	assert_int_equal(app_rate(&A, &p, "unsatisfied", "", &f), ERR_EXISTS);
	struct app_lookup l;
	assert_int_equal(app_lookup(&A, &p, &l), ERR_OK);
	assert_string_equal(l.rating, "very_satisfied");
	assert_false(l.rateable);
	app_lookup_free(&l);
	int64_t c[3], now = (int64_t)time(NULL);
	assert_int_equal(app_rating_counts(&A, &AC[LEADER_A], now - 60, now + 60, c), ERR_OK);
	assert_int_equal(c[0], 1);
	assert_int_equal(app_rating_counts(&A, &AC[LEADER_A], now, now, c), ERR_OUT_OF_RANGE);
}

/* Moves a dossier's legal due instant (a test's clock: the law's time
 * has passed) straight in the database. */
static void
set_due(const char *code, int64_t due)
{
	char path[128], sql[256];
	sqlite3 *db;
	snprintf(path, sizeof path, "%s/motcua.db", DIR_);
	snprintf(sql, sizeof sql, "UPDATE dossiers SET due_at = %lld WHERE code = '%s'", (long long)due, code);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

struct ev_seen {
	const char *action;
	int late, found;
	char missing[4][200];
	size_t nmissing;
};

static int
ev_find(const struct store_dossier_event *ev, void *arg)
{
	struct ev_seen *s = arg;
	if (strcmp(ev->action, s->action) != 0)
		return 0;
	s->found = 1;
	s->late = ev->late;
	s->nmissing = ev->nmissing;
	for (size_t i = 0; i < ev->nmissing && i < 4; i++)
		snprintf(s->missing[i], sizeof s->missing[i], "%s", ev->missing[i]);
	return 0;
}

/* Item 6: an apology after the promised time is taken and marked late;
 * one in time is not; the new date must be after now. */
static void
test_apology_late(void **state)
{
	(void)state;
	char code[64];
	receive("Trần Thị Muộn", "0933000771", code, sizeof code);
	assert_int_equal(act(CLERK, code, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	int64_t now = (int64_t)time(NULL);
	set_due(code, now - 3600);
	struct app_action in = {.action = "apologize", .note = "Chờ xác minh", .new_date = "2020-01-01",
	                        .step_days = -1};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	/* a new date already past is refused, late or not */
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], code, &in, &b, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "new_date");
	in.new_date = "2099-12-31";
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], code, &in, &b, &f), ERR_OK);
	struct ev_seen s = {.action = "apologize"};
	assert_int_equal(app_dossier_events(&A, &AC[OFFICER_A], code, ev_find, &s), ERR_OK);
	assert_true(s.found);
	assert_true(s.late);
	/* in time: not marked */
	char other[64];
	receive("Trần Thị Đúng", "0933000772", other, sizeof other);
	assert_int_equal(act(CLERK, other, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], other, &in, &b, &f), ERR_OK);
	s = (struct ev_seen){.action = "apologize"};
	assert_int_equal(app_dossier_events(&A, &AC[OFFICER_A], other, ev_find, &s), ERR_OK);
	assert_true(s.found);
	assert_false(s.late);
}

/* Item 6: the report sorts the late dossiers by their apology — in time,
 * sent late, none. */
static void
test_report_apologies(void **state)
{
	(void)state;
	int64_t now = (int64_t)time(NULL);
	struct app_action apo = {.action = "apologize", .note = "Chờ xác minh", .new_date = "2099-12-31",
	                         .step_days = -1};
	struct app_dossier_brief b;
	char c[3][64];
	for (int i = 0; i < 3; i++) {
		receive("Phạm Văn Báo", "0933000781", c[i], sizeof c[i]);
		assert_int_equal(act(CLERK, c[i], "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	}
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], c[0], &apo, &b, NULL), ERR_OK); /* in time */
	for (int i = 0; i < 3; i++)
		set_due(c[i], now - 60);
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], c[1], &apo, &b, NULL), ERR_OK); /* late */
	struct app_report r;
	cal_day today = vn_day(now);
	assert_int_equal(app_report_timeliness(&A, &AC[VIEWER], today, today, now + 1, &r, NULL), ERR_OK);
	int seen = 0;
	for (size_t i = 0; i < r.nlate; i++)
		for (int k = 0; k < 3; k++)
			if (strcmp(r.late[i].code, c[k]) == 0) {
				seen++;
				assert_int_equal(r.late[i].apology,
				                 k == 0 ? APP_APOLOGY_ON_TIME : k == 1 ? APP_APOLOGY_LATE : APP_APOLOGY_NONE);
			}
	assert_int_equal(seen, 3);
	assert_true(r.apologies[APP_APOLOGY_ON_TIME] >= 1 && r.apologies[APP_APOLOGY_LATE] >= 1 &&
	            r.apologies[APP_APOLOGY_NONE] >= 1);
	assert_int_equal(r.apologies[0] + r.apologies[1] + r.apologies[2], (int64_t)r.nlate);
	app_report_free(&r);
}

/* Item 5: a supplement request records the papers still missing, trimmed;
 * blank ones, too many, or a list on another action are refused. */
static void
test_supplement_missing(void **state)
{
	(void)state;
	char code[64];
	receive("Vũ Thị Thiếu", "0933000791", code, sizeof code);
	assert_int_equal(act(CLERK, code, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	const char *bad[2] = {"Giấy chứng sinh", "   "};
	struct app_action in = {.action = "request_supplement", .note = "Thiếu giấy tờ", .missing = bad,
	                        .nmissing = 2, .step_days = -1};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], code, &in, &b, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "missing");
	struct app_action wrong = {.action = "submit_for_approval", .missing = bad, .nmissing = 1, .step_days = -1};
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], code, &wrong, &b, &f), ERR_INVALID_FIELD);
	const char *good[2] = {"  Giấy chứng sinh (bản chính) ", "Giấy chứng nhận kết hôn của cha mẹ"};
	in.missing = good;
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], code, &in, &b, &f), ERR_OK);
	struct ev_seen s = {.action = "request_supplement"};
	assert_int_equal(app_dossier_events(&A, &AC[OFFICER_A], code, ev_find, &s), ERR_OK);
	assert_int_equal(s.nmissing, 2);
	assert_string_equal(s.missing[0], "Giấy chứng sinh (bản chính)");
	assert_string_equal(s.missing[1], "Giấy chứng nhận kết hôn của cha mẹ");
}

/* The report counts what was received today, by field. */
static void
test_report(void **state)
{
	(void)state;
	int64_t now = (int64_t)time(NULL);
	cal_day today = vn_day(now);
	struct app_report r;
	struct app_fail f = {"", ""};
	assert_int_equal(app_report_timeliness(&A, &AC[CLERK], today, today, now, &r, &f), ERR_FORBIDDEN);
	assert_int_equal(app_report_timeliness(&A, &AC[LEADER_A], today, today - 1, now, &r, &f), ERR_OUT_OF_RANGE);
	assert_int_equal(app_report_timeliness(&A, &AC[VIEWER], today, today, now, &r, &f), ERR_OK);
	assert_int_equal(r.by_field.n, 1);
	assert_string_equal(r.by_field.rows[0].name, "Hộ tịch");
	assert_int_equal(r.all[APP_TL_RECEIVED] + r.all[APP_TL_HELD] + r.all[APP_TL_REFUSED], count(CLERK, NULL));
	assert_int_equal(r.all[APP_TL_RECEIVED], r.by_field.rows[0].c[APP_TL_RECEIVED]);
	int64_t sum = 0;
	for (int i = APP_TL_EARLY; i <= APP_TL_OTHER; i++)
		sum += r.all[i];
	assert_int_equal(sum, r.all[APP_TL_RECEIVED]);
	app_report_free(&r);
}

/* A figure's list: how many dossiers app_stats_dossiers gives. */
static int
count_listed(const struct store_dossier *d, void *arg)
{
	(void)d;
	(*(int64_t *)arg)++;
	return 0;
}

/* Issue #15 item 1: the statistics agree with the timeliness report (the
 * same DOMAIN decision 6 classification), every grouping sums to the
 * total, every figure's list holds exactly as many dossiers as the figure
 * says, and a dossier received and paid now shows in its officer's row,
 * its channel's and the fees of its payment channel. */
static void
test_stats(void **state)
{
	(void)state;
	int64_t now = (int64_t)time(NULL);
	cal_day today = vn_day(now);
	char code[64];
	receive("Hồ Thị Thống Kê", "0933000811", code, sizeof code);
	assert_int_equal(act(CLERK, code, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	struct app_stats s;
	struct app_fail f = {"", ""};
	assert_int_equal(app_stats_period(&A, &AC[CLERK], today, today, now, &s, &f), ERR_FORBIDDEN);
	assert_int_equal(app_stats_period(&A, &AC[LEADER_A], today, today - 1, now, &s, &f), ERR_OUT_OF_RANGE);
	assert_int_equal(app_stats_period(&A, &AC[VIEWER], today, today, now, &s, &f), ERR_OK);
	struct app_report r;
	assert_int_equal(app_report_timeliness(&A, &AC[VIEWER], today, today, now, &r, &f), ERR_OK);
	assert_true(s.all.c[APP_SM_RECEIVED] >= 1);
	assert_int_equal(s.all.c[APP_SM_RECEIVED], r.all[APP_TL_RECEIVED]);
	assert_int_equal(s.all.c[APP_SM_EARLY], r.all[APP_TL_EARLY]);
	assert_int_equal(s.all.c[APP_SM_ON_TIME], r.all[APP_TL_ON_TIME]);
	assert_int_equal(s.all.c[APP_SM_LATE], r.all[APP_TL_LATE]);
	assert_int_equal(s.all.c[APP_SM_IN_TIME], r.all[APP_TL_IN_TIME]);
	assert_int_equal(s.all.c[APP_SM_OVERDUE], r.all[APP_TL_OVERDUE]);
	assert_int_equal(s.all.c[APP_SM_FINISHED],
	                 s.all.c[APP_SM_EARLY] + s.all.c[APP_SM_ON_TIME] + s.all.c[APP_SM_LATE]);
	assert_int_equal(s.all.c[APP_SM_PENDING], s.all.c[APP_SM_IN_TIME] + s.all.c[APP_SM_OVERDUE]);
	app_report_free(&r);
	int officer_seen = 0;
	for (int g = 0; g < APP_SG_N; g++) {
		int64_t sum[APP_SM_N] = {0}, fee = 0;
		for (size_t i = 0; i < s.g[g].n; i++) {
			const struct app_stats_row *row = &s.g[g].rows[i];
			for (int m = 0; m < APP_SM_N; m++) {
				sum[m] += row->c[m];
				int64_t listed = 0;
				assert_int_equal(app_stats_dossiers(&A, &AC[VIEWER], today, today, now, g, row->key, m,
				                                    count_listed, &listed, &f), ERR_OK);
				if (listed != row->c[m])
					fail_msg("%s %s %s: listed %lld, counted %lld", app_stats_group_code(g), row->name,
					         app_stats_measure_code(m), (long long)listed, (long long)row->c[m]);
			}
			fee += row->fee;
			if (g == APP_SG_OFFICER && row->c[APP_SM_RECEIVED] &&
			    strtoll(row->key, NULL, 10) == AC[OFFICER_A].user_id)
				officer_seen = 1;
		}
		for (int m = 0; m < APP_SM_N; m++)
			assert_int_equal(sum[m], s.all.c[m]);
		assert_int_equal(fee, s.all.fee);
	}
	assert_true(officer_seen);
	int64_t paid = 0, amount = 0;
	for (size_t i = 0; i < s.npay; i++) {
		paid += s.pay[i].n;
		amount += s.pay[i].amount;
	}
	assert_int_equal(paid, s.all.c[APP_SM_PAID]);
	assert_int_equal(amount, s.all.fee);
	assert_true(s.day_secs > 0);
	app_stats_free(&s);
	assert_int_equal(app_stats_dossiers(&A, &AC[VIEWER], today, today, now, APP_SG_N, NULL, 0, count_listed,
	                                    &(int64_t){0}, &f), ERR_INVALID_FIELD);
}

/* The first working day strictly after the local day of t, at minute. */
static int64_t
next_working_at(int64_t t, int minute)
{
	int y, mo, d;
	cal_ymd(vn_day(t), &y, &mo, &d);
	struct calsnap *cs = cal_acquire(&A);
	cal_day day;
	assert_int_equal(cal_next_working(&cs->cal, vn_day(t), &day), 0);
	cal_release(&A, cs);
	return vn_instant(day, minute);
}

/* A day off (a Sunday) after t, at 10:00. */
static int64_t
sunday_after(int64_t t)
{
	cal_day day = vn_day(t) + 1;
	while (cal_weekday(day) != 0)
		day++;
	return vn_instant(day, 600);
}

/* The audit event "dossier.receive" of code: its due_by_hand, -1 when none. */
static int
audit_due_by_hand(const char *code)
{
	char path[128], sql[256];
	sqlite3 *db;
	sqlite3_stmt *s;
	snprintf(path, sizeof path, "%s/motcua.db", DIR_);
	snprintf(sql, sizeof sql, "SELECT json_extract(details, '$.due_by_hand') FROM audit_events"
	         " WHERE action = 'dossier.receive' AND object = 'dossier:%s'", code);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	int v = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL
	            ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Issue #12: a procedure without a verified time limit is received with
 * the appointment the clerk sets; refused when it is missing, past, on a
 * day off, outside office hours or too far; recorded and audited as set
 * by hand; a held dossier takes it when received. */
static void
test_due_by_hand(void **state)
{
	(void)state;
	struct app_intake in = {.procedure_code = "2.000001",
	                        .applicant = {"Trần Văn Hẹn", NULL, NULL, -1, "0912000111", NULL, NULL},
	                        .fee = -1};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	int64_t now = (int64_t)time(NULL), before = count(CLERK, NULL);
	struct store_check c0, c;   /* earlier tests moved some due instants by hand (set_due) */
	assert_int_equal(store_check(ST, &c0), ERR_OK);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_NO_TIME_LIMIT);
	assert_string_equal(f.field, "due_at");
	in.due_by_hand = now - 3600;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_TIME);
	assert_non_null(strstr(f.msg, "sau thời điểm tiếp nhận"));
	in.due_by_hand = sunday_after(now);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_TIME);
	assert_non_null(strstr(f.msg, "không phải ngày làm việc"));
	in.due_by_hand = next_working_at(now, 20 * 60);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_TIME);
	assert_non_null(strstr(f.msg, "giờ làm việc"));
	in.due_by_hand = next_working_at(now + 100 * 86400, 16 * 60);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_BAD_TIME);
	assert_non_null(strstr(f.msg, "không được quá 90 ngày"));
	/* a procedure with a limit counts its own appointment */
	in.procedure_code = "1.001193";
	in.due_by_hand = next_working_at(now, 16 * 60);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "due_at");
	/* held: no appointment yet */
	in.procedure_code = "2.000001";
	in.hold = 1;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_INVALID_FIELD);
	assert_int_equal(count(CLERK, NULL), before);   /* refusals wrote nothing */
	/* accepted: due as set, flagged, audited in the intake's event */
	in.hold = 0;
	int64_t due = next_working_at(now, 16 * 60);
	in.due_by_hand = due;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_OK);
	assert_int_equal(b.due_at, due);
	assert_true(b.due_by_hand);
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], b.code, &d), ERR_OK);
	assert_int_equal(d.due_at, due);
	assert_true(d.due_by_hand);
	store_dossier_free(&d);
	assert_int_equal(audit_due_by_hand(b.code), 1);
	/* a dossier counted from its limit says so too */
	char counted[64];
	receive("Lê Thị Đếm", "0912000222", counted, sizeof counted);
	assert_int_equal(audit_due_by_hand(counted), 0);
	/* held, then received with the appointment */
	in.hold = 1;
	in.due_by_hand = 0;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, &f), ERR_OK);
	assert_int_equal(b.due_at, 0);
	assert_true(app_due_by_hand_needed(&A, "2.000001", NULL));
	assert_false(app_due_by_hand_needed(&A, "1.001193", NULL));
	struct app_action rcv = {.action = "receive", .step_days = -1};
	struct app_dossier_brief b2;
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], b.code, &rcv, &b2, &f), ERR_NO_TIME_LIMIT);
	assert_string_equal(f.field, "new_date");
	char when[VN_RFC3339_MAX];
	vn_fmt_rfc3339(sunday_after(now), when, sizeof when);
	rcv.new_date = when;
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], b.code, &rcv, &b2, &f), ERR_BAD_TIME);
	vn_fmt_rfc3339(due, when, sizeof when);
	assert_int_equal(app_dossier_act(&A, &AC[CLERK], b.code, &rcv, &b2, &f), ERR_OK);
	assert_int_equal(b2.due_at, due);
	assert_true(b2.due_by_hand);
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], b.code, &d), ERR_OK);
	assert_true(d.due_by_hand);
	assert_string_equal(d.status, "received");
	store_dossier_free(&d);
	/* `motcua check` proves every row against the chain, the flag included */
	assert_int_equal(store_check(ST, &c), ERR_OK);
	if (c.dossiers_bad != c0.dossiers_bad)
		fail_msg("check: %s", c.dossier_bad);
	assert_int_equal(c.dossiers, c0.dossiers + 3);
}

/* The counts of the row called name in tb, or a row of zeros. */
static const int64_t *
row_counts(const struct app_report_table *tb, const char *name)
{
	static const int64_t none[APP_TL_N];
	for (size_t i = 0; i < tb->n; i++)
		if (strcmp(tb->rows[i].name, name) == 0)
			return tb->rows[i].c;
	return none;
}

/* Where name sits in tb (-1 when absent). */
static long
row_index(const struct app_report_table *tb, const char *name)
{
	for (size_t i = 0; i < tb->n; i++)
		if (strcmp(tb->rows[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Item 7: refused at reception and held at the desk are counted apart,
 * never as received; each dossier counts under the officer holding it
 * (by full name) and its unit; rows read in Vietnamese order (Đ among
 * the D), the catch-all row last. */
static void
test_report_apart_by_officer_and_unit(void **state)
{
	(void)state;
	int64_t now = (int64_t)time(NULL);
	cal_day today = vn_day(now);
	struct app_report r0, r1;
	assert_int_equal(app_report_timeliness(&A, &AC[VIEWER], today, today, now, &r0, NULL), ERR_OK);
	char a[64], b[64], refused[64], held[64];
	receive("Hồ Văn Một", "0933000801", a, sizeof a);
	receive("Hồ Văn Hai", "0933000802", b, sizeof b);
	struct app_doc docs[1] = {{"Tờ khai đăng ký khai sinh", 1, 0, 1}};
	struct app_intake in = {.procedure_code = "1.001193", .hold = 1,
	                        .applicant = {"Hồ Thị Chờ", NULL, NULL, -1, "0933000803", NULL, NULL},
	                        .docs = docs, .ndocs = 1, .fee = -1};
	struct app_dossier_brief br;
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &br, NULL), ERR_OK);
	snprintf(refused, sizeof refused, "%s", br.code);
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &br, NULL), ERR_OK);
	snprintf(held, sizeof held, "%s", br.code);
	assert_int_equal(act(CLERK, refused, "refuse_intake", 0, "Không thuộc thẩm quyền"), ERR_OK);
	assert_int_equal(act(CLERK, a, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	assert_int_equal(act(CLERK, b, "assign", AC[OFFICER_B].user_id, NULL), ERR_OK);
	assert_int_equal(app_report_timeliness(&A, &AC[VIEWER], today, today, now + 1, &r1, NULL), ERR_OK);
	/* received +2; refused +1 and held +1, apart */
	assert_int_equal(r1.all[APP_TL_RECEIVED] - r0.all[APP_TL_RECEIVED], 2);
	assert_int_equal(r1.all[APP_TL_REFUSED] - r0.all[APP_TL_REFUSED], 1);
	assert_int_equal(r1.all[APP_TL_HELD] - r0.all[APP_TL_HELD], 1);
	assert_int_equal(r1.all[APP_TL_IN_TIME] - r0.all[APP_TL_IN_TIME], 2);
	/* by officer, by full name */
	const char *names[] = {"Người officer.a", "Người officer.b"};
	for (int i = 0; i < 2; i++) {
		const int64_t *c0 = row_counts(&r0.by_officer, names[i]), *c1 = row_counts(&r1.by_officer, names[i]);
		assert_int_equal(c1[APP_TL_RECEIVED] - c0[APP_TL_RECEIVED], 1);
		assert_int_equal(c1[APP_TL_IN_TIME] - c0[APP_TL_IN_TIME], 1);
	}
	const int64_t *n0 = row_counts(&r0.by_officer, APP_REPORT_NO_OFFICER);
	const int64_t *n1 = row_counts(&r1.by_officer, APP_REPORT_NO_OFFICER);
	assert_int_equal(n1[APP_TL_RECEIVED] - n0[APP_TL_RECEIVED], 0);
	assert_int_equal(n1[APP_TL_REFUSED] - n0[APP_TL_REFUSED], 1);
	assert_int_equal(n1[APP_TL_HELD] - n0[APP_TL_HELD], 1);
	/* by unit: the officer's unit came with the dossier */
	assert_int_equal(row_counts(&r1.by_unit, "Địa chính")[APP_TL_RECEIVED] -
	                 row_counts(&r0.by_unit, "Địa chính")[APP_TL_RECEIVED], 1);
	assert_int_equal(row_counts(&r1.by_unit, "Tư pháp - Hộ tịch")[APP_TL_RECEIVED] -
	                 row_counts(&r0.by_unit, "Tư pháp - Hộ tịch")[APP_TL_RECEIVED], 1);
	/* order: "Địa chính" before "Tư pháp" (a byte order would not), the
	 * unassigned row last although "Chưa" sorts first */
	long dc = row_index(&r1.by_unit, "Địa chính"), tp = row_index(&r1.by_unit, "Tư pháp - Hộ tịch");
	assert_true(dc >= 0 && tp > dc);
	assert_int_equal(row_index(&r1.by_unit, APP_REPORT_NO_UNIT), (long)r1.by_unit.n - 1);
	assert_int_equal(row_index(&r1.by_officer, APP_REPORT_NO_OFFICER), (long)r1.by_officer.n - 1);
	/* every table adds up to the same totals */
	const struct app_report_table *tbs[] = {&r1.by_field, &r1.by_officer, &r1.by_unit};
	for (int t = 0; t < 3; t++)
		for (int k = 0; k < APP_TL_N; k++) {
			int64_t sum = 0;
			for (size_t i = 0; i < tbs[t]->n; i++)
				sum += tbs[t]->rows[i].c[k];
			assert_int_equal(sum, r1.all[k]);
		}
	app_report_free(&r0);
	app_report_free(&r1);
}

/* The applicant's messages are written with the change that causes them,
 * in its transaction: a received dossier has its SMS and e-mail, an
 * action the applicant is not told of adds none, and an action that
 * fails (a stale version, a wrong state) adds none either. */
static int
count_key(const struct store_outbox_row *r, void *arg)
{
	const char **want = arg;
	for (int i = 0; want[i]; i++)
		if (strcmp(r->key, want[i]) == 0)
			want[i] = "";
	return 0;
}

static int64_t
outbox_total(void)
{
	int64_t total = 0;
	assert_int_equal(store_outbox_list(ST, NULL, 1, count_key, (const char *[]){NULL}, &total), ERR_OK);
	return total;
}

static void
test_outbox_with_change(void **state)
{
	(void)state;
	struct app_doc docs[1] = {{"Tờ khai", 1, 0, 1}};
	struct app_intake in = {.procedure_code = "1.001193",
	                        .applicant = {"Trần Văn Báo", NULL, NULL, -1, "0987 654 321", "bao@xa.vn", NULL},
	                        .docs = docs, .ndocs = 1, .fee = -1};
	struct app_dossier_brief b;
	int64_t before = outbox_total();
	assert_int_equal(app_dossier_receive(&A, &AC[CLERK], &in, &b, NULL), ERR_OK);
	assert_int_equal(outbox_total(), before + 2);
	char k1[120], k2[120];
	snprintf(k1, sizeof k1, "dossier:%s:1:received:sms", b.code);
	snprintf(k2, sizeof k2, "dossier:%s:1:received:email", b.code);
	const char *want[] = {k1, k2, NULL};
	int64_t total;
	assert_int_equal(store_outbox_list(ST, NULL, 10, count_key, want, &total), ERR_OK);
	assert_string_equal(want[0], "");
	assert_string_equal(want[1], "");
	/* assigning tells the applicant nothing */
	assert_int_equal(act(CLERK, b.code, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	assert_int_equal(outbox_total(), before + 2);
	/* a stale version: refused, no message */
	struct app_action stale = {.action = "request_supplement", .note = "Thiếu", .expected_version = 1};
	struct app_dossier_brief nb;
	assert_int_equal(app_dossier_act(&A, &AC[OFFICER_A], b.code, &stale, &nb, NULL), ERR_CONFLICT);
	/* a wrong state: refused, no message */
	assert_int_equal(act(CLERK, b.code, "return", 0, NULL) != ERR_OK, 1);
	assert_int_equal(outbox_total(), before + 2);
	assert_int_equal(act(OFFICER_A, b.code, "request_supplement", 0, "Thiếu giấy chứng sinh"), ERR_OK);
	assert_int_equal(outbox_total(), before + 4);
	/* one transaction, seen from the store: a message that cannot be
	 * written (no such template) undoes the change; a change that loses
	 * the race (stale version) writes no message */
	struct store_dossier d;
	assert_int_equal(store_dossier_get(ST, b.code, &d), ERR_OK);
	struct store_outbox_msg m = {"sms", "0987654321", "khong-co-mau", NULL, 0, NULL};
	struct store_dossier_change ch = {
		.expected_version = d.version, .action = "supplement_received", .from_status = d.status,
		.status = "processing", .stage = "with_officer", .resume_state = "", .resume_stage = "",
		.details = "{}", .event = "dossier.supplement_received", .due_at = d.due_at,
		.assignee = d.assignee, .at = (int64_t)time(NULL), .outbox = &m, .noutbox = 1,
	};
	assert_int_equal(store_dossier_apply(ST, "user:clerk", b.code, &ch), ERR_NOT_FOUND);
	struct store_dossier after;
	assert_int_equal(store_dossier_get(ST, b.code, &after), ERR_OK);
	assert_int_equal(after.version, d.version);
	assert_string_equal(after.status, "waiting_supplement");
	store_dossier_free(&after);
	m.tmpl = "received";
	ch.expected_version = d.version - 1;
	assert_int_equal(store_dossier_apply(ST, "user:clerk", b.code, &ch), ERR_CONFLICT);
	assert_int_equal(outbox_total(), before + 4);
	store_dossier_free(&d);
}


/* The fee rules (digital.h): what each combination settles to, and the
 * refusals with the field they name. */
static void
test_fee_rules(void **state)
{
	(void)state;
	struct app_fee_settled s;
	struct app_fail f;
	const int64_t now = 1764000000;
	struct app_fee_in in = {.amount = -1};
	assert_int_equal(app_fee_settle(&in, 0, now, &s, &f), ERR_OK);
	assert_string_equal(s.status, "exempt");
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_OK);
	assert_string_equal(s.status, "unpaid");
	assert_int_equal(s.fee, 5000);
	assert_int_equal(s.paid_at, 0);
	in.status = APP_FEE_EXEMPT;   /* exempt from the procedure's fee: owes nothing */
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_OK);
	assert_int_equal(s.fee, 0);
	in.amount = 5000;             /* exempt with an amount: refused */
	assert_int_equal(app_fee_settle(&in, 0, now, &s, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "fee");
	in = (struct app_fee_in){.status = APP_FEE_PAID, .amount = -1};
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "pay_channel");
	in.channel = 1;
	assert_int_equal(app_fee_settle(&in, 0, now, &s, &f), ERR_INVALID_FIELD);   /* paid 0 */
	in.receipt_no = "  BL-0042 ";
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_OK);
	assert_string_equal(s.status, "paid");
	assert_string_equal(s.channel, "cash");
	assert_string_equal(s.receipt_no, "BL-0042");
	assert_int_equal(s.paid_at, now);
	in.receipt_no = "12345678901234567890123456789012345678901";   /* 41 */
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_INVALID_FIELD);
	in.receipt_no = "BL\n1";
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_INVALID_FIELD);
	in = (struct app_fee_in){.status = APP_FEE_UNPAID, .amount = -1, .receipt_no = "BL-1"};
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_INVALID_FIELD);
	assert_string_equal(f.field, "receipt_no");
	in = (struct app_fee_in){.status = APP_FEE_UNPAID, .amount = -1, .channel = 2};
	assert_int_equal(app_fee_settle(&in, 5000, now, &s, &f), ERR_INVALID_FIELD);
	in = (struct app_fee_in){.status = APP_FEE_UNPAID, .amount = -1};
	assert_int_equal(app_fee_settle(&in, 0, now, &s, &f), ERR_INVALID_FIELD);
	in = (struct app_fee_in){.status = 9, .amount = -1};
	assert_int_equal(app_fee_settle(&in, 0, now, &s, &f), ERR_INVALID_FIELD);
}

/* Receives a birth registration for the person with ID idn and a fee. */
static void
receive_for(const char *idn, const char *phone, int64_t fee, char *out, size_t n)
{
	struct app_doc docs[2] = {{"Tờ khai đăng ký khai sinh", 1, 0, 1}, {"Giấy chứng sinh", 1, 1, 1}};
	struct app_intake in = {.procedure_code = "1.001193",
	                        .applicant = {"Lò Thị Số", idn, NULL, -1, phone, NULL, "Bản Mường"},
	                        .docs = docs, .ndocs = 2, .fee = fee};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	enum err e = app_dossier_receive(&A, &AC[CLERK], &in, &b, &f);
	if (e)
		fail_msg("receive: %s %s: %s", err_code(e), f.field, f.msg);
	snprintf(out, n, "%s", b.code);
}

/* Recording the payment later: the clerk only, once. */
static void
test_pay(void **state)
{
	(void)state;
	char code[64];
	receive_for("001185099001", "0933111000", 5000, code, sizeof code);
	struct store_dossier d;
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], code, &d), ERR_OK);
	assert_string_equal(d.fee_status, "unpaid");
	store_dossier_free(&d);
	struct app_fee_in in = {.status = APP_FEE_PAID, .channel = 3, .amount = -1, .receipt_no = "GD-77"};
	struct app_fail f;
	assert_int_equal(app_dossier_pay(&A, &AC[OFFICER_A], code, &in, &f), ERR_FORBIDDEN);
	in.status = APP_FEE_UNPAID;
	assert_int_equal(app_dossier_pay(&A, &AC[CLERK], code, &in, &f), ERR_INVALID_FIELD);
	in.status = APP_FEE_PAID;
	assert_int_equal(app_dossier_pay(&A, &AC[CLERK], code, &in, &f), ERR_OK);
	assert_int_equal(app_dossier_get(&A, &AC[CLERK], code, &d), ERR_OK);
	assert_string_equal(d.fee_status, "paid");
	assert_string_equal(d.pay_channel, "online");
	assert_string_equal(d.receipt_no, "GD-77");
	assert_true(d.paid_at > 0);
	assert_int_equal(d.version, 1);   /* no step of the workflow */
	store_dossier_free(&d);
	assert_int_equal(app_dossier_pay(&A, &AC[CLERK], code, &in, &f), ERR_CONFLICT);
	assert_int_equal(app_dossier_pay(&A, &AC[CLERK], "000.00.00.H00-991231-0001", &in, &f), ERR_NOT_FOUND);
}

/* The hash of the first attachment into arg. */
static int
scan_sha(const struct store_attachment *at, void *arg)
{
	snprintf(arg, 65, "%s", at->sha256);
	return 1;
}

/* Scans per line, reuse only from the same person, the result and its
 * download behind the lookup's proof, and the counts. */
static void
test_digitised(void **state)
{
	(void)state;
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1};
	static const char pdf[] = "%PDF-1.7\nkết quả\n%%EOF\n";
	char a[64], b[64], x[64];
	receive_for("001185099002", "0933222000", -1, a, sizeof a);
	receive_for("001185099002", "0933222000", -1, b, sizeof b);
	receive_for("001185099003", "0933333000", -1, x, sizeof x);
	struct app_fail f;
	struct app_attach in = {.kind = APP_ATT_COMPONENT, .component = 2, .file_name = "cs.png", .data = png,
	                        .len = sizeof png};
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], a, &in, &f), ERR_OK);
	in.component = 3;
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], a, &in, &f), ERR_INVALID_FIELD);
	in.data = "<html>";   /* a name is no proof */
	in.len = 6;
	in.component = 1;
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], a, &in, &f), ERR_UNSUPPORTED_MEDIA);
	struct app_digitised dg;
	assert_int_equal(app_dossier_digitised(&A, &AC[CLERK], a, &dg), ERR_OK);
	assert_int_equal(dg.components, 2);
	assert_int_equal(dg.digitised, 1);
	assert_int_equal(dg.line[1], 1);
	assert_int_equal(dg.reused, 0);
	/* the scan's hash, from the list */
	struct store_attachment at;
	char *data = NULL;
	size_t len = 0;
	char sha[65] = "";
	assert_int_equal(store_attachments(ST, a, scan_sha, sha), ERR_OK);
	assert_int_equal(strlen(sha), 64);
	struct app_attach re = {.kind = APP_ATT_COMPONENT, .component = 2, .reuse_code = a, .reuse_sha = sha};
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], x, &re, &f), ERR_INVALID_FIELD);   /* another person */
	assert_string_equal(f.field, "reused_from");
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], a, &re, &f), ERR_INVALID_FIELD);   /* itself */
	re.reuse_sha = "0000000000000000000000000000000000000000000000000000000000000000";
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], b, &re, &f), ERR_INVALID_FIELD);
	re.reuse_sha = sha;
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], b, &re, &f), ERR_OK);
	assert_int_equal(app_dossier_digitised(&A, &AC[CLERK], b, &dg), ERR_OK);
	assert_int_equal(dg.digitised, 1);
	assert_int_equal(dg.reused, 1);
	assert_int_equal(dg.line[1], 2);
	assert_int_equal(dg.result, 0);
	/* the result: an officer or leader who may act, not the clerk */
	struct app_attach res = {.kind = APP_ATT_RESULT, .file_name = "kq.pdf", .data = pdf, .len = sizeof pdf - 1};
	assert_int_equal(app_dossier_attach_as(&A, &AC[CLERK], b, &res, &f), ERR_FORBIDDEN);
	assert_int_equal(act(CLERK, b, "assign", AC[OFFICER_A].user_id, NULL), ERR_OK);
	assert_int_equal(app_dossier_attach_as(&A, &AC[OFFICER_B], b, &res, &f), ERR_FORBIDDEN);
	assert_int_equal(app_dossier_attach_as(&A, &AC[OFFICER_A], b, &res, &f), ERR_OK);
	assert_int_equal(app_dossier_digitised(&A, &AC[CLERK], b, &dg), ERR_OK);
	assert_int_equal(dg.result, 1);
	/* the applicant's download: only with the full phone, only once ready */
	struct app_proof p = {b, "0933222000", "unit-test"};
	assert_int_equal(app_lookup_result(&A, &p, &at, &data, &len, &f), ERR_DOSSIER_STATE);
	assert_int_equal(act(OFFICER_A, b, "submit_for_approval", AC[LEADER_A].user_id, NULL), ERR_OK);
	assert_int_equal(act(LEADER_A, b, "approve", 0, NULL), ERR_OK);
	assert_int_equal(act(OFFICER_A, b, "result_ready", 0, NULL), ERR_OK);
	struct app_proof wrong = {b, "0933222001", "unit-test"}, part = {b, "222000", "unit-test"},
	                 other = {x, "0933222000", "unit-test"};
	assert_int_equal(app_lookup_result(&A, &wrong, &at, &data, &len, &f), ERR_NOT_FOUND);
	assert_int_equal(app_lookup_result(&A, &part, &at, &data, &len, &f), ERR_NOT_FOUND);
	assert_int_equal(app_lookup_result(&A, &other, &at, &data, &len, &f), ERR_NOT_FOUND);
	assert_int_equal(app_lookup_result(&A, &p, &at, &data, &len, &f), ERR_OK);
	assert_int_equal(len, sizeof pdf - 1);
	assert_memory_equal(data, pdf, len);
	assert_string_equal(at.mime, "application/pdf");
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intake),
		cmocka_unit_test(test_exemption),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_access_matrix),
		cmocka_unit_test(test_lookup_guard),
		cmocka_unit_test(test_rating),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_apology_late),
		cmocka_unit_test(test_report_apologies),
		cmocka_unit_test(test_supplement_missing),
		cmocka_unit_test(test_due_by_hand),
		cmocka_unit_test(test_report_apart_by_officer_and_unit),
		cmocka_unit_test(test_outbox_with_change),
		cmocka_unit_test(test_fee_rules),
		cmocka_unit_test(test_pay),
		cmocka_unit_test(test_digitised),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
