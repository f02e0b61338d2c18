/*
 * test_check.c — `motcua check` proves the business tables, not only the
 * log (issue #11), driving the real binary on real data folders:
 *  - a folder without a database: check (and every command but init and
 *    serve) fails with a clear message and creates nothing;
 *  - a dossier's status or version edited behind the store's back is
 *    named; so is an account given another role;
 *  - the event tables are append-only, and a removed guard is named;
 *  - the chain is keyed: an event rewritten with the plain SHA-256 chain
 *    recomputed after it is still caught, without the key being known;
 *    a missing key fails check and stops the server from starting;
 *  - a chain from before the key (plain SHA-256) still verifies, and is
 *    keyed from the next event on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <inttypes.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "driver.h"

#define PW "mat-khau-kiem-tra-123"
static struct srv S;
static char CLERK[200];

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || group_start(&S) != 0)
		return -1;
	if (add_user(&S, "kt.clerk", "clerk", NULL, PW) != 0 || add_user(&S, "kt.viewer", "viewer", NULL, PW) != 0)
		return -1;
	long st = bearer_for(&S, "kt.clerk", PW, CLERK, sizeof CLERK);
	return st == 200 || st == 201 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

#define BIRTH "{\"procedure_code\":\"1.001193\",\"channel\":\"counter\",\"applicant\":" \
	"{\"name\":\"Trần Thị Kiểm\",\"id_number\":\"001185012345\",\"date_of_birth\":\"1985-03-02\"," \
	"\"sex\":\"female\",\"phone\":\"0912345678\",\"address\":\"Thôn Đông\"}," \
	"\"documents\":[{\"name\":\"Tờ khai\",\"received\":true,\"form\":\"original\",\"count\":1}]}"

/* Receives a dossier over the API; its code into code. */
static void
receive(char *code, size_t n)
{
	struct client c;
	struct reply r;
	client_init(&c, &S);
	req(&c, "POST", "/api/v1/dossiers", "application/json", BIRTH, strlen(BIRTH), CLERK, &r);
	if (r.status != 201)
		fail_msg("intake: %ld %s", r.status, buf_str(&r.body));
	const char *p = strstr(buf_str(&r.body), "\"code\":\"");
	assert_non_null(p);
	snprintf(code, n, "%.*s", (int)strcspn(p + 8, "\""), p + 8);
	reply_free(&r);
	client_free(&c);
}

/* Copies the live folder (server stopped meanwhile) to a scratch one, so
 * each tamper starts from sound data. */
static void
copy_folder(char *dir, size_t n)
{
	assert_int_equal(srv_stop(&S, SIGTERM), 0);
	snprintf(dir, n, "/tmp/motcua-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp -a '%s/motcua.db' '%s/audit.key' '%s/'", S.dir, S.dir, dir);
	assert_int_equal(system(cmd), 0);
	char live[256];
	snprintf(live, sizeof live, "%s", S.dir);   /* srv_start clears S first */
	assert_int_equal(srv_start(&S, live), 0);
}

static void
sql(const char *dir, const char *stmt, int want_ok)
{
	char cmd[2000];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s/motcua.db' \"%s\" 2>/dev/null", dir, stmt);
	int rc = system(cmd);
	if (want_ok ? rc != 0 : rc == 0)
		fail_msg("sqlite3 %s: exit %d", stmt, rc);
}

/* Runs check on dir; wants exit status rc and every string in has. */
static void
check_says(const char *dir, int rc, const char *has1, const char *has2)
{
	struct buf out = BUF_INIT;
	int got = run_cli(NULL, &out, "check", "--data", dir, NULL);
	if (got != rc || (has1 && !strstr(buf_str(&out), has1)) || (has2 && !strstr(buf_str(&out), has2)))
		fail_msg("check %s → %d, want %d with \"%s\" \"%s\":\n%s", dir, got, rc, has1 ? has1 : "",
		         has2 ? has2 : "", buf_str(&out));
	buf_free(&out);
}

static void
rmrf(const char *dir)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Any command but init and serve, pointed at a folder without a
 * database, fails and leaves the folder exactly as it was. */
