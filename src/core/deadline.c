/*
 * deadline.c — due instants, pauses and timeliness on a built calendar.
 *
 * All arithmetic is on local (UTC+7) days and minutes: an instant is
 * split into its civil day and seconds after midnight, the calendar's
 * bitmap answers "working or not", and the answer is joined back into
 * Unix seconds.  Nothing here touches the lunar astronomy.
 */
#include "core/deadline.h"

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
dl_local_day(int64_t t)
{
	return (cal_day)floor_div(t + DL_UTC_OFFSET, DAY);
}

int
dl_local_seconds(int64_t t)
{
	return (int)(t + DL_UTC_OFFSET - floor_div(t + DL_UTC_OFFSET, DAY) * DAY);
}

int64_t
dl_instant(cal_day day, int minute)
{
	return (int64_t)day * DAY + (int64_t)minute * 60 - DL_UTC_OFFSET;
}

/* ---- due instants ---------------------------------------------------------- */

int
dl_receipt_day(const struct cal *c, const struct cal_hours *h,
    int64_t received, int cutoff_min, cal_day *out)
{
	cal_day d = dl_local_day(received);
	int cut, w;

	if (!cal_hours_valid(h) || cutoff_min < 0 || cutoff_min > 1440 || out == NULL)
		return DL_EINVAL;
	cut = cutoff_min < h->pm_close ? cutoff_min : h->pm_close;
	if ((w = cal_is_working(c, d)) < 0)
		return DL_ERANGE;
	if (w && dl_local_seconds(received) <= cut * 60) {
		*out = d;
		return DL_OK;
	}
	return cal_next_working(c, d, out) == 0 ? DL_OK : DL_ERANGE;
}

int
dl_due(const struct cal *c, const struct cal_hours *h, int64_t received,
    int days, int same_day, int cutoff_min, int64_t *due)
{
	cal_day r, d;
	int rc;

	if (days < 0 || days > DL_MAX_DAYS || due == NULL)
		return DL_EINVAL;
	if ((rc = dl_receipt_day(c, h, received, cutoff_min, &r)) != DL_OK)
		return rc;
	if (same_day || days == 0)
		d = r;
	else if (cal_nth_working_after(c, r, days, &d) != 0)
		return DL_ERANGE;
	*due = dl_instant(d, h->pm_close);
	return DL_OK;
}

/* ---- office time ------------------------------------------------------------ */

/* The two sessions of a day as instants: s[0..1] morning, s[2..3] afternoon. */
static void
sessions(const struct cal_hours *h, cal_day d, int64_t s[4])
{
	s[0] = dl_instant(d, h->am_open);
	s[1] = dl_instant(d, h->am_close);
	s[2] = dl_instant(d, h->pm_open);
	s[3] = dl_instant(d, h->pm_close);
}

int
dl_work_seconds(const struct cal *c, const struct cal_hours *h,
    int64_t t0, int64_t t1, int64_t *out)
{
	int64_t sum = 0, s[4];

	if (!cal_hours_valid(h) || t1 < t0 || out == NULL)
		return DL_EINVAL;
	for (cal_day d = dl_local_day(t0); d <= dl_local_day(t1); d++) {
		int w = cal_is_working(c, d);
		if (w < 0)
			return DL_ERANGE;
		if (!w)
			continue;
		sessions(h, d, s);
		for (int i = 0; i < 4; i += 2) {
			int64_t a = t0 > s[i] ? t0 : s[i];
			int64_t b = t1 < s[i + 1] ? t1 : s[i + 1];
			if (b > a)
				sum += b - a;
		}
	}
	*out = sum;
	return DL_OK;
}

int
dl_add_work(const struct cal *c, const struct cal_hours *h, int64_t t,
    int64_t secs, int64_t *out)
{
	int64_t s[4];

	if (!cal_hours_valid(h) || secs < 0 || out == NULL)
		return DL_EINVAL;
	if (secs == 0) {
		*out = t;
		return DL_OK;
	}
	for (cal_day d = dl_local_day(t);; d++) {
		int w = cal_is_working(c, d);
		if (w < 0)
			return DL_ERANGE;
		if (!w)
			continue;
		sessions(h, d, s);
		for (int i = 0; i < 4; i += 2) {
			int64_t a = t > s[i] ? t : s[i];
			if (a >= s[i + 1])
				continue;
			if (secs <= s[i + 1] - a) {
				*out = a + secs;
				return DL_OK;
			}
			secs -= s[i + 1] - a;
		}
	}
}

