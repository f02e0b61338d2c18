/*
 * test_demo.c — `motcua demo` (issue #15 item 5) on the real binary:
 *  - 2 000 dossiers with a fixed seed and last day: `motcua check`
 *    passes on the folder (the batch's audit event stands for each
 *    dossier's own, the timelines agree with the rows);
 *  - the mixes roughly match: states, channels, fees, supplements,
 *    apologies, ratings, digitised components and their reuse;
 *  - codes are unique and gap-free per receipt day, and agree with the
 *    day counters; receipts fall on working days in office hours;
 *  - names carry Vietnamese diacritics in NFC, ID numbers pass
 *    ident_pid_check against the birth date and sex, phones are mobile;
 *  - the same seed gives the same data (a hash of a dump), another seed
 *    other data;
 *  - the desk, its queue and /bao-cao load on the generated folder;
 *  - a dossier edited behind the store's back is still caught by check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app/calendar.h"
#include "core/ident.h"
#include "core/vntime.h"
#include "store/store.h"
#include "core/text.h"
#include "driver.h"

#define N 2000
#define UNTIL "2026-11-30"
static char DIR_A[64], DIR_B[64], DIR_C[64];

static int
make_demo(char *dir, size_t n, const char *seed, int dossiers)
{
	snprintf(dir, n, "/tmp/motcua-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char count[16];
	snprintf(count, sizeof count, "%d", dossiers);
	struct buf out = {0};
	int rc = run_cli(NULL, &out, "demo", "--data", dir, "--dossiers", count, "--seed", seed, "--until", UNTIL,
	                 "--batch", "700", NULL);
	if (rc != 0 || !strstr(buf_str(&out), "Đã tạo"))
		fprintf(stderr, "demo: %d %s\n", rc, buf_str(&out));
	buf_free(&out);
	return rc;
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return make_demo(DIR_A, sizeof DIR_A, "42", N) || make_demo(DIR_B, sizeof DIR_B, "42", N) ||
	               make_demo(DIR_C, sizeof DIR_C, "43", N)
	           ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	const char *dirs[] = {DIR_A, DIR_B, DIR_C};
	for (size_t i = 0; i < 3; i++) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dirs[i]);
		if (dirs[i][0] && system(cmd) != 0)
			return -1;
	}
	curl_global_cleanup();
	return 0;
}

static sqlite3 *
open_db(const char *dir)
{
	char path[128];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

static int64_t
one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* count(*) of dossiers matching where, in per mille of N */
static int64_t
permille(sqlite3 *db, const char *where)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT count(*) * 1000 / %d FROM dossiers WHERE %s", N, where);
	return one(db, sql);
}

