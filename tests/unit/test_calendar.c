/*
 * test_calendar.c — civil dates, the holiday rules of DOMAIN decision 3,
 * overrides and complete official schedules, the override file format
 * (including every line of the shipped data/holidays files).
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/calendar.h"

static cal_day
D(int y, int m, int d)
{
	return cal_day_from_ymd(y, m, d);
}

static struct cal *
build(int first, int n, const struct cal_config *cfg)
{
	struct cal *c = malloc(sizeof *c);

	assert_non_null(c);
	assert_int_equal(cal_build(c, first, n, cfg), 0);
	return c;
}

/* Asserts the special entry of a day: off flag, kind and name. */
static void
expect_special(const struct cal *c, cal_day day, int off, enum cal_kind kind,
    const char *name)
{
	const struct cal_special *s = cal_special_of(c, day);
	char b[16];

	cal_format_ymd(day, b, sizeof b);
	if (s == NULL)
		fail_msg("%s: no special entry, want \"%s\"", b, name);
	if (s->off != off || s->kind != kind || strcmp(s->name, name) != 0)
		fail_msg("%s: got off=%d kind=%d \"%s\", want off=%d kind=%d \"%s\"",
		    b, s->off, s->kind, s->name, off, kind, name);
	assert_int_equal(cal_is_working(c, day), !off);
}

static void
test_civil_dates(void **state)
{
	cal_day d;
	char b[16];

	(void)state;
	assert_int_equal(D(1970, 1, 1), 0);
	assert_int_equal(D(1969, 12, 31), -1);
	assert_int_equal(cal_weekday(0), 4);                 /* Thursday */
	assert_int_equal(cal_weekday(D(2027, 2, 5)), 5);     /* Friday */
	assert_int_equal(cal_weekday(D(2027, 2, 6)), 6);     /* Saturday: Tết */
	assert_int_equal(cal_weekday(D(1900, 1, 1)), 1);     /* Monday */
	assert_int_equal(cal_weekday(D(2199, 12, 31)), 2);   /* Tuesday */
	assert_int_equal(cal_parse_ymd("2027-02-06", &d), 0);
	assert_int_equal(d, D(2027, 2, 6));
	assert_int_equal(cal_format_ymd(d, b, sizeof b), 10);
	assert_string_equal(b, "2027-02-06");
	assert_int_equal(cal_format_ymd(d, b, 10), -1);
	assert_int_equal(cal_parse_ymd("2025-02-29", &d), -1);
	assert_int_equal(cal_parse_ymd("2024-02-29", &d), 0);
	assert_int_equal(cal_parse_ymd("2025-13-01", &d), -1);
	assert_int_equal(cal_parse_ymd("2025-1-01", &d), -1);
	assert_int_equal(cal_parse_ymd("2025-01-01 ", &d), -1);
	assert_int_equal(cal_parse_ymd("1899-12-31", &d), -1);
	assert_int_equal(cal_parse_ymd("2200-01-01", &d), -1);
	assert_int_equal(cal_parse_ymd("", &d), -1);
	assert_int_equal(cal_parse_ymd(NULL, &d), -1);
}

static void
test_office_hours(void **state)
{
	struct cal_hours h = CAL_HOURS_DEFAULT;

	(void)state;
	assert_true(cal_hours_valid(&h));
	assert_int_equal(h.am_open, 7 * 60 + 30);
	assert_int_equal(h.pm_close, 17 * 60);
	h.am_close = 900;   /* morning runs past the afternoon opening */
	assert_false(cal_hours_valid(&h));
	h = (struct cal_hours){480, 720, 720, 720};   /* one session only */
	assert_true(cal_hours_valid(&h));
	h = (struct cal_hours){480, 480, 780, 1020};
	assert_false(cal_hours_valid(&h));
	h = (struct cal_hours){480, 720, 780, 1441};
	assert_false(cal_hours_valid(&h));
	assert_false(cal_hours_valid(NULL));
}