int
dl_resume(const struct cal *c, const struct cal_hours *h, int64_t due,
    int64_t paused_at, int64_t resumed_at, int64_t *new_due)
{
	int64_t p;
	int rc = dl_work_seconds(c, h, paused_at, resumed_at, &p);

	return rc != DL_OK ? rc : dl_add_work(c, h, due, p, new_due);
}

/* ---- timeliness ---------------------------------------------------------------- */

enum dl_timeliness
dl_timeliness(int64_t due, int finished, int64_t at)
{
	if (!finished)
		return at <= due ? DL_IN_TIME : DL_OVERDUE;
	if (dl_local_day(at) < dl_local_day(due))
		return DL_EARLY;
	return at <= due ? DL_ON_TIME : DL_LATE;
}

const char *
dl_timeliness_code(enum dl_timeliness t)
{
	switch (t) {
	case DL_EARLY:   return "early";
	case DL_ON_TIME: return "on_time";
	case DL_LATE:    return "late";
	case DL_IN_TIME: return "in_time";
	case DL_OVERDUE: return "overdue";
	}
	return "late";
}

const char *
dl_timeliness_label(enum dl_timeliness t)
{
	switch (t) {
	case DL_EARLY:   return "Trước hạn";
	case DL_ON_TIME: return "Đúng hạn";
	case DL_LATE:    return "Quá hạn";
	case DL_IN_TIME: return "Còn hạn";
	case DL_OVERDUE: return "Quá hạn";
	}
	return "Quá hạn";
}

/* ---- text forms ----------------------------------------------------------------- */

int
dl_format_rfc3339(int64_t t, char *out, size_t n)
{
	int y, m, d, s = dl_local_seconds(t);

	cal_ymd(dl_local_day(t), &y, &m, &d);
	if (out == NULL || n < DL_RFC3339_MAX || y < 0 || y > 9999)
		return -1;
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", y, m, d,
	    s / 3600, s / 60 % 60, s % 60);
	return 25;
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

int
dl_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, hh, mi, ss, oh = 0, om = 0, sign = 0;
	size_t i = 19;

	if (s == NULL || out == NULL || strnlen(s, 20) < 20)
		return -1;
	if (num(s, 4, &y) || s[4] != '-' || num(s + 5, 2, &mo) || s[7] != '-' ||
	    num(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
	    num(s + 11, 2, &hh) || s[13] != ':' || num(s + 14, 2, &mi) ||
	    s[16] != ':' || num(s + 17, 2, &ss))
		return -1;
	if (!cal_ymd_valid(y, mo, d) || hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (s[i] == '.') {
		size_t f = ++i;
		while (s[i] >= '0' && s[i] <= '9' && i - f < 9)
			i++;
		if (i == f || (s[i] >= '0' && s[i] <= '9'))
			return -1;
	}
	if ((s[i] == 'Z' || s[i] == 'z') && s[i + 1] == '\0') {
		sign = 0;
	} else if ((s[i] == '+' || s[i] == '-') && strnlen(s + i, 7) == 6 &&
	    !num(s + i + 1, 2, &oh) && s[i + 3] == ':' && !num(s + i + 4, 2, &om)) {
		if (oh > 23 || om > 59)
			return -1;
		sign = s[i] == '+' ? 1 : -1;
	} else {
		return -1;
	}
	*out = (int64_t)cal_day_from_ymd(y, mo, d) * DAY + hh * 3600 + mi * 60 + ss -
	    (int64_t)sign * (oh * 3600 + om * 60);
	return 0;
}

int
dl_parse_hhmm(const char *s, int *minutes)
{
	int h, m;

	if (s == NULL || minutes == NULL || strnlen(s, 6) != 5 || num(s, 2, &h) ||
	    s[2] != ':' || num(s + 3, 2, &m) || h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}
