/*
 * test_lunar.c — the Vietnamese lunar calendar against the shared test
 * vectors, the DOMAIN.md tables, and itself (every day of 1900–2199
 * round-trips and the months it yields are well formed).
 * Run from the repository root (reads tests/unit/data/lunar-vectors.tsv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/lunar.h"

/* Asserts that solar y-m-d is lunar d/m/year (leap) and back. */
static void
check_pair(int y, int m, int d, int ld, int lm, int ly, int leap)
{
	struct lunar_date l, want = {ld, lm, ly, leap};
	int yy, mm, dd;

	assert_int_equal(lunar_from_solar(y, m, d, &l), 0);
	if (l.day != ld || l.month != lm || l.year != ly || l.leap != leap)
		fail_msg("%04d-%02d-%02d: got %d/%d/%d leap %d, want %d/%d/%d leap %d",
		    y, m, d, l.day, l.month, l.year, l.leap, ld, lm, ly, leap);
	assert_int_equal(lunar_to_solar(&want, &yy, &mm, &dd), 0);
	assert_int_equal(yy, y);
	assert_int_equal(mm, m);
	assert_int_equal(dd, d);
}

static void
test_vectors_file(void **state)
{
	FILE *f = fopen("tests/unit/data/lunar-vectors.tsv", "r");
	char line[256];
	int rows = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		int ld, lm, ly, leap, y, m, d;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%d\t%d\t%d\t%d\t%d-%d-%d", &ld, &lm, &ly, &leap,
		    &y, &m, &d) != 7)
			fail_msg("malformed vector row: %s", line);
		check_pair(y, m, d, ld, lm, ly, leap);
		rows++;
	}
	fclose(f);
	assert_true(rows >= 38);
	printf("lunar-vectors.tsv: %d rows checked\n", rows);
}

/* DOMAIN.md section 3, "Test vectors". */
static void
test_domain_tables(void **state)
{
	static const int tet[][3] = {
		{2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22},
		{2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},
		{2028, 1, 26}, {2029, 2, 13}, {2030, 2, 2}, {2033, 1, 31},
		{2007, 2, 17}, {1985, 1, 21},
	};
	static const int gio_to[][3] = {
		{2022, 4, 10}, {2023, 4, 29}, {2024, 4, 18}, {2025, 4, 7},
		{2026, 4, 26}, {2027, 4, 16},
	};
	static const int leap[][4] = {   /* year, leap month, starts m, d */
		{2020, 4, 5, 23}, {2023, 2, 3, 22}, {2025, 6, 7, 25},
		{2028, 5, 6, 23}, {2031, 3, 4, 21}, {2033, 11, 12, 22},
		{1995, 8, 9, 24},
	};
	(void)state;
	for (size_t i = 0; i < sizeof tet / sizeof tet[0]; i++)
		check_pair(tet[i][0], tet[i][1], tet[i][2], 1, 1, tet[i][0], 0);
	for (size_t i = 0; i < sizeof gio_to / sizeof gio_to[0]; i++)
		check_pair(gio_to[i][0], gio_to[i][1], gio_to[i][2], 10, 3, gio_to[i][0], 0);
	for (size_t i = 0; i < sizeof leap / sizeof leap[0]; i++) {
		check_pair(leap[i][0], leap[i][2], leap[i][3], 1, leap[i][1], leap[i][0], 1);
		assert_int_equal(lunar_leap_month(leap[i][0]), leap[i][1]);
	}
	/* China (UTC+8) differs: these days are not month starts here. */
	check_pair(2007, 2, 18, 2, 1, 2007, 0);
	check_pair(1995, 9, 25, 2, 8, 1995, 1);
	check_pair(1985, 2, 20, 1, 2, 1985, 0);
	assert_int_equal(lunar_leap_month(2024), 0);
	assert_int_equal(lunar_leap_month(2026), 0);
}

/*
 * Every day of 1900-01-01 .. 2199-12-31: solar → lunar → solar gives the
 * same day, and consecutive days step through the lunar calendar
 * correctly (day + 1, or day 1 of the next month after day 29 or 30; the
 * month after m is m + 1 or leap m; the year changes at month 1).
 */