static void
test_no_database(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", dir, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "không chứa dữ liệu motcua"));
	assert_null(strstr(buf_str(&out), "ĐẠT"));
	const char *const cmds[][3] = {{"user", "list", NULL}, {"export", "procedures", NULL},
	                               {"calendar", "holidays", NULL}};
	for (size_t i = 0; i < 3; i++) {
		out.len = 0;
		assert_int_not_equal(run_cli(NULL, &out, cmds[i][0], cmds[i][1], "--data", dir, NULL), 0);
	}
	char to[300], cmd[400];
	snprintf(to, sizeof to, "%s.tar", dir);
	assert_int_equal(run_cli(NULL, &out, "backup", "--data", dir, "--to", to, NULL), 1);
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\" && ! test -e '%s'", dir, to);
	assert_int_equal(system(cmd), 0);
	/* a folder that does not exist is not created either */
	char gone[300];
	snprintf(gone, sizeof gone, "%s/khong-co", dir);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "check", "--data", gone, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "không có thư mục dữ liệu"));
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dir);
	assert_int_equal(system(cmd), 0);
	buf_free(&out);
	rmrf(dir);
}

/* The sound folder passes and says what it proved, with counts. */
static void
test_sound(void **state)
{
	(void)state;
	char code[64], dir[64];
	receive(code, sizeof code);
	copy_folder(dir, sizeof dir);
	check_says(dir, 0, "Hồ sơ khớp nhật ký: đạt (1 hồ sơ", "KẾT QUẢ: ĐẠT");
	check_says(dir, 0, "Tài khoản khớp nhật ký: đạt (3 tài khoản", "sự kiện có khóa và nối chuỗi");
	check_says(dir, 0, "Bảo vệ chỉ ghi thêm: đạt (không sửa, không xóa được các bảng audit_events, "
	                   "dossier_events, dossier_ratings, dossier_attachments, case_events)", NULL);
	/* the inspector's page says the same */
	struct client v;
	struct reply r;
	client_init(&v, &S);
	assert_int_equal(login(&v, "kt.viewer", PW), 303);
	get(&v, "/kiem-tra", &r);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Hồ sơ khớp nhật ký"));
	assert_true(reply_has(&r, "Tài khoản khớp nhật ký"));
	assert_true(reply_has(&r, "Khóa nhật ký (HMAC-SHA256)"));
	reply_free(&r);
	client_free(&v);
	rmrf(dir);
}

/* A dossier's status or version edited in the database is named. */
static void
test_dossier_tamper(void **state)
{
	(void)state;
	char code[64], dir[64], stmt[300], want[200];
	receive(code, sizeof code);
	copy_folder(dir, sizeof dir);
	snprintf(stmt, sizeof stmt, "UPDATE dossiers SET status = 'returned' WHERE code = '%s'", code);
	sql(dir, stmt, 1);
	snprintf(want, sizeof want, "Hồ sơ khớp nhật ký: LỖI — 1 hồ sơ sai lệch; đầu tiên: hồ sơ %s:", code);
	check_says(dir, 1, want, "trạng thái \"returned\" nhưng nhật ký ghi \"received\"");
	rmrf(dir);
	copy_folder(dir, sizeof dir);
	snprintf(stmt, sizeof stmt, "UPDATE dossiers SET version = version + 1 WHERE code = '%s'", code);
	sql(dir, stmt, 1);
	check_says(dir, 1, want, "phiên bản 2");
	rmrf(dir);
	/* the due instant too: every event since issue #11 carries the row's state */
	copy_folder(dir, sizeof dir);
	snprintf(stmt, sizeof stmt, "UPDATE dossiers SET due_at = due_at + 86400 WHERE code = '%s'", code);
	sql(dir, stmt, 1);
	check_says(dir, 1, want, "due_at");
	rmrf(dir);
}

/* The timeline is append-only; dropping its guard and editing it is seen
 * twice: the guard is named and the dossier no longer agrees. */
