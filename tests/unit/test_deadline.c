/*
 * test_deadline.c — due instants (DOMAIN decision 4), pauses (5),
 * timeliness (6), and the RFC 3339 / HH:MM text forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/deadline.h"

static const struct cal_hours H = CAL_HOURS_DEFAULT;

static int64_t
T(const char *s)
{
	int64_t t;

	if (vn_parse_rfc3339(s, &t) != 0)
		fail_msg("cannot parse %s", s);
	return t;
}

static struct cal *
build(int first, int n, const struct cal_config *cfg)
{
	struct cal *c = malloc(sizeof *c);

	assert_non_null(c);
	assert_int_equal(cal_build(c, first, n, cfg), 0);
	return c;
}

/* Asserts the due instant of (received, days, same_day, cut-off). */
static void
expect_due(const struct cal *c, const char *received, int days, int same_day,
    int cutoff, const char *want)
{
	int64_t due;
	char b[VN_RFC3339_MAX];
	int rc = dl_due(c, &H, T(received), days, same_day, cutoff, &due);

	if (rc != DL_OK)
		fail_msg("%s + %d: rc %d", received, days, rc);
	vn_fmt_rfc3339(due, b, sizeof b);
	if (strcmp(b, want) != 0)
		fail_msg("%s + %d%s: due %s, want %s", received, days,
		    same_day ? " (same day)" : "", b, want);
}

/*
 * Tết 2027: mùng 1 = Saturday 6/2.  The Friday before Tết is 5/2, itself
 * a day off (29 Chạp); days off run 5/2–11/2 (two compensatory days).
 */
static void
test_tet_2027(void **state)
{
	struct cal *c = build(2026, 3, NULL);

	(void)state;
	/* Received on that Friday (a day off) → counts from Friday 12/2. */
	expect_due(c, "2027-02-05T09:00:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-02-17T17:00:00+07:00");
	/* Thursday 4/2 before the cut-off: 12/2, 15/2, 16/2. */
	expect_due(c, "2027-02-04T10:00:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-02-16T17:00:00+07:00");
	/* Thursday 4/2 at 16:10 (the CLI example): after the cut-off. */
	expect_due(c, "2027-02-04T16:10:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-02-17T17:00:00+07:00");
	/* The last Friday that is a working day, 29/1: done before Tết. */
	expect_due(c, "2027-01-29T10:00:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-02-03T17:00:00+07:00");
	free(c);
}

