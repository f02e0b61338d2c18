/*
 * vntime.h — the one place that knows Vietnam's clock: UTC+7, no daylight
 * saving (Asia/Ho_Chi_Minh since 1975).
 *
 * Instants are int64 Unix seconds (UTC); a local civil date is a cal_day
 * (calendar.h).  Everything here is pure: no clock reads, no locale, no
 * allocation, thread-safe.  Formatters write at most n bytes (NUL
 * included) and return the length written, or -1 when out is too small
 * or the year is outside 0000–9999 (out is then "").
 *
 * Wording follows Vietnamese administrative documents (Nghị định
 * 30/2020/NĐ-CP): "ngày 03 tháng 12 năm 2026" with two-digit day and
 * month, and "00 giờ 40 phút, ngày 03 tháng 12 năm 2026" for an instant.
 * ISO dates alone ("2026-12-03") are cal_parse_ymd / cal_format_ymd.
 */
#ifndef MOTCUA_VNTIME_H
#define MOTCUA_VNTIME_H
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"

#define VN_UTC_OFFSET (7 * 3600)    /* seconds east of UTC */
/* The same offset as SQL text, for queries that group by local date:
 * "(7 * 3600)", stringified from VN_UTC_OFFSET so the two cannot differ. */
#define VN_STR_(x) #x
#define VN_XSTR_(x) VN_STR_(x)
#define VN_UTC_OFFSET_SQL VN_XSTR_(VN_UTC_OFFSET)
#define VN_RFC3339_MAX 26           /* "YYYY-MM-DDTHH:MM:SS+07:00" + NUL */
#define VN_WORDS_MAX 64             /* the longest wording below + NUL */

/* An instant's local broken-down time. */
struct vn_tm {
	int year, month, day;       /* month 1–12, day 1–31 */
	int hour, minute, second;
	int weekday;                /* 0 = Sunday … 6 = Saturday */
};

/* The local civil date of an instant, and its seconds after local midnight. */
cal_day vn_day(int64_t t);
int vn_seconds(int64_t t);
/* The instant of local day `day` at `minute` minutes after midnight. */
int64_t vn_instant(cal_day day, int minute);
void vn_local(int64_t t, struct vn_tm *out);
/* The local day of t and the first day of its month (a report's default
 * range: this month so far). */
void vn_month_so_far(int64_t t, cal_day *first, cal_day *today);

/* "2026-12-03T00:40:00+07:00" (VN_RFC3339_MAX bytes). */
int vn_fmt_rfc3339(int64_t t, char *out, size_t n);
/* "03/12/2026" */
int vn_fmt_date(int64_t t, char *out, size_t n);
/* "03/12/2026 00:40" */
int vn_fmt_datetime(int64_t t, char *out, size_t n);
/* "ngày 03 tháng 12 năm 2026" */
int vn_fmt_date_words(int64_t t, char *out, size_t n);
/* "00 giờ 40 phút, ngày 03 tháng 12 năm 2026" */
int vn_fmt_words(int64_t t, char *out, size_t n);
/* The same for a civil day: "03/12/2026", "ngày 03 tháng 12 năm 2026". */
int vn_day_short(cal_day day, char *out, size_t n);
int vn_day_words(cal_day day, char *out, size_t n);

/* RFC 3339 date-time: YYYY-MM-DD"T"HH:MM:SS[.fraction](Z|±HH:MM), 'T'/'Z'
 * in either case; the fraction is dropped.  Rejects anything else: no
 * offset, month 13, 30 February, second 60, trailing bytes.  0 or -1. */
int vn_parse_rfc3339(const char *s, int64_t *out);
/* An ISO date "YYYY-MM-DD" into the instant of its local midnight (the
 * start of that day in Vietnam).  0 or -1. */
int vn_parse_date(const char *s, int64_t *midnight);
/* "HH:MM", 00:00–23:59, exactly two digits each; minutes after midnight. */
int vn_parse_hhmm(const char *s, int *minutes);

#endif