static void
test_event_guards(void **state)
{
	(void)state;
	char code[64], dir[64];
	receive(code, sizeof code);
	copy_folder(dir, sizeof dir);
	sql(dir, "UPDATE dossier_events SET to_state = 'returned'", 0);
	sql(dir, "DELETE FROM dossier_events", 0);
	check_says(dir, 0, "KẾT QUẢ: ĐẠT", NULL);
	sql(dir, "DROP TRIGGER dossier_events_no_update; UPDATE dossier_events SET to_state = 'returned'", 1);
	check_says(dir, 1, "Bảo vệ chỉ ghi thêm: LỖI — trigger chống sửa/xóa đã bị gỡ bỏ: dossier_events_no_update",
	           "Hồ sơ khớp nhật ký: LỖI");
	rmrf(dir);
	copy_folder(dir, sizeof dir);
	/* a guard replaced by one that does nothing is no guard */
	sql(dir, "DROP TRIGGER dossier_ratings_no_delete; CREATE TRIGGER dossier_ratings_no_delete"
	         " BEFORE DELETE ON dossier_ratings BEGIN SELECT 1; END", 1);
	check_says(dir, 1, "dossier_ratings_no_delete", NULL);
	rmrf(dir);
}

/* An account's role changed behind the store's back is named. */
static void
test_account_tamper(void **state)
{
	(void)state;
	char dir[64];
	copy_folder(dir, sizeof dir);
	sql(dir, "UPDATE users SET role = 'admin' WHERE username = 'kt.clerk'", 1);
	check_says(dir, 1, "Tài khoản khớp nhật ký: LỖI — 1 tài khoản sai lệch; đầu tiên: kt.clerk",
	           "vai trò \"admin\" nhưng nhật ký ghi \"clerk\"");
	rmrf(dir);
	copy_folder(dir, sizeof dir);
	sql(dir, "UPDATE users SET active = 0 WHERE username = 'kt.viewer'", 1);
	check_says(dir, 1, "kt.viewer", "bị khóa nhưng nhật ký ghi hoạt động");
	rmrf(dir);
}

/* ---- rewriting the log without the key ----------------------------------- */

