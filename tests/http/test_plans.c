/*
 * test_plans.c — the yearly plans (issue #16 item 1) against the real
 * binary:
 *   - who may do what: the leader makes plans and tasks; an officer of
 *     the responsible unit or the person named reports and attaches
 *     evidence, an officer of another unit may not (per record), the
 *     inspector reads and writes nothing; a second plan of the same kind
 *     and year is refused;
 *   - bad input changes nothing: days outside the plan's year, a field
 *     of another kind, 150 %, a stale version, a file that is not a PDF,
 *     JPEG or PNG, a bad budget;
 *   - the day's judgement: an open task past its due day says "Quá hạn N
 *     ngày" in red on the plan and in the reminders, one due in two days
 *     is on the desk's reminder banner; a task done late says so;
 *   - carry-over: the open tasks go to next year's plan (made for it),
 *     linked both ways, done and cancelled ones stay; a second carry
 *     moves nothing;
 *   - the reform budget: a line within its allocation, spending linked to
 *     a task with a scanned voucher, spending beyond the allocation
 *     refused and nothing written, an allocation below what was spent
 *     refused, a correction, a task tied to the line, a line of another
 *     year refused; officers neither read nor write it;
 *   - every write has its audit event, and the chain verifies.
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

#define PW "mat-khau-ke-hoach-1"
#define UNIT_A "Văn phòng HĐND-UBND"
#define UNIT_B "Tư pháp - Hộ tịch"

enum { LEADER, OFF_A, OFF_B, VIEWER, NWHO };
static const char *const USER[NWHO] = {"kh.lanhdao", "kh.vanphong", "kh.tuphap", "kh.thanhtra"};
static const char *const ROLE[NWHO] = {"leader", "officer", "officer", "viewer"};
static const char *const UNIT[NWHO] = {UNIT_A, UNIT_A, UNIT_B, ""};
static struct srv S;
static struct client C[NWHO];
static int year;

static int
setup(void **state)
{
	(void)state;
	if (group_start(&S) != 0)
		return -1;
	for (int i = 0; i < NWHO; i++) {
		struct buf out = {0};
		char pw[64];
		snprintf(pw, sizeof pw, "%s\n", PW);
		int rc = run_cli(pw, &out, "user", "add", "--data", S.dir, "--username", USER[i], "--role", ROLE[i],
		                 "--full-name", USER[i], "--unit", UNIT[i], "--password-stdin", (char *)NULL);
		buf_free(&out);
		if (rc != 0)
			return -1;
		client_init(&C[i], &S);
		if (login(&C[i], USER[i], PW) != 303)
			return -1;
	}
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	year = tm.tm_year + 1900;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NWHO; i++)
		client_free(&C[i]);
	return group_stop(&S);
}

/* One number from the database (read-only). */
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

/* POSTs fields (csrf added) to path as who, the form taken from page. */
static long
post(int who, const char *page, const char *path, const char *fields, struct reply *r)
{
	return submit_form(&C[who], page, path, fields, r);
}

static long
post0(int who, const char *page, const char *path, const char *fields)
{
	struct reply r;
	long st = post(who, page, path, fields, &r);
	reply_free(&r);
	return st;
}

/* The id at the end of a redirect such as /ke-hoach/7?ok=tao. */
static long
id_after(const struct reply *r, const char *prefix)
{
	char loc[256];
	if (!reply_header(r, "Location", loc, sizeof loc))
		return 0;
	const char *p = strstr(loc, prefix);
	return p ? strtol(p + strlen(prefix), NULL, 10) : 0;
}

static long plan_id, task_a, task_b;

/* A task of plan_id for unit with days in the plan's year (MM-DD). */
static long
add_task(const char *title, const char *unit, long person, const char *start, const char *due)
{
	char page[64], fields[1024];
	snprintf(page, sizeof page, "/ke-hoach/%ld/nhiem-vu-moi", plan_id);
	snprintf(fields, sizeof fields,
	         "title=%s&field=tthc&unit=%s&person_id=%ld&start=%d-%s&due=%d-%s&output=B%%C3%%A1o+c%%C3%%A1o"
	         "&budget=2.500.000",
	         title, unit, person, year, start, year, due);
	struct reply r;
	long st = post(LEADER, page, page, fields, &r);
	long id = st == 303 ? id_after(&r, "#nv-") : 0;
	reply_free(&r);
	return id;
}