/* Tết 2027: mùng 1 is Saturday 6/2, so Friday 5/2 is the eve (29 Chạp). */
static void
test_rules_2027(void **state)
{
	struct cal *c = build(2027, 1, NULL);
	const struct cal_year *y = cal_year_of(c, 2027);

	(void)state;
	expect_special(c, D(2027, 1, 1), 1, CAL_RULE, "Tết Dương lịch");
	expect_special(c, D(2027, 2, 5), 1, CAL_RULE, "Tết Nguyên đán (29 Chạp)");
	expect_special(c, D(2027, 2, 6), 1, CAL_RULE, "Tết Nguyên đán (mùng 1)");
	expect_special(c, D(2027, 2, 7), 1, CAL_RULE, "Tết Nguyên đán (mùng 2)");
	expect_special(c, D(2027, 2, 8), 1, CAL_RULE, "Tết Nguyên đán (mùng 3)");
	expect_special(c, D(2027, 2, 9), 1, CAL_RULE, "Tết Nguyên đán (mùng 4)");
	expect_special(c, D(2027, 2, 10), 1, CAL_COMPENSATORY, "Nghỉ bù Tết Nguyên đán");
	expect_special(c, D(2027, 2, 11), 1, CAL_COMPENSATORY, "Nghỉ bù Tết Nguyên đán");
	assert_int_equal(cal_is_working(c, D(2027, 2, 12)), 1);
	expect_special(c, D(2027, 4, 16), 1, CAL_RULE, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	expect_special(c, D(2027, 4, 30), 1, CAL_RULE, "Ngày Chiến thắng (30/4)");
	/* 1/5/2027 is a Saturday: Monday 3/5 off. */
	expect_special(c, D(2027, 5, 1), 1, CAL_RULE, "Ngày Quốc tế Lao động (1/5)");
	expect_special(c, D(2027, 5, 3), 1, CAL_COMPENSATORY,
	    "Nghỉ bù Ngày Quốc tế Lao động");
	expect_special(c, D(2027, 9, 1), 1, CAL_RULE, "Quốc khánh (ngày liền kề trước 2/9)");
	expect_special(c, D(2027, 9, 2), 1, CAL_RULE, "Quốc khánh (2/9)");
	assert_int_equal(y->nspecial, 14);
	/* 365 days − 104 weekend days − 11 weekday days off. */
	{
		int work = 0;
		for (int i = 0; i < y->ndays; i++)
			work += cal_year_is_working(y, y->first + i);
		assert_int_equal(work, 365 - 104 - 11);
	}
	assert_null(cal_special_of(c, D(2027, 3, 3)));
	assert_string_equal(cal_kind_code(CAL_RULE), "rule");
	assert_string_equal(cal_kind_code(CAL_COMPENSATORY), "compensatory");
	assert_string_equal(cal_kind_code(CAL_OVERRIDE), "override");
	free(c);
}

/* A holiday on Sunday gives the next working day off; two weekend days of
 * Tết give two; a compensatory day skips other holidays. */
static void
test_compensatory(void **state)
{
	struct cal *c = build(2024, 3, NULL);

	(void)state;
	/* Giỗ Tổ 2026 = Sunday 26/4 → Monday 27/4. */
	assert_int_equal(cal_weekday(D(2026, 4, 26)), 0);
	expect_special(c, D(2026, 4, 26), 1, CAL_RULE, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	expect_special(c, D(2026, 4, 27), 1, CAL_COMPENSATORY,
	    "Nghỉ bù Giỗ Tổ Hùng Vương");
	assert_int_equal(cal_is_working(c, D(2026, 4, 28)), 1);
	/* Tết 2024: mùng 1–2 on Saturday–Sunday → 14/2 and 15/2. */
	expect_special(c, D(2024, 2, 9), 1, CAL_RULE, "Tết Nguyên đán (30 Chạp)");
	expect_special(c, D(2024, 2, 14), 1, CAL_COMPENSATORY, "Nghỉ bù Tết Nguyên đán");
	expect_special(c, D(2024, 2, 15), 1, CAL_COMPENSATORY, "Nghỉ bù Tết Nguyên đán");
	assert_int_equal(cal_is_working(c, D(2024, 2, 16)), 1);
	/* 1/9/2024 is a Sunday; Monday 2/9 is itself a holiday → Tuesday 3/9. */
	expect_special(c, D(2024, 9, 3), 1, CAL_COMPENSATORY, "Nghỉ bù Quốc khánh");
	/* 1/2/2025 (mùng 4) is a Saturday → Monday 3/2. */
	expect_special(c, D(2025, 2, 3), 1, CAL_COMPENSATORY, "Nghỉ bù Tết Nguyên đán");
	free(c);
}

static void
test_sep_after(void **state)
{
	struct cal_config cfg = {.sep_after = 1};
	struct cal *c = build(2025, 1, &cfg);

	(void)state;
	assert_int_equal(cal_is_working(c, D(2025, 9, 1)), 1);
	expect_special(c, D(2025, 9, 3), 1, CAL_RULE, "Quốc khánh (ngày liền kề sau 2/9)");
	free(c);
}

static void
test_overrides(void **state)
{
	const struct cal_override ov[] = {
		{D(2027, 3, 13), 1, "Làm bù cho thứ Hai 15/3"},      /* Saturday */
		{D(2027, 3, 15), 0, "Nghỉ thêm theo thông báo"},     /* Monday */
		{D(2027, 9, 1), 1, "Làm việc (thông báo không cho nghỉ)"},
		{D(2027, 9, 3), 0, "Quốc khánh (nghỉ theo thông báo)"},
		{D(2028, 1, 3), 0, "Năm khác: không áp dụng cho 2027"},
	};
	struct cal_config cfg = {.ov = ov, .nov = 5};
	struct cal *c = build(2027, 1, &cfg);

	(void)state;
	assert_int_equal(cal_weekday(D(2027, 3, 13)), 6);
	expect_special(c, D(2027, 3, 13), 0, CAL_OVERRIDE, "Làm bù cho thứ Hai 15/3");
	expect_special(c, D(2027, 3, 15), 1, CAL_OVERRIDE, "Nghỉ thêm theo thông báo");
	/* A rule day forced to work; the rule's name is replaced. */
	expect_special(c, D(2027, 9, 1), 0, CAL_OVERRIDE, "Làm việc (thông báo không cho nghỉ)");
	expect_special(c, D(2027, 9, 3), 1, CAL_OVERRIDE, "Quốc khánh (nghỉ theo thông báo)");
	expect_special(c, D(2027, 9, 2), 1, CAL_RULE, "Quốc khánh (2/9)");
	assert_int_equal(cal_is_working(c, D(2028, 1, 3)), -1);   /* outside window */
	free(c);

	/* Bad override names make the build fail. */
	{
		struct cal_override bad = {D(2027, 3, 15), 0, ""};
		struct cal_config b = {.ov = &bad, .nov = 1};
		struct cal_year y;
		char longname[CAL_NAME_MAX + 1];
		assert_int_equal(cal_year_build(&y, 2027, &b), -1);
		bad.name = NULL;
		assert_int_equal(cal_year_build(&y, 2027, &b), -1);
		memset(longname, 'a', CAL_NAME_MAX);
		longname[CAL_NAME_MAX] = '\0';
		bad.name = longname;
		assert_int_equal(cal_year_build(&y, 2027, &b), -1);
		longname[CAL_NAME_MAX - 1] = '\0';
		assert_int_equal(cal_year_build(&y, 2027, &b), 0);
	}
}

/*
 * Reads a shipped data file through cal_parse_override_line into an
 * override array (names copied into `names`).  Returns the row count and
 * sets *complete / *year from the directives.
 */
static size_t
load_file(const char *path, struct cal_override *ov, char (*names)[CAL_NAME_MAX],
    size_t max, int *complete, int *year)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	size_t n = 0;

	assert_non_null(f);
	*complete = 0;
	*year = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		struct cal_line l;
		if (cal_parse_override_line(line, strlen(line), &l) != 0)
			fail_msg("%s: bad line: %s", path, line);
		if (l.type == CAL_LINE_YEAR)
			*year = l.year;
		else if (l.type == CAL_LINE_COMPLETE)
			*complete = l.complete;
		else if (l.type == CAL_LINE_ENTRY) {
			int y, m, d;
			assert_true(n < max);
			cal_ymd(l.day, &y, &m, &d);
			assert_int_equal(y, *year);
			assert_true(l.name.n < CAL_NAME_MAX);
			memcpy(names[n], l.name.p, l.name.n);
			names[n][l.name.n] = '\0';
			assert_true(l.document.n > 0);
			assert_true(l.source.n > 0);
			ov[n] = (struct cal_override){l.day, l.work, names[n]};
			n++;
		}
	}
	fclose(f);
	return n;
}

