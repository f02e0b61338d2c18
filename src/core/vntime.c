/*
 * vntime.c — UTC+7 instants to local dates and times, their text forms
 * (RFC 3339 and Vietnamese wording), and the RFC 3339 reader.  See
 * vntime.h.  The offset is a constant on purpose: the law's clock does
 * not follow the machine's TZ setting, and tests move the wall clock.
 */
#include "core/vntime.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define DAY 86400

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

cal_day
vn_day(int64_t t)
{
	return (cal_day)floor_div(t + VN_UTC_OFFSET, DAY);
}

int
vn_seconds(int64_t t)
{
	return (int)(t + VN_UTC_OFFSET - floor_div(t + VN_UTC_OFFSET, DAY) * DAY);
}

int64_t
vn_instant(cal_day day, int minute)
{
	return (int64_t)day * DAY + (int64_t)minute * 60 - VN_UTC_OFFSET;
}

void
vn_local(int64_t t, struct vn_tm *out)
{
	assert(out != NULL);
	int s = vn_seconds(t);
	cal_day d = vn_day(t);
	cal_ymd(d, &out->year, &out->month, &out->day);
	out->hour = s / 3600;
	out->minute = s / 60 % 60;
	out->second = s % 60;
	out->weekday = cal_weekday(d);
}

void
vn_month_so_far(int64_t t, cal_day *first, cal_day *today)
{
	int y, m, d;
	assert(first != NULL && today != NULL);
	*today = vn_day(t);
	cal_ymd(*today, &y, &m, &d);
	*first = cal_day_from_ymd(y, m, 1);
}

/* snprintf's result as this module's: the length, or -1 (and "") when it
 * did not fit or the year has not four digits. */
static int
done(char *out, size_t n, int len, int year)
{
	if (len < 0 || (size_t)len >= n || year < 0 || year > 9999) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	return len;
}

/* v (0 <= v < 10^w) in w decimal digits; the end. */
static char *
put_digits(char *p, int v, int w)
{
	for (int i = w - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + w;
}

int
vn_fmt_rfc3339(int64_t t, char *out, size_t n)
{
	struct vn_tm tm;
	if (out == NULL || n == 0)
		return -1;
	vn_local(t, &tm);
	/* by hand: every access-log line and API answer writes some */
	if (tm.year < 0 || tm.year > 9999 || n < VN_RFC3339_MAX)
		return done(out, n, -1, tm.year);
	char *p = out;
	p = put_digits(p, tm.year, 4);
	*p++ = '-';
	p = put_digits(p, tm.month, 2);
	*p++ = '-';
	p = put_digits(p, tm.day, 2);
	*p++ = 'T';
	p = put_digits(p, tm.hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.minute, 2);
	*p++ = ':';
	p = put_digits(p, tm.second, 2);
	memcpy(p, "+07:00", 7);
	return VN_RFC3339_MAX - 1;
}

/* A civil day written with fmt, which takes day, month, year. */
static int
day_fmt(cal_day day, const char *fmt, char *out, size_t n)
{
	int y, m, d;
	if (out == NULL || n == 0)
		return -1;
	cal_ymd(day, &y, &m, &d);
	return done(out, n, snprintf(out, n, fmt, d, m, y), y);
}

int
vn_day_short(cal_day day, char *out, size_t n)
{
	return day_fmt(day, "%02d/%02d/%04d", out, n);
}

int
vn_day_words(cal_day day, char *out, size_t n)
{
	return day_fmt(day, "ngày %02d tháng %02d năm %04d", out, n);
}

int
vn_fmt_date(int64_t t, char *out, size_t n)
{
	return vn_day_short(vn_day(t), out, n);
}

int
vn_fmt_date_words(int64_t t, char *out, size_t n)
{
	return vn_day_words(vn_day(t), out, n);
}

int
vn_fmt_datetime(int64_t t, char *out, size_t n)
{
	struct vn_tm tm;
	if (out == NULL || n == 0)
		return -1;
	vn_local(t, &tm);
	int len = snprintf(out, n, "%02d/%02d/%04d %02d:%02d", tm.day, tm.month, tm.year, tm.hour,
	                   tm.minute);
	return done(out, n, len, tm.year);
}

int
vn_fmt_words(int64_t t, char *out, size_t n)
{
	struct vn_tm tm;
	if (out == NULL || n == 0)
		return -1;
	vn_local(t, &tm);
	int len = snprintf(out, n, "%02d giờ %02d phút, ngày %02d tháng %02d năm %04d", tm.hour,
	                   tm.minute, tm.day, tm.month, tm.year);
	return done(out, n, len, tm.year);
}

/* Exactly n digits at s into *v. */
static int
num(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* The offset after the seconds (and an optional fraction) at s + i, in
 * seconds east of UTC; -1 when it is not exactly Z or ±HH:MM. */
static int
parse_offset(const char *s, size_t i, int *east)
{
	int oh, om;
	if (s[i] == '.') {
		size_t f = ++i;
		while (s[i] >= '0' && s[i] <= '9' && i - f < 9)
			i++;
		if (i == f || (s[i] >= '0' && s[i] <= '9'))
			return -1;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && s[i + 1] == '\0') {
		*east = 0;
		return 0;
	}
	if ((s[i] == '+' || s[i] == '-') && strnlen(s + i, 7) == 6 && !num(s + i + 1, 2, &oh) &&
	    s[i + 3] == ':' && !num(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		*east = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
		return 0;
	}
	return -1;
}

int
vn_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, hh, mi, ss, east;

	if (s == NULL || out == NULL || strnlen(s, 20) < 20)
		return -1;
	if (num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' ||
	    num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    num(s + 11, 2, &hh) || s[13] != ':' || num(s + 14, 2, &mi) ||
	    s[16] != ':' || num(s + 17, 2, &ss))
		return -1;
	if (!cal_ymd_valid(y, mo, d) || hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (parse_offset(s, 19, &east) != 0)
		return -1;
	*out = (int64_t)cal_day_from_ymd(y, mo, d) * DAY + hh * 3600 + mi * 60 + ss - east;
	return 0;
}

int
vn_parse_date(const char *s, int64_t *midnight)
{
	cal_day d;
	if (midnight == NULL || cal_parse_ymd(s, &d) != 0)
		return -1;
	*midnight = vn_instant(d, 0);
	return 0;
}

int
vn_parse_hhmm(const char *s, int *minutes)
{
	int h, m;

	if (s == NULL || minutes == NULL || strnlen(s, 6) != 5 || num(s, 2, &h) ||
	    s[2] != ':' || num(s + 3, 2, &m) || h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}
