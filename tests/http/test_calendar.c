/*
 * test_calendar.c — the legal clock's faces (issue #3) against the real
 * binary: the API and the CLI agree, bad input gets 400 with a code, and
 * an admin's override changes the CLI, the API and the page at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "driver.h"

static struct srv S;

static int
setup(void **state)
{
	(void)state;
	return group_start(&S);
}

static int
teardown(void **state)
{
	(void)state;
	return group_stop(&S);
}

static int
has(const struct reply *r, const char *s)
{
	return reply_has(r, s);
}

/* GET path; returns status, body in out (caller frees). */
static long
fetch(const char *path, struct reply *r)
{
	return fetch_from(&S, path, r);
}

static void
test_holidays_api(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch("/api/v1/calendar/holidays?year=2027", &r), 200);
	assert_true(has(&r, "{\"date\":\"2027-02-06\",\"name\":\"Tết Nguyên đán (mùng 1)\",\"kind\":\"rule\"}"));
	assert_true(has(&r, "\"date\":\"2027-02-10\""));
	assert_true(has(&r, "\"kind\":\"compensatory\""));
	reply_free(&r);
	/* 2025 is shipped as the complete official schedule: Tết 27–31/1 */
	assert_int_equal(fetch("/api/v1/calendar/holidays?year=2025", &r), 200);
	assert_true(has(&r, "\"date\":\"2025-01-27\""));
	assert_false(has(&r, "\"date\":\"2025-02-03\""));
	assert_true(has(&r, "\"kind\":\"override\""));
	reply_free(&r);
	/* outside the app's window: built on demand */
	assert_int_equal(fetch("/api/v1/calendar/holidays?year=1985", &r), 200);
	assert_true(has(&r, "\"date\":\"1985-01-21\""));  /* Tết 1985 on 105°E */
	reply_free(&r);
	const char *bad[] = {"/api/v1/calendar/holidays", "/api/v1/calendar/holidays?year=1899",
	                     "/api/v1/calendar/holidays?year=2200", "/api/v1/calendar/holidays?year=20x7",
	                     "/api/v1/calendar/holidays?year=%2B2027"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(fetch(bad[i], &r), 400);
		assert_true(has(&r, "\"code\":\"out_of_range\""));
		reply_free(&r);
	}
}

static void
expect_due(const char *query, const char *due)
{
	struct reply r;
	char path[512], want[64];
	snprintf(path, sizeof path, "/api/v1/calendar/due?%s", query);
	snprintf(want, sizeof want, "{\"due_at\":\"%s\"}", due);
	long st = fetch(path, &r);
	if (st != 200 || strcmp(buf_str(&r.body), want) != 0)
		fail_msg("%s → %ld %s, want %s", query, st, buf_str(&r.body), want);
	reply_free(&r);
}