static void
test_make_plan(void **state)
{
	(void)state;
	char fields[256];
	snprintf(fields, sizeof fields, "year=%d&kind=reform&title=K%%E1%%BA%%BF+ho%%E1%%BA%%A1ch+CCHC+%d", year, year);
	/* an officer may not make plans (route), the inspector neither */
	assert_int_equal(post0(OFF_A, "/ke-hoach", "/ke-hoach", fields), 403);
	assert_int_equal(post0(VIEWER, "/ke-hoach", "/ke-hoach", fields), 403);
	assert_int_equal(sql_int("SELECT count(*) FROM plans"), 0);
	struct reply r;
	assert_int_equal(post(LEADER, "/ke-hoach", "/ke-hoach", fields, &r), 303);
	plan_id = id_after(&r, "/ke-hoach/");
	reply_free(&r);
	assert_true(plan_id > 0);
	/* the same kind and year again: refused in words, nothing written */
	assert_int_equal(post(LEADER, "/ke-hoach", "/ke-hoach", fields, &r), 409);
	assert_true(reply_has(&r, "Năm này đã có kế hoạch cùng loại"));
	reply_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM plans"), 1);
	/* the issuing document: all three or none */
	char page[64];
	snprintf(page, sizeof page, "/ke-hoach/%ld", plan_id);
	assert_int_equal(post(LEADER, page, page, "title=K%E1%BA%BF+ho%E1%BA%A1ch&doc_number=35%2FKH-UBND", &r), 400);
	assert_true(reply_has(&r, "ghi đủ số, ký hiệu, ngày ban hành và người ký"));
	reply_free(&r);
	char doc[256];
	snprintf(doc, sizeof doc,
	         "title=K%%E1%%BA%%BF+ho%%E1%%BA%%A1ch+CCHC&doc_number=35%%2FKH-UBND&doc_day=%d-01-05&doc_signer=Ch%%E1%%BB%%A7+t%%E1%%BB%%8Bch",
	         year);
	assert_int_equal(post0(LEADER, page, page, doc), 303);
	assert_int_equal(sql_int("SELECT count(*) FROM plans WHERE doc_number = '35/KH-UBND'"), 1);
	/* a bad year */
	assert_int_equal(post0(LEADER, "/ke-hoach", "/ke-hoach", "year=1999&kind=it&title=X"), 400);
	assert_int_equal(post0(LEADER, "/ke-hoach", "/ke-hoach", "year=2026&kind=khac&title=X"), 400);
	assert_int_equal(sql_int("SELECT count(*) FROM plans"), 1);
}