/* The official 2025 schedule replaces the computed days: Tết 27–31/1. */
static void
test_complete_schedule_2025(void **state)
{
	static struct cal_override ov[64];
	static char names[64][CAL_NAME_MAX];
	int complete, year;
	size_t n = load_file("data/holidays/2025.tsv", ov, names, 64, &complete, &year);
	int years[1];
	struct cal_config cfg = {.ov = ov, .nov = n, .complete_years = years, .ncomplete = 1};
	struct cal *c, *rules;

	(void)state;
	assert_int_equal(year, 2025);
	assert_int_equal(complete, 1);
	assert_int_equal(n, 13);
	years[0] = year;
	c = build(2025, 1, &cfg);
	rules = build(2025, 1, NULL);
	assert_int_equal(cal_year_of(c, 2025)->complete, 1);
	/* Official: Monday 27/1 – Friday 31/1 off, Monday 3/2 at work. */
	for (int d = 27; d <= 31; d++) {
		assert_int_equal(cal_is_working(c, D(2025, 1, d)), 0);
		assert_int_equal(cal_special_of(c, D(2025, 1, d))->kind, CAL_OVERRIDE);
	}
	assert_int_equal(cal_is_working(c, D(2025, 2, 3)), 1);
	assert_null(cal_special_of(c, D(2025, 2, 1)));   /* no rule computed */
	expect_special(c, D(2025, 1, 29), 1, CAL_OVERRIDE, "Tết Nguyên đán (mùng 1 Ất Tỵ)");
	/* The rules alone differ: 27/1 working, 3/2 compensatory. */
	assert_int_equal(cal_is_working(rules, D(2025, 1, 27)), 1);
	assert_int_equal(cal_is_working(rules, D(2025, 2, 3)), 0);
	/* Swap 2/5 ↔ Saturday 26/4. */
	assert_int_equal(cal_is_working(c, D(2025, 4, 26)), 1);
	assert_int_equal(cal_is_working(c, D(2025, 5, 2)), 0);
	assert_int_equal(cal_is_working(rules, D(2025, 5, 2)), 1);
	free(c);
	free(rules);
}

