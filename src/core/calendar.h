/*
 * calendar.h — civil dates, working days, holidays and office hours.
 *
 * A civil date is a `cal_day`: the number of days since 1970-01-01, so
 * 1970-01-01 is 0 and day d of the Vietnamese calendar runs from
 * d * 86400 − 7 h to (d + 1) * 86400 − 7 h in Unix seconds (UTC+7, no
 * daylight saving; DOMAIN decision 1).
 *
 * Days off of a year come from the rules of DOMAIN decision 3 (Labour Code
 * 2019 art. 111–112) and the year's overrides from the official notices:
 *   rule           1/1; Tết (last day of the lunar year + mùng 1–4);
 *                  Giỗ Tổ 10/3 lunar; 30/4; 1/5; 2/9 + the adjacent day
 *                  (1/9 by default, 3/9 by configuration);
 *   compensatory   each rule holiday on a Saturday or Sunday gives the next
 *                  day that is a weekday, not a holiday and not already a
 *                  compensatory day;
 *   override       an extra day off or a forced working day (make-up
 *                  Saturday, or a weekday the rules give off but the notice
 *                  does not).  A year flagged "complete official schedule"
 *                  takes its days off from its overrides only: no rule and
 *                  no compensatory day is computed for it.
 *
 * `struct cal_year` is one year built once (a bitmap of working days plus
 * the named special days); `struct cal` is a window of consecutive years.
 * Both are plain data: every query takes a const pointer and never writes,
 * so any number of threads may read one built `struct cal`.  To apply an
 * admin's change, build a new `struct cal` and swap the pointer readers
 * use (the old one is freed when no reader holds it).  A `struct cal` is
 * about 200 KB: allocate it on the heap, not on a thread's stack.
 *
 * No I/O: overrides are passed in by the caller (the store / importer).
 * Functions return 0 on success and -1 on invalid input unless stated.
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

typedef int32_t cal_day;       /* days since 1970-01-01 (UTC+7 civil date) */

#define CAL_MIN_YEAR 1900
#define CAL_MAX_YEAR 2199
#define CAL_NAME_MAX 128       /* bytes of a day's name, NUL included */
#define CAL_YEAR_MAX_SPECIAL 100 /* named days (off or forced work) per year: rules give about 15, overrides at most CAL_MAX_OVERRIDES_PER_YEAR */
#define CAL_MAX_OVERRIDES_PER_YEAR 60 /* enforced by the importer and the admin page */
#define CAL_MAX_YEARS 32       /* years one struct cal can hold */

/* ---- civil dates -------------------------------------------------------- */

/* Day number of a Gregorian date; no validation (see cal_ymd_valid). */
cal_day cal_day_from_ymd(int y, int m, int d);
/* 1 if y-m-d is a real date within CAL_MIN_YEAR..CAL_MAX_YEAR. */
int cal_ymd_valid(int y, int m, int d);
void cal_ymd(cal_day day, int *y, int *m, int *d);
/* 0 = Sunday, 1 = Monday … 6 = Saturday (as struct tm's tm_wday). */
int cal_weekday(cal_day day);
/* Exactly "YYYY-MM-DD" (NUL-terminated), a real date in range. */
int cal_parse_ymd(const char *s, cal_day *out);
/* Writes "YYYY-MM-DD" (needs 11 bytes); returns 10 or -1. */
int cal_format_ymd(cal_day day, char *out, size_t n);

/* ---- office hours --------------------------------------------------------- */

/* Minutes after local midnight.  Default 07:30–11:30, 13:30–17:00.
 * Valid when 0 <= am_open < am_close <= pm_open <= pm_close <= 1440
 * (pm_open == pm_close means no afternoon session). */
struct cal_hours {
	int am_open, am_close;
	int pm_open, pm_close;
};
#define CAL_HOURS_DEFAULT {450, 690, 810, 1020}
int cal_hours_valid(const struct cal_hours *h);

/* ---- days off ------------------------------------------------------------- */

enum cal_kind {
	CAL_RULE,          /* from Labour Code art. 112 */
	CAL_COMPENSATORY,  /* nghỉ bù for a rule holiday on a weekend */
	CAL_OVERRIDE,      /* from the year's official notice / an admin */
};
/* "rule", "compensatory", "override" — the codes of the CLI and API. */
const char *cal_kind_code(enum cal_kind k);