#define BETWEEN(v, lo, hi) do { int64_t v_ = (v); \
	if (v_ < (lo) || v_ > (hi)) fail_msg("%s = %lld, not in [%d, %d]", #v, (long long)v_, lo, hi); } while (0)

static void
check_passes(void **state)
{
	(void)state;
	struct buf out = {0};
	int rc = run_cli(NULL, &out, "check", "--data", DIR_A, NULL);
	if (rc != 0 || !strstr(buf_str(&out), "KẾT QUẢ: ĐẠT"))
		fail_msg("check: %d %s", rc, buf_str(&out));
	assert_non_null(strstr(buf_str(&out), "2000 hồ sơ"));
	buf_free(&out);
	sqlite3 *db = open_db(DIR_A);
	/* one audit event per batch (700 + 700 + 600), none per dossier */
	assert_int_equal(one(db, "SELECT count(*) FROM audit_events WHERE action = 'demo.batch'"), 3);
	assert_int_equal(one(db, "SELECT count(*) FROM audit_events WHERE object LIKE 'dossier:%'"), 0);
	assert_int_equal(one(db, "SELECT sum(json_extract(details, '$.count')) FROM audit_events"
	                         " WHERE action = 'demo.batch'"), N);
	sqlite3_close(db);
}

static void
mixes(void **state)
{
	(void)state;
	sqlite3 *db = open_db(DIR_A);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers"), N);
	BETWEEN(permille(db, "status = 'returned'"), 700, 985);
	BETWEEN(permille(db, "status IN ('withdrawn')"), 2, 30);
	BETWEEN(permille(db, "status IN ('stopped')"), 4, 40);
	BETWEEN(permille(db, "status = 'refused_at_intake'"), 1, 30);
	BETWEEN(permille(db, "status IN ('received', 'processing', 'waiting_supplement', 'result_ready', 'new')"), 1, 120);
	BETWEEN(permille(db, "channel = 'counter'"), 550, 850);
	BETWEEN(permille(db, "channel = 'online'"), 120, 400);
	BETWEEN(permille(db, "channel = 'post'"), 10, 80);
	/* the procedure mix: certified copies and birth registration lead */
	BETWEEN(permille(db, "procedure_code = '2.000815'"), 180, 400);
	BETWEEN(permille(db, "procedure_code = '1.001193'"), 80, 220);
	/* timeliness: mostly on time, some late, apologies and supplements */
	BETWEEN(permille(db, "finished_at IS NOT NULL AND finished_at > due_at AND status <> 'refused_at_intake'"), 20, 150);
	BETWEEN(permille(db, "appointment_at IS NOT NULL"), 5, 80);
	BETWEEN(permille(db, "id IN (SELECT dossier_id FROM dossier_events WHERE action = 'request_supplement')"), 40, 160);
	assert_true(one(db, "SELECT count(*) FROM (SELECT dossier_id FROM dossier_events WHERE action ="
	                    " 'request_supplement' GROUP BY dossier_id HAVING count(*) = 2)") > 0);
	assert_true(one(db, "SELECT count(*) FROM dossier_events WHERE action = 'apologize'"
	                    " AND json_extract(details, '$.late') = 1") > 0);
	/* ratings, fees by channel, digitised components and their reuse */
	BETWEEN((int64_t)one(db, "SELECT count(*) * 1000 / 2000 FROM dossier_ratings"), 150, 400);
	assert_true(one(db, "SELECT count(*) FROM dossier_ratings WHERE level = 'unsatisfied'") > 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers WHERE fee > 0 AND fee_status <> 'paid'"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers WHERE channel = 'online' AND pay_channel = 'cash'"), 0);
	BETWEEN(permille(db, "id IN (SELECT dossier_id FROM dossier_attachments WHERE kind = 'component')"), 350, 950);
	assert_true(one(db, "SELECT count(*) FROM dossier_attachments WHERE kind = 'result'") > 100);
	assert_true(one(db, "SELECT count(*) FROM dossier_attachments WHERE reused_from <> ''"
	                    " AND reused_from IN (SELECT code FROM dossiers)") > 10);
	/* every timeline starts with the intake and ends in the row's status */
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers d WHERE (SELECT count(*) FROM dossier_events e"
	                         " WHERE e.dossier_id = d.id) <> d.version"), 0);
	sqlite3_close(db);
}

