/*
 * test_index766_recount.c — issue #15's "Must show": every Decision 766
 * indicator app_index766 computes equals a brute-force recount over the
 * raw rows, on random periods and procedure filters.  A few hundred
 * dossiers are made through the real services (intake with channels and
 * payments, assignment, supplement requests and their completion, the
 * result, the return, scans, reused scans, result files, ratings); their
 * receipt days are then spread over five months.  The recount below reads
 * the database with its own SQL and decides each fact by its own loop —
 * it calls nothing of core/index766.c or app/index766.c but the table of
 * maxima and targets.  The statistics (app/stats.h: received, early, on
 * time, late, in time, overdue, online, rated, satisfied, paid, fees —
 * overall, by procedure and by channel) are recounted the same way.  Both
 * services read incrementally maintained sums (app/facts.c); this file
 * reads the dossiers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "app/app.h"
#include "app/digital.h"
#include "app/dossier.h"
#include "app/index766.h"
#include "app/lookup.h"
#include "app/stats.h"
#include "core/deadline.h"
#include "core/proc_json.h"
#include "core/roles.h"

static char DIR_[64];
static struct store *ST;
static struct app A;
enum { CLERK, OFFICER, LEADER, VIEWER, NACTORS };
static struct actor AC[NACTORS];

#define NDOSSIERS 240
static const char *const PROCS[] = {
	"{\"code\":\"1.001193\",\"name\":\"Đăng ký khai sinh\",\"field\":\"Hộ tịch\",\"result\":\"Giấy khai sinh\","
	"\"online_level\":\"partial\",\"time_limit\":{\"days\":3,\"same_day\":false,\"cutoff\":null},"
	"\"fee\":{\"amount\":0,\"text\":\"Miễn\"}}",
	"{\"code\":\"1.000001\",\"name\":\"Thủ tục có phí\",\"field\":\"Chứng thực\",\"online_level\":\"full\","
	"\"time_limit\":{\"days\":2,\"same_day\":false,\"cutoff\":null},\"fee\":{\"amount\":50000}}",
	"{\"code\":\"1.000002\",\"name\":\"Thủ tục tại quầy\",\"field\":\"Đất đai\",\"result\":\"Bản xác nhận\","
	"\"online_level\":\"none\",\"time_limit\":{\"days\":5,\"same_day\":false,\"cutoff\":null},"
	"\"fee\":{\"amount\":20000}}",
	"{\"code\":\"1.000003\",\"name\":\"Thủ tục trực tuyến chưa dùng\",\"field\":\"Khác\",\"online_level\":\"full\","
	"\"time_limit\":{\"days\":5,\"same_day\":false,\"cutoff\":null},\"fee\":{\"amount\":0}}",
};
#define NPROCS 4
static const char *const CODES[NPROCS] = {"1.001193", "1.000001", "1.000002", "1.000003"};

static int
setup(void **state)
{
	(void)state;
	snprintf(DIR_, sizeof DIR_, "/tmp/motcua-i766-XXXXXX");
	char err[200];
	if (!mkdtemp(DIR_) || store_open(&ST, DIR_, err, sizeof err) != 0 ||
	    store_init(ST, "UBND xã Thử", "000.00.00.H00", 0, "admin", "x") != ERR_OK)
		return -1;
	struct proc p[NPROCS];
	for (int i = 0; i < NPROCS; i++) {
		json_t *o = json_loads(PROCS[i], 0, NULL);
		if (!o || proc_from_json(o, &p[i], NULL) != ERR_OK)
			return -1;
		json_decref(o);
		p[i].status = PROC_PUBLISHED;
	}
	size_t changed;
	enum err pe = store_proc_put(ST, "test", p, NPROCS, "test", &changed);
	for (int i = 0; i < NPROCS; i++)
		proc_free(&p[i]);
	if (pe != ERR_OK)
		return -1;
	static const char *const people[NACTORS][3] = {
		{"clerk", "clerk", ""}, {"officer", "officer", "Tư pháp"}, {"leader", "leader", ""}, {"viewer", "viewer", ""}};
	for (int i = 0; i < NACTORS; i++) {
		struct store_user u = {.active = 1};
		snprintf(u.username, sizeof u.username, "%s", people[i][0]);
		snprintf(u.full_name, sizeof u.full_name, "Người %s", people[i][0]);
		snprintf(u.role, sizeof u.role, "%s", people[i][1]);
		snprintf(u.unit, sizeof u.unit, "%s", people[i][2]);
		snprintf(u.pwhash, sizeof u.pwhash, "x");
		if (store_user_create(ST, "test", &u, &u.id) != ERR_OK)
			return -1;
		app_actor_staff(&AC[i], &u);
	}
	return app_init(&A, ST, err, sizeof err);
}

static int
teardown(void **state)
{
	(void)state;
	app_free(&A);
	store_close(ST);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", DIR_);
	return getenv("KEEP") ? 0 : system(cmd) == 0 ? 0 : -1;
}

static void
act(int who, const char *code, const char *action, int64_t assignee)
{
	struct app_action in = {.action = action, .assignee = assignee, .step_days = -1, .note = "Ghi chú thử"};
	if (strcmp(action, "return") == 0) {
		in.recipient = "Người Nhận";
		in.recipient_id = "001185012345";
	}
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	enum err e = app_dossier_act(&A, &AC[who], code, &in, &b, &f);
	if (e)
		fail_msg("%s %s: %s %s", action, code, err_code(e), f.msg);
}

/* The sha of an earlier dossier's own scan of line *(int *)arg (then
 * written over arg). */