/* Every shipped file parses; each year's official schedule is plausible. */
static void
test_shipped_files(void **state)
{
	static struct cal_override ov[64];
	static char names[64][CAL_NAME_MAX];
	static const int want_off[3] = {12, 12, 13};   /* weekday days off */
	(void)state;
	for (int y = 2024; y <= 2026; y++) {
		char path[64];
		int complete, year, off = 0;
		size_t n;
		struct cal_config cfg;
		struct cal *c;

		snprintf(path, sizeof path, "data/holidays/%d.tsv", y);
		n = load_file(path, ov, names, 64, &complete, &year);
		assert_int_equal(year, y);
		assert_int_equal(complete, 1);
		cfg = (struct cal_config){.ov = ov, .nov = n, .complete_years = &year,
		    .ncomplete = 1};
		c = build(y, 1, &cfg);
		for (cal_day d = D(y, 1, 1); d < D(y + 1, 1, 1); d++)
			if (cal_weekday(d) != 0 && cal_weekday(d) != 6 && !cal_is_working(c, d))
				off++;
		if (off != want_off[y - 2024])
			fail_msg("%d: %d weekday days off", y, off);
		free(c);
	}
}

static void
test_parse_line(void **state)
{
	struct cal_line l;
	const char *ok = "2025-04-26\twork\tHoán đổi (làm bù)\tThông báo 6150\thttps://x\tI\r\n";

	(void)state;
	assert_int_equal(cal_parse_override_line(ok, strlen(ok), &l), 0);
	assert_int_equal(l.type, CAL_LINE_ENTRY);
	assert_int_equal(l.day, D(2025, 4, 26));
	assert_int_equal(l.work, 1);
	assert_int_equal(l.name.n, strlen("Hoán đổi (làm bù)"));
	assert_memory_equal(l.name.p, "Hoán đổi (làm bù)", l.name.n);
	assert_int_equal(l.confidence.n, 1);
	/* Empty document and source are accepted (shown as cần xác minh). */
	assert_int_equal(cal_parse_override_line("2025-01-01\toff\tX\t\t\tNV", 21, &l), 0);
	assert_int_equal(l.work, 0);
	assert_int_equal(l.document.n, 0);

#define SKIP(s) do { assert_int_equal(cal_parse_override_line(s, strlen(s), &l), 0); \
		assert_int_equal(l.type, CAL_LINE_SKIP); } while (0)
	SKIP("");
	SKIP("\n");
	SKIP("   \t \n");
	SKIP("# any comment\n");
	SKIP("# date\tkind\tname\n");
