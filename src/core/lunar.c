/*
 * lunar.c — the Vietnamese lunisolar calendar from the astronomy.
 *
 * Structure: two astronomical primitives (the local day of the k-th new
 * moon, the sector of the sun's longitude at a local midnight), one
 * calendar rule built on them (the day month 11 begins, for a Gregorian
 * year), and a "period" — the 12 or 13 months from one month 11 to the
 * next, numbered, with the leap month found.  Every conversion builds the
 * one period that holds its date and reads the answer from it.
 *
 * Days are Julian day numbers (JDN).  An instant is a Julian date (JD,
 * UT, starting at noon); the local day that holds JD is
 * floor(JD + 0.5 + 7/24) on the meridian 105°E.
 */
#include "core/lunar.h"

#include <math.h>
#include <string.h>

#define TZ_DAYS (7.0 / 24.0)                  /* UTC+7 as a day fraction */
#define SYNODIC 29.530588861                  /* mean lunation, days */
#define NEWMOON_EPOCH 2451550.09766           /* JDE of the k = 0 new moon */
#define DEG (3.14159265358979323846 / 180.0)

/* ---- astronomy --------------------------------------------------------- */

/*
 * ΔT = TT − UT in days, for a Julian date, from the polynomial fits
 * published by Espenak and Meeus (NASA, "Polynomial expressions for Delta
 * T").  Beyond 2050 they are extrapolations; an error of a minute only
 * matters for a new moon within a minute of local midnight.
 */
static double
delta_t_days(double jd)
{
	double y = 2000.0 + (jd - 2451545.0) / 365.25, t, u, s;

	if (y < 1900) {
		t = y - 1860;
		s = 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t -
		    0.0004473624 * pow(t, 4) + pow(t, 5) / 233174.0;
	} else if (y < 1920) {
		t = y - 1900;
		s = -2.79 + 1.494119 * t - 0.0598939 * t * t +
		    0.0061966 * t * t * t - 0.000197 * pow(t, 4);
	} else if (y < 1941) {
		t = y - 1920;
		s = 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	} else if (y < 1961) {
		t = y - 1950;
		s = 29.07 + 0.407 * t - t * t / 233.0 + t * t * t / 2547.0;
	} else if (y < 1986) {
		t = y - 1975;
		s = 45.45 + 1.067 * t - t * t / 260.0 - t * t * t / 718.0;
	} else if (y < 2005) {
		t = y - 2000;
		s = 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
		    0.000651814 * pow(t, 4) + 0.00002373599 * pow(t, 5);
	} else if (y < 2050) {
		t = y - 2000;
		s = 62.92 + 0.32217 * t + 0.005589 * t * t;
	} else if (y < 2150) {
		u = (y - 1820) / 100.0;
		s = -20 + 32 * u * u - 0.5628 * (2150 - y);
	} else {
		u = (y - 1820) / 100.0;
		s = -20 + 32 * u * u;
	}
	return s / 86400.0;
}

/*
 * JDE (dynamical time) of the true new moon of lunation k (k = 0 is the
 * new moon of 2000-01-06), Meeus chapter 49: the mean phase plus the
 * periodic terms for a new moon and the fourteen planetary arguments.
 */