struct want_sha {
	int component;
	char sha[65];
};

static int
first_sha(const struct store_attachment *at, void *arg)
{
	struct want_sha *w = arg;
	if (strcmp(at->kind, "component") == 0 && !at->reused_from[0] && at->component == w->component) {
		snprintf(w->sha, sizeof w->sha, "%s", at->sha256);
		return 1;
	}
	return 0;
}

static char codes[NDOSSIERS][64];

/* One dossier with random facts, through the services. */
static void
make_one(int i, unsigned *seed)
{
	char pdf[2][64];
	int pi = rand_r(seed) % 3;                  /* 1.000003 stays unused */
	struct app_doc docs[2] = {{"Tờ khai", 1, 0, 1}, {"Giấy tờ tùy thân", 1, 0, 1}};
	char idn[16], phone[16];
	int person = rand_r(seed) % 60;             /* people come back: scans to reuse */
	snprintf(idn, sizeof idn, "0011850%05d", person);
	snprintf(phone, sizeof phone, "09330%05d", person);
	struct app_intake in = {.procedure_code = CODES[pi], .channel = rand_r(seed) % 3,
	                        .applicant = {"Người Thử", idn, "1985-03-02", 1, phone, NULL, "Thôn Đông"},
	                        .docs = docs, .ndocs = 1 + (size_t)(rand_r(seed) % 2), .fee = -1};
	int hold = rand_r(seed) % 12 == 0;
	in.hold = hold;
	if (!hold && rand_r(seed) % 2) {
		in.pay.status = APP_FEE_PAID;
		in.pay.channel = 1 + rand_r(seed) % 3;   /* cash, bank, online */
		in.pay.amount = -1;
	}
	if (pi == 0)
		in.pay = (struct app_fee_in){0};
	struct app_dossier_brief b;
	struct app_fail f = {"", ""};
	enum err e = app_dossier_receive(&A, &AC[CLERK], &in, &b, &f);
	if (e)
		fail_msg("receive: %s %s: %s", err_code(e), f.field, f.msg);
	snprintf(codes[i], sizeof codes[i], "%s", b.code);
	const char *c = codes[i];
	if (hold) {
		if (rand_r(seed) % 2)
			act(CLERK, c, "refuse_intake", 0);
		return;
	}
	/* scans: none, some, all; sometimes a reuse of this person's earlier scan */
	for (size_t k = 0; k < in.ndocs; k++) {
		int r = rand_r(seed) % 3;
		if (r == 0)
			continue;
		int plen = snprintf(pdf[k], sizeof pdf[k], "%%PDF-1.7\nbản quét %d-%zu\n%%%%EOF\n", i, k);
		struct app_attach at = {.kind = APP_ATT_COMPONENT, .component = (int)k + 1, .file_name = "s.pdf",
		                        .data = pdf[k], .len = (size_t)plen};
		struct want_sha w = {(int)k + 1, ""};
		char *sha = w.sha;
		for (int j = 0; r == 2 && j < i && !sha[0]; j++)
			if (codes[j][0] && strncmp(codes[j], c, sizeof codes[j]) != 0) {
				struct store_dossier d;
				if (app_dossier_get(&A, &AC[CLERK], codes[j], &d) == ERR_OK) {
					if (strcmp(d.id_number, idn) == 0)
						store_attachments(ST, codes[j], first_sha, &w);
					if (sha[0])
						at = (struct app_attach){.kind = APP_ATT_COMPONENT, .component = (int)k + 1,
						                         .reuse_code = codes[j], .reuse_sha = sha};
					store_dossier_free(&d);
				}
			}
		if ((e = app_dossier_attach_as(&A, &AC[CLERK], c, &at, &f)) != ERR_OK)
			fail_msg("attach: %s %s", err_code(e), f.msg);
	}
	int stage = rand_r(seed) % 6;               /* how far it goes */
	if (stage == 0)
		return;
	if (stage == 5) {
		act(CLERK, c, "withdraw", 0);
		return;
	}
	act(CLERK, c, "assign", AC[OFFICER].user_id);
	int sup = rand_r(seed) % 4 == 0 ? 2 : rand_r(seed) % 3 == 0 ? 1 : 0;
	for (int s = 0; s < sup; s++) {
		act(OFFICER, c, "request_supplement", 0);
		if (stage == 1 && s == sup - 1)
			return;                             /* still waiting on the applicant */
		act(CLERK, c, "supplement_received", 0);
	}
	if (stage == 1)
		return;
	if (rand_r(seed) % 2) {
		static const char kq[] = "%PDF-1.7\nkết quả\n%%EOF\n";
		struct app_attach res = {.kind = APP_ATT_RESULT, .file_name = "kq.pdf", .data = kq, .len = sizeof kq - 1};
		if ((e = app_dossier_attach_as(&A, &AC[OFFICER], c, &res, &f)) != ERR_OK)
			fail_msg("result: %s %s", err_code(e), f.msg);
	}
	act(OFFICER, c, "submit_for_approval", AC[LEADER].user_id);
	if (stage == 2)
		return;
	act(LEADER, c, "approve", 0);
	act(OFFICER, c, "result_ready", 0);
	if (stage != 4)
		return;
	act(CLERK, c, "return", 0);
	if (rand_r(seed) % 4) {
		static const char *const lv[] = {"very_satisfied", "satisfied", "unsatisfied"};
		struct app_proof p = {c, phone, "unit-test"};
		if ((e = app_rate(&A, &p, lv[rand_r(seed) % 3], "", &f)) != ERR_OK)
			fail_msg("rate: %s %s", err_code(e), f.msg);
	}
}

