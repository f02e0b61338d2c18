/*
 * calendar.c — civil dates, the days off of a year, the working-day
 * bitmap, and the parser of one line of a holiday override file.
 *
 * The lunar astronomy runs only while a year is built (three conversions:
 * Tết, the last day before it, Giỗ Tổ); queries afterwards read bits.
 */
#include <assert.h>
#include "core/calendar.h"
#include "core/lunar.h"

#include <stdio.h>
#include <string.h>

#define JDN_1970 2440588L   /* lunar_jdn(1970, 1, 1) */

/* ---- civil dates -------------------------------------------------------- */

cal_day
cal_day_from_ymd(int y, int m, int d)
{
	return (cal_day)(lunar_jdn(y, m, d) - JDN_1970);
}

int
cal_ymd_valid(int y, int m, int d)
{
	return lunar_solar_valid(y, m, d);
}

void
cal_ymd(cal_day day, int *y, int *m, int *d)
{
	assert(y != NULL && m != NULL && d != NULL);
	lunar_jdn_to_solar((long)day + JDN_1970, y, m, d);
}

/* 1970-01-01 was a Thursday. */
int
cal_weekday(cal_day day)
{
	return (int)((((long)day % 7) + 7 + 4) % 7);
}

/* Reads exactly n decimal digits. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_ymd_n(const char *s, size_t len, cal_day *out)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d) || !cal_ymd_valid(y, m, d))
		return -1;
	*out = cal_day_from_ymd(y, m, d);
	return 0;
}

int
cal_parse_ymd(const char *s, cal_day *out)
{
	if (s == NULL)
		return -1;
	return parse_ymd_n(s, strlen(s), out);
}

int
cal_format_ymd(cal_day day, char *out, size_t n)
{
	int y, m, d;

	cal_ymd(day, &y, &m, &d);
	if (n < 11 || y < 0 || y > 9999)
		return -1;
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
	return 10;
}

/* ---- office hours --------------------------------------------------------- */

int
cal_hours_valid(const struct cal_hours *h)
{
	return h != NULL && h->am_open >= 0 && h->am_open < h->am_close &&
	    h->am_close <= h->pm_open && h->pm_open <= h->pm_close &&
	    h->pm_close <= 1440;
}

const char *
cal_kind_code(enum cal_kind k)
{
	switch (k) {
	case CAL_RULE:         return "rule";
	case CAL_COMPENSATORY: return "compensatory";
	case CAL_OVERRIDE:     return "override";
	}
	return "override";
}

/* ---- building a year ------------------------------------------------------ */

static int
is_weekend(cal_day d)
{
	int w = cal_weekday(d);
	return w == 0 || w == 6;
}

/*
 * Adds a special day to y, keeping special[] sorted by day; a second entry
 * for the same day replaces the first (an override replaces a rule).
 */
static int
special_put(struct cal_year *y, cal_day day, enum cal_kind kind, int off,
    const char *name)
{
	size_t len = strlen(name);
	int i;

	if (len == 0 || len >= CAL_NAME_MAX)
		return -1;
	for (i = 0; i < y->nspecial && y->special[i].day < day; i++)
		;
	if (i == y->nspecial || y->special[i].day != day) {
		if (y->nspecial == CAL_YEAR_MAX_SPECIAL)
			return -1;
		memmove(&y->special[i + 1], &y->special[i],
		    (size_t)(y->nspecial - i) * sizeof y->special[0]);
		y->nspecial++;
	}
	y->special[i].day = day;
	y->special[i].kind = (unsigned char)kind;
	y->special[i].off = (unsigned char)(off != 0);
	memcpy(y->special[i].name, name, len + 1);
	return 0;
}