static double
new_moon_jde(long k)
{
	double kk = (double)k, T = kk / 1236.85, T2 = T * T, T3 = T2 * T,
	       T4 = T3 * T;
	double jde = NEWMOON_EPOCH + SYNODIC * kk + 0.00015437 * T2 -
	    0.000000150 * T3 + 0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = (2.5534 + 29.10535670 * kk - 0.0000014 * T2 -
	    0.00000011 * T3) * DEG;
	double Mp = (201.5643 + 385.81693528 * kk + 0.0107582 * T2 +
	    0.00001238 * T3 - 0.000000058 * T4) * DEG;
	double F = (160.7108 + 390.67050284 * kk - 0.0016118 * T2 -
	    0.00000227 * T3 + 0.000000011 * T4) * DEG;
	double Om = (124.7746 - 1.56375588 * kk + 0.0020672 * T2 +
	    0.00000215 * T3) * DEG;
	double c;

	c = -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
	    0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) -
	    0.00514 * E * sin(Mp + M) + 0.00208 * E * E * sin(2 * M) -
	    0.00111 * sin(Mp - 2 * F) - 0.00057 * sin(Mp + 2 * F) +
	    0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) +
	    0.00042 * E * sin(M + 2 * F) + 0.00038 * E * sin(M - 2 * F) -
	    0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(Om) -
	    0.00007 * sin(Mp + 2 * M) + 0.00004 * sin(2 * Mp - 2 * F) +
	    0.00004 * sin(3 * M) + 0.00003 * sin(Mp + M - 2 * F) +
	    0.00003 * sin(2 * Mp + 2 * F) - 0.00003 * sin(Mp + M + 2 * F) +
	    0.00003 * sin(Mp - M + 2 * F) - 0.00002 * sin(Mp - M - 2 * F) -
	    0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);

	/* Planetary arguments A1..A14 (degrees) and their coefficients. */
	static const double pa[14][3] = {
		{299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165},
		{251.83, 26.651886, 0.000164}, {349.42, 36.412478, 0.000126},
		{84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
		{207.14, 2.453732, 0.000060}, {154.84, 7.306860, 0.000056},
		{34.52, 27.261239, 0.000047}, {207.19, 0.121824, 0.000042},
		{291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
		{239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
	};
	for (int i = 0; i < 14; i++) {
		double a = pa[i][0] + pa[i][1] * kk;
		if (i == 0)
			a -= 0.009173 * T2;
		c += pa[i][2] * sin(a * DEG);
	}
	return jde + c;
}

/* The local (UTC+7) day number on which new moon k falls. */
static long
new_moon_day(long k)
{
	double jde = new_moon_jde(k);
	double jd = jde - delta_t_days(jde);
	return (long)floor(jd + 0.5 + TZ_DAYS);
}

/*
 * Apparent geocentric longitude of the sun in degrees [0, 360) at the
 * instant jd (UT), Meeus chapter 25 (the 0.01° solution), with nutation
 * and aberration.
 */
static double
sun_longitude(double jd)
{
	double T = (jd + delta_t_days(jd) - 2451545.0) / 36525.0, T2 = T * T;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T2;
	double M = (357.52911 + 35999.05029 * T - 0.0001537 * T2) * DEG;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T2) * sin(M) +
	    (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
	double Om = (125.04 - 1934.136 * T) * DEG;
	double l = L0 + C - 0.00569 - 0.00478 * sin(Om);

	l = fmod(l, 360.0);
	return l < 0 ? l + 360.0 : l;
}

/*
 * Which 30° sector (0 = 0°..30°, from the March equinox) the sun is in at
 * the local midnight that starts day jdn.  A major solar term falls on a
 * day d exactly when the sector at the start of d differs from the one at
 * the start of d + 1; a month [a, b) contains one unless sector(a) ==
 * sector(b).
 */
static int
sun_sector(long jdn)
{
	return (int)(sun_longitude((double)jdn - 0.5 - TZ_DAYS) / 30.0);
}

/* Index k of the new moon that begins the lunar month holding day jdn. */
static long
lunation_of(long jdn)
{
	long k = (long)floor((jdn - NEWMOON_EPOCH) / SYNODIC);

	while (new_moon_day(k) > jdn)
		k--;
	while (new_moon_day(k + 1) <= jdn)
		k++;
	return k;
}

/*
 * The lunation k that begins month 11 of Gregorian year gy: the month
 * holding the day of the December solstice (sun at 270°).  The solstice
 * day is the one whose next midnight finds the sun past 270°.
 */
static long
month11_lunation(int gy)
{
	long d = lunar_jdn(gy, 12, 18);

	while (d < lunar_jdn(gy, 12, 26) && sun_sector(d + 1) < 9)
		d++;
	return lunation_of(d);
}

/* ---- periods: month 11 to month 11 ------------------------------------- */

struct period {
	int n;           /* months in the period: 12 or 13 */
	long start[14];  /* start[i]: first day of month i; start[n] = next m11 */
	int month[13];
	int leap[13];
	int year[13];    /* lunar year the month belongs to */
};

/*
 * Fill p with the months from month 11 of Gregorian year gy (lunation k0)
 * up to, not including, month 11 of gy + 1 (lunation k1).  Month 11 and 12 belong to lunar year gy,
 * months 1..10 to gy + 1.  Returns -1 only if the astronomy were to give
 * a 13-month period without a month lacking a major term (never seen in
 * the supported range; kept as a guard, not as a code path).
 */
static int
period_from(int gy, long k0, long k1, struct period *p)
{
	int leap_at = 0, month = 11, year = gy;

	p->n = (int)(k1 - k0);
	if (p->n != 12 && p->n != 13)
		return -1;
	for (int i = 0; i <= p->n; i++)
		p->start[i] = new_moon_day(k0 + i);
	if (p->n == 13) {
		int prev = sun_sector(p->start[1]);
		for (int i = 1; i < 13 && !leap_at; i++) {
			int next = sun_sector(p->start[i + 1]);
			if (next == prev)
				leap_at = i;
			prev = next;
		}
		if (!leap_at)
			return -1;
	}
	for (int i = 0; i < p->n; i++) {
		if (i > 0 && i == leap_at) {
			p->leap[i] = 1;
		} else {
			if (i > 0)
				month = month % 12 + 1;
			if (month == 1)
				year = gy + 1;
			p->leap[i] = 0;
		}
		p->month[i] = month;
		p->year[i] = year;
	}
	return 0;
}

static int
period_build(int gy, struct period *p)
{
	return period_from(gy, month11_lunation(gy), month11_lunation(gy + 1), p);
}

/* ---- Julian day numbers -------------------------------------------------- */

long
lunar_jdn(int y, int m, int d)
{
	long a = (14 - m) / 12, yy = y + 4800 - a, mm = m + 12 * a - 3;

	return d + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 +
	    yy / 400 - 32045;
}

void
lunar_jdn_to_solar(long jdn, int *y, int *m, int *d)
{
	long a = jdn + 32044, b = (4 * a + 3) / 146097, c = a - 146097 * b / 4;
	long dd = (4 * c + 3) / 1461, e = c - 1461 * dd / 4, mm = (5 * e + 2) / 153;

	*d = (int)(e - (153 * mm + 2) / 5 + 1);
	*m = (int)(mm + 3 - 12 * (mm / 10));
	*y = (int)(100 * b + dd - 4800 + mm / 10);
}

int
lunar_solar_month_days(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return len[m - 1];
}

int
lunar_solar_valid(int y, int m, int d)
{
	return y >= LUNAR_MIN_YEAR && y <= LUNAR_MAX_YEAR && m >= 1 && m <= 12 &&
	    d >= 1 && d <= lunar_solar_month_days(y, m);
}

/* ---- conversions --------------------------------------------------------- */

int
lunar_from_solar(int y, int m, int d, struct lunar_date *out)
{
	struct period p;
	long jdn, k11;
	int i, rc;

	if (!lunar_solar_valid(y, m, d))
		return -1;
	jdn = lunar_jdn(y, m, d);
	/* Month 11 of y starts between late November and late December:
	 * before it, the date lies in the period that began in y − 1. */
	if (m < 11)
		rc = period_build(y - 1, &p);
	else if (jdn < new_moon_day(k11 = month11_lunation(y)))
		rc = period_from(y - 1, month11_lunation(y - 1), k11, &p);
	else
		rc = period_from(y, k11, month11_lunation(y + 1), &p);
	if (rc != 0)
		return -1;
	for (i = p.n - 1; i > 0 && p.start[i] > jdn; i--)
		;
	out->day = (int)(jdn - p.start[i]) + 1;
	out->month = p.month[i];
	out->year = p.year[i];
	out->leap = p.leap[i];
	return 0;
}

/* Locate a lunar month: its first day and length.  -1 if it does not exist. */
static int
month_find(int year, int month, int leap, long *first, int *len)
{
	struct period p;

	if (year < LUNAR_MIN_YEAR - 1 || year > LUNAR_MAX_YEAR || month < 1 ||
	    month > 12 || (leap != 0 && leap != 1))
		return -1;
	if (period_build(month >= 11 ? year : year - 1, &p) != 0)
		return -1;
	for (int i = 0; i < p.n; i++) {
		if (p.month[i] == month && p.leap[i] == leap && p.year[i] == year) {
			*first = p.start[i];
			*len = (int)(p.start[i + 1] - p.start[i]);
			return 0;
		}
	}
	return -1;
}

int
lunar_to_solar(const struct lunar_date *ld, int *y, int *m, int *d)
{
	long first;
	int len, yy, mm, dd;

	if (month_find(ld->year, ld->month, ld->leap, &first, &len) != 0 ||
	    ld->day < 1 || ld->day > len)
		return -1;
	lunar_jdn_to_solar(first + ld->day - 1, &yy, &mm, &dd);
	if (yy < LUNAR_MIN_YEAR || yy > LUNAR_MAX_YEAR)
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

int
lunar_month_length(int year, int month, int leap)
{
	long first;
	int len;

	return month_find(year, month, leap, &first, &len) == 0 ? len : -1;
}

int
lunar_leap_month(int year)
{
	struct period a, b;

	if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR)
		return -1;
	/* Months 1..10 of `year` lie in period year-1, 11..12 in period year. */
	if (period_build(year - 1, &a) != 0 || period_build(year, &b) != 0)
		return -1;
	for (int i = 0; i < a.n; i++)
		if (a.leap[i] && a.year[i] == year)
			return a.month[i];
	for (int i = 0; i < b.n; i++)
		if (b.leap[i] && b.year[i] == year)
			return b.month[i];
	return 0;
}

/* ---- can-chi names -------------------------------------------------------- */

static const char *const can[10] = {
	"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
};
static const char *const chi[12] = {
	"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ",
	"Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
};

static int
canchi(long c, long h, char *out, size_t n)
{
	const char *a = can[((c % 10) + 10) % 10], *b = chi[((h % 12) + 12) % 12];
	size_t la = strlen(a), lb = strlen(b);

	if (out == NULL || la + 1 + lb + 1 > n)
		return -1;
	memcpy(out, a, la);
	out[la] = ' ';
	memcpy(out + la + 1, b, lb + 1);
	return (int)(la + 1 + lb);
}

/* Year 4 (and 1984, 2044 …) is Giáp Tý. */
int
lunar_canchi_year(int lunar_year, char *out, size_t n)
{
	return canchi((long)lunar_year + 6, (long)lunar_year + 8, out, n);
}

/* Month 1 is always Dần; its stem follows the year's (Giáp/Kỷ → Bính Dần). */
int
lunar_canchi_month(int lunar_year, int month, char *out, size_t n)
{
	if (month < 1 || month > 12)
		return -1;
	return canchi((long)lunar_year * 12 + month + 3, month + 1, out, n);
}

/* JDN 2451545 (2000-01-01) is Mậu Ngọ. */
int
lunar_canchi_day(long jdn, char *out, size_t n)
{
	return canchi(jdn + 9, jdn + 1, out, n);
}