/* ---- the recount: own SQL, own loops ---- */

struct truth {
	int64_t num[32], den[32];
};
static int
idx(const char *id)
{
	for (size_t i = 0; i < i766_nindicators; i++)
		if (strcmp(i766_indicators[i].id, id) == 0)
			return (int)i;
	fail_msg("no indicator %s", id);
	return -1;
}

static int64_t
parse_t(const unsigned char *s)
{
	int64_t t = 0;
	if (s && vn_parse_rfc3339((const char *)s, &t) != 0)
		t = 0;
	return t;
}

static void
recount(sqlite3 *db, int64_t from, int64_t to, const char *proc, int64_t now, struct truth *t)
{
	memset(t, 0, sizeof *t);
	int64_t judge = to < now ? to : now;
	sqlite3_stmt *s, *ev, *att, *rt;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT d.id, d.code, d.status, d.channel, d.received_at, d.due_at, coalesce(d.finished_at, 0), d.fee,"
	    " d.fee_status, d.pay_channel, d.procedure_code, json_array_length(d.documents),"
	    " coalesce(json_extract(v.data, '$.result'), ''), coalesce(v.online_level, '')"
	    " FROM dossiers d JOIN procedure_versions v ON v.id = d.procedure_version_id", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT action, coalesce(to_state, ''), at, json_extract(details, '$.due_before'),"
	    " json_extract(details, '$.due_at') FROM dossier_events WHERE dossier_id = ? ORDER BY id", -1, &ev, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT kind, coalesce(component, 0), reused_from FROM dossier_attachments WHERE dossier_id = ?", -1, &att,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT level FROM dossier_ratings WHERE dossier_id = ?", -1, &rt, NULL),
	    SQLITE_OK);
	/* per procedure: used online, fee-bearing, paid online */
	int used[NPROCS] = {0}, feeb[NPROCS] = {0}, paido[NPROCS] = {0};
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *status = (const char *)sqlite3_column_text(s, 2);
		const char *channel = (const char *)sqlite3_column_text(s, 3);
		int64_t rec = sqlite3_column_int64(s, 4);
		int has_due = sqlite3_column_type(s, 5) != SQLITE_NULL;
		int64_t due = sqlite3_column_int64(s, 5), fin = sqlite3_column_int64(s, 6), fee = sqlite3_column_int64(s, 7);
		const char *fee_status = (const char *)sqlite3_column_text(s, 8);
		const char *pay = (const char *)sqlite3_column_text(s, 9);
		const char *pcode = (const char *)sqlite3_column_text(s, 10);
		int ncomp = sqlite3_column_int(s, 11);
		int paper = sqlite3_column_bytes(s, 12) > 0;
		const char *level = (const char *)sqlite3_column_text(s, 13);
		if (!has_due || !due || strcmp(status, "refused_at_intake") == 0 || rec < from || rec >= to)
			continue;
		if (proc && strcmp(proc, pcode) != 0)
			continue;
		int pi = 0;
		while (pi < NPROCS && strcmp(CODES[pi], pcode) != 0)
			pi++;
		assert_true(pi < NPROCS);
		/* the timeline */
		int64_t moved = 0, receipt_at = 0, waited = 0, wait_from = 0;
		int nsup = 0;
		sqlite3_bind_int64(ev, 1, id);
		while (sqlite3_step(ev) == SQLITE_ROW) {
			const char *action = (const char *)sqlite3_column_text(ev, 0);
			const char *to_state = (const char *)sqlite3_column_text(ev, 1);
			int64_t at = sqlite3_column_int64(ev, 2);
			int64_t db_ = parse_t(sqlite3_column_text(ev, 3)), da = parse_t(sqlite3_column_text(ev, 4));
			if (db_ && da)
				moved += da - db_;          /* a pause's office time added to the due instant */
			if (!receipt_at) {
				if (strcmp(to_state, "received") == 0)
					receipt_at = at;
				continue;
			}
			if (strcmp(action, "request_supplement") == 0) {
				nsup++;
				if (!wait_from)
					wait_from = at;
			} else if (wait_from && strcmp(to_state, "waiting_supplement") != 0) {
				waited += at > wait_from ? at - wait_from : 0;
				wait_from = 0;
			}
		}
		sqlite3_reset(ev);
		int64_t appt = due - moved;
		int64_t when = fin ? fin : judge;
		if (wait_from)
			waited += when > wait_from ? when - wait_from : 0;
		int on_time = nsup <= 1 && when - waited <= appt;
		/* the files */
		int scanned[8] = {0}, reused[8] = {0}, result = 0;
		sqlite3_bind_int64(att, 1, id);
		while (sqlite3_step(att) == SQLITE_ROW) {
			const char *kind = (const char *)sqlite3_column_text(att, 0);
			int comp = sqlite3_column_int(att, 1);
			if (strcmp(kind, "result") == 0)
				result = 1;
			else if (comp >= 1 && comp <= ncomp && comp < 8) {
				scanned[comp] = 1;
				if (sqlite3_column_bytes(att, 2) > 0)
					reused[comp] = 1;
			}
		}
		sqlite3_reset(att);
		int nscanned = 0, nreused = 0;
		for (int k = 1; k < 8; k++) {
			nscanned += scanned[k];
			nreused += reused[k];
		}
		int unsatisfied = 0;
		sqlite3_bind_int64(rt, 1, id);
		if (sqlite3_step(rt) == SQLITE_ROW)
			unsatisfied = strcmp((const char *)sqlite3_column_text(rt, 0), "unsatisfied") == 0;
		sqlite3_reset(rt);
		int online = strcmp(channel, "online") == 0;
		int e_ok = !paper || result;
		int paid_online = fee > 0 && strcmp(fee_status, "paid") == 0 && strcmp(pay, "online") == 0;
		t->den[idx("2.1")]++;
		t->num[idx("2.1")] += on_time;
		t->den[idx("3.3")]++;
		t->num[idx("3.3")] += online && e_ok;
		t->den[idx("3.6")] += fee > 0;
		t->num[idx("3.6")] += paid_online;
		t->den[idx("4.1")] += paper;
		t->num[idx("4.1")] += paper && result;
		t->den[idx("4.2")]++;
		t->num[idx("4.2")] += ncomp > 0 && nscanned == ncomp && e_ok;
		t->den[idx("4.3")]++;
		t->num[idx("4.3")] += nreused > 0;
		t->den[idx("5.4")]++;
		t->num[idx("5.4")] += !on_time || unsatisfied;
		used[pi] |= online && strcmp(level, "none") != 0 && level[0];
		feeb[pi] |= fee > 0;
		paido[pi] |= paid_online;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(ev);
	sqlite3_finalize(att);
	sqlite3_finalize(rt);
	/* the catalogue: every procedure is published; online = full or partial */
	sqlite3_stmt *pv;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT p.code, coalesce(v.online_level, '') FROM procedures p JOIN procedure_versions v"
	    " ON v.procedure_id = p.id WHERE v.status = 'published'", -1, &pv, NULL), SQLITE_OK);
	while (sqlite3_step(pv) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(pv, 0);
		const char *level = (const char *)sqlite3_column_text(pv, 1);
		if (proc && strcmp(proc, code) != 0)
			continue;
		int pi = 0;
		while (pi < NPROCS && strcmp(CODES[pi], code) != 0)
			pi++;
		int on = strcmp(level, "full") == 0 || strcmp(level, "partial") == 0;
		t->den[idx("3.1")]++;
		t->num[idx("3.1")] += on;
		t->den[idx("3.2")] += on;
		t->num[idx("3.2")] += on && pi < NPROCS && used[pi];
	}
	sqlite3_finalize(pv);
	for (int pi = 0; pi < NPROCS; pi++) {
		if (proc && strcmp(proc, CODES[pi]) != 0)
			continue;
		t->den[idx("3.5b")] += feeb[pi];
		t->num[idx("3.5b")] += paido[pi];
	}
	/* no feedback in this data: 5.2 and 5.3 count none (full points) */
}

