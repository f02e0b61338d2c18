/*
 * test_vntime.c — the UTC+7 clock: local dates around midnight and the
 * year's end (where UTC and Vietnam disagree about the date), the leap
 * day, RFC 3339 both ways, and the Vietnamese wording.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/vntime.h"

/* 2026-12-02T17:00:00Z is 00:00 on 3 December in Vietnam. */
#define DEC3_MIDNIGHT_VN INT64_C(1796230800)

static void
midnight_boundary(void **state)
{
	(void)state;
	struct vn_tm tm;
	vn_local(DEC3_MIDNIGHT_VN - 1, &tm);
	assert_int_equal(tm.day, 2);
	assert_int_equal(tm.hour, 23);
	assert_int_equal(tm.minute, 59);
	assert_int_equal(tm.second, 59);
	vn_local(DEC3_MIDNIGHT_VN, &tm);
	assert_int_equal(tm.year, 2026);
	assert_int_equal(tm.month, 12);
	assert_int_equal(tm.day, 3);
	assert_int_equal(tm.hour, 0);
	assert_int_equal(tm.weekday, 4);   /* a Thursday */
	assert_int_equal(vn_day(DEC3_MIDNIGHT_VN), cal_day_from_ymd(2026, 12, 3));
	assert_int_equal(vn_day(DEC3_MIDNIGHT_VN - 1), cal_day_from_ymd(2026, 12, 2));
	assert_int_equal(vn_seconds(DEC3_MIDNIGHT_VN), 0);
	assert_int_equal(vn_seconds(DEC3_MIDNIGHT_VN - 1), 86399);
	assert_true(vn_instant(cal_day_from_ymd(2026, 12, 3), 0) == DEC3_MIDNIGHT_VN);
	assert_true(vn_instant(cal_day_from_ymd(2026, 12, 3), 40) == DEC3_MIDNIGHT_VN + 2400);
}

static void
year_end(void **state)
{
	(void)state;
	int64_t t;
	char b[VN_RFC3339_MAX];
	/* 31 December 17:00 UTC is already New Year's Day in Vietnam */
	assert_int_equal(vn_parse_rfc3339("2026-12-31T17:00:00Z", &t), 0);
	assert_int_equal(vn_fmt_rfc3339(t, b, sizeof b), 25);
	assert_string_equal(b, "2027-01-01T00:00:00+07:00");
	assert_int_equal(vn_day(t), cal_day_from_ymd(2027, 1, 1));
	assert_int_equal(vn_parse_rfc3339("2026-12-31T16:59:59Z", &t), 0);
	assert_int_equal(vn_fmt_rfc3339(t, b, sizeof b), 25);
	assert_string_equal(b, "2026-12-31T23:59:59+07:00");
	/* and a local New Year's Day morning is still last year in UTC */
	assert_int_equal(vn_parse_rfc3339("2027-01-01T06:59:59+07:00", &t), 0);
	int64_t u;
	vn_parse_rfc3339("2026-12-31T23:59:59Z", &u);
	assert_true(t == u);
}

static void
leap_day(void **state)
{
	(void)state;
	int64_t t;
	char b[VN_WORDS_MAX];
	assert_int_equal(vn_parse_rfc3339("2028-02-29T08:30:00+07:00", &t), 0);
	assert_int_equal(vn_fmt_date(t, b, sizeof b), 10);
	assert_string_equal(b, "29/02/2028");
	assert_int_equal(vn_parse_rfc3339("2028-02-28T17:00:00Z", &t), 0);   /* 00:00 on the 29th */
	vn_fmt_date_words(t, b, sizeof b);
	assert_string_equal(b, "ngày 29 tháng 02 năm 2028");
	assert_int_equal(vn_parse_rfc3339("2027-02-29T08:30:00+07:00", &t), -1);
	assert_int_equal(vn_parse_date("2028-02-29", &t), 0);
	assert_true(t == vn_instant(cal_day_from_ymd(2028, 2, 29), 0));
	assert_int_equal(vn_parse_date("2027-02-29", &t), -1);
}

static void
wording(void **state)
{
	(void)state;
	char b[VN_WORDS_MAX];
	int64_t t = DEC3_MIDNIGHT_VN + 40 * 60;
	assert_true(vn_fmt_words(t, b, sizeof b) > 0);
	assert_string_equal(b, "00 giờ 40 phút, ngày 03 tháng 12 năm 2026");
	vn_fmt_date_words(t, b, sizeof b);
	assert_string_equal(b, "ngày 03 tháng 12 năm 2026");
	vn_fmt_date(t, b, sizeof b);
	assert_string_equal(b, "03/12/2026");
	vn_fmt_datetime(t, b, sizeof b);
	assert_string_equal(b, "03/12/2026 00:40");
	vn_day_short(cal_day_from_ymd(2027, 3, 5), b, sizeof b);
	assert_string_equal(b, "05/03/2027");
	vn_day_words(cal_day_from_ymd(2027, 3, 5), b, sizeof b);
	assert_string_equal(b, "ngày 05 tháng 03 năm 2027");
	/* too small a buffer: -1 and an empty string, never a cut date */
	char s[8];
	assert_int_equal(vn_fmt_date(t, s, sizeof s), -1);
	assert_string_equal(s, "");
	assert_int_equal(vn_fmt_rfc3339(t, b, 25), -1);
}

static void
rfc3339_forms(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(vn_parse_rfc3339("2026-12-03T00:40:00.123+07:00", &t), 0);
	assert_true(t == DEC3_MIDNIGHT_VN + 2400);
	assert_int_equal(vn_parse_rfc3339("2026-12-02t17:40:00z", &t), 0);
	assert_true(t == DEC3_MIDNIGHT_VN + 2400);
	assert_int_equal(vn_parse_rfc3339("2026-12-02T12:40:00-05:00", &t), 0);
	assert_true(t == DEC3_MIDNIGHT_VN + 2400);
	const char *bad[] = {"2026-12-03T00:40:00", "2026-13-03T00:40:00Z", "2026-12-03T24:00:00Z",
	                     "2026-12-03T00:40:60Z", "2026-12-03T00:40:00+07:00x", "2026-12-03 00:40:00Z",
	                     "2026-12-03T00:40:00.Z", "2026-12-03T00:40:00+7:00", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(vn_parse_rfc3339(bad[i], &t), -1);
	assert_int_equal(vn_parse_rfc3339(NULL, &t), -1);
	assert_int_equal(vn_parse_date("2026-12-3", &t), -1);
	cal_day first, today;
	vn_month_so_far(DEC3_MIDNIGHT_VN - 1, &first, &today);
	assert_int_equal(first, cal_day_from_ymd(2026, 12, 1));
	assert_int_equal(today, cal_day_from_ymd(2026, 12, 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(midnight_boundary), cmocka_unit_test(year_end), cmocka_unit_test(leap_day),
		cmocka_unit_test(wording), cmocka_unit_test(rfc3339_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