static void
test_tasks_and_bad_input(void **state)
{
	(void)state;
	long person_a = user_id_of(&S, USER[OFF_A]);
	task_a = add_task("R%C3%A0+so%C3%A1t+th%E1%BB%A7+t%E1%BB%A5c", "V%C4%83n+ph%C3%B2ng+H%C4%90ND-UBND", person_a,
	                  "01-01", "12-31");
	task_b = add_task("Tuy%C3%AAn+truy%E1%BB%81n", "T%C6%B0+ph%C3%A1p+-+H%E1%BB%99+t%E1%BB%8Bch", 0, "01-01", "12-31");
	assert_true(task_a > 0 && task_b > 0);
	assert_int_equal(sql_int("SELECT budget FROM plan_tasks WHERE id = (SELECT min(id) FROM plan_tasks)"), 2500000);
	char page[64], fields[512];
	snprintf(page, sizeof page, "/ke-hoach/%ld/nhiem-vu-moi", plan_id);
	struct reply r;
	/* days in another year, a field of the IT plan, a bad budget, an
	 * unknown person: each refused, nothing written */
	snprintf(fields, sizeof fields, "title=X&field=tthc&unit=U&start=%d-01-01&due=%d-01-10", year + 1, year + 1);
	assert_int_equal(post(LEADER, page, page, fields, &r), 400);
	assert_true(reply_has(&r, "phải trong năm"));
	reply_free(&r);
	snprintf(fields, sizeof fields, "title=X&field=ha_tang&unit=U&start=%d-01-01&due=%d-01-10", year, year);
	assert_int_equal(post0(LEADER, page, page, fields), 400);
	snprintf(fields, sizeof fields, "title=X&field=tthc&unit=U&start=%d-01-01&due=%d-01-10&budget=-5", year, year);
	assert_int_equal(post0(LEADER, page, page, fields), 400);
	snprintf(fields, sizeof fields, "title=X&field=tthc&unit=U&start=%d-01-01&due=%d-01-10&person_id=99999", year,
	         year);
	assert_int_equal(post0(LEADER, page, page, fields), 400);
	snprintf(fields, sizeof fields, "title=X&field=tthc&unit=U&start=%d-02-01&due=%d-01-10", year, year);
	assert_int_equal(post0(LEADER, page, page, fields), 400);
	/* an officer may not add tasks (route) */
	snprintf(fields, sizeof fields, "title=X&field=tthc&unit=U&start=%d-01-01&due=%d-01-10", year, year);
	assert_int_equal(post0(OFF_A, "/ke-hoach", page, fields), 403);
	assert_int_equal(sql_int("SELECT count(*) FROM plan_tasks"), 2);
}

static void
test_reports_per_record(void **state)
{
	(void)state;
	char page[64], path[80];
	snprintf(page, sizeof page, "/ke-hoach/nhiem-vu/%ld", task_a);
	snprintf(path, sizeof path, "/ke-hoach/nhiem-vu/%ld/bao-cao", task_a);
	struct reply r;
	/* an officer of another unit: refused on this record */
	assert_int_equal(post(OFF_B, page, path, "version=1&progress=30&status=in_progress&note=x", &r), 403);
	reply_free(&r);
	/* the inspector: refused by the route */
	assert_int_equal(post0(VIEWER, page, path, "version=1&progress=30&status=in_progress&note=x"), 403);
	/* 150 %: refused */
	assert_int_equal(post0(OFF_A, page, path, "version=1&progress=150&status=in_progress&note=x"), 400);
	/* an officer may not cancel */
	assert_int_equal(post0(OFF_A, page, path, "version=1&progress=0&status=cancelled&note=x"), 403);
	assert_int_equal(sql_int("SELECT version FROM plan_tasks WHERE id = (SELECT min(id) FROM plan_tasks)"), 1);
	/* the unit's officer reports */
	assert_int_equal(post0(OFF_A, page, path, "version=1&progress=40&status=in_progress&note=%C4%90%C3%A3+r%C3%A0+so%C3%A1t+12+th%E1%BB%A7+t%E1%BB%A5c"), 303);
	/* the same version again: someone moved it first */
	assert_int_equal(post(OFF_A, page, path, "version=1&progress=50&status=in_progress&note=y", &r), 409);
	assert_true(reply_has(&r, "vừa được người khác cập nhật"));
	reply_free(&r);
	assert_int_equal(get(&C[VIEWER], page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "40%"));
	assert_true(reply_has(&r, "Đã rà soát 12 thủ tục"));
	assert_false(reply_has(&r, "Ghi báo cáo"));   /* the inspector sees no form */
	reply_free(&r);
	/* task b (unit B, nobody named): B's officer may, A's may not */
	snprintf(page, sizeof page, "/ke-hoach/nhiem-vu/%ld", task_b);
	snprintf(path, sizeof path, "/ke-hoach/nhiem-vu/%ld/bao-cao", task_b);
	assert_int_equal(post0(OFF_A, page, path, "version=1&progress=10&status=in_progress&note=x"), 403);
	assert_int_equal(post0(OFF_B, page, path, "version=1&progress=100&status=done&note=Xong"), 303);
	assert_int_equal(sql_int("SELECT progress FROM plan_tasks WHERE status = 'done'"), 100);
	/* B's officer may not reopen it; the leader may */
	assert_int_equal(post0(OFF_B, page, path, "version=2&progress=90&status=in_progress&note=x"), 403);
}