static void
hash_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	int k = snprintf(len, sizeof len, "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

/* What a tamperer without the key can do: rewrite events from `from` on
 * (with the guard dropped), recomputing the plain SHA-256 chain the
 * format documents, and mark them unkeyed if `unkey`. */
static void
rechain_plain(const char *dir, int64_t from, int unkey)
{
	char path[300];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_events_no_update; BEGIN", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *s, *u;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, at_us, actor, action, object, details, prev_hash"
	                                        " FROM audit_events WHERE id >= ?1 - 1 ORDER BY id", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_events SET prev_hash = ?1, hash = ?2,"
	                                        " keyed = CASE WHEN ?4 THEN 0 ELSE keyed END WHERE id = ?3", -1, &u, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, from);
	char prev[65] = "";
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		if (id < from) {   /* the untouched event before: its stored hash */
			sqlite3 *d2 = db;
			sqlite3_stmt *h;
			sqlite3_prepare_v2(d2, "SELECT hash FROM audit_events WHERE id = ?", -1, &h, NULL);
			sqlite3_bind_int64(h, 1, id);
			assert_int_equal(sqlite3_step(h), SQLITE_ROW);
			snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(h, 0));
			sqlite3_finalize(h);
			continue;
		}
		if (!prev[0])
			memset(prev, '0', 64);
		crypto_hash_sha256_state st;
		char num[32], hex[65];
		unsigned char out[32];
		crypto_hash_sha256_init(&st);
		hash_field(&st, prev);
		snprintf(num, sizeof num, "%" PRId64, id);
		hash_field(&st, num);
		snprintf(num, sizeof num, "%" PRId64, (int64_t)sqlite3_column_int64(s, 1));
		hash_field(&st, num);
		for (int i = 2; i <= 5; i++)
			hash_field(&st, (const char *)sqlite3_column_text(s, i));
		crypto_hash_sha256_final(&st, out);
		sodium_bin2hex(hex, sizeof hex, out, sizeof out);
		sqlite3_bind_text(u, 1, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(u, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(u, 3, id);
		sqlite3_bind_int(u, 4, unkey);
		assert_int_equal(sqlite3_step(u), SQLITE_DONE);
		sqlite3_reset(u);
		memcpy(prev, hex, sizeof prev);
	}
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	assert_int_equal(sqlite3_exec(db, "COMMIT; CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events"
	                                  " BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
	                              NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* The tamperer makes kt.clerk an admin in the table and in the log, and
 * recomputes the chain: without the key the hashes are not HMACs, and
 * check names the event. */
static void
test_rewrite_without_key(void **state)
{
	(void)state;
	char dir[64], stmt[400];
	copy_folder(dir, sizeof dir);
	snprintf(stmt, sizeof stmt,
	         "DROP TRIGGER audit_events_no_update; UPDATE users SET role = 'admin' WHERE username = 'kt.clerk';"
	         " UPDATE audit_events SET details = replace(details, '\\\"role\\\":\\\"clerk\\\"', '\\\"role\\\":\\\"admin\\\"')"
	         " WHERE action = 'user.create' AND details LIKE '%%kt.clerk%%';"
	         " CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events"
	         " BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END");
	sql(dir, stmt, 1);
	/* the accounts now agree with the (rewritten) log … */
	sqlite3 *db;
	char path[200];
	snprintf(path, sizeof path, "%s/motcua.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "SELECT id FROM audit_events WHERE action = 'user.create' AND details LIKE '%kt.clerk%'",
	                   -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* … and the whole chain from that event is recomputed as plain SHA-256 */
	rechain_plain(dir, id, 0);
	char want[80];
	snprintf(want, sizeof want, "LỖI tại sự kiện #%lld", (long long)id);
	check_says(dir, 1, want, "mã khóa HMAC không khớp");
	/* marking them unkeyed (a downgrade) does not help either */
	rechain_plain(dir, id, 1);
	check_says(dir, 1, want, "bị hạ cấp");
	rmrf(dir);
}

/* Without its key a keyed chain cannot be proved: check fails, the server
 * will not start (it could not write a keyed event); the key back, all is
 * well. */
static void
test_missing_key(void **state)
{
	(void)state;
	char dir[64], cmd[400];
	copy_folder(dir, sizeof dir);
	snprintf(cmd, sizeof cmd, "mv '%s/audit.key' '%s/audit.key.bak'", dir, dir);
	assert_int_equal(system(cmd), 0);
	check_says(dir, 1, "Khóa nhật ký (HMAC-SHA256): LỖI — không có tệp khóa", "KẾT QUẢ: PHÁT HIỆN SAI LỆCH");
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "serve", "--data", dir, "--listen", "127.0.0.1:0", NULL), 1);
	assert_non_null(strstr(buf_str(&out), "audit.key"));
	/* a writing command is refused, and no second key is made */
	out.len = 0;
	assert_int_not_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", dir, "--username", "x.y",
	                             "--role", "clerk", "--password-stdin", NULL), 0);
	snprintf(cmd, sizeof cmd, "! test -e '%s/audit.key' && mv '%s/audit.key.bak' '%s/audit.key'", dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	check_says(dir, 0, "KẾT QUẢ: ĐẠT", NULL);
	buf_free(&out);
	rmrf(dir);
}

/* A data folder from before the key: its plain chain still verifies, and
 * the next write keys the chain from the next event on (the key file says
 * from where). */
static void
test_legacy_chain(void **state)
{
	(void)state;
	char dir[64], cmd[400];
	copy_folder(dir, sizeof dir);
	/* what an older motcua left: plain SHA-256 throughout, no key */
	rechain_plain(dir, 1, 1);
	snprintf(cmd, sizeof cmd, "rm '%s/audit.key'", dir);
	assert_int_equal(system(cmd), 0);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli("matkhau-dai-123\n", &out, "user", "add", "--data", dir, "--username", "moi.them",
	                         "--role", "clerk", "--password-stdin", NULL), 0);
	snprintf(cmd, sizeof cmd, "test \"$(stat -c %%a '%s/audit.key')\" = 600 && grep -q '^from [0-9]' '%s/audit.key'",
	         dir, dir);
	assert_int_equal(system(cmd), 0);
	check_says(dir, 0, "đạt (1 sự kiện có khóa và nối chuỗi;", "KẾT QUẢ: ĐẠT");
	buf_free(&out);
	rmrf(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_database),
		cmocka_unit_test(test_sound),
		cmocka_unit_test(test_dossier_tamper),
		cmocka_unit_test(test_event_guards),
		cmocka_unit_test(test_account_tamper),
		cmocka_unit_test(test_rewrite_without_key),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_legacy_chain),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