static void
test_due_api(void **state)
{
	(void)state;
	/* Friday before Tết 2027 (29/1) with 3 working days: before Tết */
	expect_due("from=2027-01-29T09:00:00%2B07:00&days=3", "2027-02-03T17:00:00+07:00");
	/* Thursday 4/2/2027 after the 15:00 cut-off, 3 days: after all of Tết's days off */
	expect_due("from=2027-02-04T16:10:00%2B07:00&days=3", "2027-02-17T17:00:00+07:00");
	/* the same receipt before the cut-off counts from 4/2 */
	expect_due("from=2027-02-04T10:00:00%2B07:00&days=3", "2027-02-16T17:00:00+07:00");
	/* Saturday receipt counts from Monday: 1 day → Tuesday */
	expect_due("from=2026-11-28T09:00:00%2B07:00&days=1", "2026-12-01T17:00:00+07:00");
	/* Giỗ Tổ 2026 fell on Sunday 26/4 → Monday 27/4 off (2026 official schedule) */
	expect_due("from=2026-04-24T09:00:00%2B07:00&days=1", "2026-04-28T17:00:00+07:00");
	/* same day, and after the cut-off: next working day */
	expect_due("from=2026-11-27T09:00:00%2B07:00&same_day=true", "2026-11-27T17:00:00+07:00");
	expect_due("from=2026-11-27T15:30:00%2B07:00&same_day=true", "2026-11-30T17:00:00+07:00");
	expect_due("from=2026-11-27T15:30:00%2B07:00&same_day=true&cutoff=16:00", "2026-11-27T17:00:00+07:00");
	expect_due("from=2026-11-27T09:00:00%2B07:00&days=0", "2026-11-27T17:00:00+07:00");
	/* UTC input: 2026-11-27T02:00Z is 09:00 local */
	expect_due("from=2026-11-27T02:00:00Z&days=1", "2026-11-30T17:00:00+07:00");
	struct {
		const char *q, *code;
	} bad[] = {
		{"from=2027-02-30T09:00:00%2B07:00&days=3", "invalid_time"},
		{"from=2027-02-04T09:00:00&days=3", "invalid_time"},
		{"from=hom-nay&days=3", "invalid_time"},
		{"days=3", "invalid_time"},
		{"from=2027-02-04T09:00:00%2B07:00&days=-1", "out_of_range"},
		{"from=2027-02-04T09:00:00%2B07:00&days=100000", "out_of_range"},
		{"from=2027-02-04T09:00:00%2B07:00", "out_of_range"},
		{"from=2027-02-04T09:00:00%2B07:00&days=3&cutoff=25:00", "invalid_time"},
		{"from=2027-02-04T09:00:00%2B07:00&days=3&same_day=yes", "invalid_field"},
		{"from=2199-12-30T09:00:00%2B07:00&days=3000", "out_of_range"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct reply r;
		char path[512], code[64];
		snprintf(path, sizeof path, "/api/v1/calendar/due?%s", bad[i].q);
		snprintf(code, sizeof code, "\"code\":\"%s\"", bad[i].code);
		long st = fetch(path, &r);
		if (st != 400 || !has(&r, code))
			fail_msg("%s → %ld %s, want 400 %s", bad[i].q, st, buf_str(&r.body), bad[i].code);
		reply_free(&r);
	}
}

static void
test_lunar_api(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch("/api/v1/calendar/lunar?date=2026-02-17", &r), 200);
	assert_true(has(&r, "\"lunar_day\":1,\"lunar_month\":1,\"lunar_year\":2026,\"leap\":false,\"year_name\":\"Bính Ngọ\""));
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/calendar/lunar?date=2025-07-25", &r), 200);
	assert_true(has(&r, "\"lunar_month\":6") && has(&r, "\"leap\":true"));
	reply_free(&r);
	assert_int_equal(fetch("/api/v1/calendar/lunar?date=2026-13-01", &r), 400);
	assert_true(has(&r, "invalid_date"));
	reply_free(&r);
}

static void
cli_due(const char *from, const char *days, const char *want)
{
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "calendar", "due", "--data", S.dir, "--from", from,
	                         "--days", days, NULL), 0);
	char w[64];
	snprintf(w, sizeof w, "%s\n", want);
	assert_string_equal(buf_str(&out), w);
	buf_free(&out);
}

/* An admin adds an extra day off and a make-up Saturday at /quan-tri/lich;
 * the API, the CLI and the page change at once; deleting restores. */