/* One named day of a year: a day off, or a forced working day. */
struct cal_special {
	cal_day day;
	unsigned char kind;     /* enum cal_kind */
	unsigned char off;      /* 1 = day off, 0 = forced working day */
	char name[CAL_NAME_MAX];
};

struct cal_year {
	int year;
	int complete;                 /* built from a complete official schedule */
	cal_day first;                /* day number of 1 January */
	int ndays;                    /* 365 or 366 */
	unsigned char work[46];       /* bit i: day first + i is a working day */
	int nspecial;                 /* entries in special[], sorted by day */
	struct cal_special special[CAL_YEAR_MAX_SPECIAL];
};

/* One override row.  name is copied at build time (caller keeps ownership);
 * it must be non-empty UTF-8 shorter than CAL_NAME_MAX. */
struct cal_override {
	cal_day day;
	int work;               /* 1 = forced working day, 0 = extra day off */
	const char *name;
};

/* Settings of DOMAIN decision 3 that vary, plus the overrides (any years,
 * any order; a later row for the same day replaces an earlier one). */
struct cal_config {
	int sep_after;                     /* 0: 2/9 pairs with 1/9; 1: with 3/9 */
	const struct cal_override *ov;
	size_t nov;
	const int *complete_years;         /* years whose overrides are complete */
	size_t ncomplete;
};

/* Builds one year.  cfg may be NULL (rules only, defaults).  -1 for a year
 * out of range, an invalid override name, or more than
 * CAL_YEAR_MAX_SPECIAL special days. */
int cal_year_build(struct cal_year *out, int year, const struct cal_config *cfg);
/* 1 if day is a working day of y (day must lie in y). */
int cal_year_is_working(const struct cal_year *y, cal_day day);

/* A window of consecutive built years. */
struct cal {
	int first_year;
	int nyears;
	struct cal_year years[CAL_MAX_YEARS];
};

/* Builds years first_year .. first_year + nyears − 1 (1 <= nyears <=
 * CAL_MAX_YEARS, clipped to CAL_MAX_YEAR).  On -1, c is left invalid
 * (nyears = 0). */
int cal_build(struct cal *c, int first_year, int nyears, const struct cal_config *cfg);
/* The built year, or NULL if the window does not hold it. */
const struct cal_year *cal_year_of(const struct cal *c, int year);
/* 1 working, 0 not working, -1 outside the window. */
int cal_is_working(const struct cal *c, cal_day day);
/* The special entry of a day (off or forced work), or NULL. */
const struct cal_special *cal_special_of(const struct cal *c, cal_day day);
/* The first working day strictly after `day`, or the first working day on
 * or after it (_from).  -1 if the window ends first. */
int cal_next_working(const struct cal *c, cal_day day, cal_day *out);
int cal_working_from(const struct cal *c, cal_day day, cal_day *out);
/* The n-th working day after `day` (n >= 1; day itself never counts).
 * -1 if n < 1 or the window ends first.  Scans the bitmap: a few
 * microseconds even for n = 3650. */
int cal_nth_working_after(const struct cal *c, cal_day day, int n, cal_day *out);

/* ---- the override file format (docs/holidays-format.md) ------------------- */

enum cal_line_type {
	CAL_LINE_SKIP,      /* blank line or comment */
	CAL_LINE_YEAR,      /* "# year: YYYY" */
	CAL_LINE_COMPLETE,  /* "# complete: yes" or "# complete: no" */
	CAL_LINE_ENTRY,     /* a data row */
};

struct cal_span {
	const char *p;      /* points into the parsed line; not NUL-terminated */
	size_t n;
};

struct cal_line {
	enum cal_line_type type;
	int year;            /* CAL_LINE_YEAR */
	int complete;        /* CAL_LINE_COMPLETE */
	cal_day day;         /* CAL_LINE_ENTRY … */
	int work;            /* 1 for kind "work", 0 for "off" */
	struct cal_span name, document, source, confidence;
};

/* Parses one line (without or with its "\n" / "\r\n"), no allocation.
 * Data rows: date<TAB>kind<TAB>name<TAB>document<TAB>source<TAB>confidence
 * with a valid date, kind off|work, a name of 1..CAL_NAME_MAX−1 bytes
 * without control characters, confidence V, I or NV.  -1 if malformed. */
int cal_parse_override_line(const char *line, size_t len, struct cal_line *out);

#endif
