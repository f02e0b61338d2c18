/*
 * lunar.h — the Vietnamese lunisolar calendar (âm lịch), computed on the
 * meridian 105°E (UTC+7), and Julian day numbers for Gregorian dates.
 *
 * Written from the published description of the rules (Hồ Ngọc Đức,
 * "calrules"), not from any existing program:
 *   - a lunar month begins on the local day that contains a new moon;
 *   - month 11 is the month that contains the December (winter) solstice;
 *   - if 13 new moons separate two months 11, the year is leap and the
 *     first month after month 11 that contains no major solar term
 *     (trung khí, the sun entering a multiple of 30° of longitude) is the
 *     leap month, numbered like the month before it;
 *   - the astronomy (true new moon, apparent solar longitude, ΔT) follows
 *     Meeus, "Astronomical Algorithms", chapters 25 and 49.
 *
 * Supported range: solar dates 1900-01-01 .. 2199-12-31 and the lunar
 * dates that fall in it.  Everything is pure computation: no I/O, no
 * global state, safe to call from any thread.  One conversion costs a few
 * dozen evaluations of the astronomy (microseconds); callers that need
 * many dates of one year (the holiday calendar) should convert once.
 */
#ifndef MOTCUA_LUNAR_H
#define MOTCUA_LUNAR_H
#include <stddef.h>

#define LUNAR_MIN_YEAR 1900   /* first supported Gregorian year */
#define LUNAR_MAX_YEAR 2199   /* last supported Gregorian year */
#define LUNAR_NAME_MAX 32     /* buffer size that fits any can-chi name */

struct lunar_date {
	int day;    /* 1..30 */
	int month;  /* 1..12 */
	int year;   /* the lunar year, named after the Gregorian year of its Tết */
	int leap;   /* 1 if this is the leap (nhuận) month, else 0 */
};

/* Julian day number of a proleptic Gregorian date (noon-based integer,
 * 2000-01-01 → 2451545).  No validation: garbage in, garbage out; use
 * lunar_solar_valid() first for untrusted input. */
long lunar_jdn(int y, int m, int d);
/* The inverse of lunar_jdn(). */
void lunar_jdn_to_solar(long jdn, int *y, int *m, int *d);
/* 1 if y-m-d is a real Gregorian date within LUNAR_MIN_YEAR..MAX_YEAR. */
int lunar_solar_valid(int y, int m, int d);
/* 28..31, or 0 for a month outside 1..12. */
int lunar_solar_month_days(int y, int m);

/* Solar → lunar.  0 on success, -1 for an invalid or unsupported date. */
int lunar_from_solar(int y, int m, int d, struct lunar_date *out);
/* Lunar → solar.  0 on success, -1 when the date does not exist (leap
 * flag on a month that is not leap that year, day 30 of a 29-day month,
 * fields out of range) or falls outside the supported solar range. */
int lunar_to_solar(const struct lunar_date *ld, int *y, int *m, int *d);
/* Length (29 or 30) of the given lunar month (day field ignored), or -1
 * if it does not exist. */
int lunar_month_length(int year, int month, int leap);
/* The leap month (1..12) of lunar year `year`, 0 if none, -1 if out of
 * range. */
int lunar_leap_month(int year);

/* Can-chi (sexagenary) names with diacritics, written NUL-terminated into
 * out (LUNAR_NAME_MAX bytes suffice).  Return the length, or -1 if the
 * buffer is too small.  Year: 2026 → "Bính Ngọ".  Month: lunar month of
 * lunar year (a leap month carries the name of its regular month).  Day:
 * from the Julian day number. */
int lunar_canchi_year(int lunar_year, char *out, size_t n);
int lunar_canchi_month(int lunar_year, int month, char *out, size_t n);
int lunar_canchi_day(long jdn, char *out, size_t n);

#endif