static void
test_admin_override(void **state)
{
	(void)state;
	struct client a;
	struct reply r;
	char csrf[128];
	client_init(&a, &S);
	assert_int_equal(login(&a, "admin", S.admin_pw), 303);
	expect_due("from=2027-03-04T09:00:00%2B07:00&days=1", "2027-03-05T17:00:00+07:00");
	cli_due("2027-03-04T09:00:00+07:00", "1", "2027-03-05T17:00:00+07:00");
	get(&a, "/quan-tri/lich?nam=2027", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(csrf_of(&r, csrf, sizeof csrf), 0);
	reply_free(&r);
	struct buf b = BUF_INIT;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&day=2027-03-05&kind=off&name=");
	urlenc(&b, "Nghỉ thêm <thử>");
	buf_puts(&b, "&document=");
	urlenc(&b, "Thông báo thử nghiệm 01/TB");
	post_form(&a, "/quan-tri/lich/ngay", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	/* extra day off Friday 5/3 → due Monday 8/3; then a make-up Saturday 6/3 → due 6/3 */
	expect_due("from=2027-03-04T09:00:00%2B07:00&days=1", "2027-03-08T17:00:00+07:00");
	cli_due("2027-03-04T09:00:00+07:00", "1", "2027-03-08T17:00:00+07:00");
	b.len = 0;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&day=2027-03-06&kind=work&name=");
	urlenc(&b, "Làm bù thử");
	post_form(&a, "/quan-tri/lich/ngay", buf_str(&b), &r);
	assert_int_equal(r.status, 303);
	reply_free(&r);
	expect_due("from=2027-03-04T09:00:00%2B07:00&days=1", "2027-03-06T17:00:00+07:00");
	cli_due("2027-03-04T09:00:00+07:00", "1", "2027-03-06T17:00:00+07:00");
	assert_int_equal(fetch("/api/v1/calendar/holidays?year=2027", &r), 200);
	assert_true(has(&r, "{\"date\":\"2027-03-05\",\"name\":\"Nghỉ thêm <thử>\",\"kind\":\"override\"}"));
	reply_free(&r);
	assert_int_equal(fetch("/lich?nam=2027", &r), 200);
	assert_true(has(&r, "Nghỉ thêm &lt;thử&gt;"));
	assert_true(has(&r, "Làm bù thử"));
	assert_false(has(&r, "<thử>"));
	reply_free(&r);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "calendar", "holidays", "--year", "2027", "--data", S.dir, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "2027-03-05\tNghỉ thêm <thử>\toverride\n"));
	buf_free(&out);
	/* bad input: nothing changes */
	b.len = 0;
	buf_puts(&b, "csrf=");
	urlenc(&b, csrf);
	buf_puts(&b, "&day=2027-02-30&kind=off&name=x");
	post_form(&a, "/quan-tri/lich/ngay", buf_str(&b), &r);
	assert_int_equal(r.status, 400);
	assert_true(has(&r, "YYYY-MM-DD"));
	reply_free(&r);
	/* delete both: back to the rules */
	const char *days[] = {"2027-03-05", "2027-03-06"};
	for (int i = 0; i < 2; i++) {
		b.len = 0;
		buf_printf(&b, "day=%s&csrf=", days[i]);
		urlenc(&b, csrf);
		post_form(&a, "/quan-tri/lich/xoa", buf_str(&b), &r);
		assert_int_equal(r.status, 303);
		reply_free(&r);
	}
	expect_due("from=2027-03-04T09:00:00%2B07:00&days=1", "2027-03-05T17:00:00+07:00");
	buf_free(&b);
	client_free(&a);
}

static void
test_page(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(fetch("/lich?nam=2027", &r), 200);
	assert_true(has(&r, "Lịch làm việc năm 2027"));
	assert_true(has(&r, "Đinh Mùi"));
	assert_true(has(&r, "Tết Nguyên đán (mùng 1)"));
	assert_true(has(&r, "1/1"));  /* lunar new year marked in the grid */
	reply_free(&r);
	assert_int_equal(fetch("/lich?nam=abc", &r), 400);
	reply_free(&r);
}

static void
test_cli_import(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof path, "%s/bad.tsv", S.dir);
	FILE *f = fopen(path, "w");
	fputs("# year: 2028\n# complete: no\n2028-01-02\toff\tNghỉ thử\tTB 1\thttps://x\tV\n"
	      "2028-13-01\toff\tSai ngày\tTB 1\thttps://x\tV\n", f);
	fclose(f);
	struct buf out = BUF_INIT;
	assert_int_equal(run_cli(NULL, &out, "calendar", "import", "--data", S.dir, path, NULL), 1);
	assert_non_null(strstr(buf_str(&out), "dòng 4"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "calendar", "holidays", "--year", "2028", "--data", S.dir, NULL), 0);
	assert_null(strstr(buf_str(&out), "Nghỉ thử"));
	f = fopen(path, "w");
	fputs("# year: 2028\n# complete: no\n2028-01-03\toff\tNghỉ thử\tTB 1\thttps://x\tV\n"
	      "2028-01-08\twork\tLàm bù thử\tTB 1\thttps://x\tV\n", f);
	fclose(f);
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "calendar", "import", "--data", S.dir, path, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "Đã nạp 2 ngày"));
	out.len = 0;
	assert_int_equal(run_cli(NULL, &out, "calendar", "holidays", "--year", "2028", "--data", S.dir, NULL), 0);
	assert_non_null(strstr(buf_str(&out), "2028-01-03\tNghỉ thử\toverride"));
	buf_free(&out);
	/* the running server notices the import (it checks the revision each second) */
	struct reply r;
	for (int i = 0; i < 30; i++) {
		fetch("/api/v1/calendar/holidays?year=2028", &r);
		int seen = has(&r, "\"date\":\"2028-01-03\"");
		reply_free(&r);
		if (seen)
			return;
		usleep(100000);
	}
	fail_msg("the server did not pick up the CLI import");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays_api),
		cmocka_unit_test(test_due_api),
		cmocka_unit_test(test_lunar_api),
		cmocka_unit_test(test_admin_override),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_cli_import),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