static void
codes_and_days(void **state)
{
	(void)state;
	sqlite3 *db = open_db(DIR_A);
	assert_int_equal(one(db, "SELECT count(DISTINCT code) FROM dossiers"), N);
	/* per day: numbers 1..n, no gap, the counter at n; in receipt order */
	assert_int_equal(one(db, "SELECT count(*) FROM (SELECT substr(code, 15, 6) AS day, count(*) AS n,"
	                         " max(CAST(substr(code, 22) AS INTEGER)) AS hi,"
	                         " min(CAST(substr(code, 22) AS INTEGER)) AS lo FROM dossiers GROUP BY day)"
	                         " WHERE n <> hi OR lo <> 1"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossier_sequences q WHERE q.last <> (SELECT count(*)"
	                         " FROM dossiers d WHERE substr(d.code, 15, 6) = q.day)"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers a JOIN dossiers b ON b.id = a.id + 1"
	                         " AND substr(a.code, 15, 6) = substr(b.code, 15, 6) WHERE b.received_at < a.received_at"), 0);
	/* receipts on working days of the folder's legal calendar (a
	 * Saturday made a working day counts), in office hours (07:30–11:30,
	 * 13:30–17:00), none on the Tết holiday of 2026 (16–20 February) */
	struct store *st;
	char err[256];
	assert_int_equal(store_open_mode(&st, DIR_A, STORE_EXISTING, err, sizeof err), 0);
	struct calsnap *cs;
	assert_int_equal(calsnap_build(st, 2025, 2, &cs), ERR_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT received_at FROM dossiers", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		if (!cal_is_working(&cs->cal, vn_day(sqlite3_column_int64(s, 0))))
			fail_msg("received on a day off: %lld", (long long)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
	calsnap_free(cs);
	store_close(st);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers WHERE strftime('%w', received_at + 25200, 'unixepoch')"
	                         " = '0'"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers WHERE NOT ((received_at + 25200) % 86400"
	                         " BETWEEN 27000 AND 41400 OR (received_at + 25200) % 86400 BETWEEN 48600 AND 61200)"), 0);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers WHERE date(received_at + 25200, 'unixepoch')"
	                         " BETWEEN '2026-02-16' AND '2026-02-20' OR date(received_at + 25200, 'unixepoch') = '2026-09-02'"), 0);
	assert_int_equal(one(db, "SELECT min(date(received_at + 25200, 'unixepoch')) >= '2025-12-01'"
	                         " AND max(date(received_at + 25200, 'unixepoch')) <= '" UNTIL "' FROM dossiers"), 1);
	/* the weeks before Tết are busier per working day than the ones after */
	int64_t before = one(db, "SELECT count(*) FROM dossiers WHERE date(received_at + 25200, 'unixepoch')"
	                         " BETWEEN '2026-01-26' AND '2026-02-13'");
	int64_t after = one(db, "SELECT count(*) FROM dossiers WHERE date(received_at + 25200, 'unixepoch')"
	                        " BETWEEN '2026-02-23' AND '2026-03-06'");
	if (!(before * 10 > after * 15 * 15 / 10))   /* 15 vs 10 working days, the rush ≥ 1.5× */
		fail_msg("before Tết %lld, after %lld", (long long)before, (long long)after);
	sqlite3_close(db);
}

static void
people(void **state)
{
	(void)state;
	sqlite3 *db = open_db(DIR_A);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT applicant_name, id_number, phone,"
	                                        " json_extract(applicant, '$.date_of_birth'),"
	                                        " json_extract(applicant, '$.sex') FROM dossiers", -1, &s, NULL),
	                 SQLITE_OK);
	int rows = 0, accented = 0, nguyen = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		enum err e;
		char *nfc = text_nfc(name, strlen(name), &e);
		assert_non_null(nfc);
		assert_string_equal(nfc, name);
		free(nfc);
		for (const char *p = name; *p; p++)
			if ((unsigned char)*p >= 0x80) {
				accented++;
				break;
			}
		nguyen += strncmp(name, "Nguyễn ", strlen("Nguyễn ")) == 0;
		const char *dob = (const char *)sqlite3_column_text(s, 3);
		int sex = strcmp((const char *)sqlite3_column_text(s, 4), "male") == 0 ? 1 : 2;
		char why[200];
		if (ident_pid_check((const char *)sqlite3_column_text(s, 1), atoi(dob), sex, why, sizeof why) != IDENT_OK)
			fail_msg("%s %s: %s", sqlite3_column_text(s, 1), dob, why);
		assert_int_equal(ident_phone_kind((const char *)sqlite3_column_text(s, 2)), IDENT_PHONE_MOBILE);
		rows++;
	}
	sqlite3_finalize(s);
	assert_int_equal(rows, N);
	assert_true(accented > N * 9 / 10);
	/* Nguyễn ≈ 38 % of people (returning applicants counted again) */
	BETWEEN((int64_t)nguyen * 1000 / N, 320, 440);
	sqlite3_close(db);
}

/* A hash of everything the generator decides (ids and hashes of the
 * scan files included; instants of the run such as audit times not). */