/* ---- the statistics (app/stats.h) recounted the same way ---- */

enum { T_REC, T_EARLY, T_ON, T_LATE, T_IN, T_OVER, T_ONLINE, T_RATED, T_SAT, T_PAID, T_FEE, T_N };
struct stats_truth {
	int64_t all[T_N], proc[NPROCS][T_N], chan[3][T_N];
};

static void
stats_recount(sqlite3 *db, int64_t from, int64_t to, int64_t now, struct stats_truth *t)
{
	static const char *const chans[3] = {"counter", "online", "post"};
	memset(t, 0, sizeof *t);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db,
	    "SELECT d.status, d.channel, d.received_at, coalesce(d.due_at, 0), coalesce(d.finished_at, 0),"
	    " coalesce(d.paused_at, 0), d.fee, d.fee_status, d.procedure_code,"
	    " (SELECT level FROM dossier_ratings r WHERE r.dossier_id = d.id)"
	    " FROM dossiers d WHERE d.received_at >= ? AND d.received_at < ?", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(s, 0);
		const char *channel = (const char *)sqlite3_column_text(s, 1);
		int64_t due = sqlite3_column_int64(s, 3), fin = sqlite3_column_int64(s, 4);
		int64_t paused = sqlite3_column_int64(s, 5), fee = sqlite3_column_int64(s, 6);
		const char *fee_status = (const char *)sqlite3_column_text(s, 7);
		const char *pcode = (const char *)sqlite3_column_text(s, 8);
		const char *level = (const char *)sqlite3_column_text(s, 9);
		if (!due || strcmp(status, "refused_at_intake") == 0)
			continue;
		int64_t c[T_N] = {0};
		c[T_REC] = 1;
		int open_ = strcmp(status, "withdrawn") != 0 && strcmp(status, "stopped") != 0 &&
		            strcmp(status, "refused") != 0;
		if (fin && open_) {
			/* early: finished on a day before the due day (UTC+7) */
			if ((fin + 7 * 3600) / 86400 < (due + 7 * 3600) / 86400)
				c[T_EARLY] = 1;
			else if (fin <= due)
				c[T_ON] = 1;
			else
				c[T_LATE] = 1;
		} else if (!fin && open_) {
			int64_t at = paused ? paused : now;
			c[at <= due ? T_IN : T_OVER] = 1;
		}
		c[T_ONLINE] = strcmp(channel, "online") == 0;
		c[T_RATED] = level != NULL;
		c[T_SAT] = level && strcmp(level, "unsatisfied") != 0;
		c[T_PAID] = strcmp(fee_status, "paid") == 0;
		c[T_FEE] = c[T_PAID] ? fee : 0;
		int pi = 0, ci = 0;
		while (pi < NPROCS && strcmp(CODES[pi], pcode) != 0)
			pi++;
		while (ci < 3 && strcmp(chans[ci], channel) != 0)
			ci++;
		assert_true(pi < NPROCS && ci < 3);
		for (int k = 0; k < T_N; k++) {
			t->all[k] += c[k];
			t->proc[pi][k] += c[k];
			t->chan[ci][k] += c[k];
		}
	}
	sqlite3_finalize(s);
}