static void
test_evidence(void **state)
{
	(void)state;
	static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	char page[64], path[96];
	snprintf(page, sizeof page, "/ke-hoach/nhiem-vu/%ld", task_a);
	snprintf(path, sizeof path, "/ke-hoach/nhiem-vu/%ld/minh-chung", task_a);
	assert_int_equal(submit_multipart(&C[OFF_B], page, path, "", "file", "bao-cao.pdf", pdf, sizeof pdf - 1, NULL),
	                 403);
	assert_int_equal(submit_multipart(&C[OFF_A], page, path, "", "file", "ghi-chu.txt", "chỉ là chữ", 13, NULL),
	                 415);
	assert_int_equal(sql_int("SELECT count(*) FROM plan_task_files"), 0);
	assert_int_equal(submit_multipart(&C[OFF_A], page, path, "", "file", "bao-cao.pdf", pdf, sizeof pdf - 1, NULL),
	                 303);
	assert_int_equal(sql_int("SELECT count(*) FROM plan_task_files"), 1);
	struct reply r;
	assert_int_equal(get(&C[VIEWER], page, &r), 0);
	assert_true(reply_has(&r, "bao-cao.pdf"));
	reply_free(&r);
	char sha[80] = "";
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_task_files WHERE task_id = %ld", task_a);
	assert_int_equal(sql_int(sql), 1);
	/* read it back as the inspector; a wrong hash is not found */
	char dl[200];
	{
		char path2[400];
		snprintf(path2, sizeof path2, "%s/motcua.db", S.dir);
		sqlite3 *db;
		sqlite3_stmt *s;
		assert_int_equal(sqlite3_open_v2(path2, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT sha256 FROM plan_task_files", -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		snprintf(sha, sizeof sha, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	snprintf(dl, sizeof dl, "%s/%s", path, sha);
	assert_int_equal(get(&C[VIEWER], dl, &r), 0);
	assert_int_equal(r.status, 200);
	char ct[64];
	assert_non_null(reply_header(&r, "Content-Type", ct, sizeof ct));
	assert_non_null(strstr(ct, "application/pdf"));
	reply_free(&r);
	snprintf(dl, sizeof dl, "/ke-hoach/nhiem-vu/%ld/minh-chung/%s", task_b, sha);
	assert_int_equal(get(&C[VIEWER], dl, &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
}

static void
test_overdue_and_reminders(void **state)
{
	(void)state;
	/* move task a's due day three days back and add one due in two days */
	char sql[256];
	long today = (long)((time(NULL) + 7 * 3600) / 86400);
	snprintf(sql, sizeof sql, "UPDATE plan_tasks SET start_day = %ld, due_day = %ld WHERE id = %ld", today - 10,
	         today - 3, task_a);
	assert_int_equal(srv_sql(&S, sql), 0);
	long soon = add_task("B%C3%A1o+c%C3%A1o+qu%C3%BD", "V%C4%83n+ph%C3%B2ng+H%C4%90ND-UBND", 0, "01-01", "12-31");
	assert_true(soon > 0);
	snprintf(sql, sizeof sql, "UPDATE plan_tasks SET start_day = %ld, due_day = %ld WHERE id = %ld", today - 1,
	         today + 2, soon);
	assert_int_equal(srv_sql(&S, sql), 0);
	char page[64];
	snprintf(page, sizeof page, "/ke-hoach/%ld", plan_id);
	struct reply r;
	assert_int_equal(get(&C[LEADER], page, &r), 0);
	assert_true(reply_has(&r, "Quá hạn 3 ngày"));
	assert_true(reply_has(&r, "row-overdue"));
	assert_true(reply_has(&r, "1 nhiệm vụ quá hạn."));
	assert_true(reply_has(&r, "Còn 2 ngày"));
	reply_free(&r);
	/* the unit's own view leaves the other unit's task out */
	snprintf(page, sizeof page, "/ke-hoach/%ld?don-vi=T%%C6%%B0+ph%%C3%%A1p+-+H%%E1%%BB%%99+t%%E1%%BB%%8Bch", plan_id);
	assert_int_equal(get(&C[LEADER], page, &r), 0);
	assert_false(reply_has(&r, "Quá hạn 3 ngày"));
	assert_true(reply_has(&r, "Tuyên truyền"));
	reply_free(&r);
	/* A's officer: the banner on the desk and both tasks in his reminders */
	assert_int_equal(get(&C[OFF_A], "/mot-cua", &r), 0);
	assert_true(reply_has(&r, "1 nhiệm vụ quá hạn"));
	assert_true(reply_has(&r, "1 nhiệm vụ đến hạn trong 7 ngày tới"));
	reply_free(&r);
	assert_int_equal(get(&C[OFF_A], "/ke-hoach/nhac-viec", &r), 0);
	assert_true(reply_has(&r, "Quá hạn 3 ngày"));
	assert_true(reply_has(&r, "Báo cáo quý"));
	reply_free(&r);
	/* B's officer has nothing due */
	assert_int_equal(get(&C[OFF_B], "/ke-hoach/nhac-viec", &r), 0);
	assert_true(reply_has(&r, "Không có nhiệm vụ nào quá hạn"));
	reply_free(&r);
	/* done after its due day: "Hoàn thành chậm 3 ngày" */
	snprintf(page, sizeof page, "/ke-hoach/nhiem-vu/%ld", task_a);
	char path[80];
	snprintf(path, sizeof path, "%s/bao-cao", page);
	assert_int_equal(post0(OFF_A, page, path, "version=2&progress=100&status=done&note=Xong"), 303);
	assert_int_equal(get(&C[OFF_A], page, &r), 0);
	assert_true(reply_has(&r, "Hoàn thành chậm 3 ngày"));
	reply_free(&r);
}

static void
test_carry_over(void **state)
{
	(void)state;
	/* reopen b (done) as the leader, then cancel nothing: b and the
	 * "soon" task are open, a is done */
	char page[64], path[80];
	snprintf(page, sizeof page, "/ke-hoach/nhiem-vu/%ld", task_b);
	snprintf(path, sizeof path, "%s/bao-cao", page);
	assert_int_equal(post0(LEADER, page, path, "version=2&progress=80&status=in_progress&note=M%E1%BB%9F+l%E1%BA%A1i"), 303);
	snprintf(page, sizeof page, "/ke-hoach/%ld", plan_id);
	snprintf(path, sizeof path, "/ke-hoach/%ld/chuyen-nam", plan_id);
	assert_int_equal(post0(OFF_A, page, path, ""), 403);
	struct reply r;
	assert_int_equal(post(LEADER, page, path, "", &r), 303);
	char loc[200];
	assert_non_null(reply_header(&r, "Location", loc, sizeof loc));
	assert_non_null(strstr(loc, "n=2"));
	reply_free(&r);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plans WHERE year = %d AND kind = 'reform'", year + 1);
	assert_int_equal(sql_int(sql), 1);
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM plan_tasks n JOIN plan_tasks o ON o.carried_to = n.id AND n.carried_from = o.id"
	         " JOIN plans p ON p.id = n.plan_id WHERE p.year = %d",
	         year + 1);
	assert_int_equal(sql_int(sql), 2);
	/* progress kept, the done one not carried */
	assert_int_equal(sql_int("SELECT progress FROM plan_tasks WHERE carried_from IS NOT NULL ORDER BY id LIMIT 1"), 80);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM plan_tasks WHERE carried_from = %ld", task_a);
	assert_int_equal(sql_int(sql), 0);
	/* again: nothing more moves */
	assert_int_equal(post(LEADER, page, path, "", &r), 303);
	assert_non_null(reply_header(&r, "Location", loc, sizeof loc));
	assert_non_null(strstr(loc, "n=0"));
	reply_free(&r);
	assert_int_equal(sql_int("SELECT count(*) FROM plan_tasks"), 5);
}

static void
test_budget(void **state)
{
	(void)state;
	char fields[512];
	snprintf(fields, sizeof fields,
	         "year=%d&name=S%%E1%%BB%%91+h%%C3%%B3a+h%%E1%%BB%%93+s%%C6%%A1&field=tthc&source=Ng%%C3%%A2n+s%%C3%%A1ch+x%%C3%%A3"
	         "&planned=12.000.000&allocated=10.000.000",
	         year);
	struct reply r;
	/* officers and the inspector write no budget; officers do not read it */
	assert_int_equal(post0(OFF_A, "/ke-hoach", "/ngan-sach", fields), 403);
	assert_int_equal(get(&C[OFF_A], "/ngan-sach", &r), 0);
	assert_int_equal(r.status, 403);
	reply_free(&r);
	assert_int_equal(post0(VIEWER, "/ngan-sach", "/ngan-sach", fields), 403);
	/* a bad amount, a bad field: refused, nothing written */
	assert_int_equal(post0(LEADER, "/ngan-sach", "/ngan-sach", "year=2026&name=X&planned=abc&allocated=1"), 400);
	assert_int_equal(post0(LEADER, "/ngan-sach", "/ngan-sach", "year=2026&name=X&field=khong&planned=1&allocated=1"), 400);
	assert_int_equal(sql_int("SELECT count(*) FROM budget_lines"), 0);
	assert_int_equal(post(LEADER, "/ngan-sach", "/ngan-sach", fields, &r), 303);
	long line = id_after(&r, "/ngan-sach/");
	reply_free(&r);
	assert_true(line > 0);
	char page[64], path[80], spend[512];
	snprintf(page, sizeof page, "/ngan-sach/%ld", line);
	snprintf(path, sizeof path, "/ngan-sach/%ld/chi", line);
	long today = (long)((time(NULL) + 7 * 3600) / 86400);
	char day[16];
	{
		time_t t = (time_t)today * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	}
	static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	snprintf(spend, sizeof spend, "day=%s&amount=4.000.000&content=Thu%%C3%%AA+s%%E1%%BB%%91+h%%C3%%B3a&doc_number=PC-01&task_id=%ld",
	         day, task_a);
	assert_int_equal(submit_multipart(&C[OFF_A], "/ke-hoach", path, spend, "file", "phieu-chi.pdf", pdf, sizeof pdf - 1, NULL), 403);
	assert_int_equal(submit_multipart(&C[LEADER], page, path, spend, "file", "phieu-chi.pdf", pdf, sizeof pdf - 1, NULL), 303);
	/* beyond the allocation: refused in words, nothing written */
	snprintf(spend, sizeof spend, "day=%s&amount=7.000.000&content=Qu%%C3%%A1+d%%E1%%BB%%B1+to%%C3%%A1n", day);
	assert_int_equal(submit_multipart(&C[LEADER], page, path, spend, NULL, NULL, NULL, 0, &r), 400);
	assert_true(reply_has(&r, "vượt dự toán được giao"));
	reply_free(&r);
	/* a day in the future, no content: refused */
	snprintf(spend, sizeof spend, "day=%d-12-31&amount=1&content=x", year + 1);
	assert_int_equal(submit_multipart(&C[LEADER], page, path, spend, NULL, NULL, NULL, 0, NULL), 400);
	snprintf(spend, sizeof spend, "day=%s&amount=1&content=", day);
	assert_int_equal(submit_multipart(&C[LEADER], page, path, spend, NULL, NULL, NULL, 0, NULL), 400);
	assert_int_equal(sql_int("SELECT count(*) FROM budget_spends"), 1);
	/* the allocation may not fall under what was spent */
	assert_int_equal(post0(LEADER, page, page, "name=S%E1%BB%91+h%C3%B3a&field=tthc&planned=12.000.000&allocated=3.000.000"), 400);
	assert_int_equal(sql_int("SELECT allocated FROM budget_lines"), 10000000);
	/* a correction */
	snprintf(spend, sizeof spend, "day=%s&amount=-1.000.000&content=Gi%%E1%%BA%%A3m+do+ghi+th%%E1%%BB%%ABa", day);
	assert_int_equal(submit_multipart(&C[LEADER], page, path, spend, NULL, NULL, NULL, 0, NULL), 303);
	assert_int_equal(sql_int("SELECT sum(amount) FROM budget_spends"), 3000000);
	assert_int_equal(get(&C[VIEWER], page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "3.000.000 đồng"));
	assert_true(reply_has(&r, "phieu-chi.pdf"));
	assert_true(reply_has(&r, "Rà soát thủ tục"));
	reply_free(&r);
	/* the voucher, read by the inspector */
	char dl[80];
	snprintf(dl, sizeof dl, "/ngan-sach/chi/%ld/chung-tu", sql_int("SELECT min(id) FROM budget_spends"));
	assert_int_equal(get(&C[VIEWER], dl, &r), 0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	/* planned against spent by field on the year's page */
	assert_int_equal(get(&C[LEADER], "/ngan-sach", &r), 0);
	assert_true(reply_has(&r, "Cải cách thủ tục hành chính"));
	assert_true(reply_has(&r, "25%"));   /* 3 of 12 million */
	reply_free(&r);
	/* a plan task of another year may not use it; a task of its year may */
	char task_page[64], task_edit[80], tf[600];
	long carried = sql_int("SELECT min(id) FROM plan_tasks WHERE carried_from IS NOT NULL");
	snprintf(task_page, sizeof task_page, "/ke-hoach/nhiem-vu/%ld/sua", carried);
	snprintf(tf, sizeof tf, "version=1&title=X&field=tthc&unit=U&start=%d-01-01&due=%d-01-10&budget_line=%ld", year + 1,
	         year + 1, line);
	assert_int_equal(post0(LEADER, task_page, task_page, tf), 400);
	long ver = sql_int("SELECT version FROM plan_tasks WHERE id = (SELECT min(id) FROM plan_tasks)");
	snprintf(task_edit, sizeof task_edit, "/ke-hoach/nhiem-vu/%ld/sua", task_a);
	snprintf(tf, sizeof tf, "version=%ld&title=R%%C3%%A0+so%%C3%%A1t+th%%E1%%BB%%A7+t%%E1%%BB%%A5c&field=tthc&unit=V%%C4%%83n+ph%%C3%%B2ng+H%%C4%%90ND-UBND&start=%d-01-01&due=%d-12-31&budget_line=%ld",
	         ver, year, year, line);
	assert_int_equal(post0(LEADER, task_edit, task_edit, tf), 303);
	char sql[120];
	snprintf(sql, sizeof sql, "SELECT budget_line FROM plan_tasks WHERE id = %ld", task_a);
	assert_int_equal(sql_int(sql), line);
	assert_int_equal(sql_int("SELECT count(*) FROM audit_events WHERE action LIKE 'budget.%'"), 3);
}

static void
test_audit_and_print(void **state)
{
	(void)state;
	/* every write left its event; the chain verifies */
	assert_true(sql_int("SELECT count(*) FROM audit_events WHERE action LIKE 'plan.%'") >= 12);
	assert_int_equal(sql_int("SELECT count(*) FROM audit_events WHERE action = 'plan.carry'"), 2);
	struct buf out = {0};
	assert_int_equal(run_cli(NULL, &out, "check", "--data", S.dir, (char *)NULL), 0);
	buf_free(&out);
	char page[64];
	snprintf(page, sizeof page, "/ke-hoach/%ld/in", plan_id);
	struct reply r;
	assert_int_equal(get(&C[VIEWER], page, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(reply_has(&r, "Số: 35/KH-UBND"));
	assert_true(reply_has(&r, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
	assert_true(reply_has(&r, "2.500.000"));
	reply_free(&r);
	/* ids that are not ids */
	assert_int_equal(get(&C[LEADER], "/ke-hoach/0", &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	assert_int_equal(get(&C[LEADER], "/ke-hoach/nhiem-vu/99999", &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	/* not signed in: no plan */
	assert_int_equal(fetch_from(&S, "/ke-hoach", &r), 303);
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make_plan),
		cmocka_unit_test(test_tasks_and_bad_input),
		cmocka_unit_test(test_reports_per_record),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_overdue_and_reminders),
		cmocka_unit_test(test_carry_over),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_audit_and_print),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