static void
test_cutoff_and_weekend(void **state)
{
	struct cal *c = build(2027, 1, NULL);
	cal_day r;

	(void)state;
	/* Wednesday 3/3/2027. */
	expect_due(c, "2027-03-03T15:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-04T17:00:00+07:00");
	expect_due(c, "2027-03-03T15:00:01+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-05T17:00:00+07:00");
	expect_due(c, "2027-03-03T15:30:00+07:00", 1, 0, 16 * 60,
	    "2027-03-04T17:00:00+07:00");
	/* Before opening still counts on its own day. */
	expect_due(c, "2027-03-03T06:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-04T17:00:00+07:00");
	/* The same instant written in UTC. */
	expect_due(c, "2027-03-03T08:00:01Z", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-05T17:00:00+07:00");
	/* A cut-off later than closing acts as closing. */
	expect_due(c, "2027-03-03T17:30:00+07:00", 0, 1, 20 * 60,
	    "2027-03-04T17:00:00+07:00");
	/* Saturday 6/3: received Monday 8/3, 1 day → Tuesday 9/3. */
	expect_due(c, "2027-03-06T09:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-09T17:00:00+07:00");
	expect_due(c, "2027-03-07T23:59:59+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-09T17:00:00+07:00");
	assert_int_equal(dl_receipt_day(c, &H, T("2027-03-06T09:00:00+07:00"),
	    DL_CUTOFF_DEFAULT, &r), DL_OK);
	assert_int_equal(r, cal_day_from_ymd(2027, 3, 8));
	/* Friday evening after the cut-off → Monday. */
	expect_due(c, "2027-03-05T16:00:00+07:00", 2, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-10T17:00:00+07:00");
	/* A long limit: 20 working days. */
	expect_due(c, "2027-03-01T08:00:00+07:00", 20, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-29T17:00:00+07:00");
	free(c);
}

static void
test_same_day(void **state)
{
	struct cal *c = build(2027, 1, NULL);

	(void)state;
	expect_due(c, "2027-03-03T10:00:00+07:00", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-03-03T17:00:00+07:00");
	expect_due(c, "2027-03-03T10:00:00+07:00", 0, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-03T17:00:00+07:00");   /* N = 0 is same day */
	expect_due(c, "2027-03-03T10:00:00+07:00", 5, 1, DL_CUTOFF_DEFAULT,
	    "2027-03-03T17:00:00+07:00");   /* same_day wins over days */
	expect_due(c, "2027-03-03T16:00:00+07:00", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-03-04T17:00:00+07:00");
	expect_due(c, "2027-03-06T10:00:00+07:00", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-03-08T17:00:00+07:00");   /* Saturday → Monday */
	expect_due(c, "2027-04-30T10:00:00+07:00", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-05-04T17:00:00+07:00");   /* 30/4, 1/5 Sat, 3/5 compensatory */
	free(c);
}

static void
test_overrides_move_due(void **state)
{
	const struct cal_override ov[] = {
		{cal_day_from_ymd(2027, 3, 13), 1, "Làm bù thứ Bảy"},
		{cal_day_from_ymd(2027, 3, 16), 0, "Nghỉ thêm"},
	};
	struct cal_config one = {.ov = ov, .nov = 1}, both = {.ov = ov, .nov = 2};
	struct cal *rules = build(2027, 1, NULL), *a = build(2027, 1, &one),
	    *b = build(2027, 1, &both);

	(void)state;
	/* Friday 12/3 + 1 day: Monday by the rules, the make-up Saturday. */
	expect_due(rules, "2027-03-12T10:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-15T17:00:00+07:00");
	expect_due(a, "2027-03-12T10:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-13T17:00:00+07:00");
	/* Received on the make-up Saturday counts on it. */
	expect_due(a, "2027-03-13T10:00:00+07:00", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-03-13T17:00:00+07:00");
	/* + 3 days: 13, 15, 16 → with 16/3 off: 13, 15, 17. */
	expect_due(a, "2027-03-12T10:00:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-16T17:00:00+07:00");
	expect_due(b, "2027-03-12T10:00:00+07:00", 3, 0, DL_CUTOFF_DEFAULT,
	    "2027-03-17T17:00:00+07:00");
	free(rules);
	free(a);
	free(b);
}

/* The official 2025 schedule (Tết 27–31/1) against the computed rules. */
static void
test_complete_2025(void **state)
{
	static const char *const names[] = {"Tết 28 Chạp", "Tết 29 Chạp",
	    "Tết mùng 1", "Tết mùng 2", "Tết mùng 3"};
	struct cal_override ov[5];
	int year = 2025;
	struct cal_config cfg = {.ov = ov, .nov = 5, .complete_years = &year,
	    .ncomplete = 1};
	struct cal *rules, *official;

	(void)state;
	for (int i = 0; i < 5; i++)
		ov[i] = (struct cal_override){cal_day_from_ymd(2025, 1, 27 + i), 0, names[i]};
	rules = build(2025, 1, NULL);
	official = build(2025, 1, &cfg);
	/* Friday 24/1 + 1 day: rules → Monday 27/1; official → Monday 3/2. */
	expect_due(rules, "2025-01-24T10:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2025-01-27T17:00:00+07:00");
	expect_due(official, "2025-01-24T10:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2025-02-03T17:00:00+07:00");
	/* + 2 days: rules 27/1 then 4/2 (3/2 compensatory); official 3/2, 4/2. */
	expect_due(rules, "2025-01-24T10:00:00+07:00", 2, 0, DL_CUTOFF_DEFAULT,
	    "2025-02-04T17:00:00+07:00");
	expect_due(official, "2025-01-24T10:00:00+07:00", 2, 0, DL_CUTOFF_DEFAULT,
	    "2025-02-04T17:00:00+07:00");
	free(rules);
	free(official);
}

static void
test_year_boundary(void **state)
{
	struct cal *c = build(2026, 2, NULL), *one = build(2026, 1, NULL);
	int64_t due;

	(void)state;
	/* Thursday 31/12/2026 + 1: 1/1/2027 (Friday) off → Monday 4/1. */
	expect_due(c, "2026-12-31T10:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-01-04T17:00:00+07:00");
	expect_due(c, "2026-12-31T16:00:00+07:00", 1, 0, DL_CUTOFF_DEFAULT,
	    "2027-01-05T17:00:00+07:00");
	/* 31/12 at 23:30 local is 16:30 UTC the same day. */
	expect_due(c, "2026-12-31T16:30:00Z", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-01-04T17:00:00+07:00");
	/* 1/1/2027 00:30 local is still 31/12/2026 in UTC. */
	expect_due(c, "2026-12-31T17:30:00Z", 0, 1, DL_CUTOFF_DEFAULT,
	    "2027-01-04T17:00:00+07:00");
	/* A window that ends at 2026 cannot answer. */
	assert_int_equal(dl_due(one, &H, T("2026-12-31T10:00:00+07:00"), 1, 0,
	    DL_CUTOFF_DEFAULT, &due), DL_ERANGE);
	free(c);
	free(one);
}

static void
test_bad_input(void **state)
{
	struct cal *c = build(2027, CAL_MAX_YEARS, NULL);
	struct cal_hours bad = {600, 500, 810, 1020};
	int64_t due, t = T("2027-03-03T10:00:00+07:00");

	(void)state;
	assert_int_equal(dl_due(c, &H, t, -1, 0, DL_CUTOFF_DEFAULT, &due), DL_EINVAL);
	assert_int_equal(dl_due(c, &H, t, DL_MAX_DAYS + 1, 0, DL_CUTOFF_DEFAULT, &due),
	    DL_EINVAL);
	assert_int_equal(dl_due(c, &H, t, DL_MAX_DAYS, 0, DL_CUTOFF_DEFAULT, &due), DL_OK);
	assert_true(due > t + 14LL * 365 * 86400);
	assert_int_equal(dl_due(c, &H, t, 1, 0, -1, &due), DL_EINVAL);
	assert_int_equal(dl_due(c, &H, t, 1, 0, 1441, &due), DL_EINVAL);
	assert_int_equal(dl_due(c, &bad, t, 1, 0, DL_CUTOFF_DEFAULT, &due), DL_EINVAL);
	assert_int_equal(dl_due(c, NULL, t, 1, 0, DL_CUTOFF_DEFAULT, &due), DL_EINVAL);
	assert_int_equal(dl_due(c, &H, t, 1, 0, DL_CUTOFF_DEFAULT, NULL), DL_EINVAL);
	assert_int_equal(dl_due(c, &H, T("2026-03-03T10:00:00+07:00"), 1, 0,
	    DL_CUTOFF_DEFAULT, &due), DL_ERANGE);
	assert_int_equal(dl_due(NULL, &H, t, 1, 0, DL_CUTOFF_DEFAULT, &due), DL_ERANGE);
	free(c);
}

/* Decision 5: a pause moves the due instant by exactly its office time. */
static void
test_pause_resume(void **state)
{
	struct cal *c = build(2027, 1, NULL);
	int64_t w, due = T("2027-03-09T17:00:00+07:00"), nd;
	char b[VN_RFC3339_MAX];

	(void)state;
	/* One full working day is 4 h + 3.5 h. */
	assert_int_equal(dl_work_seconds(c, &H, T("2027-03-03T00:00:00+07:00"),
	    T("2027-03-04T00:00:00+07:00"), &w), DL_OK);
	assert_int_equal(w, 27000);
	/* Weekend: nothing. */
	assert_int_equal(dl_work_seconds(c, &H, T("2027-03-06T00:00:00+07:00"),
	    T("2027-03-08T07:30:00+07:00"), &w), DL_OK);
	assert_int_equal(w, 0);
	/* A full week Mon 00:00 → next Mon 00:00: 5 days. */
	assert_int_equal(dl_work_seconds(c, &H, T("2027-03-01T00:00:00+07:00"),
	    T("2027-03-08T00:00:00+07:00"), &w), DL_OK);
	assert_int_equal(w, 5 * 27000);

	/* Thursday 10:00 → 14:00: 1.5 h + 0.5 h = 2 h; due Tue 17:00 → Wed 09:30. */
	assert_int_equal(dl_resume(c, &H, due, T("2027-03-04T10:00:00+07:00"),
	    T("2027-03-04T14:00:00+07:00"), &nd), DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-03-10T09:30:00+07:00");
	assert_int_equal(dl_work_seconds(c, &H, due, nd, &w), DL_OK);
	assert_int_equal(w, 7200);
	/* Friday 16:00 → Monday 08:00: 1 h + 0.5 h. */
	assert_int_equal(dl_resume(c, &H, due, T("2027-03-05T16:00:00+07:00"),
	    T("2027-03-08T08:00:00+07:00"), &nd), DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-03-10T09:00:00+07:00");
	/* Pause during lunch or the weekend: due unchanged. */
	assert_int_equal(dl_resume(c, &H, due, T("2027-03-04T11:45:00+07:00"),
	    T("2027-03-04T13:15:00+07:00"), &nd), DL_OK);
	assert_true(nd == due);
	/* A full day of pause: closing → closing, not next opening. */
	assert_int_equal(dl_add_work(c, &H, due, 27000, &nd), DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-03-10T17:00:00+07:00");
	/* Exactly the morning session ends at 11:30. */
	assert_int_equal(dl_add_work(c, &H, T("2027-03-10T07:30:00+07:00"), 4 * 3600, &nd),
	    DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-03-10T11:30:00+07:00");
	/* One second more crosses lunch. */
	assert_int_equal(dl_add_work(c, &H, T("2027-03-10T07:30:00+07:00"), 4 * 3600 + 1,
	    &nd), DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-03-10T13:30:01+07:00");
	/* Over Giỗ Tổ (Friday 16/4) and the weekend. */
	assert_int_equal(dl_add_work(c, &H, T("2027-04-15T16:00:00+07:00"), 7200, &nd),
	    DL_OK);
	vn_fmt_rfc3339(nd, b, sizeof b);
	assert_string_equal(b, "2027-04-19T08:30:00+07:00");
	/* Round trip over many random-ish pauses. */
	for (int i = 0; i < 200; i++) {
		int64_t p0 = T("2027-01-04T00:00:00+07:00") + (int64_t)i * 37813;
		int64_t p1 = p0 + (int64_t)(i % 17) * 5413;
		int64_t d0 = T("2027-06-01T17:00:00+07:00"), d1, back;
		assert_int_equal(dl_resume(c, &H, d0, p0, p1, &d1), DL_OK);
		assert_int_equal(dl_work_seconds(c, &H, p0, p1, &w), DL_OK);
		assert_int_equal(dl_work_seconds(c, &H, d0, d1, &back), DL_OK);
		assert_int_equal(back, w);
	}
	/* Bad input. */
	assert_int_equal(dl_work_seconds(c, &H, due, due - 1, &w), DL_EINVAL);
	assert_int_equal(dl_add_work(c, &H, due, -1, &nd), DL_EINVAL);
	assert_int_equal(dl_add_work(c, &H, T("2027-12-31T16:00:00+07:00"), 7200, &nd),
	    DL_ERANGE);
	assert_int_equal(dl_add_work(c, &H, due, 0, &nd), DL_OK);
	assert_true(nd == due);
	free(c);
}

static void
test_timeliness(void **state)
{
	int64_t due = T("2027-03-09T17:00:00+07:00");

	(void)state;
	assert_int_equal(dl_timeliness(due, 1, T("2027-03-08T16:00:00+07:00")), DL_EARLY);
	assert_int_equal(dl_timeliness(due, 1, T("2027-03-08T23:59:59+07:00")), DL_EARLY);
	assert_int_equal(dl_timeliness(due, 1, T("2027-03-09T00:00:00+07:00")), DL_ON_TIME);
	assert_int_equal(dl_timeliness(due, 1, due), DL_ON_TIME);
	assert_int_equal(dl_timeliness(due, 1, due + 1), DL_LATE);
	assert_int_equal(dl_timeliness(due, 0, due), DL_IN_TIME);
	assert_int_equal(dl_timeliness(due, 0, due + 1), DL_OVERDUE);
	assert_string_equal(dl_timeliness_label(DL_EARLY), "Trước hạn");
	assert_string_equal(dl_timeliness_label(DL_ON_TIME), "Đúng hạn");
	assert_string_equal(dl_timeliness_label(DL_LATE), "Quá hạn");
	assert_string_equal(dl_timeliness_label(DL_IN_TIME), "Còn hạn");
	assert_string_equal(dl_timeliness_label(DL_OVERDUE), "Quá hạn");
	assert_string_equal(dl_timeliness_code(DL_ON_TIME), "on_time");
	assert_string_equal(dl_timeliness_code(DL_OVERDUE), "overdue");
}

static void
test_text_forms(void **state)
{
	int64_t t, u;
	int m;
	char b[VN_RFC3339_MAX];

	(void)state;
	assert_int_equal(vn_parse_rfc3339("1970-01-01T07:00:00+07:00", &t), 0);
	assert_true(t == 0);
	assert_int_equal(vn_parse_rfc3339("1970-01-01T00:00:00Z", &t), 0);
	assert_true(t == 0);
	assert_int_equal(vn_parse_rfc3339("2027-02-04T16:10:00+07:00", &t), 0);
	assert_int_equal(vn_parse_rfc3339("2027-02-04T09:10:00Z", &u), 0);
	assert_true(t == u);
	assert_int_equal(vn_parse_rfc3339("2027-02-04t09:10:00.999z", &u), 0);
	assert_true(t == u);
	assert_int_equal(vn_parse_rfc3339("2027-02-03T21:40:00-11:30", &u), 0);
	assert_true(t == u);
	assert_int_equal(vn_fmt_rfc3339(t, b, sizeof b), 25);
	assert_string_equal(b, "2027-02-04T16:10:00+07:00");
	assert_int_equal(vn_fmt_rfc3339(t, b, sizeof b - 1), -1);
	assert_int_equal(vn_parse_rfc3339("1900-01-01T00:00:00+07:00", &t), 0);
	vn_fmt_rfc3339(t, b, sizeof b);
	assert_string_equal(b, "1900-01-01T00:00:00+07:00");
	assert_true(t < 0);
	assert_int_equal(vn_parse_rfc3339("2199-12-31T23:59:59+07:00", &t), 0);
	vn_fmt_rfc3339(t, b, sizeof b);
	assert_string_equal(b, "2199-12-31T23:59:59+07:00");

	static const char *const bad[] = {
		"2027-13-01T10:00:00+07:00", "2027-02-30T10:00:00+07:00",
		"2027-02-04T10:00:00", "2027-02-04 10:00:00+07:00",
		"2027-02-04T24:00:00+07:00", "2027-02-04T10:60:00+07:00",
		"2027-02-04T10:00:60+07:00", "2027-02-04T10:00:00+24:00",
		"2027-02-04T10:00:00+07:60", "2027-02-04T10:00:00+0700",
		"2027-02-04T10:00:00+07:00 ", "2027-02-04T10:00:00Zx",
		"2027-02-04T10:00:00.+07:00", "2027-02-04T10:00:00.1234567890Z",
		"1899-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2027-2-04T10:00:00Z",
		"", "2027", "2027-02-04T10:00:00+07:0", "+2027-02-04T10:00:00Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (vn_parse_rfc3339(bad[i], &t) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
	assert_int_equal(vn_parse_rfc3339(NULL, &t), -1);

	assert_int_equal(vn_parse_hhmm("15:00", &m), 0);
	assert_int_equal(m, 900);
	assert_int_equal(vn_parse_hhmm("00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(vn_parse_hhmm("23:59", &m), 0);
	assert_int_equal(m, 1439);
	static const char *const badhm[] = {"24:00", "15:60", "5:00", "15:0",
	    "15-00", "15:00:00", "", "ab:cd", " 15:00"};
	for (size_t i = 0; i < sizeof badhm / sizeof badhm[0]; i++)
		if (vn_parse_hhmm(badhm[i], &m) != -1)
			fail_msg("accepted: \"%s\"", badhm[i]);
	assert_int_equal(vn_parse_hhmm(NULL, &m), -1);
	assert_int_equal(vn_seconds(T("2027-02-04T16:10:00+07:00")), 16 * 3600 + 600);
	assert_int_equal(vn_day(-1), 0);           /* 06:59:59 local */
	assert_int_equal(vn_day(-25201), -1);      /* 23:59:59 local, 31/12/1969 */
	assert_int_equal(vn_seconds(-25201), 86399);
}

/* One due computation on a built calendar takes microseconds. */
static void
test_speed(void **state)
{
	struct cal *c = build(2027, 3, NULL);
	int64_t t0 = T("2027-01-04T08:00:00+07:00"), due, sink = 0;
	int n = 100000;
	clock_t a = clock();

	(void)state;
	for (int i = 0; i < n; i++) {
		assert_int_equal(dl_due(c, &H, t0 + (int64_t)(i % 300) * 86400, 1 + i % 60,
		    0, DL_CUTOFF_DEFAULT, &due), DL_OK);
		sink += due;
	}
	double us = (double)(clock() - a) / CLOCKS_PER_SEC * 1e6 / n;
	printf("dl_due: %.2f µs per call (1–60 working days), checksum %lld\n", us,
	    (long long)(sink % 1000));
	assert_true(us < 50);
	free(c);
}

/* An appointment set by hand (issue #12): after now, a working day,
 * inside a session (its opening and closing minutes included), at most
 * DL_HAND_MAX_DAYS days on. */
static void
test_hand_due(void **state)
{
	(void)state;
	struct cal *c = build(2027, 1, NULL);
	int64_t now = T("2027-03-02T09:00:00+07:00");   /* a Tuesday; +90 days is Monday 31/5 */
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-03T17:00:00+07:00")), DL_HAND_OK);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-03T07:30:00+07:00")), DL_HAND_OK);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-02T09:00:01+07:00")), DL_HAND_OK);
	assert_int_equal(dl_hand_due_check(c, &H, now, now), DL_HAND_PAST);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-02-26T10:00:00+07:00")), DL_HAND_PAST);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-03T17:01:00+07:00")), DL_HAND_HOURS);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-03T12:00:00+07:00")), DL_HAND_HOURS);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-03T07:29:00+07:00")), DL_HAND_HOURS);
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-03-06T10:00:00+07:00")), DL_HAND_DAY_OFF);
	/* Giỗ Tổ 2027 (10/3 lunar) is Friday 16/4 */
	assert_int_equal(dl_hand_due_check(c, &H, now, T("2027-04-16T10:00:00+07:00")), DL_HAND_DAY_OFF);
	assert_int_equal(dl_hand_due_check(c, &H, now, now + (int64_t)DL_HAND_MAX_DAYS * 86400), DL_HAND_OK);
	assert_int_equal(dl_hand_due_check(c, &H, now, now + (int64_t)DL_HAND_MAX_DAYS * 86400 + 60),
	                 DL_HAND_TOO_FAR);
	free(c);
	c = build(2026, 1, NULL);   /* a window that does not hold 2027 */
	assert_int_equal(dl_hand_due_check(c, &H, T("2026-12-30T09:00:00+07:00"),
	                                   T("2027-01-05T10:00:00+07:00")), DL_HAND_RANGE);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tet_2027),
		cmocka_unit_test(test_cutoff_and_weekend),
		cmocka_unit_test(test_same_day),
		cmocka_unit_test(test_overrides_move_due),
		cmocka_unit_test(test_complete_2025),
		cmocka_unit_test(test_year_boundary),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_timeliness),
		cmocka_unit_test(test_text_forms),
		cmocka_unit_test(test_speed),
		cmocka_unit_test(test_hand_due),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