static void
test_round_trip_all_days(void **state)
{
	long j0 = lunar_jdn(1900, 1, 1), j1 = lunar_jdn(2199, 12, 31);
	struct lunar_date prev = {0, 0, 0, 0};
	long leaps = 0, months = 0, len29 = 0, len30 = 0;

	(void)state;
	for (long j = j0; j <= j1; j++) {
		struct lunar_date l;
		int y, m, d, y2, m2, d2;

		lunar_jdn_to_solar(j, &y, &m, &d);
		if (lunar_from_solar(y, m, d, &l) != 0)
			fail_msg("from_solar failed %04d-%02d-%02d", y, m, d);
		if (lunar_to_solar(&l, &y2, &m2, &d2) != 0 || y2 != y || m2 != m || d2 != d)
			fail_msg("round trip %04d-%02d-%02d → %d/%d/%d%s → %04d-%02d-%02d",
			    y, m, d, l.day, l.month, l.year, l.leap ? "L" : "", y2, m2, d2);
		if (j > j0) {
			if (l.day == prev.day + 1) {
				assert_int_equal(l.month, prev.month);
				assert_int_equal(l.leap, prev.leap);
				assert_int_equal(l.year, prev.year);
				assert_true(l.day <= 30);
			} else {
				assert_int_equal(l.day, 1);
				assert_true(prev.day == 29 || prev.day == 30);
				if (prev.day == 29)
					len29++;
				else
					len30++;
				months++;
				if (l.leap) {
					leaps++;
					assert_int_equal(l.month, prev.month);
					assert_false(prev.leap);
				} else {
					assert_int_equal(l.month, prev.month % 12 + 1);
				}
				assert_int_equal(l.year, prev.year + (l.month == 1 && !l.leap));
			}
		}
		prev = l;
	}
	printf("round trip: %ld days, %ld month changes (%ld of 29 days, %ld of 30), "
	    "%ld leap months\n", j1 - j0 + 1, months, len29, len30, leaps);
	assert_int_equal(j1 - j0 + 1, 109573);
	/* 7 leap months every 19 years: about 110 in 300 years. */
	assert_true(leaps >= 108 && leaps <= 113);
}