static void
stats_compare(const int64_t want[T_N], const struct app_stats_row *r, const char *what, int round)
{
	int64_t got[T_N] = {
		r->c[APP_SM_RECEIVED], r->c[APP_SM_EARLY], r->c[APP_SM_ON_TIME], r->c[APP_SM_LATE], r->c[APP_SM_IN_TIME],
		r->c[APP_SM_OVERDUE], r->c[APP_SM_ONLINE], r->c[APP_SM_RATED], r->c[APP_SM_SATISFIED], r->c[APP_SM_PAID],
		r->fee};
	for (int k = 0; k < T_N; k++)
		if (got[k] != want[k])
			fail_msg("round %d, %s: measure %d is %lld, recount %lld", round, what, k, (long long)got[k],
			         (long long)want[k]);
}

static const struct app_stats_row *
stats_row(const struct app_stats *st, int g, const char *key)
{
	for (size_t i = 0; i < st->g[g].n; i++)
		if (strcmp(st->g[g].rows[i].key, key) == 0)
			return &st->g[g].rows[i];
	return NULL;
}

static int
count_list(const struct store_dossier *d, void *arg)
{
	(void)d;
	(*(int64_t *)arg)++;
	return 0;
}

static void
stats_matches(sqlite3 *db, cal_day from, cal_day to, int64_t now, int round)
{
	static const char *const chans[3] = {"counter", "online", "post"};
	struct app_stats st;
	struct app_fail f = {"", ""};
	assert_int_equal(app_stats_period(&A, &AC[VIEWER], from, to, now, &st, &f), ERR_OK);
	struct stats_truth t;
	stats_recount(db, vn_instant(from, 0), vn_instant(to, 0) + 86400, now, &t);
	stats_compare(t.all, &st.all, "all", round);
	if (round == 0) /* the whole span: every measure has dossiers, and not all */
		for (int k = 0; k < T_N; k++)
			if (t.all[k] <= 0 || (k != T_REC && k != T_FEE && t.all[k] >= t.all[T_REC]))
				fail_msg("the data does not test measure %d (%lld of %lld)", k, (long long)t.all[k],
				         (long long)t.all[T_REC]);
	static const struct app_stats_row zero;
	for (int pi = 0; pi < NPROCS; pi++) {
		const struct app_stats_row *r = stats_row(&st, APP_SG_PROCEDURE, CODES[pi]);
		stats_compare(t.proc[pi], r ? r : &zero, CODES[pi], round);
	}
	for (int ci = 0; ci < 3; ci++) {
		const struct app_stats_row *r = stats_row(&st, APP_SG_CHANNEL, chans[ci]);
		stats_compare(t.chan[ci], r ? r : &zero, chans[ci], round);
	}
	/* the lists behind two figures hold as many dossiers as they count */
	static const int ms[] = {APP_SM_LATE, APP_SM_OVERDUE, APP_SM_ONLINE};
	for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		int64_t n = 0;
		assert_int_equal(app_stats_dossiers(&A, &AC[VIEWER], from, to, now, APP_SG_PROCEDURE, NULL, ms[i],
		                                    count_list, &n, &f), ERR_OK);
		assert_int_equal(n, st.all.c[ms[i]]);
	}
	app_stats_free(&st);
}