static void
dump_hash(const char *dir, unsigned char out[32])
{
	static const char *const sql[] = {
	    "SELECT id, code, procedure_code, channel, applicant, documents, status, stage, received_at, due_at,"
	    " paused_at, appointment_at, finished_at, fee, fee_status, pay_channel, unit, version, received_by"
	    " FROM dossiers ORDER BY id",
	    "SELECT dossier_id, at, actor, action, from_state, to_state, note, details FROM dossier_events ORDER BY id",
	    "SELECT dossier_id, level, at FROM dossier_ratings ORDER BY dossier_id",
	    "SELECT dossier_id, sha256, kind, component, component_name, reused_from FROM dossier_attachments ORDER BY id",
	};
	sqlite3 *db = open_db(dir);
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_prepare_v2(db, sql[q], -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW)
			for (int i = 0; i < sqlite3_column_count(s); i++) {
				const unsigned char *t = sqlite3_column_text(s, i);
				crypto_generichash_update(&h, t ? t : (const unsigned char *)"\x01", t ? strlen((const char *)t) + 1 : 1);
			}
		sqlite3_finalize(s);
	}
	crypto_generichash_final(&h, out, 32);
	sqlite3_close(db);
}

static void
same_seed_same_data(void **state)
{
	(void)state;
	unsigned char a[32], b[32], c[32];
	dump_hash(DIR_A, a);
	dump_hash(DIR_B, b);
	dump_hash(DIR_C, c);
	assert_memory_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
}

static void
pages_load(void **state)
{
	(void)state;
	struct srv s;
	assert_int_equal(srv_start(&s, DIR_A), 0);
	assert_int_equal(add_user(&s, "demo.lead", "leader", "Lãnh Đạo", "mat-khau-kiem-tra-123"), 0);
	assert_int_equal(add_user(&s, "demo.clerk", "clerk", "Tiếp Nhận", "mat-khau-kiem-tra-123"), 0);
	struct client c;
	struct reply r;
	client_init(&c, &s);
	assert_int_equal(login(&c, "demo.lead", "mat-khau-kiem-tra-123"), 303);
	get(&c, "/bao-cao", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	client_free(&c);
	client_init(&c, &s);
	assert_int_equal(login(&c, "demo.clerk", "mat-khau-kiem-tra-123"), 303);
	get(&c, "/mot-cua", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	get(&c, "/mot-cua?q=Nguy%E1%BB%85n", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "000.00.00.H00-"));
	reply_free(&r);
	/* a returned dossier's page shows its whole timeline */
	sqlite3 *db = open_db(DIR_A);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT code FROM dossiers WHERE status = 'returned' AND id IN"
	                                        " (SELECT dossier_id FROM dossier_events WHERE action = 'request_supplement')"
	                                        " LIMIT 1", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	char path[128];
	snprintf(path, sizeof path, "/mot-cua/ho-so/%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	get(&c, path, &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Yêu cầu bổ sung giấy tờ"));
	assert_true(reply_has(&r, "Trả kết quả"));
	reply_free(&r);
	client_free(&c);
	assert_int_equal(srv_stop(&s, SIGTERM), 0);
}

/* A real agency's folder is refused, untouched. */
static void
real_folder_refused(void **state)
{
	(void)state;
	char dir[64];
	snprintf(dir, sizeof dir, "/tmp/motcua-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	struct buf out = {0};
	assert_int_equal(run_cli(NULL, &out, "init", "--data", dir, "--agency-name", "UBND xã Thật",
	                         "--agency-code", "000.00.00.H38", NULL), 0);
	buf_free(&out);
	assert_int_equal(run_cli(NULL, &out, "demo", "--data", dir, "--dossiers", "10", NULL), 1);
	assert_non_null(strstr(buf_str(&out), "dữ liệu thật"));
	buf_free(&out);
	sqlite3 *db = open_db(dir);
	assert_int_equal(one(db, "SELECT count(*) FROM dossiers"), 0);
	sqlite3_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The batch event does not excuse a dossier edited afterwards. */
static void
tamper_caught(void **state)
{
	(void)state;
	struct srv s = {0};
	snprintf(s.dir, sizeof s.dir, "%s", DIR_B);
	assert_int_equal(srv_sql(&s, "UPDATE dossiers SET status = 'returned', version = version + 1 WHERE id = 5"), 0);
	struct buf out = {0};
	assert_int_equal(run_cli(NULL, &out, "check", "--data", DIR_B, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "KẾT QUẢ"));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_passes), cmocka_unit_test(mixes),
		cmocka_unit_test(codes_and_days), cmocka_unit_test(people),
		cmocka_unit_test(same_seed_same_data), cmocka_unit_test(pages_load),
		cmocka_unit_test(tamper_caught), cmocka_unit_test(real_folder_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