static void
test_month_lengths_and_nonexistent(void **state)
{
	struct lunar_date l;
	int y, m, d;

	(void)state;
	/* Month 12 of lunar 2024 has 29 days (eve of Tết 2025 = 28/1 = 29 Chạp). */
	assert_int_equal(lunar_month_length(2024, 12, 0), 29);
	check_pair(2025, 1, 28, 29, 12, 2024, 0);
	l = (struct lunar_date){30, 12, 2024, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	/* Month 12 of lunar 2023 has 30 days (9/2/2024 = 30 Chạp). */
	assert_int_equal(lunar_month_length(2023, 12, 0), 30);
	check_pair(2024, 2, 9, 30, 12, 2023, 0);
	/* Leap flag on a month that is not leap. */
	l = (struct lunar_date){1, 5, 2025, 1};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	assert_int_equal(lunar_month_length(2025, 5, 1), -1);
	assert_true(lunar_month_length(2025, 6, 1) >= 29);
	/* Leap 6 of 2025 and its neighbours. */
	check_pair(2025, 7, 24, 30, 6, 2025, 0);
	check_pair(2025, 8, 23, 1, 7, 2025, 0);
	/* Leap 11 of 2033 stays in lunar year 2033 across 1/1/2034. */
	check_pair(2034, 1, 1, 11, 11, 2033, 1);
	/* Fields out of range. */
	l = (struct lunar_date){0, 1, 2025, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	l = (struct lunar_date){31, 1, 2025, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	l = (struct lunar_date){1, 13, 2025, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	l = (struct lunar_date){1, 0, 2025, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	l = (struct lunar_date){1, 1, 2025, 2};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	l = (struct lunar_date){1, 1, 2300, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	/* Lunar 1/11/1899 is in 1899: outside the solar range. */
	l = (struct lunar_date){1, 11, 1899, 0};
	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
	assert_int_equal(lunar_from_solar(1899, 12, 31, &l), -1);
	assert_int_equal(lunar_from_solar(2200, 1, 1, &l), -1);
	assert_int_equal(lunar_from_solar(2025, 2, 29, &l), -1);
	assert_int_equal(lunar_from_solar(2025, 13, 1, &l), -1);
	assert_int_equal(lunar_from_solar(2025, 4, 31, &l), -1);
	assert_int_equal(lunar_leap_month(1899), -1);
}

/* Tết in January and in February; the last days of the supported range. */
static void
test_tet_and_range_ends(void **state)
{
	struct lunar_date l;

	(void)state;
	check_pair(2028, 1, 26, 1, 1, 2028, 0);
	assert_int_equal(lunar_from_solar(2028, 1, 25, &l), 0);
	assert_int_equal(l.year, 2027);
	assert_int_equal(l.month, 12);
	check_pair(2029, 2, 13, 1, 1, 2029, 0);
	assert_int_equal(lunar_from_solar(2029, 2, 12, &l), 0);
	assert_int_equal(l.year, 2028);
	assert_int_equal(l.month, 12);
	/* Gregorian year ends inside lunar month 11 or 12. */
	assert_int_equal(lunar_from_solar(2025, 12, 31, &l), 0);
	assert_int_equal(l.year, 2025);
	assert_true(l.month == 11 || l.month == 12);
	check_pair(1900, 1, 31, 1, 1, 1900, 0);
	assert_int_equal(lunar_from_solar(1900, 1, 1, &l), 0);
	assert_int_equal(l.year, 1899);
	assert_int_equal(l.month, 12);
	assert_int_equal(lunar_from_solar(2199, 12, 31, &l), 0);
	assert_int_equal(l.year, 2199);
}

static void
test_jdn(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(lunar_jdn(2000, 1, 1), 2451545);
	assert_int_equal(lunar_jdn(1970, 1, 1), 2440588);
	assert_int_equal(lunar_jdn(1900, 3, 1) - lunar_jdn(1900, 2, 28), 1);
	assert_int_equal(lunar_jdn(2000, 3, 1) - lunar_jdn(2000, 2, 28), 2);
	lunar_jdn_to_solar(2451545, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20000101);
	assert_int_equal(lunar_solar_month_days(2024, 2), 29);
	assert_int_equal(lunar_solar_month_days(2100, 2), 28);
	assert_int_equal(lunar_solar_month_days(2025, 13), 0);
	assert_true(lunar_solar_valid(2199, 12, 31));
	assert_false(lunar_solar_valid(1899, 12, 31));
	assert_false(lunar_solar_valid(2025, 2, 29));
}

static void
test_canchi(void **state)
{
	char b[LUNAR_NAME_MAX], tiny[6];

	(void)state;
	assert_true(lunar_canchi_year(2026, b, sizeof b) > 0);
	assert_string_equal(b, "Bính Ngọ");
	lunar_canchi_year(2025, b, sizeof b);
	assert_string_equal(b, "Ất Tỵ");
	lunar_canchi_year(2024, b, sizeof b);
	assert_string_equal(b, "Giáp Thìn");
	lunar_canchi_year(1984, b, sizeof b);
	assert_string_equal(b, "Giáp Tý");
	lunar_canchi_year(1900, b, sizeof b);
	assert_string_equal(b, "Canh Tý");
	lunar_canchi_month(2024, 1, b, sizeof b);   /* Giáp year → Bính Dần */
	assert_string_equal(b, "Bính Dần");
	lunar_canchi_month(2026, 1, b, sizeof b);   /* Bính year → Canh Dần */
	assert_string_equal(b, "Canh Dần");
	lunar_canchi_month(2024, 11, b, sizeof b);
	assert_string_equal(b, "Bính Tý");
	lunar_canchi_day(lunar_jdn(2000, 1, 1), b, sizeof b);
	assert_string_equal(b, "Mậu Ngọ");
	assert_int_equal(lunar_canchi_year(2026, tiny, sizeof tiny), -1);
	assert_int_equal(lunar_canchi_month(2026, 13, b, sizeof b), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_file),
		cmocka_unit_test(test_domain_tables),
		cmocka_unit_test(test_round_trip_all_days),
		cmocka_unit_test(test_month_lengths_and_nonexistent),
		cmocka_unit_test(test_tet_and_range_ends),
		cmocka_unit_test(test_jdn),
		cmocka_unit_test(test_canchi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