static void
recount_matches(void **state)
{
	(void)state;
	unsigned seed = 766;
	for (int i = 0; i < NDOSSIERS; i++)
		make_one(i, &seed);
	/* spread the receipts over about five months before today */
	char path[128];
	snprintf(path, sizeof path, "%s/motcua.db", DIR_);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *up;
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE dossiers SET received_at = received_at - ? WHERE code = ?", -1,
	                                    &up, NULL), SQLITE_OK);
	for (int i = 0; i < NDOSSIERS; i++) {
		sqlite3_bind_int64(up, 1, (int64_t)(rand_r(&seed) % 150) * 86400 + rand_r(&seed) % 86400);
		sqlite3_bind_text(up, 2, codes[i], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
	}
	sqlite3_finalize(up);
	/* some finished late, some on the due instant itself: written behind
	 * the services' back, as another process would (the facts follow) */
	assert_int_equal(sqlite3_exec(db,
	    "UPDATE dossiers SET finished_at = due_at + 2 * 86400 WHERE finished_at IS NOT NULL AND id % 5 = 0;"
	    "UPDATE dossiers SET finished_at = due_at WHERE finished_at IS NOT NULL AND id % 7 = 0;"
	    "UPDATE dossiers SET due_at = received_at + 86400 WHERE finished_at IS NULL"
	    " AND status IN ('received', 'processing') AND id % 3 = 0",
	    NULL, NULL, NULL), SQLITE_OK);
	int64_t now = (int64_t)time(NULL);
	cal_day first, today;
	vn_month_so_far(now, &first, &today);
	int nonzero = 0;
	for (int round = 0; round < 40; round++) {
		cal_day from = today - (cal_day)(rand_r(&seed) % 170);
		cal_day to = from + (cal_day)(rand_r(&seed) % 90);
		if (round == 0) {
			from = today - 200;
			to = today;
		}
		const char *proc = round % 3 == 0 ? NULL : CODES[rand_r(&seed) % NPROCS];
		if (round == 0)
			proc = NULL;
		struct app_i766_query q = {from, to, proc};
		struct app_i766 r;
		struct app_fail f = {"", ""};
		assert_int_equal(app_index766(&A, &AC[VIEWER], &q, now, &r, &f), ERR_OK);
		struct truth t;
		recount(db, vn_instant(from, 0), vn_instant(to, 0) + 86400, proc, now, &t);
		stats_matches(db, from, to, now, round);
		for (size_t i = 0; i < r.n; i++) {
			const struct app_i766_figure *g = &r.fig[i];
			if (g->in->how != I766_COMPUTED)
				continue;
			if (strcmp(g->in->id, "5.2") == 0 || strcmp(g->in->id, "5.3") == 0) {
				assert_int_equal(g->den, 0);
				assert_true(g->points == g->in->max);
				continue;
			}
			if (g->num != t.num[i] || g->den != t.den[i])
				fail_msg("round %d (%s, %d days, %s): %s is %lld/%lld, recount %lld/%lld", round,
				         proc ? proc : "all", (int)(to - from), "", g->in->id, (long long)g->num,
				         (long long)g->den, (long long)t.num[i], (long long)t.den[i]);
			nonzero += t.num[i] > 0 && t.num[i] < t.den[i];
			/* the points follow the table: max × min(1, ratio / target) */
			if (t.den[i]) {
				double ratio = (double)t.num[i] / (double)t.den[i];
				if (g->in->complement)
					ratio = 1 - ratio;
				double want = g->in->max * fmin(1, ratio / g->in->target);
				assert_true(fabs(g->points - want) < 0.006);
			}
		}
	}
	/* the data is mixed enough to test something: many figures strictly between 0 and all */
	assert_true(nonzero > 40);
	/* a database from before the sums (migration 0018 puts every dossier
	 * in the backlog): the next start computes them all, same figures */
	assert_int_equal(sqlite3_exec(db, "DELETE FROM dossier_facts; DELETE FROM facts_agg;"
	                                  " INSERT INTO facts_backlog SELECT id FROM dossiers", NULL, NULL, NULL),
	                 SQLITE_OK);
	app_free(&A);
	char err[200];
	assert_int_equal(app_init(&A, ST, err, sizeof err), 0);
	sqlite3_stmt *left;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM facts_backlog),"
	                                        " (SELECT count(*) FROM dossier_facts), (SELECT count(*) FROM dossiers)",
	                                    -1, &left, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(left), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(left, 0), 0);
	assert_int_equal(sqlite3_column_int(left, 1), sqlite3_column_int(left, 2));
	sqlite3_finalize(left);
	stats_matches(db, today - 200, today, now, 0);
	/* the lists behind the counts: 2.1 over everything */
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recount_matches),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