static int
special_find(const struct cal_year *y, cal_day day)
{
	int lo = 0, hi = y->nspecial - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (y->special[mid].day == day)
			return mid;
		if (y->special[mid].day < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

struct rule_day {
	cal_day day;
	const char *base;   /* the holiday, for "Nghỉ bù <base>" */
	char name[64];
};

/* Day number of a lunar date of lunar year `year` (non-leap month). */
static int
lunar_day(int year, int month, int day, cal_day *out)
{
	struct lunar_date ld = {day, month, year, 0};
	int y, m, d;

	if (lunar_to_solar(&ld, &y, &m, &d) != 0)
		return -1;
	*out = cal_day_from_ymd(y, m, d);
	return 0;
}

/*
 * The rule holidays of a year (Labour Code art. 112), sorted by day.
 * Tết of lunar year `year` always falls between 21/1 and 20/2, so all of
 * it — the eve included — lies in Gregorian year `year`.
 */
static int
rule_days(int year, int sep_after, struct rule_day *r)
{
	static const char *const tet_day[4] = {"mùng 1", "mùng 2", "mùng 3", "mùng 4"};
	struct lunar_date eve;
	cal_day tet, gio_to;
	int n = 0, y, m, d;

	if (lunar_day(year, 1, 1, &tet) != 0 || lunar_day(year, 3, 10, &gio_to) != 0)
		return -1;
	cal_ymd(tet - 1, &y, &m, &d);
	if (lunar_from_solar(y, m, d, &eve) != 0)
		return -1;

#define RULE(dd, b, ...) do { \
		r[n].day = (dd); r[n].base = (b); \
		snprintf(r[n].name, sizeof r[n].name, __VA_ARGS__); n++; \
	} while (0)
	RULE(cal_day_from_ymd(year, 1, 1), "Tết Dương lịch", "Tết Dương lịch");
	RULE(tet - 1, "Tết Nguyên đán", "Tết Nguyên đán (%d Chạp)", eve.day);
	for (int i = 0; i < 4; i++)
		RULE(tet + i, "Tết Nguyên đán", "Tết Nguyên đán (%s)", tet_day[i]);
	RULE(gio_to, "Giỗ Tổ Hùng Vương", "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
	RULE(cal_day_from_ymd(year, 4, 30), "Ngày Chiến thắng", "Ngày Chiến thắng (30/4)");
	RULE(cal_day_from_ymd(year, 5, 1), "Ngày Quốc tế Lao động",
	    "Ngày Quốc tế Lao động (1/5)");
	if (!sep_after)
		RULE(cal_day_from_ymd(year, 9, 1), "Quốc khánh",
		    "Quốc khánh (ngày liền kề trước 2/9)");
	RULE(cal_day_from_ymd(year, 9, 2), "Quốc khánh", "Quốc khánh (2/9)");
	if (sep_after)
		RULE(cal_day_from_ymd(year, 9, 3), "Quốc khánh",
		    "Quốc khánh (ngày liền kề sau 2/9)");
#undef RULE
	/* Giỗ Tổ (late March – late April) may come after 30/4 or 1/5. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && r[j].day < r[j - 1].day; j--) {
			struct rule_day t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	return n;
}

/*
 * Rule days plus compensatory days (art. 111(3)): every rule day on a
 * weekend gives the first later day that is a weekday, not a rule day and
 * not already given as compensation.
 */
static int
add_rules(struct cal_year *y, int sep_after)
{
	struct rule_day r[12];
	int n = rule_days(y->year, sep_after, r);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (special_put(y, r[i].day, CAL_RULE, 1, r[i].name) != 0)
			return -1;
	for (int i = 0; i < n; i++) {
		char name[CAL_NAME_MAX];
		cal_day c = r[i].day;

		if (!is_weekend(r[i].day))
			continue;
		/* special[] holds the rule days and the compensations so far. */
		do
			c++;
		while (is_weekend(c) || special_find(y, c) >= 0);
		snprintf(name, sizeof name, "Nghỉ bù %s", r[i].base);
		if (special_put(y, c, CAL_COMPENSATORY, 1, name) != 0)
			return -1;
	}
	return 0;
}

static int
year_is_complete(int year, const struct cal_config *cfg)
{
	for (size_t i = 0; cfg != NULL && i < cfg->ncomplete; i++)
		if (cfg->complete_years[i] == year)
			return 1;
	return 0;
}

int
cal_year_build(struct cal_year *out, int year, const struct cal_config *cfg)
{
	if (out == NULL || year < CAL_MIN_YEAR || year > CAL_MAX_YEAR)
		return -1;
	memset(out, 0, sizeof *out);
	out->year = year;
	out->first = cal_day_from_ymd(year, 1, 1);
	out->ndays = (int)(cal_day_from_ymd(year + 1, 1, 1) - out->first);
	out->complete = year_is_complete(year, cfg);

	if (!out->complete && add_rules(out, cfg != NULL && cfg->sep_after) != 0)
		return -1;
	for (size_t i = 0; cfg != NULL && i < cfg->nov; i++) {
		const struct cal_override *o = &cfg->ov[i];
		if (o->day < out->first || o->day >= out->first + out->ndays)
			continue;
		if (o->name == NULL ||
		    special_put(out, o->day, CAL_OVERRIDE, !o->work, o->name) != 0)
			return -1;
	}

	for (int i = 0; i < out->ndays; i++)
		if (!is_weekend(out->first + i))
			out->work[i / 8] |= (unsigned char)(1u << (i % 8));
	for (int i = 0; i < out->nspecial; i++) {
		int b = (int)(out->special[i].day - out->first);
		if (out->special[i].off)
			out->work[b / 8] &= (unsigned char)~(1u << (b % 8));
		else
			out->work[b / 8] |= (unsigned char)(1u << (b % 8));
	}
	return 0;
}

int
cal_year_is_working(const struct cal_year *y, cal_day day)
{
	int b = (int)(day - y->first);

	if (b < 0 || b >= y->ndays)
		return 0;
	return (y->work[b / 8] >> (b % 8)) & 1;
}

/* ---- the window of years ------------------------------------------------- */

int
cal_build(struct cal *c, int first_year, int nyears, const struct cal_config *cfg)
{
	if (c == NULL)
		return -1;
	c->nyears = 0;
	if (first_year < CAL_MIN_YEAR || first_year > CAL_MAX_YEAR || nyears < 1 ||
	    nyears > CAL_MAX_YEARS)
		return -1;
	if (first_year + nyears - 1 > CAL_MAX_YEAR)
		nyears = CAL_MAX_YEAR - first_year + 1;
	for (int i = 0; i < nyears; i++)
		if (cal_year_build(&c->years[i], first_year + i, cfg) != 0)
			return -1;
	c->first_year = first_year;
	c->nyears = nyears;
	return 0;
}

const struct cal_year *
cal_year_of(const struct cal *c, int year)
{
	if (c == NULL || year < c->first_year || year >= c->first_year + c->nyears)
		return NULL;
	return &c->years[year - c->first_year];
}

/* Index in c->years of the year holding day, or -1. */
static int
year_index(const struct cal *c, cal_day day)
{
	int i;

	if (c == NULL || c->nyears == 0 || day < c->years[0].first)
		return -1;
	/* Years are ~365.2425 days; the estimate is off by at most one. */
	i = (int)((day - c->years[0].first) / 366);
	while (i < c->nyears &&
	    day >= c->years[i].first + c->years[i].ndays)
		i++;
	/* the estimate never overshoots: years are consecutive from years[0] */
	assert(i >= 0 && (i >= c->nyears || day >= c->years[i].first));
	return i < c->nyears ? i : -1;
}

int
cal_is_working(const struct cal *c, cal_day day)
{
	int i = year_index(c, day);

	return i < 0 ? -1 : cal_year_is_working(&c->years[i], day);
}

const struct cal_special *
cal_special_of(const struct cal *c, cal_day day)
{
	int i = year_index(c, day), j;

	if (i < 0 || (j = special_find(&c->years[i], day)) < 0)
		return NULL;
	return &c->years[i].special[j];
}

int
cal_nth_working_after(const struct cal *c, cal_day day, int n, cal_day *out)
{
	int i = year_index(c, day + 1);

	if (n < 1 || i < 0)
		return -1;
	day++;
	for (; i < c->nyears; i++) {
		const struct cal_year *y = &c->years[i];
		for (int b = (int)(day - y->first); b < y->ndays; b++) {
			if (((y->work[b / 8] >> (b % 8)) & 1) && --n == 0) {
				*out = y->first + b;
				return 0;
			}
		}
		day = y->first + y->ndays;
	}
	return -1;
}

int
cal_next_working(const struct cal *c, cal_day day, cal_day *out)
{
	return cal_nth_working_after(c, day, 1, out);
}

int
cal_working_from(const struct cal *c, cal_day day, cal_day *out)
{
	return cal_nth_working_after(c, day - 1, 1, out);
}

/* ---- one line of an override file ----------------------------------------- */

static int
span_eq(struct cal_span s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

static int
has_control(struct cal_span s)
{
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return 1;
	return 0;
}

/* "# key: value" directives; returns 1 and sets *val when line matches. */
static int
directive(const char *p, size_t n, const char *key, struct cal_span *val)
{
	size_t k = strlen(key);

	if (n < k || memcmp(p, key, k) != 0)
		return 0;
	p += k;
	n -= k;
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	val->p = p;
	val->n = n;
	return 1;
}

int
cal_parse_override_line(const char *line, size_t len, struct cal_line *out)
{
	struct cal_span f[6], v;
	size_t nf = 0, start = 0;

	if (line == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof *out);
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (memchr(line, '\0', len) != NULL)
		return -1;

	if (len == 0 || line[0] == '#') {
		out->type = CAL_LINE_SKIP;
		if (directive(line, len, "# year:", &v)) {
			if (v.n != 4 || digits(v.p, 4, &out->year) ||
			    out->year < CAL_MIN_YEAR || out->year > CAL_MAX_YEAR)
				return -1;
			out->type = CAL_LINE_YEAR;
		} else if (directive(line, len, "# complete:", &v)) {
			if (span_eq(v, "yes"))
				out->complete = 1;
			else if (!span_eq(v, "no"))
				return -1;
			out->type = CAL_LINE_COMPLETE;
		}
		return 0;
	}
	{
		/* A line of only blanks is also a blank line. */
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len) {
			out->type = CAL_LINE_SKIP;
			return 0;
		}
	}

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (nf == 6)
				return -1;
			f[nf].p = line + start;
			f[nf].n = i - start;
			nf++;
			start = i + 1;
		}
	}
	if (nf != 6)
		return -1;
	if (parse_ymd_n(f[0].p, f[0].n, &out->day) != 0)
		return -1;
	if (span_eq(f[1], "work"))
		out->work = 1;
	else if (!span_eq(f[1], "off"))
		return -1;
	if (f[2].n == 0 || f[2].n >= CAL_NAME_MAX)
		return -1;
	for (int i = 2; i < 5; i++)
		if (has_control(f[i]))
			return -1;
	if (!span_eq(f[5], "V") && !span_eq(f[5], "I") && !span_eq(f[5], "NV"))
		return -1;
	out->type = CAL_LINE_ENTRY;
	out->name = f[2];
	out->document = f[3];
	out->source = f[4];
	out->confidence = f[5];
	return 0;
}
