/*
 * test_iso.c — the quality management system (issue #16 item 4) against
 * the real binary:
 *   - the leader issues a process; the officer reads it but may not write
 *     (route); a second process with the same code is refused; bad input
 *     (no steps, a bad code, no approver) changes nothing;
 *   - a revision adds version 2 and keeps version 1 readable; a revision
 *     from a stale form (base 1 after version 2) is refused in words;
 *     a revision without its change note is refused;
 *   - an audit with a nonconformity (needs its action, unit and due day)
 *     and an observation; the open action is listed on /iso, overdue in
 *     red once its day has passed; closing it needs its result and closes
 *     it once;
 *   - the current version prints with the state header; every write has
 *     its audit event and the chain verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "driver.h"

#define PW "mat-khau-iso-9001-1"
static struct srv S;
static struct client L, O;   /* leader, officer */

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0 || add_user(&S, "iso.lanhdao", "leader", "Lê Văn Hải", PW) != 0 ||
	    add_user(&S, "iso.canbo", "officer", "Trần Thị Bình", PW) != 0)
		return -1;
	client_init(&L, &S);
	client_init(&O, &S);
	return login(&L, "iso.lanhdao", PW) == 303 && login(&O, "iso.canbo", PW) == 303 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&L);
	client_free(&O);
	return group_stop(&S);
}