#undef SKIP
	assert_int_equal(cal_parse_override_line("# year: 2025\n", 13, &l), 0);
	assert_int_equal(l.type, CAL_LINE_YEAR);
	assert_int_equal(l.year, 2025);
	assert_int_equal(cal_parse_override_line("# complete: yes", 15, &l), 0);
	assert_int_equal(l.type, CAL_LINE_COMPLETE);
	assert_int_equal(l.complete, 1);
	assert_int_equal(cal_parse_override_line("# complete:  no ", 16, &l), 0);
	assert_int_equal(l.complete, 0);

	static const char *const bad[] = {
		"# year: 25",
		"# year: 2200",
		"# complete: maybe",
		"2025-04-26\twork\tName\tDoc\tSrc",               /* 5 fields */
		"2025-04-26\twork\tName\tDoc\tSrc\tV\textra",     /* 7 fields */
		"2025-02-30\toff\tName\tDoc\tSrc\tV",             /* no such day */
		"2025-13-01\toff\tName\tDoc\tSrc\tV",
		"2200-01-01\toff\tName\tDoc\tSrc\tV",
		"25-01-01\toff\tName\tDoc\tSrc\tV",
		"2025-01-01\tholiday\tName\tDoc\tSrc\tV",         /* bad kind */
		"2025-01-01\tOFF\tName\tDoc\tSrc\tV",
		"2025-01-01\toff\t\tDoc\tSrc\tV",                 /* empty name */
		"2025-01-01\toff\tName\tDoc\tSrc\tX",             /* bad confidence */
		"2025-01-01\toff\tName\tDoc\tSrc\t",
		"2025-01-01\toff\tNa\x01me\tDoc\tSrc\tV",         /* control char */
		"2025-01-01 off Name Doc Src V",                 /* spaces, not tabs */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cal_parse_override_line(bad[i], strlen(bad[i]), &l) != -1)
			fail_msg("accepted: %s", bad[i]);
	{
		char name[200], line[300];
		memset(name, 'a', 128);
		name[128] = '\0';
		snprintf(line, sizeof line, "2025-01-01\toff\t%s\tD\tS\tV", name);
		assert_int_equal(cal_parse_override_line(line, strlen(line), &l), -1);
		name[127] = '\0';
		snprintf(line, sizeof line, "2025-01-01\toff\t%s\tD\tS\tV", name);
		assert_int_equal(cal_parse_override_line(line, strlen(line), &l), 0);
	}
	/* An embedded NUL within len is rejected. */
	assert_int_equal(cal_parse_override_line("2025-01-01\toff\tA\0B\tD\tS\tV", 24, &l), -1);
	assert_int_equal(cal_parse_override_line(NULL, 0, &l), -1);
}

/* Windows, year boundaries, limits. */
static void
test_window(void **state)
{
	struct cal *c = malloc(sizeof *c);
	cal_day d;

	(void)state;
	assert_non_null(c);
	assert_int_equal(cal_build(c, 1899, 1, NULL), -1);
	assert_int_equal(c->nyears, 0);
	assert_int_equal(cal_build(c, 2200, 1, NULL), -1);
	assert_int_equal(cal_build(c, 2025, 0, NULL), -1);
	assert_int_equal(cal_build(c, 2025, CAL_MAX_YEARS + 1, NULL), -1);
	assert_int_equal(cal_is_working(c, D(2025, 1, 2)), -1);   /* empty */
	/* Clipped at 2199. */
	assert_int_equal(cal_build(c, 2190, CAL_MAX_YEARS, NULL), 0);
	assert_int_equal(c->nyears, 10);
	assert_int_equal(cal_next_working(c, D(2199, 12, 31), &d), -1);
	assert_int_equal(cal_build(c, 1900, 2, NULL), 0);
	assert_int_equal(cal_is_working(c, D(1900, 1, 1)), 0);      /* Tết Dương lịch */
	assert_int_equal(cal_is_working(c, D(1899, 12, 29)), -1);
	assert_int_equal(cal_working_from(c, D(1900, 1, 1), &d), 0);
	assert_int_equal(d, D(1900, 1, 2));

	/* 31/12/2026 (Thursday) → next working day Monday 4/1/2027. */
	assert_int_equal(cal_build(c, 2026, 2, NULL), 0);
	assert_int_equal(cal_next_working(c, D(2026, 12, 31), &d), 0);
	assert_int_equal(d, D(2027, 1, 4));
	assert_int_equal(cal_working_from(c, D(2026, 12, 31), &d), 0);
	assert_int_equal(d, D(2026, 12, 31));
	assert_int_equal(cal_nth_working_after(c, D(2026, 12, 30), 2, &d), 0);
	assert_int_equal(d, D(2027, 1, 4));
	assert_int_equal(cal_nth_working_after(c, D(2026, 12, 30), 0, &d), -1);
	assert_int_equal(cal_nth_working_after(c, D(2027, 12, 30), 5, &d), -1);
	assert_int_equal(cal_nth_working_after(c, D(2025, 12, 30), 1, &d), -1);
	assert_null(cal_year_of(c, 2025));
	assert_non_null(cal_year_of(c, 2027));
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_dates),
		cmocka_unit_test(test_office_hours),
		cmocka_unit_test(test_rules_2027),
		cmocka_unit_test(test_compensatory),
		cmocka_unit_test(test_sep_after),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_complete_schedule_2025),
		cmocka_unit_test(test_shipped_files),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
