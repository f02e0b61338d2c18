/*
 * deadline.c — due instants, pauses and timeliness on a built calendar.
 *
 * All arithmetic is on local (UTC+7) days and minutes: an instant is
 * split into its civil day and seconds after midnight, the calendar's
 * bitmap answers "working or not", and the answer is joined back into
 * Unix seconds.  Nothing here touches the lunar astronomy.
 */
#include <assert.h>
#include "core/deadline.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

/* ---- due instants ---------------------------------------------------------- */

int
dl_receipt_day(const struct cal *c, const struct cal_hours *h,
    int64_t received, int cutoff_min, cal_day *out)
{
	cal_day d = vn_day(received);
	int cut, w;

	if (!cal_hours_valid(h) || cutoff_min < 0 || cutoff_min > 1440 || out == NULL)
		return DL_EINVAL;
	cut = cutoff_min < h->pm_close ? cutoff_min : h->pm_close;
	if ((w = cal_is_working(c, d)) < 0)
		return DL_ERANGE;
	if (w && vn_seconds(received) <= cut * 60) {
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
	*due = vn_instant(d, h->pm_close);
	return DL_OK;
}

/* ---- office time ------------------------------------------------------------ */

/* The two sessions of a day as instants: s[0..1] morning, s[2..3] afternoon. */
static void
sessions(const struct cal_hours *h, cal_day d, int64_t s[4])
{
	assert(cal_hours_valid(h));
	s[0] = vn_instant(d, h->am_open);
	s[1] = vn_instant(d, h->am_close);
	s[2] = vn_instant(d, h->pm_open);
	s[3] = vn_instant(d, h->pm_close);
}

int
dl_work_seconds(const struct cal *c, const struct cal_hours *h,
    int64_t t0, int64_t t1, int64_t *out)
{
	int64_t sum = 0, s[4];

	if (!cal_hours_valid(h) || t1 < t0 || out == NULL)
		return DL_EINVAL;
	for (cal_day d = vn_day(t0); d <= vn_day(t1); d++) {
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
	for (cal_day d = vn_day(t);; d++) {
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
	if (vn_day(at) < vn_day(due))
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

enum dl_hand
dl_hand_due_check(const struct cal *c, const struct cal_hours *h, int64_t now, int64_t due)
{
	if (due <= now)
		return DL_HAND_PAST;
	if (due - now > (int64_t)DL_HAND_MAX_DAYS * 86400)
		return DL_HAND_TOO_FAR;
	int w = cal_is_working(c, vn_day(due));
	if (w < 0)
		return DL_HAND_RANGE;
	if (!w)
		return DL_HAND_DAY_OFF;
	int sec = vn_seconds(due);
	int am = sec >= h->am_open * 60 && sec <= h->am_close * 60;
	int pm = h->pm_open < h->pm_close && sec >= h->pm_open * 60 && sec <= h->pm_close * 60;
	return am || pm ? DL_HAND_OK : DL_HAND_HOURS;
}