static long
sql_int(const char *sql)
{
	char path[400];
	snprintf(path, sizeof path, "%s/motcua.db", S.dir);
	sqlite3 *db;
	sqlite3_stmt *s;
	long v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static long
post(struct client *c, const char *page, const char *path, const char *fields, struct reply *r)
{
	struct reply tmp;
	long st = submit_form(c, page, path, fields, r ? r : &tmp);
	if (!r)
		reply_free(&tmp);
	return st;
}

#define STEP4 "%0D%0A4.+L%C6%B0u+h%E1%BB%93+s%C6%A1"
#define PROC "title=Ti%E1%BA%BFp+nh%E1%BA%ADn+v%C3%A0+tr%E1%BA%A3+k%E1%BA%BFt+qu%E1%BA%A3&owner=B%E1%BB%99+ph%E1%BA%ADn+M%E1%BB%99t+c%E1%BB%ADa" \
             "&forms=BM-01+Phi%E1%BA%BFu+ti%E1%BA%BFp+nh%E1%BA%ADn&records=S%E1%BB%95+theo+d%C3%B5i&retention=2+n%C4%83m" \
             "&procedures=1.001193&effective_day=2026-01-05&approved_by=Ch%E1%BB%A7+t%E1%BB%8Bch" \
             "&steps=1.+Ti%E1%BA%BFp+nh%E1%BA%ADn%0D%0A2.+Th%E1%BA%A9m+%C4%91%E1%BB%8Bnh%0D%0A3.+Tr%E1%BA%A3+k%E1%BA%BFt+qu%E1%BA%A3"
static long proc_id;

static void
test_processes(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(post(&O, "/iso", "/iso/moi", "code=QT-01&" PROC, NULL), 403);
	assert_int_equal(post(&L, "/iso/moi", "/iso/moi", "code=QT+01&" PROC, NULL), 400);   /* a space in the code */
	assert_int_equal(post(&L, "/iso/moi", "/iso/moi", "code=QT-01&title=X&owner=Y&steps=&effective_day=2026-01-05&approved_by=Z", NULL), 400);
	assert_int_equal(post(&L, "/iso/moi", "/iso/moi", "code=QT-01&title=X&owner=Y&steps=a&effective_day=2026-01-05&approved_by=", NULL), 400);
	assert_int_equal(sql_int("SELECT count(*) FROM iso_processes"), 0);
	assert_int_equal(post(&L, "/iso/moi", "/iso/moi", "code=QT-01&" PROC, &r), 303);
	char loc[200];
	assert_non_null(reply_header(&r, "Location", loc, sizeof loc));
	proc_id = strtol(strstr(loc, "/iso/") + 5, NULL, 10);
	reply_free(&r);
	assert_true(proc_id > 0);
	assert_int_equal(post(&L, "/iso/moi", "/iso/moi", "code=QT-01&" PROC, &r), 409);
	assert_true(reply_has(&r, "Mã quy trình này đã có"));
	reply_free(&r);
	/* the officer reads it */
	char page[64];
	snprintf(page, sizeof page, "/iso/%ld", proc_id);
	assert_int_equal(get(&O, page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "<li>2. Thẩm định</li>"));
	assert_false(reply_has(&r, "Ban hành phiên bản mới"));
	reply_free(&r);
	/* a revision: version 2; version 1 kept */
	assert_int_equal(post(&L, page, page, "base=1&" PROC "&change_note=", NULL), 400);
	assert_int_equal(post(&L, page, page, "base=1&" PROC STEP4 "&change_note=Th%C3%AAm+b%C6%B0%E1%BB%9Bc+l%C6%B0u", NULL), 303);
	assert_int_equal(sql_int("SELECT max(version) FROM iso_versions"), 2);
	/* a stale form: refused, nothing added */
	assert_int_equal(post(&L, page, page, "base=1&" PROC "&change_note=Mu%E1%BB%99n", &r), 409);
	assert_true(reply_has(&r, "vừa được người khác sửa"));
	reply_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM iso_versions"), 2);
	char old[80];
	snprintf(old, sizeof old, "/iso/%ld?phien-ban=1", proc_id);
	assert_int_equal(get(&O, old, &r), 0);
	assert_true(reply_has(&r, "đã được thay thế"));
	assert_false(reply_has(&r, "4. Lưu hồ sơ</li>"));
	reply_free(&r);
	assert_int_equal(get(&O, page, &r), 0);
	assert_true(reply_has(&r, "<li>4. Lưu hồ sơ</li>"));
	reply_free(&r);
	snprintf(old, sizeof old, "/iso/%ld?phien-ban=9", proc_id);
	assert_int_equal(get(&O, old, &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	/* printed: the code in the header, the approver signs */
	snprintf(old, sizeof old, "/iso/%ld/in", proc_id);
	assert_int_equal(get(&O, old, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Số: QT-01"));
	assert_true(reply_has(&r, "phiên bản 2"));
	reply_free(&r);
}

static void
test_audits(void **state)
{
	(void)state;
	struct reply r;
	char today[16];
	time_t t = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	char f[600];
	snprintf(f, sizeof f, "day=%s&scope=B%%E1%%BB%%99+ph%%E1%%BA%%ADn+M%%E1%%BB%%99t+c%%E1%%BB%%ADa&auditors=Ph%%E1%%BA%%A1m+Thanh", today);
	assert_int_equal(post(&O, "/iso", "/iso/danh-gia", f, NULL), 403);
	assert_int_equal(post(&L, "/iso/danh-gia", "/iso/danh-gia", "day=2099-01-01&scope=x&auditors=y", NULL), 400);
	assert_int_equal(post(&L, "/iso/danh-gia", "/iso/danh-gia", f, &r), 303);
	char loc[200];
	assert_non_null(reply_header(&r, "Location", loc, sizeof loc));
	long audit = strtol(strstr(loc, "/danh-gia/") + 10, NULL, 10);
	reply_free(&r);
	char page[64], path[96];
	snprintf(page, sizeof page, "/iso/danh-gia/%ld", audit);
	snprintf(path, sizeof path, "%s/phat-hien", page);
	/* a nonconformity without its action: refused */
	assert_int_equal(post(&L, page, path, "kind=nonconformity&description=Thi%E1%BA%BFu+s%E1%BB%95", &r), 400);
	assert_true(reply_has(&r, "cần hành động khắc phục"));
	reply_free(&r);
	snprintf(f, sizeof f, "kind=nonconformity&process_id=%ld&description=S%%E1%%BB%%95+theo+d%%C3%%B5i+thi%%E1%%BA%%BFu+ch%%E1%%BB%%AF+k%%C3%%BD"
	         "&action=B%%E1%%BB%%95+sung+ch%%E1%%BB%%AF+k%%C3%%BD&unit=B%%E1%%BB%%99+ph%%E1%%BA%%ADn+M%%E1%%BB%%99t+c%%E1%%BB%%ADa&due_day=%s",
	         proc_id, today);
	assert_int_equal(post(&L, page, path, f, NULL), 303);
	assert_int_equal(post(&L, page, path, "kind=observation&description=N%C3%AAn+d%C3%A1n+b%E1%BA%A3ng", NULL), 303);
	assert_int_equal(sql_int("SELECT count(*) FROM iso_findings"), 2);
	/* open on /iso; overdue once its day has passed */
	assert_int_equal(get(&O, "/iso", &r), 0);
	assert_true(reply_has(&r, "Bổ sung chữ ký"));
	assert_false(reply_has(&r, "Quá hạn"));
	reply_free(&r);
	assert_int_equal(srv_sql(&S, "UPDATE iso_findings SET due_day = due_day - 4 WHERE kind = 'nonconformity'"), 0);
	assert_int_equal(get(&O, "/iso", &r), 0);
	assert_true(reply_has(&r, "Quá hạn 4 ngày"));
	reply_free(&r);
	/* closing: needs its result, closes once */
	long fid = sql_int("SELECT id FROM iso_findings WHERE kind = 'nonconformity'");
	snprintf(path, sizeof path, "%s/phat-hien/%ld/dong", page, fid);
	assert_int_equal(post(&O, page, path, "note=xong", NULL), 403);
	assert_int_equal(post(&L, page, path, "note=", NULL), 400);
	assert_int_equal(post(&L, page, path, "note=%C4%90%C3%A3+k%C3%BD+b%E1%BB%95+sung", NULL), 303);
	assert_int_equal(post(&L, page, path, "note=l%E1%BA%A7n+hai", &r), 409);
	reply_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM iso_findings WHERE closed_day IS NOT NULL"), 1);
	/* a finding of another audit through this one's address: not found */
	snprintf(path, sizeof path, "/iso/danh-gia/%ld/phat-hien/%ld/dong", audit + 1, fid);
	assert_int_equal(post(&L, page, path, "note=x", NULL), 404);
	assert_int_equal(get(&O, "/iso", &r), 0);
	assert_true(reply_has(&r, "Không có điểm không phù hợp nào đang chờ khắc phục"));
	reply_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM audit_events WHERE action LIKE 'iso.%'"), 6);
	struct buf out = {0};
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, (char *)NULL), 0);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_audits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
